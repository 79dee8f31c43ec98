"""The Textual terminal UI of hwreview."""

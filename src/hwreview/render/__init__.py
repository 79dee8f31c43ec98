"""Pure text rendering helpers: sanitizing untrusted text and LaTeX to Unicode (no Textual)."""

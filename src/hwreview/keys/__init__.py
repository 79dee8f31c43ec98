"""Answer keys: Markdown in, an Assignment out, with FILE:LINE errors."""

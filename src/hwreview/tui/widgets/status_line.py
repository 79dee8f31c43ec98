"""A one-line status under the panes: the latest message, where toasts would cover the text.

The message stays until the next one (it is the last thing that happened, not an alert), so a
grader who looked away still sees whether the last key was saved.
"""

from __future__ import annotations

from textual.widgets import Static

from hwreview.tui.text import plain


class StatusLine(Static):
    """Shows the latest notification in one line."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        background: $boost;
        color: $text-muted;
    }
    StatusLine.-warning { color: $warning; text-style: bold; }
    StatusLine.-error { color: $error; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.message = ""

    def show(self, message: str, severity: str = "information", timeout: float = 5.0) -> None:
        """Replace the status with `message` (untrusted text, never markup)."""
        self.message = " ".join(plain(message).split())
        self.update(self.message)
        for level in ("warning", "error"):
            self.set_class(severity == level, f"-{level}")

    def clear(self) -> None:
        """Empty the status line."""
        self.message = ""
        self.update("")
        self.remove_class("-warning", "-error")

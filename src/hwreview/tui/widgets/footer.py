"""Textual's key footer, without restyling every key twice each time it is rebuilt.

The footer is rebuilt whenever the keys that apply change (a dialog opens, focus moves). Each
`FooterKey` starts compact (its own default) and is then bound to the footer's `compact`
(False): on mount it gains the `-compact` class and at once loses it, and each change restyles
the key — two stylesheet passes per key, about a seventh of the CPU of a key press in the
terminal-UI tests. Here a bound key starts with the footer's value, so it mounts as it ends up;
what is drawn is the same (the SVG snapshots check it).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    """The key footer: Textual's, with each bound key mounted in its final style."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            bound = widget._reactive_connect or {}  # noqa: SLF001
            if isinstance(widget, FooterKey) and "compact" in bound:
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

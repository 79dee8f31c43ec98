"""A modal Markdown editor for a note, the key findings or the conclusion."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from hwreview.tui.screens.dialogs import Dialog, after_typed_keys


class NoteEditor(Dialog[str | None]):
    """Edit Markdown text; ctrl+s saves (dismisses with the text), escape cancels."""

    BINDINGS = [
        # priority: the editor (tab indents) would otherwise take escape to move the focus
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]
    DEFAULT_CSS = """
    NoteEditor > Vertical { width: 100; height: 80%; }
    NoteEditor TextArea { height: 1fr; }
    NoteEditor .dialog-buttons Static { width: 1fr; height: auto; padding-top: 1; }
    """

    def __init__(self, title: str, text: str) -> None:
        super().__init__(title)
        self.text = text

    def compose(self) -> ComposeResult:
        """The editor and its buttons."""
        with Vertical():
            yield self.title_line()
            yield TextArea(self.text, id="editor", soft_wrap=True, tab_behavior="indent")
            with Horizontal(classes="dialog-buttons"):
                yield Static(
                    "Markdown · ctrl+s saves · escape cancels", markup=False, id="note-hint"
                )
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        """Put the cursor at the end of the text."""
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        """Dismiss with the edited text, every key typed before ctrl+s included."""
        after_typed_keys(self, lambda: self.dismiss(self.query_one(TextArea).text))

    def unsaved(self) -> str:
        """The edited text, when it differs from the saved one."""
        return "The text you typed" if self.query_one(TextArea).text != self.text else ""

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

"""A modal to choose a grade's error tags, with a way to add a new tag."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, SelectionList, Static

from hwreview.tui.screens.dialogs import Dialog, after_typed_keys
from hwreview.tui.text import plain


class TagList(SelectionList[str]):
    """The tags: space ticks the highlighted one, enter saves the dialog (as its title asks)."""

    BINDINGS = [Binding("enter", "screen.save", "Save", show=False)]


class TagPicker(Dialog[list[str] | None]):
    """Tick tags (space), enter saves; type a new one and press enter to add it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(self, title: str, tags: Sequence[str], chosen: Sequence[str]) -> None:
        super().__init__(title)
        self.tags = list(tags)
        self.chosen = list(chosen)

    def compose(self) -> ComposeResult:
        """The list of tags, an input for a new one, and buttons."""
        with Vertical():
            yield self.title_line()
            yield TagList(
                *[(Text(plain(tag)), tag, tag in self.chosen) for tag in self.tags], id="tags"
            )
            yield Input(placeholder="new tag, then enter", id="new-tag")
            yield Static(
                "space ticks a tag · enter saves · a new tag: type it, enter adds it",
                markup=False,
                id="tags-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("OK", id="ok", variant="primary")

    def on_mount(self) -> None:
        """Start in the list."""
        self.query_one("#tags", SelectionList).focus()

    @on(Input.Submitted, "#new-tag")
    def _add(self, event: Input.Submitted) -> None:
        tag = event.value.strip().lower()
        event.input.value = ""
        if not tag:
            self.action_save()
            return
        selection = self.query_one("#tags", SelectionList)
        if tag not in self.tags:
            self.tags.append(tag)
            selection.add_option((Text(plain(tag)), tag, True))
        else:
            selection.select(tag)
        # Show the tag just ticked: a new one is added below the visible rows.
        selection.highlighted = self.tags.index(tag)
        self.notify(f"Tag {plain(tag, 40)} ticked (enter in the list or ctrl+s saves)", timeout=2)

    def action_save(self) -> None:
        """Dismiss with the ticked tags, in list order (after any key still being handled)."""
        after_typed_keys(self, self._save)

    def _save(self) -> None:
        selected = set(self.query_one("#tags", SelectionList).selected)
        self.dismiss([tag for tag in self.tags if tag in selected])

    def unsaved(self) -> str:
        """Ticks changed here, or a new tag typed and not yet added."""
        if self.query_one("#new-tag", Input).value.strip():
            return "The tag you typed"
        selected = set(self.query_one("#tags", SelectionList).selected)
        return "The tags ticked here" if selected != set(self.chosen) else ""

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.action_save()
        else:
            self.action_cancel()

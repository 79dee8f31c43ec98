"""A modal to choose a grade's error tags, with a way to add a new tag."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, SelectionList, Static

from hwreview.tui.screens.dialogs import Confirm, Dialog, after_typed_keys
from hwreview.tui.text import plain


class TagPicker(Dialog[list[str] | None]):
    """Tick tags (space), type a new one and press enter to add it; ctrl+s or OK saves."""

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
            yield SelectionList[str](
                *[(Text(plain(tag)), tag, tag in self.chosen) for tag in self.tags], id="tags"
            )
            yield Input(placeholder="new tag, then enter", id="new-tag")
            yield Static(
                "space ticks a tag · enter on the input adds one · ctrl+s saves", markup=False
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
        self.notify(f"Tag {plain(tag, 40)} ticked (ctrl+s saves)", timeout=2)

    def action_save(self) -> None:
        """Dismiss with the ticked tags, in list order (after any key still being handled)."""
        after_typed_keys(self, self._save)

    def _save(self) -> None:
        selected = set(self.query_one("#tags", SelectionList).selected)
        self.dismiss([tag for tag in self.tags if tag in selected])

    def action_cancel(self) -> None:
        """Close without saving; ticks changed here are dropped only after the grader confirms."""
        selected = set(self.query_one("#tags", SelectionList).selected)
        typed = self.query_one("#new-tag", Input).value.strip()
        if selected == set(self.chosen) and not typed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            Confirm(
                "Drop your changes?",
                f"{plain(self.title_text)}: the tags ticked here are not saved (ctrl+s saves).",
                yes="Drop",
            ),
            answered,
        )

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.action_save()
        else:
            self.action_cancel()

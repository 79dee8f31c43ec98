"""A modal Markdown editor for a note, the key findings or the conclusion."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Static, TextArea

from hwreview.session.drafts import Draft, Drafts
from hwreview.tui.screens.dialogs import Dialog, after_typed_keys, confirm_discard

DRAFT_PAUSE = 0.4  # seconds without a key before the text is kept as a draft


@dataclass(frozen=True)
class DraftSlot:
    """Where an editor keeps its unsaved text: the session's drafts, a name, the draft found."""

    drafts: Drafts
    target: str
    found: Draft | None = None


class NoteEditor(Dialog[str | None]):
    """Edit Markdown text; ctrl+s saves (dismisses with the text), escape cancels.

    With a draft slot, each pause in the typing keeps the text as a draft beside the session
    (in a worker), so a closed terminal or a refused save loses nothing; a draft found when
    the editor opens is offered in place of the saved text."""

    BINDINGS = [
        # priority: the editor (tab indents) would otherwise take escape to move the focus
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]
    DEFAULT_CSS = """
    NoteEditor > Vertical { width: 100; height: 80%; }
    NoteEditor TextArea { height: 1fr; }
    NoteEditor .dialog-buttons Static { width: 1fr; height: auto; padding-top: 1; }
    NoteEditor #restored { color: $warning; height: auto; }
    """

    def __init__(self, title: str, text: str, slot: DraftSlot | None = None) -> None:
        super().__init__(title)
        self.text = text
        self.slot = slot
        found = slot.found if slot is not None else None
        self.restored = found if found is not None and found.text != text else None
        self._kept = self.restored.text if self.restored is not None else text
        start = self.restored.text if self.restored is not None else text
        # held here: its text is still there to read once the screen is taken apart
        self._editor = TextArea(start, id="editor", soft_wrap=True, tab_behavior="indent")
        self._finished = False  # saved or discarded by the grader: no draft to keep on unmount
        self._pause: Timer | None = None

    def compose(self) -> ComposeResult:
        """The editor and its buttons; a line saying so when a draft was restored."""
        with Vertical():
            yield self.title_line()
            if self.restored is not None:
                yield Static(
                    f"Restored the unsaved text typed {_when(self.restored.at)}: "
                    "ctrl+s saves it, escape asks to discard it.",
                    id="restored",
                    markup=False,
                )
            yield self._editor
            with Horizontal(classes="dialog-buttons"):
                yield Static(
                    "Markdown · ctrl+s saves · escape cancels", markup=False, id="note-hint"
                )
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        """Put the cursor at the end of the text."""
        editor = self._editor
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        """Dismiss with the edited text, every key typed before ctrl+s included."""

        def save() -> None:
            self._finished = True
            self.dismiss(self._editor.text)

        after_typed_keys(self, save)

    def action_cancel(self) -> None:
        """Close without a result; typed text (and its draft) goes only after asking."""
        after_typed_keys(self, lambda: confirm_discard(self, self.unsaved(), self._discard))

    def _discard(self) -> None:
        self.discard_draft()
        self.dismiss()

    def unsaved(self) -> str:
        """The edited text, when it differs from the saved one."""
        return "The text you typed" if self._editor.text != self.text else ""

    def discard_draft(self) -> None:
        """The grader dropped the typed text: forget its draft too (a small file, written now)."""
        self._finished = True
        if self.slot is not None and (self.restored is not None or self._kept != self.text):
            with contextlib.suppress(OSError):  # a draft left behind is only offered again
                self.slot.drafts.drop(self.slot.target)

    @on(TextArea.Changed)
    def _typed(self) -> None:
        if self.slot is None:
            return  # the text is read when the typing pauses, not at every key
        if self._pause is not None:
            self._pause.stop()
        self._pause = self.set_timer(DRAFT_PAUSE, self._keep_draft)

    def _keep_draft(self) -> None:
        if self._finished or self.slot is None:
            return
        text = self._editor.text
        if text == self._kept:
            return
        self._kept = text
        self.run_worker(lambda: self._write(text), thread=True, group="io-draft")

    def _write(self, text: str) -> None:
        """Keep (or, back at the saved text, forget) the draft; runs in a worker thread."""
        if self.slot is None:
            return
        try:
            if text == self.text:
                self.slot.drafts.drop(self.slot.target)
            else:  # not once saved or discarded: its draft is dropped, and must stay so
                self.slot.drafts.put(
                    self.slot.target, text, self.text, still=lambda: not self._finished
                )
        except OSError as exc:
            message = (
                f"The typed text could not be kept as a draft ({exc.strerror or exc}): "
                "save it with ctrl+s before closing the terminal."
            )
            self.app.call_from_thread(self.notify, message, severity="warning")

    def on_unmount(self) -> None:
        """Closed by anything but the grader (the app was told to stop): keep the text now."""
        if self._pause is not None:
            self._pause.stop()
        self.keep_draft_now()

    def keep_draft_now(self) -> None:
        """Keep the latest text as a draft at once, in this thread: the app is leaving (its
        terminal went) and no worker will run after this."""
        if self._finished or self.slot is None:
            return
        text = self._editor.text
        if text != self._kept and text != self.text:
            self._kept = text
            with contextlib.suppress(OSError):  # nowhere to say it: the app is closing
                self.slot.drafts.put(self.slot.target, text, self.text)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()


def _when(at: str) -> str:
    """An ISO time as the grader's local day and time ("at 14:05 on 3 Dec")."""
    try:
        moment = datetime.fromisoformat(at).astimezone()
    except ValueError:
        return "earlier"
    return f"at {moment:%H:%M} on {moment.day} {moment:%b}"

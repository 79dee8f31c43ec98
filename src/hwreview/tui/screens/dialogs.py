"""Small typed modal dialogs: confirm, typed confirm, text prompt, choice and message."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from hwreview.tui.text import plain
from hwreview.tui.widgets.footer import Footer

ResultT = TypeVar("ResultT")


def after_typed_keys(screen: Screen[Any], action: Callable[[], object]) -> None:
    """Run `action` once the focused widget has handled every key already sent to it.

    A priority binding (ctrl+s, escape) is handled by the app as soon as its key arrives, while
    the keys typed just before it may still wait in the focused widget's queue; acting at once
    would save the text as it was some keys earlier. A callback posted to that same queue runs
    after them. The action's result is dropped: awaiting a dismiss from inside the widget being
    removed would wait for itself.
    """

    def run() -> None:
        action()

    focused = screen.focused
    if focused is None or not focused.call_later(run):
        run()


class Dialog(ModalScreen[ResultT]):
    """Base of the dialogs: a centred box with a title; escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 72; max-width: 95%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 2; overflow-y: auto;
    }
    Dialog SelectionList, Dialog OptionList { height: auto; max-height: 10; }
    Dialog .dialog-title { text-style: bold; color: $primary; margin-bottom: 1; height: auto; }
    Dialog .dialog-buttons { height: auto; align-horizontal: right; }
    Dialog .dialog-buttons Button { margin-left: 2; }
    Dialog .dialog-error { color: $error; height: auto; }
    Dialog .info-lines { height: auto; max-height: 20; }
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def title_line(self) -> Static:
        """The dialog's title (untrusted text, shown cleaned and never as markup)."""
        return Static(plain(self.title_text), classes="dialog-title", markup=False)

    def on_mount(self) -> None:
        """A footer of the dialog's own keys, over the screen's below (which do not apply)."""
        self.mount(Footer())

    def unsaved(self) -> str:
        """What the grader typed or chose here that cancelling would lose ("" when nothing)."""
        return ""

    def action_cancel(self) -> None:
        """Close without a result; what the grader changed is dropped only after asking."""
        after_typed_keys(self, lambda: confirm_discard(self, self.unsaved(), self.dismiss))


def confirm_discard(screen: Screen[Any], unsaved: str, discard: Callable[[], object]) -> None:
    """Run `discard` at once when nothing was changed; else ask first (Enter keeps editing).

    Every dialog and form that takes typed text cancels through here, so escape behaves the
    same everywhere: nothing typed closes at once, something typed is never dropped unasked.
    """
    if not unsaved:
        discard()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            discard()
        elif screen.focused is not None:
            screen.focused.focus()

    title = "Discard what you typed?" if "you typed" in unsaved else "Discard your changes?"
    screen.app.push_screen(
        Confirm(title, f"{unsaved} is not saved yet.", yes="Discard", no="Keep editing"),
        answered,
    )


class Confirm(Dialog[bool]):
    """Ask a yes/no question; dismisses with True for yes.

    `default` is the answer Enter gives, and the dialog says which it is: the safe "no" for
    anything that drops or replaces work, "yes" where accepting only goes on.
    """

    BINDINGS = [
        # Not in the footer: the dialog's own line names each answer ("y: Replace").
        Binding("escape,n", "cancel", "No", show=False),
        Binding("y", "confirm", "Yes", show=False),
    ]
    DEFAULT_CSS = """
    Confirm .confirm-keys { color: $text-muted; height: auto; margin-top: 1; }
    """

    def __init__(
        self, title: str, question: str, yes: str = "Yes", no: str = "No", *, default: bool = False
    ) -> None:
        super().__init__(title)
        self.question = question
        self.yes = yes
        self.no = no
        self.default = default

    def compose(self) -> ComposeResult:
        """A title, the question, which key gives which answer, and two buttons."""
        with Vertical():
            yield self.title_line()
            yield Static(self.question, markup=False)
            yield Static("", classes="confirm-keys", id="confirm-keys", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.no, id="no", variant="primary" if not self.default else "default")
                yield Button(self.yes, id="yes", variant="primary" if self.default else "warning")

    def on_mount(self) -> None:
        """Focus the answer Enter gives."""
        self.query_one("#yes" if self.default else "#no", Button).focus()

    def on_descendant_focus(self) -> None:
        """Say which button Enter presses (the focused one: tab moves it)."""
        focused = self.focused
        yes = focused.id == "yes" if isinstance(focused, Button) else self.default
        enter = self.yes if yes else self.no
        self.query_one("#confirm-keys", Static).update(
            f"enter: {plain(enter)} · y: {plain(self.yes)} · n or escape: {plain(self.no)}"
        )

    def action_confirm(self) -> None:
        """Answer yes."""
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Answer no."""
        self.dismiss(False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class TypedConfirm(Dialog[bool]):
    """Confirm a dangerous action by typing a word (such as the session's name)."""

    def __init__(self, title: str, question: str, word: str) -> None:
        super().__init__(title)
        self.question = question
        self.word = word

    def compose(self) -> ComposeResult:
        """The question and an input for the word."""
        with Vertical():
            yield self.title_line()
            yield Static(self.question, markup=False)
            # The placeholder must not look like the word already typed.
            yield Input(placeholder=f"type {self.word} here", id="word")
            yield Static("", classes="dialog-error", id="error")

    def action_cancel(self) -> None:
        """Do not confirm, at once: the word typed here is a latch, not the grader's work, and
        escape is the safe way out of a destructive action."""
        self.dismiss(False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip() == self.word:
            self.dismiss(True)
        else:
            self.query_one("#error", Static).update(
                f"Type {self.word!r} exactly to confirm, or press escape."
            )


class Prompt(Dialog[str | None]):
    """Ask for one line of text; dismisses with the text, or None when cancelled.

    `check` returns why a value is not acceptable (or None): the dialog then stays open with
    the reason, so the grader fixes the value instead of typing it all again.
    """

    def __init__(
        self,
        title: str,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(title)
        self.value = value
        self.placeholder = placeholder
        self.hint = hint
        self.check = check

    def compose(self) -> ComposeResult:
        """The title, an input, a hint and the reason a value was refused."""
        with Vertical():
            yield self.title_line()
            yield Input(self.value, placeholder=self.placeholder, id="value")
            if self.hint:
                yield Static(self.hint, markup=False)
            yield Static("", classes="dialog-error", id="error", markup=False)

    def unsaved(self) -> str:
        """The text typed here, when it differs from what the prompt opened with."""
        return "The text you typed" if self.query_one("#value", Input).value != self.value else ""

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self.check(event.value) if self.check else None
        if problem:
            self.query_one("#error", Static).update(plain(problem))
            return
        self.dismiss(event.value)


class Choice(Dialog[str | None]):
    """Pick one of several options; dismisses with the option's id."""

    def __init__(self, title: str, options: Sequence[tuple[str, str]], current: str = "") -> None:
        super().__init__(title)
        self.options = list(options)
        self.current = current

    def compose(self) -> ComposeResult:
        """The title and the list of options."""
        with Vertical():
            yield self.title_line()
            yield OptionList(*[Option(Text(plain(label)), id=key) for key, label in self.options])

    def on_mount(self) -> None:
        """Highlight the current option."""
        options = self.query_one(OptionList)
        for index, (key, _label) in enumerate(self.options):
            if key == self.current:
                options.highlighted = index

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class Info(Dialog[None]):
    """Show a message of several lines until the user presses enter or escape."""

    BINDINGS = [Binding("escape,enter,q", "cancel", "Close")]

    def __init__(self, title: str, lines: Sequence[str]) -> None:
        super().__init__(title)
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        """The title, the lines and an OK button."""
        with Vertical():
            yield self.title_line()
            with VerticalScroll(classes="info-lines"):
                yield Static("\n".join(plain(line) for line in self.lines), markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", id="ok", variant="primary")

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss(None)

"""Preference and erratum dialogs, and the actions the review and compare screens share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from hwreview.session.data import ERRATUM_KINDS, PREFERENCE_ASPECTS
from hwreview.tui.screens.dialogs import Dialog, after_typed_keys
from hwreview.tui.screens.review_host import dialog
from hwreview.tui.text import plain

if TYPE_CHECKING:
    from hwreview.tui.screens.review_host import ScreenHost

CLEAR = "clear"


class JudgementDialog(Dialog[tuple[str, str, list[str]] | None]):
    """A choice, a one-line text and optional aspects; enter in the text (or ctrl+s) saves."""

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        options: list[tuple[str, str]],
        current: str,
        text: str,
        placeholder: str,
        aspects: tuple[str, ...] = (),
        chosen_aspects: tuple[str, ...] = (),
    ) -> None:
        super().__init__(title)
        self.options = options
        self.current = current
        self.text = text
        self.placeholder = placeholder
        self.aspects = aspects
        self.chosen_aspects = chosen_aspects

    def compose(self) -> ComposeResult:
        """The title, the choices, the text and (for preferences) the aspects."""
        with Vertical():
            yield self.title_line()
            yield OptionList(
                *[Option(Text(plain(label)), id=key) for key, label in self.options], id="choice"
            )
            yield Input(self.text, placeholder=self.placeholder, id="text")
            if self.aspects:
                yield Static("What it turned on (space to tick):", markup=False)
                yield SelectionList[str](
                    *[(a, a, a in self.chosen_aspects) for a in self.aspects], id="aspects"
                )
            yield Static("enter in the text saves · escape cancels", markup=False)

    def on_mount(self) -> None:
        """Highlight the current choice."""
        choice = self.query_one("#choice", OptionList)
        ids = [key for key, _ in self.options]
        choice.highlighted = ids.index(self.current) if self.current in ids else 0
        choice.focus()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def _result(self) -> tuple[str, str, list[str]]:
        index = self.query_one("#choice", OptionList).highlighted or 0
        aspects = list(self.query_one("#aspects", SelectionList).selected) if self.aspects else []
        return self.options[index][0], self.query_one("#text", Input).value, aspects

    def action_save(self) -> None:
        """Dismiss with (choice, text, aspects), every key typed before it included."""
        after_typed_keys(self, lambda: self.dismiss(self._result()))

    def unsaved(self) -> str:
        """The text typed here, or a changed choice or aspects."""
        key, text, aspects = self._result()
        if text != self.text:
            return "The text you typed"
        ids = [k for k, _ in self.options]
        current = self.current if self.current in ids else ids[0]
        changed = key != current or set(aspects) != set(self.chosen_aspects)
        return "The choice made here" if changed else ""


class JudgingActions:
    """`w` (which answer is better), `K` (flag the key), and the comparison screens."""

    def __init__(self, host: ScreenHost, pair: Callable[[], tuple[str, str] | None]) -> None:
        self.host = host
        self.pair = pair  # the two transcripts a preference is between (None with one)

    @dialog
    async def action_prefer(self) -> None:
        """Say which of the two answers to this part is better, why, and on what."""
        pair = self.pair()
        if pair is None:
            self.host.notify("A preference needs two transcripts to compare.", severity="warning")
            return
        part = self.host.part
        a, b = (self.host.session.transcript(t) for t in pair)
        current = self.host.session.judgements.preference(part.id, a.id, b.id)
        options = [
            ("first", f"A: {a.label} is better"),
            ("second", f"B: {b.label} is better"),
            ("tie", "Tie: as good as each other"),
            ("neither", "Both wrong"),
            (CLEAR, "No preference (clear)"),
        ]
        result = await self.host.app.push_screen_wait(
            JudgementDialog(
                f"Which answer to {part.id} is better?",
                options,
                current.choice if current else "first",
                current.reason if current else "",
                "one line: what it turned on, e.g. B derives it, A only asserts it",
                PREFERENCE_ASPECTS,
                current.aspects if current else (),
            )
        )
        if result is None:
            return
        choice, reason, aspects = result
        self.host.save(
            f"preference on {part.id}",
            lambda: self.host.session.judgements.set_preference(
                part.id, None if choice == CLEAR else choice, reason, aspects, a.id, b.id
            ),
        )

    @dialog
    async def action_erratum(self) -> None:
        """Flag this part's answer key as wrong or incomplete, with a note (or clear the flag)."""
        part = self.host.part
        current = self.host.session.judgements.erratum(part.id)
        options = [(kind, f"The key is {kind}") for kind in ERRATUM_KINDS]
        options.append((CLEAR, "The key is fine (clear the flag)"))
        result = await self.host.app.push_screen_wait(
            JudgementDialog(
                f"Is the key of {part.id} wrong?",
                options,
                current.kind if current else "wrong",
                current.note if current else "",
                "what is wrong or missing in the official answer",
            )
        )
        if result is None:
            return
        kind, note, _ = result
        if kind != CLEAR and not note.strip():
            self.host.notify("Say in the note what is wrong with the key.", severity="warning")
            return
        self.host.save(
            f"key erratum on {part.id}",
            lambda: self.host.session.judgements.set_erratum(
                part.id, None if kind == CLEAR else note, kind
            ),
        )

    def action_compare(self) -> None:
        """Compare two answers to this part side by side with the key."""
        from hwreview.tui.screens.compare_screen import CompareScreen

        pair = self.pair()
        if pair is not None:
            self.host.app.push_screen(CompareScreen(self.host.session, self.host.part.id, pair))

    def action_statistics(self) -> None:
        """Bar charts of the verdicts, the paired comparison and the preferences."""
        from hwreview.tui.screens.stats_screen import StatsScreen

        self.host.app.push_screen(StatsScreen(self.host.session.snapshot()))

    def action_settle(self) -> None:
        """Walk the parts two merged graders disagree on, and settle each."""
        from hwreview.tui.screens.settle_screen import SettleScreen

        self.host.app.push_screen(SettleScreen(self.host.session))

"""Two answers to one part side by side with the key: verdicts and the preference in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from hwreview.model import Part, Verdict
from hwreview.session.session import Session
from hwreview.tui.saving import write_session
from hwreview.tui.screens.judging_dialogs import JudgingActions
from hwreview.tui.screens.review_host import forward
from hwreview.tui.screens.verdicts import give_verdict
from hwreview.tui.text import plain
from hwreview.tui.widgets.footer import Footer
from hwreview.tui.widgets.header import Header
from hwreview.tui.widgets.part_view import PartView
from hwreview.tui.widgets.status_line import StatusLine

PANES = ("answer A", "answer B", "the answer key")
NARROW_BELOW = 110


class CompareScreen(Screen[None]):
    """Answers A and B and the key in three columns; at 80 columns one pane at a time (tab)."""

    DEFAULT_CSS = """
    CompareScreen #compare-judgement { height: auto; padding: 0 1; background: $boost; }
    CompareScreen.-narrow .answer-pane { display: none; }
    CompareScreen.-narrow .answer-pane.-shown { display: block; }
    CompareScreen.-question-zoomed #answers { display: none; }
    CompareScreen.-question-zoomed #question { height: 1fr; }
    """

    BINDINGS = [
        Binding("question_mark", "app.toggle_help", "Keys"),
        Binding("1", "verdict('correct')", "✓ Correct"),
        Binding("2", "verdict('partial')", "◐ Partial"),
        Binding("3", "verdict('incorrect')", "✗ Incorrect"),
        Binding("4", "verdict('omitted')", "∅ Omitted", show=False),
        Binding("5", "verdict('ambiguous')", "? Ambiguous", show=False),
        Binding("0", "verdict('ungraded')", "Clear verdict", show=False),
        Binding("tab,t", "next_pane", "A / B / key"),
        Binding("w", "prefer", "Which is better"),
        Binding("K", "erratum", "Key is wrong", show=False),
        Binding("z", "zoom_question", "Whole question", show=False),
        Binding("n,j", "next_part", "Next"),
        Binding("p,k", "previous_part", "Prev"),
        Binding("escape,x", "back", "Back"),
    ]

    def __init__(self, session: Session, part_id: str, pair: tuple[str, str]) -> None:
        super().__init__()
        self.session = session
        self.part_id = part_id
        self.pair = pair
        self.active = pair[0]
        self.shown = 0
        self.judging = JudgingActions(self, self.preference_pair)

    action_prefer = forward("judging")
    action_erratum = forward("judging")

    @property
    def part(self) -> Part:
        """The part compared."""
        return self.session.assignment.part(self.part_id)

    def preference_pair(self) -> tuple[str, str]:
        """Always the two transcripts on screen."""
        return self.pair

    def compose(self) -> ComposeResult:
        """Header, the part with the two answers and the key, the preference line, footer."""
        yield Header()
        infos = [self.session.transcript(t) for t in self.pair]
        yield PartView(infos, id="part")
        yield Static("", id="compare-judgement")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Draw the part."""
        a, b = (self.session.transcript(t) for t in self.pair)
        self.title = f"{plain(self.session.name)} · compare"
        self.sub_title = f"A {plain(a.label, 30)} · B {plain(b.label, 30)}"
        self.refresh_view()

    def refresh_view(self) -> None:
        """Redraw the answers, their verdicts, the preference and any erratum."""
        part = self.part
        infos = [self.session.transcript(t) for t in self.pair]
        problem = self.session.assignment.problem(part.problem)
        self.query_one(PartView).show(problem, part, infos, self.session.grades(), self.active)
        for index, pane_id in enumerate((*[f"#pane-{t}" for t in self.pair], "#pane-key")):
            self.query_one(pane_id).set_class(index == self.shown, "-shown")
        self.query_one("#compare-judgement", Static).update(self._judgement())

    def _judgement(self) -> Content:
        part = self.part
        a, b = (self.session.transcript(t) for t in self.pair)
        pref = self.session.judgements.preference(part.id, a.id, b.id)
        lines = []
        if self._narrow():
            lines.append(f"Showing {PANES[self.shown]} (tab for the next pane)")
        if pref is None:
            text = "Preference: none yet (w to record which answer is better)"
        else:
            words = {
                "first": f"A ({a.label}) better",
                "second": f"B ({b.label}) better",
                "tie": "tie",
                "neither": "both wrong",
            }[pref.choice]
            text = f"Preference: {words}"
            if pref.reason:
                text += f" — {pref.reason}"
            if pref.aspects:
                text += f" ({', '.join(pref.aspects)})"
        lines.append(plain(text, 400))
        erratum = self.session.judgements.erratum(part.id)
        if erratum:
            lines.append(plain(f"Key flagged as {erratum.kind}: {erratum.note}", 400))
        return Content("\n".join(lines))

    def _narrow(self) -> bool:
        # The app's breakpoint (110 columns) also styles the panes: one shown at a time below it.
        return self.has_class("-narrow") or 0 < self.app.size.width < NARROW_BELOW

    def show_status(self, message: str, severity: str, timeout: float) -> None:
        """Show a notification in the status line (toasts would cover the answers compared)."""
        for line in self.query(StatusLine):  # none yet while the screen is being built
            line.show(message, severity, timeout)

    def save(self, what: str, change: Callable[[], Any]) -> bool:
        """Run a Session change; redraw and say "saved" once it returned."""
        if not write_session(self, self.session, what, change):
            return False
        self.refresh_view()
        self.notify(f"{what} — saved", timeout=2)
        return True

    def action_verdict(self, verdict: str) -> None:
        """Give the active answer (A or B) a verdict."""
        info = self.session.transcript(self.active)
        side = "A" if self.active == self.pair[0] else "B"
        who = f"{side} ({plain(info.label, 30)})"
        give_verdict(self, self.session, self.part, info, Verdict(verdict), self.save, who)

    def action_next_pane(self) -> None:
        """Wide: switch which answer the verdict keys grade. Narrow: show the next pane."""
        if self._narrow():
            self.shown = (self.shown + 1) % 3
            if self.shown < 2:
                self.active = self.pair[self.shown]
        else:
            self.active = self.pair[1] if self.active == self.pair[0] else self.pair[0]
            self.shown = self.pair.index(self.active)
        self.refresh_view()

    @on(PartView.TranscriptClicked)
    def _clicked(self, event: PartView.TranscriptClicked) -> None:
        self.active = event.transcript_id
        self.shown = self.pair.index(self.active)
        self.refresh_view()

    def _step(self, delta: int) -> None:
        ids = [p.id for p in self.session.assignment.parts]
        index = ids.index(self.part_id) + delta
        if 0 <= index < len(ids):
            self.part_id = ids[index]
            self.refresh_view()
        else:
            self.notify("That was the last part." if delta > 0 else "This is the first part.")

    def action_next_part(self) -> None:
        """Compare the next part."""
        self._step(1)

    def action_previous_part(self) -> None:
        """Compare the previous part."""
        self._step(-1)

    def action_zoom_question(self) -> None:
        """Give the whole view to the question (again: back to the answers)."""
        self.toggle_class("-question-zoomed")
        zoomed = self.has_class("-question-zoomed")
        self.query_one("#question").border_subtitle = (
            "z: back to the answers" if zoomed else "z: whole question"
        )

    def action_back(self) -> None:
        """Back to grading."""
        self.dismiss(None)

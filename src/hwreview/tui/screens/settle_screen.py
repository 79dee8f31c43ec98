"""Settling a merge: walk only the parts two graders disagree on, and record the verdict kept."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from hwreview.model import Grade
from hwreview.session.merged import MergedPart
from hwreview.session.session import Session
from hwreview.tui.saving import write_session
from hwreview.tui.text import plain
from hwreview.tui.widgets.footer import Footer
from hwreview.tui.widgets.header import Header
from hwreview.tui.widgets.part_view import PartView, verdict_content


class SettleScreen(Screen[None]):
    """One disagreement at a time: the answer, the key, both graders' verdicts and notes."""

    DEFAULT_CSS = """
    SettleScreen #settle-grades { height: auto; max-height: 12; padding: 0 1; background: $boost; }
    """

    BINDINGS = [
        Binding("a", "settle('a')", "Take A's grade"),
        Binding("b", "settle('b')", "Take B's grade"),
        Binding("1", "settle('correct')", "✓ Own: correct", show=False),
        Binding("2", "settle('partial')", "◐ Own: partial", show=False),
        Binding("3", "settle('incorrect')", "✗ Own: incorrect", show=False),
        Binding("4", "settle('omitted')", "∅ Own: omitted", show=False),
        Binding("5", "settle('ambiguous')", "? Own: ambiguous", show=False),
        Binding("n,j", "step(1)", "Next"),
        Binding("p,k", "step(-1)", "Prev"),
        Binding("escape,m", "back", "Back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.items: list[MergedPart] = session.merge.disagreements()
        pending = [i for i, m in enumerate(self.items) if m.pending]
        self.index = pending[0] if pending else 0

    def compose(self) -> ComposeResult:
        """Header, the part (one answer and the key), both graders' grades, footer."""
        yield Header()
        yield Static("", id="settle-grades")
        yield PartView(self.session.transcripts, id="part")
        yield Footer()

    def on_mount(self) -> None:
        """Show the first disagreement still to settle."""
        sources = self.session.merge.sources()
        names = [s.get("grader") or s.get("session") or "?" for s in sources] + ["A", "B"]
        self.names = (plain(names[0], 30), plain(names[1], 30))
        self.title = f"{plain(self.session.name)} · settle disagreements"
        if not self.items:
            self.query_one("#settle-grades", Static).update("The two graders agreed everywhere.")
            return
        self.refresh_view()

    def refresh_view(self) -> None:
        """Draw the current disagreement."""
        self.items = self.session.merge.disagreements()
        item = self.items[self.index]
        part = self.session.assignment.part(item.part_id)
        problem = self.session.assignment.problem(part.problem)
        self.query_one(PartView).show(
            problem, part, self.session.transcripts, self.session.grades(), item.transcript_id
        )
        left = sum(1 for m in self.items if m.pending)
        info = self.session.transcript(item.transcript_id)
        head = Content.from_markup(
            "[b]$part[/b] ($label) · disagreement $n of $total · $left left to settle",
            part=item.part_id,
            label=plain(info.label, 30),
            n=str(self.index + 1),
            total=str(len(self.items)),
            left=str(left),
        )
        lines = [head]
        for side, name, grade in (("A", self.names[0], item.a), ("B", self.names[1], item.b)):
            lines.append(self._grade_line(side, name, grade))
        if item.settled:
            taken = {"a": f"A ({self.names[0]})", "b": f"B ({self.names[1]})"}.get(
                item.settled, "a verdict of one's own"
            )
            kept = self.session.grade(item.part_id, item.transcript_id).verdict
            lines.append(
                Content("").join([Content(f"Settled: took {taken} → "), verdict_content(kept)])
            )
        else:
            lines.append(Content("a: take A's grade · b: take B's · 1-5: a verdict of your own"))
        self.query_one("#settle-grades", Static).update(Content("\n").join(lines))

    @staticmethod
    def _grade_line(side: str, name: str, grade: Grade) -> Content:
        pieces = [Content(f"{side} {name}: "), verdict_content(grade.verdict)]
        if grade.tags:
            pieces.append(Content(" · " + ", ".join(plain(t) for t in grade.tags)))
        if grade.note:
            pieces.append(Content(" ✎ " + plain(grade.note, 200)))
        return Content("").join(pieces)

    def action_settle(self, choice: str) -> None:
        """Record the settled grade in the merged session, then go to the next one left."""
        if not self.items:
            return
        item = self.items[self.index]
        if not write_session(
            self,
            self.session,
            f"settling {item.part_id}",
            lambda: self.session.merge.settle(item.part_id, item.transcript_id, choice),
        ):
            return
        self.notify(f"{item.part_id} settled — saved", timeout=2)
        self.items = self.session.merge.disagreements()
        pending = [i for i, m in enumerate(self.items) if m.pending]
        if pending:
            later = [i for i in pending if i > self.index]
            self.index = later[0] if later else pending[0]
        else:
            self.notify("Every disagreement is settled.")
        self.refresh_view()

    def action_step(self, delta: int) -> None:
        """Go to the next or previous disagreement."""
        if self.items and 0 <= self.index + delta < len(self.items):
            self.index += delta
            self.refresh_view()

    def action_back(self) -> None:
        """Back to grading."""
        self.dismiss(None)

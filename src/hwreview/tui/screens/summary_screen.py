"""Counts of each verdict per problem and transcript."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from hwreview.model import GRADED_VERDICTS, Verdict
from hwreview.report.summary import Summary, summarize
from hwreview.session.data import SessionSnapshot
from hwreview.session.session import Session
from hwreview.tui.text import plain
from hwreview.tui.widgets.footer import Footer
from hwreview.tui.widgets.header import Header


def summary_cell(summary: Summary) -> Text:
    """One table cell: the count of each verdict present, then points."""
    pieces = [
        f"{v.symbol}{summary.counts[v]}"
        for v in (*GRADED_VERDICTS, Verdict.UNGRADED)
        if summary.counts[v]
    ]
    if summary.points_possible is not None and summary.graded:
        pieces.append(f" {summary.points_text()} pts")
    return Text(" ".join(pieces))


def summary_rows(snap: SessionSnapshot) -> list[list[Text]]:
    """The table's rows: one per problem, then the total, one cell per transcript."""
    rows = []
    for problem in snap.assignment.problems:
        cells = [summary_cell(summarize(snap, t.id, problem.parts)) for t in snap.transcripts]
        rows.append([Text(plain(f"{problem.number}. {problem.title}", 40)), *cells])
    totals = [summary_cell(summarize(snap, t.id)) for t in snap.transcripts]
    rows.append([Text("Total", style="bold"), *totals])
    return rows


class SummaryScreen(Screen[None]):
    """A table: one row per problem (and a total), one column per transcript."""

    DEFAULT_CSS = """
    SummaryScreen #summary-building { padding: 1 2; color: $text-muted; }
    """

    BINDINGS = [Binding("escape,s", "back", "Back")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    @dataclass
    class Counted(Message):
        """A worker counted the verdicts: the table's columns and rows."""

        labels: list[str]
        rows: list[list[Text]]

    def compose(self) -> ComposeResult:
        """The table between header and footer, and a line saying it is being counted."""
        yield Header()
        yield Static("Counting the verdicts…", id="summary-building", markup=False)
        yield DataTable(id="summary", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        """Show the placeholder; a worker takes the snapshot and counts."""
        self.title = f"{self.session.name} · summary"
        self.sub_title = "✓ correct ◐ partial ✗ incorrect ∅ omitted ? ambiguous · ungraded"
        self.query_one(DataTable).display = False
        self._count()

    @work(thread=True, exclusive=True, exit_on_error=False, group="io-summary")
    def _count(self) -> None:
        """Worker: the session's snapshot, summarized per problem and transcript."""
        snap = self.session.snapshot()
        labels = [plain(info.label, 30) for info in snap.transcripts]
        self.post_message(self.Counted(labels, summary_rows(snap)))

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        table = self.query_one(DataTable)
        table.add_column("Problem")
        for label in message.labels:
            table.add_column(Text(label))
        for row in message.rows:
            table.add_row(*row)
        self.query_one("#summary-building").display = False
        table.display = True
        table.focus()

    def action_back(self) -> None:
        """Back to grading."""
        self.dismiss(None)

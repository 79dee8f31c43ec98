"""Counts of each verdict per problem and transcript."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from hwreview.model import GRADED_VERDICTS, Verdict
from hwreview.report.summary import Summary, summarize
from hwreview.session.data import SessionSnapshot
from hwreview.tui.text import plain


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


class SummaryScreen(Screen[None]):
    """A table: one row per problem (and a total), one column per transcript."""

    BINDINGS = [Binding("escape,s", "back", "Back")]

    def __init__(self, snapshot: SessionSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def compose(self) -> ComposeResult:
        """The table between header and footer."""
        yield Header()
        yield DataTable(id="summary", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        snap = self.snapshot
        self.title = f"{snap.name} · summary"
        self.sub_title = "✓ correct ◐ partial ✗ incorrect ∅ omitted ? ambiguous · ungraded"
        table = self.query_one(DataTable)
        table.add_column("Problem")
        for info in snap.transcripts:
            table.add_column(Text(plain(info.label, 30)))
        for problem in snap.assignment.problems:
            cells = [summary_cell(summarize(snap, t.id, problem.parts)) for t in snap.transcripts]
            table.add_row(Text(plain(f"{problem.number}. {problem.title}", 40)), *cells)
        totals = [summary_cell(summarize(snap, t.id)) for t in snap.transcripts]
        table.add_row(Text("Total", style="bold"), *totals)
        table.focus()

    def action_back(self) -> None:
        """Back to grading."""
        self.dismiss(None)

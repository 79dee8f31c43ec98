"""The statistics screen: verdicts per transcript and problem as bar charts, the comparison."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from hwreview.model import GRADED_VERDICTS, Verdict
from hwreview.report.comparison import paired_words
from hwreview.report.model import Report, build_report
from hwreview.report.summary import VERDICT_LABELS
from hwreview.session.data import SessionSnapshot
from hwreview.stats import percent
from hwreview.tui.text import plain
from hwreview.tui.widgets.footer import Footer
from hwreview.tui.widgets.header import Header

BAR_WIDTH = 30
COLOURS = {
    Verdict.CORRECT: "green",
    Verdict.PARTIAL: "yellow",
    Verdict.INCORRECT: "red",
    Verdict.OMITTED: "magenta",
    Verdict.AMBIGUOUS: "cyan",
}


def bar(value: float, top: float, width: int = BAR_WIDTH) -> str:
    """A bar of block characters for value out of top (eighths of a cell for precision)."""
    if top <= 0 or value <= 0:
        return ""
    eighths = round(8 * width * min(value, top) / top)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("" if not rest else " ▏▎▍▌▋▊▉"[rest])


def chart_text(report: Report) -> Text:
    """Every chart of the screen as one Text (also what the tests read)."""
    out = Text()
    snap = report.snapshot
    width = max((len(plain(i.label, 24)) for i in report.transcripts), default=8) + 2
    parts = len(snap.assignment.parts)
    out.append("Verdicts per transcript\n", style="bold")
    for info in report.transcripts:
        summary = report.summaries[info.id]
        out.append(f"  {plain(info.label, 24)}\n")
        for verdict in GRADED_VERDICTS:
            count = summary.counts[verdict]
            if not count:
                continue
            label = f"{verdict.symbol} {VERDICT_LABELS[verdict]}"
            out.append(f"    {label:<20}")
            out.append(f"{bar(count, parts):<{BAR_WIDTH}}", style=COLOURS[verdict])
            out.append(f" {count}  ({percent(count, summary.graded)})\n")
        ungraded = summary.counts[Verdict.UNGRADED]
        if ungraded:
            out.append(f"    {'· Not yet graded':<20}{'':<{BAR_WIDTH}} {ungraded}\n", style="dim")
    out.append("\nFully correct per problem\n", style="bold")
    for group in report.by_problem:
        out.append(f"  Problem {plain(group.name, 60)}\n")
        for info in report.transcripts:
            s = group.summaries[info.id]
            share = s.correct / s.graded if s.graded else 0.0
            out.append(f"    {plain(info.label, 24):<{width}}")
            out.append(f"{bar(share, 1.0):<{BAR_WIDTH}}", style="green")
            out.append(f" {s.correct}/{s.graded}" if s.graded else " not graded", style="")
            out.append("\n")
    for pair in report.pairs:
        a, b = plain(pair.first.label, 24), plain(pair.second.label, 24)
        out.append(f"\n{a} vs {b}\n", style="bold")
        if pair.paired:
            out.append("  " + paired_words(a, b, pair.comparison) + "\n")
        counts = pair.preference_counts
        if pair.judged:
            top = max(counts.values())
            words = {
                "first": f"{a} better",
                "second": f"{b} better",
                "tie": "Tie",
                "neither": "Both wrong",
                "none": "Not compared",
            }
            for choice, name in words.items():
                out.append(f"    {name:<{max(width, 14) + 8}}")
                out.append(f"{bar(counts[choice], top):<{BAR_WIDTH}}", style="blue")
                out.append(f" {counts[choice]}\n")
        else:
            out.append("  No preferences recorded (w on the review screen).\n", style="dim")
    if report.errata:
        out.append(f"\nKey flagged on {len(report.errata)} part(s): ", style="bold")
        out.append(", ".join(part.id for part, _ in report.errata) + "\n")
    return out


class StatsScreen(Screen[None]):
    """Bar charts of a session's verdicts, the paired comparison and the preference counts."""

    BINDINGS = [Binding("escape,S", "back", "Back")]

    @dataclass
    class Built(Message):
        """A worker computed the report model and drew the charts."""

        report: Report
        charts: Text

    def __init__(self, snapshot: SessionSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        """The charts in a scrolling pane."""
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static("Computing the statistics…", id="charts", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Title the screen; a worker computes the numbers from the snapshot taken on opening."""
        self.title = f"{plain(self.snapshot.name)} · statistics"
        self.query_one("#stats").focus()
        self._build(self.snapshot)

    @work(thread=True, exclusive=True, exit_on_error=False, group="io-stats")
    def _build(self, snapshot: SessionSnapshot) -> None:
        """Worker: the report model and the charts drawn from it."""
        report = build_report(snapshot)
        self.post_message(self.Built(report, chart_text(report)))

    @on(Built)
    def _built(self, message: Built) -> None:
        self.report = message.report
        self.query_one("#charts", Static).update(message.charts)

    def action_back(self) -> None:
        """Back to grading."""
        self.dismiss(None)

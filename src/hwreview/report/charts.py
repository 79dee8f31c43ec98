"""Charts as Mermaid blocks, each followed by a plain table of the same numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hwreview.model import GRADED_VERDICTS
from hwreview.report.comparison import accuracy_table
from hwreview.report.model import Report
from hwreview.report.summary import VERDICT_LABELS
from hwreview.report.text import cell

_UNSAFE = re.compile(r"[^\w .,:+/()✓◐✗∅?·-]")


def mermaid_text(text: str, limit: int = 40) -> str:
    """Untrusted text for a quoted Mermaid string: no quotes, brackets, or directives."""
    clean = " ".join(_UNSAFE.sub(" ", text).split())
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


@dataclass(frozen=True)
class BarChart:
    """One bar chart's data, drawn as Mermaid in Markdown and as SVG in HTML.

    `categories` name each bar in full (with the transcript's label when there are several:
    untrusted text, each output escapes it for itself); `items` name it without the
    transcript, whose bar colour and the chart's `legend` say it (`series` is its index).
    """

    title: str  # the report's own words, never the session's
    categories: tuple[str, ...]
    items: tuple[str, ...]
    y_label: str
    top: float
    values: tuple[float, ...]
    series: tuple[int, ...]
    legend: tuple[str, ...]


def mermaid_lines(chart: BarChart) -> list[str]:
    """The chart as a Mermaid block (followed by an empty line)."""
    return ["```mermaid", *mermaid_source(chart).splitlines(), "```", ""]


def mermaid_source(chart: BarChart) -> str:
    """The text inside the chart's Mermaid block (how the HTML report finds the block again)."""
    names = ", ".join(f'"{mermaid_text(c)}"' for c in chart.categories)
    numbers = ", ".join(f"{v:g}" for v in chart.values)
    return "\n".join(
        [
            "xychart-beta horizontal",
            f'    title "{chart.title}"',
            f"    x-axis [{names}]",
            f'    y-axis "{chart.y_label}" 0 --> {chart.top:g}',
            f"    bar [{numbers}]",
            "",
        ]
    )


def verdict_bars(report: Report) -> BarChart | None:
    """How many parts got each verdict, per transcript (None before any grade)."""
    infos = report.transcripts
    verdicts = [v for v in GRADED_VERDICTS if any(report.summaries[i.id].counts[v] for i in infos)]
    if not verdicts:
        return None
    many = len(infos) > 1
    categories, items, values, series = [], [], [], []
    for index, info in enumerate(infos):
        for verdict in verdicts:
            name = f"{verdict.symbol} {VERDICT_LABELS[verdict]}"
            categories.append(f"{info.label} {name}" if many else name)
            items.append(name)
            values.append(float(report.summaries[info.id].counts[verdict]))
            series.append(index)
    top = max(len(report.snapshot.assignment.parts), 1)
    legend = tuple(i.label for i in infos)
    return BarChart(
        "Verdicts",
        tuple(categories),
        tuple(items),
        "Parts",
        top,
        tuple(values),
        tuple(series),
        legend,
    )


def problem_bars(report: Report) -> BarChart | None:
    """The share of each problem's graded parts fully correct, per transcript (None: all 0)."""
    infos = report.transcripts
    many = len(infos) > 1
    categories, items, values, series = [], [], [], []
    for group in report.by_problem:
        problem = group.name.split(".", 1)[0]
        for index, info in enumerate(infos):
            s = group.summaries[info.id]
            categories.append(f"P{problem} {info.label}" if many else f"Problem {problem}")
            items.append(f"Problem {problem}")
            values.append(float(round(100 * s.correct / s.graded) if s.graded else 0))
            series.append(index)
    if not any(values):
        return None
    legend = tuple(i.label for i in infos)
    title = "Fully correct per problem (%)"
    return BarChart(
        title,
        tuple(categories),
        tuple(items),
        "% correct",
        100,
        tuple(values),
        tuple(series),
        legend,
    )


def report_charts(report: Report) -> list[BarChart]:
    """Every chart of the report, in the order the report shows them."""
    return [c for c in (verdict_bars(report), problem_bars(report)) if c is not None]


def verdict_chart(report: Report) -> list[str]:
    """How many parts got each verdict, per transcript: a bar chart and its table."""
    chart = verdict_bars(report)
    if chart is None:
        return []
    infos = report.transcripts
    verdicts = [v for v in GRADED_VERDICTS if any(report.summaries[i.id].counts[v] for i in infos)]
    lines = ["### Verdicts\n", *mermaid_lines(chart)]
    lines.append("| Verdict | " + " | ".join(cell(i.label) for i in infos) + " |")
    lines.append("|---|" + "---:|" * len(infos))
    for verdict in verdicts:
        counts = " | ".join(str(report.summaries[i.id].counts[verdict]) for i in infos)
        lines.append(f"| {verdict.symbol} {VERDICT_LABELS[verdict]} | {counts} |")
    return [*lines, ""]


def problem_chart(report: Report) -> list[str]:
    """The share of each problem's graded parts that are fully correct, per transcript."""
    chart = problem_bars(report)
    lines = ["## Accuracy by problem\n"]
    if chart is not None:
        lines += mermaid_lines(chart)
    lines.append("Fully correct parts of those graded in each problem, and the points awarded.\n")
    lines += accuracy_table(report, report.by_problem, "Problem")
    return lines

"""Charts as Mermaid blocks, each followed by a plain table of the same numbers."""

from __future__ import annotations

import re
from collections.abc import Sequence

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


def _xychart(
    title: str, categories: list[str], y_label: str, top: float, values: Sequence[float]
) -> list[str]:
    names = ", ".join(f'"{mermaid_text(c)}"' for c in categories)
    numbers = ", ".join(f"{v:g}" for v in values)
    return [
        "```mermaid",
        "xychart-beta horizontal",
        f'    title "{title}"',  # the report's own words, never the session's
        f"    x-axis [{names}]",
        f'    y-axis "{y_label}" 0 --> {top:g}',
        f"    bar [{numbers}]",
        "```",
        "",
    ]


def verdict_chart(report: Report) -> list[str]:
    """How many parts got each verdict, per transcript: a bar chart and its table."""
    infos = report.transcripts
    verdicts = [v for v in GRADED_VERDICTS if any(report.summaries[i.id].counts[v] for i in infos)]
    if not verdicts:
        return []
    many = len(infos) > 1
    categories, values = [], []
    for info in infos:
        for verdict in verdicts:
            name = f"{verdict.symbol} {VERDICT_LABELS[verdict]}"
            categories.append(f"{info.label} {name}" if many else name)
            values.append(report.summaries[info.id].counts[verdict])
    top = max(len(report.snapshot.assignment.parts), 1)
    lines = ["### Verdicts\n", *_xychart("Verdicts", categories, "Parts", top, values)]
    lines.append("| Verdict | " + " | ".join(cell(i.label) for i in infos) + " |")
    lines.append("|---|" + "---:|" * len(infos))
    for verdict in verdicts:
        counts = " | ".join(str(report.summaries[i.id].counts[verdict]) for i in infos)
        lines.append(f"| {verdict.symbol} {VERDICT_LABELS[verdict]} | {counts} |")
    return [*lines, ""]


def problem_chart(report: Report) -> list[str]:
    """The share of each problem's graded parts that are fully correct, per transcript."""
    infos = report.transcripts
    many = len(infos) > 1
    categories, values = [], []
    for group in report.by_problem:
        problem = group.name.split(".", 1)[0]
        for info in infos:
            s = group.summaries[info.id]
            categories.append(f"P{problem} {info.label}" if many else f"Problem {problem}")
            values.append(round(100 * s.correct / s.graded) if s.graded else 0)
    lines = ["## Accuracy by problem\n"]
    if any(values):
        lines += _xychart("Fully correct per problem (%)", categories, "% correct", 100, values)
    lines.append("Fully correct parts of those graded in each problem, and the points awarded.\n")
    lines += accuracy_table(report, report.by_problem, "Problem")
    return lines

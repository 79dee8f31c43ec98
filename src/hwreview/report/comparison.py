"""Markdown sections comparing transcripts: paired analysis in words, preferences, errata, accuracy."""

from __future__ import annotations

from hwreview.model import Verdict
from hwreview.report.model import GroupAccuracy, PairAnalysis, Report
from hwreview.report.summary import VERDICT_LABELS, Comparison
from hwreview.report.text import cell, one_line, user_markdown
from hwreview.stats import percent

CHOICE_WORDS = {"tie": "Tie", "neither": "Both wrong", "none": "Not compared"}


def _parts(n: int) -> str:
    return f"{n} part" if n == 1 else f"{n} parts"


def paired_words(first: str, second: str, c: Comparison) -> str:
    """The paired comparison in plain words, the larger side first (names given ready to print)."""
    paired = c.both_correct + c.only_first + c.only_second + c.neither
    if not paired:
        return f"No part is graded for both {first} and {second} yet."
    if c.only_first == c.only_second == 0:
        return (
            f"{first} and {second} were fully correct on exactly the same parts "
            f"({c.both_correct} of {paired}): nothing separates them here."
        )
    lead, other, more, fewer = (
        (second, first, c.only_second, c.only_first)
        if c.only_second > c.only_first
        else (first, second, c.only_first, c.only_second)
    )
    head = (
        f"{lead} was fully correct on {_parts(more)} where {other} was not, "
        f"and the reverse on {fewer}"
    )
    if more == fewer:
        return (
            f"{head}; with {paired} parts there is no difference to explain (p = {c.p_value:.3f})."
        )
    if c.p_value < 0.05:
        verdict = "a difference this large is unlikely to be chance alone"
    else:
        verdict = "that difference could be chance"
    return f"{head}; with {paired} parts {verdict} (p = {c.p_value:.3f})."


def _name(pair: PairAnalysis, which: str) -> str:
    info = pair.first if which == "first" else pair.second
    return cell(info.label)


def preference_text(pair: PairAnalysis, choice: str) -> str:
    """A preference choice as a reader says it: "turn-by-turn better", "Tie", "Both wrong"."""
    if choice in ("first", "second"):
        return f"{_name(pair, choice)} better"
    return CHOICE_WORDS[choice]


def strategy_comparison(report: Report) -> list[str]:
    """The write-ups' comparison: per problem, each part's two verdicts and the preference."""
    pairs = [p for i, p in enumerate(report.pairs) if i == 0 or p.judged]
    if not pairs:
        return []
    lines = ["## Strategy comparison\n"]
    for pair in pairs:
        a, b = _name(pair, "first"), _name(pair, "second")
        if len(pairs) > 1:
            lines.append(f"### {one_line(pair.first.label)} vs {one_line(pair.second.label)}\n")
        counts = pair.preference_counts
        lines += ["| Preference | Parts |", "|---|---:|"]
        for choice in ("first", "second", "tie", "neither", "none"):
            lines.append(f"| {preference_text(pair, choice)} | {counts[choice]} |")
        lines.append("")
        aspects = pair.aspect_counts
        if aspects:
            lines.append(
                "What the preferences turned on: "
                + ", ".join(f"{name} ({n})" for name, n in aspects.items())
                + ".\n"
            )
        for problem in report.snapshot.assignment.problems:
            ids = {part.id for part in problem.parts}
            rows = [row for row in pair.rows if row.part.id in ids]
            heading = f"Problem {problem.number}" + (
                f": {one_line(problem.title)}" if problem.title else ""
            )
            lines.append(f"**{heading}**\n")
            lines += [f"| Part | {a} | {b} | Preferred | Why |", "|---|---|---|---|---|"]
            for row in rows:
                pref = row.preference
                why = cell(pref.reason) if pref and pref.reason else ""
                if pref and pref.aspects:
                    why = (why + " " if why else "") + f"({', '.join(pref.aspects)})"
                lines.append(
                    f"| {row.part.id} | {_verdict(row.first)} | {_verdict(row.second)} | "
                    f"{preference_text(pair, pref.choice) if pref else '—'} | {why} |"
                )
            lines.append("")
    return lines


def _verdict(verdict: Verdict) -> str:
    return f"{verdict.symbol} {VERDICT_LABELS[verdict]}"


def errata_section(report: Report) -> list[str]:
    """ "Possible errors in the answer key": every part a grader flagged, with the note."""
    if not report.errata:
        return []
    lines = ["## Possible errors in the answer key\n"]
    lines.append(
        "The grader flagged these parts of the official key as wrong or incomplete. "
        "Read their verdicts with the note in mind.\n"
    )
    for part, item in report.errata:
        kind = "Wrong" if item.kind == "wrong" else "Incomplete"
        lines.append(f"- **{part.id}** ({kind}): {user_markdown(item.note, 4)}")
    return [*lines, ""]


def accuracy_table(report: Report, groups: tuple[GroupAccuracy, ...], head: str) -> list[str]:
    """One row per group: each transcript's fully-correct share, and points where the key has them."""
    infos = report.transcripts
    with_points = any(s.points_possible is not None for g in groups for s in g.summaries.values())
    columns = [cell(i.label) for i in infos]
    if with_points:
        columns += [f"{cell(i.label)} points" for i in infos]
    lines = [f"| {head} | Parts | " + " | ".join(columns) + " |"]
    lines.append("|---|---:|" + "---:|" * len(columns))
    for group in groups:
        values = []
        for info in infos:
            s = group.summaries[info.id]
            values.append(
                f"{s.correct}/{s.graded} ({percent(s.correct, s.graded)})" if s.graded else "—"
            )
        if with_points:
            for info in infos:
                s = group.summaries[info.id]
                values.append(
                    f"{s.points_awarded:g}/{s.points_possible:g}"
                    if s.points_possible is not None and s.graded
                    else "—"
                )
        lines.append(f"| {cell(group.name)} | {len(group.parts)} | " + " | ".join(values) + " |")
    return [*lines, ""]


def tag_accuracy(report: Report) -> list[str]:
    """Accuracy over the parts carrying each tag of the key (nothing when the key has none)."""
    if not report.by_tag:
        return []
    return [
        "## Accuracy by key tag\n",
        "Fully correct parts of those graded, over the parts the key gives each tag.\n",
        *accuracy_table(report, report.by_tag, "Key tag"),
    ]


def first_try_lines(report: Report) -> list[str]:
    """First-try against final accuracy per transcript, when some part needed a follow-up."""
    known = [ft for ft in report.first_try.values() if ft is not None]
    if not any(ft.with_followups for ft in known):
        return []  # the two accuracies are the same: nothing to add
    lines = []
    for info in report.transcripts:
        ft = report.first_try.get(info.id)
        if ft is None or not ft.graded:
            continue
        lines.append(
            f"- {cell(info.label)}: fully correct on the first try on {ft.first_correct} of "
            f"{ft.graded} parts ({percent(ft.first_correct, ft.graded)}), finally on "
            f"{ft.final_correct} ({percent(ft.final_correct, ft.graded)}); "
            f"{_parts(ft.with_followups)} answered after a follow-up."
        )
    if not lines:
        return []
    return ["### First try and after follow-ups\n", *lines, ""]

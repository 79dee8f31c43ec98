"""Pure report functions: a session snapshot in, Markdown, JSON, CSV or HTML text out."""

from __future__ import annotations

from collections.abc import Callable

from hwreview.model import GRADED_VERDICTS, Part, TranscriptInfo, Verdict
from hwreview.render.sanitize import clean_deep
from hwreview.report.charts import problem_chart, verdict_chart
from hwreview.report.comparison import (
    errata_section,
    first_try_lines,
    paired_words,
    strategy_comparison,
    tag_accuracy,
)
from hwreview.report.data import csv_report, json_report
from hwreview.report.judge import judge_section
from hwreview.report.model import Report, build_report
from hwreview.report.summary import VERDICT_LABELS, Summary, awarded_points, excerpt
from hwreview.report.text import (
    blockquote,
    cell,
    code,
    one_line,
    shorten,
    shorten_sentences,
    user_markdown,
)
from hwreview.session.data import SessionSnapshot
from hwreview.stats import percent

REPORT_FORMATS = ("markdown", "json", "csv", "html")
TABLE_EXCERPT = 90
ANALYSIS_EXCERPT = 600
ANALYSIS_KEY = 4000  # the key is the instructor's own text: quoted whole unless very long


__all__ = ["REPORT_FORMATS", "cell", "csv_report", "json_report", "markdown_report", "render"]


def render(snapshot: SessionSnapshot, fmt: str) -> str:
    """The report in one of REPORT_FORMATS."""
    if fmt in ("markdown", "md"):
        return markdown_report(snapshot)
    if fmt == "json":
        return json_report(snapshot)  # json.dumps escapes control characters itself
    if fmt == "csv":
        return csv_report(snapshot)
    if fmt == "html":
        from hwreview.report.html import html_report

        return html_report(snapshot)
    raise ValueError(f"unknown report format {fmt!r}")


def status_text(verdict: Verdict) -> str:
    """A verdict as shown in reports: symbol and label."""
    return f"{verdict.symbol} {VERDICT_LABELS[verdict]}"


def _quote(text: str) -> str:
    return blockquote(text)


def _transcript_name(info: TranscriptInfo) -> str:
    name = f"{info.label} ({info.model})" if info.model and info.model != info.label else info.label
    return one_line(name).replace("*", "\\*")


def markdown_report(snapshot: SessionSnapshot) -> str:
    """The full GitHub-flavoured Markdown report (every string cleaned before assembly)."""
    snapshot = clean_deep(snapshot)
    out: list[str] = []
    assignment = snapshot.assignment
    report = build_report(snapshot)
    out.append(f"# {one_line(assignment.title)} — LLM evaluation report\n")
    out.extend(_metadata_table(snapshot))
    out.append("## Overall summary\n")
    many = len(snapshot.transcripts) > 1
    for info in snapshot.transcripts:
        if many:
            out.append(f"### {_transcript_name(info)}\n")
        out.extend(_summary_table(report.summaries[info.id]))
    if many:
        out.extend(_side_by_side(report))
    out.extend(first_try_lines(report))
    out.extend(verdict_chart(report))
    out.extend(strategy_comparison(report))
    for problem, group in zip(assignment.problems, report.by_problem, strict=True):
        title = f"Problem {problem.number}" + (
            f": {one_line(problem.title)}" if problem.title else ""
        )
        out.append(f"## {title}\n")
        for info in snapshot.transcripts:
            if many:
                out.append(f"**{_transcript_name(info)}**\n")
            out.extend(_problem_table(snapshot, problem.parts, info, group.summaries[info.id]))
    out.extend(problem_chart(report))
    out.extend(tag_accuracy(report))
    out.extend(_error_analysis(snapshot))
    out.extend(_tag_breakdown(snapshot))
    out.extend(errata_section(report))
    out.extend(judge_section(snapshot))
    out.append("## Key findings\n")
    out.append((user_markdown(snapshot.findings) or "_No key findings recorded yet._") + "\n")
    out.append("## Conclusion\n")
    out.append((user_markdown(snapshot.conclusion) or "_No conclusion recorded yet._") + "\n")
    return "\n".join(out).rstrip() + "\n"


def _metadata_table(snapshot: SessionSnapshot) -> list[str]:
    a = snapshot.assignment
    key = key_display(snapshot.key_path)
    if snapshot.key_sha256:
        key += f" (sha256 {code(snapshot.key_sha256[:12])})"
    rows = [("Answer key", key)]
    if a.course:
        rows.append(("Course", cell(a.course)))
    if a.assignment:
        rows.append(("Assignment", cell(a.assignment)))
    for info in snapshot.transcripts:
        strategy = info.transcript.strategy or "not stated"
        model = info.model or "unknown model"
        rows.append((cell(f"Transcript {info.label}"), cell(f"{model}, strategy: {strategy}")))
    rows.append(("Grader", cell(snapshot.grader) or "(not recorded)"))
    rows.append(("Date", cell((snapshot.updated or snapshot.created)[:10]) or "(unknown)"))
    rows.append(("Session", cell(snapshot.name)))
    lines = ["| Field | Value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return [*lines, ""]


BUNDLED_PREFIX = "hwreview:"


def key_display(key_path: str) -> str:
    """The answer key's path for a reader: a bundled demo file is named as such."""
    if not key_path:
        return "(not recorded)"
    if key_path.startswith(BUNDLED_PREFIX):
        name = key_path.removeprefix(BUNDLED_PREFIX).rsplit("/", 1)[-1]
        return f"{code(name)} (the demo key bundled with hwreview)"
    return code(key_path)


def _summary_table(summary: Summary) -> list[str]:
    lines = ["| Metric | Count | Percentage |", "|---|---:|---:|"]
    lines.append(
        f"| Parts analyzed | {summary.graded} of {summary.total} | "
        f"{percent(summary.graded, summary.total)} |"
    )
    for verdict in GRADED_VERDICTS:
        count = summary.counts[verdict]
        lines.append(f"| {VERDICT_LABELS[verdict]} | {count} | {percent(count, summary.graded)} |")
    ungraded = summary.counts[Verdict.UNGRADED]
    if ungraded:
        lines.append(f"| Not yet graded | {ungraded} | — |")
    if summary.points_possible is not None:
        lines.append(
            f"| Points | {summary.points_awarded:g} of {summary.points_possible:g} | "
            f"{percent(summary.points_awarded or 0, summary.points_possible)} |"
        )
    lines.append("")
    if summary.graded:
        low, high = summary.accuracy_interval
        lines.append(
            f"Fully correct: {summary.correct} of {summary.graded} graded parts "
            f"({percent(summary.correct, summary.graded)}; 95% Wilson interval "
            f"{100 * low:.1f}%–{100 * high:.1f}%).\n"
        )
    if summary.points_unscored:
        lines.append(
            "Not scored yet: "
            + ", ".join(summary.points_unscored)
            + " (partial or ambiguous with no points given); their points count in the total "
            "possible and none are awarded until they are scored.\n"
        )
    return lines


def _problem_table(
    snapshot: SessionSnapshot, parts: tuple[Part, ...], info: TranscriptInfo, subtotal: Summary
) -> list[str]:
    lines = ["| Part | Key result | LLM answer | Status |", "|---|---|---|---|"]
    notes: list[str] = []
    for part in parts:
        grade = snapshot.grade(part.id, info.id)
        answer = excerpt(info, part.id, TABLE_EXCERPT) or "_(no answer found)_"
        status = status_text(grade.verdict)
        if grade.points is not None or (part.points is not None and grade.verdict.graded):
            value = awarded_points(part, grade)
            if value is not None and part.points is not None:
                status += f" ({value:g}/{part.points:g})"
        if grade.recheck:
            status += f" (to re-check: the {grade.recheck} changed)"
        name = f"{part.label} {part.title}".strip()
        lines.append(
            f"| {cell(name)} | {cell(shorten(part.short_result, 120))} | {cell(answer)} | {status} |"
        )
        if grade.note:
            notes.append(f"- **{part.label}** {one_line(grade.note)}")
        if grade.rubric:
            notes.append(f"- **{part.label}** rubric: {rubric_text(snapshot, grade.rubric)}")
    lines.append("")
    if subtotal.points_possible is not None and subtotal.graded:
        lines.append(
            f"Points: {subtotal.points_text()} "
            f"({percent(subtotal.points_awarded or 0, subtotal.points_possible)}).\n"
        )
    if notes:
        lines += ["Notes:", "", *notes, ""]
    return lines


def rubric_text(snapshot: SessionSnapshot, item_ids: tuple[str, ...]) -> str:
    """The rubric items applied to a grade, as `Units missing (-1); Right method (+1)`."""
    items = {i.id: i for i in snapshot.rubric}
    return "; ".join(
        f"{one_line(items[i].text)} ({items[i].effect})" if i in items else code(i)
        for i in item_ids
    )


REPLY_FINISH = {
    "length": "(the model's reply was cut off at the token limit)",
    "empty": "(the model's reply was empty)",
    "error": "(the model did not reply)",
}


def _error_analysis(snapshot: SessionSnapshot) -> list[str]:
    lines = ["## Error analysis\n"]
    found = False
    many = len(snapshot.transcripts) > 1
    for part in snapshot.assignment.parts:
        for info in snapshot.transcripts:
            grade = snapshot.grade(part.id, info.id)
            if grade.verdict in (Verdict.CORRECT, Verdict.UNGRADED):
                continue
            found = True
            who = f" ({one_line(info.label)})" if many else ""
            lines.append(f"### {part.id}{who}: {status_text(grade.verdict)}\n")
            answer = shorten_sentences(info.answer(part.id), ANALYSIS_EXCERPT)
            lines.append("**LLM's answer:**\n")
            lines.append(
                (_quote(answer) if answer else "_(no answer found in the transcript)_") + "\n"
            )
            finish = info.transcript.reply_finish(part.id)
            if finish:
                lines.append(f"_{REPLY_FINISH[finish]}_\n")
            lines.append("**Correct answer:**\n")
            lines.append(_quote(shorten_sentences(part.answer_key, ANALYSIS_KEY)) + "\n")
            tags = ", ".join(grade.tags) if grade.tags else "none"
            lines.append(f"**Error tags:** {tags}\n")
            if grade.rubric:
                lines.append(f"**Rubric:** {rubric_text(snapshot, grade.rubric)}\n")
            lines.append(
                "**What went wrong:** " + (user_markdown(grade.note, 4) or "_(no note)_") + "\n"
            )
    if not found:
        lines.append("Every graded part is correct.\n")
    ungraded = [
        f"{p.id}" + (f" ({one_line(i.label)})" if many else "")
        for p in snapshot.assignment.parts
        for i in snapshot.transcripts
        if not snapshot.grade(p.id, i.id).verdict.graded
    ]
    if ungraded:
        lines.append("Not yet graded: " + ", ".join(ungraded) + ".\n")
    return lines


def _tag_breakdown(snapshot: SessionSnapshot) -> list[str]:
    lines = ["## Error tags\n"]
    rows: dict[str, dict[str, list[str]]] = {}
    for part in snapshot.assignment.parts:
        for info in snapshot.transcripts:
            for tag in snapshot.grade(part.id, info.id).tags:
                rows.setdefault(tag, {}).setdefault(info.id, []).append(part.id)
    if not rows:
        return [*lines, "No error tags recorded.\n"]
    many = len(snapshot.transcripts) > 1
    if many:
        head = "| Tag | " + " | ".join(cell(t.label) for t in snapshot.transcripts) + " | Parts |"
        lines += [head, "|---|" + "---:|" * len(snapshot.transcripts) + "---|"]
    else:
        lines += ["| Tag | Count | Parts |", "|---|---:|---|"]
    order = sorted(rows, key=lambda t: (-sum(len(v) for v in rows[t].values()), t))
    for tag in order:
        per = rows[tag]
        parts = sorted({p for ids in per.values() for p in ids}, key=_part_order(snapshot))
        counts = " | ".join(str(len(per.get(t.id, []))) for t in snapshot.transcripts)
        lines.append(f"| {cell(tag)} | {counts} | {', '.join(parts)} |")
    return [*lines, ""]


def _part_order(snapshot: SessionSnapshot) -> Callable[[str], int]:
    order = {p.id: i for i, p in enumerate(snapshot.assignment.parts)}
    return lambda pid: order.get(pid, 0)


def _side_by_side(report: Report) -> list[str]:
    snapshot = report.snapshot
    infos = snapshot.transcripts
    lines = ["### Side by side\n"]
    lines.append("| Part | " + " | ".join(cell(i.label) for i in infos) + " |")
    lines.append("|---|" + "---|" * len(infos))
    for part in snapshot.assignment.parts:
        verdicts = [snapshot.grade(part.id, i.id).verdict for i in infos]
        lines.append(f"| {part.id} | " + " | ".join(status_text(v) for v in verdicts) + " |")
    lines.append("")
    for pair in report.pairs:
        c = pair.comparison
        if not pair.paired:
            continue
        a, b = cell(pair.first.label), cell(pair.second.label)
        lines.append(paired_words(a, b, c) + "\n")
        lines.append(
            f"In detail: on the {pair.paired} parts graded in both, {a} and {b} are both fully "
            f"correct on {c.both_correct}; only {a} on {c.only_first}; only {b} on "
            f"{c.only_second}; neither on {c.neither} (exact McNemar p = {c.p_value:.3f}).\n"
        )
    return lines

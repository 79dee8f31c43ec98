"""Statistics across sessions as Markdown, JSON or CSV (pure functions of an `Across`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from hwreview.analysis.across import Across, KeyGroup, Tally
from hwreview.analysis.agreement import Agreement
from hwreview.model import VERDICT_SYMBOLS
from hwreview.report.text import cell, defuse_formula, strip_controls
from hwreview.stats import percent

STATS_FORMATS = ("markdown", "json", "csv")
TOP_TAGS = 3


def render_stats(across: Across, fmt: str) -> str:
    """The statistics in one of STATS_FORMATS."""
    if fmt == "markdown":
        return strip_controls(markdown(across))
    if fmt == "json":
        return json.dumps(data(across), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return csv_text(across)
    raise ValueError(f"unknown statistics format {fmt!r}")


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _share(correct: int, total: int) -> str:
    return f"{correct}/{total} ({percent(correct, total)})" if total else "—"


def _ci(interval: tuple[float, float], total: int) -> str:
    return f"{100 * interval[0]:.1f}%–{100 * interval[1]:.1f}%" if total else "—"


def markdown(across: Across) -> str:
    """The statistics as a Markdown document."""
    out = [f"# Statistics over {across.read} session{'s' if across.read != 1 else ''}\n"]
    if len(across.keys) > 1:
        out.append(
            f"These sessions use {len(across.keys)} different answer keys: each key has its own "
            "section below, and only the last section puts keys together.\n"
        )
    if across.skipped:
        out.append(f"Skipped {len(across.skipped)} file(s) that could not be read:\n")
        out += [f"- {cell(line)}" for line in across.skipped] + [""]
    for group in across.keys.values():
        out += _key_section(group)
    if len(across.keys) > 1:
        out += _class_section(across)
    return "\n".join(out).rstrip() + "\n"


def _key_section(group: KeyGroup) -> list[str]:
    out = [
        f"## {cell(group.title)} (key sha256 {group.sha256[:12]})\n",
        f"{group.sessions} session(s), {len(group.gradings)} distinct transcript(s).\n",
    ]
    agreements = group.agreements()
    if agreements:
        out += _agreement_lines(agreements)
    out += ["### Models and strategies\n", *_tally_table(group.by_strategy, keys=False)]
    out += ["### Per-part difficulty\n", "| Part | Fully correct | Share |", "|---|---:|---:|"]
    for pid, correct, graded in group.difficulty():
        out.append(f"| {pid} | {correct} of {graded} | {percent(correct, graded)} |")
    out.append("")
    separating = group.separating()
    if separating:
        strategies = sorted({s for _, shares in separating for s in shares})
        out += ["### Parts that separate strategies most\n"]
        out.append("| Part | " + " | ".join(cell(s) for s in strategies) + " | Spread |")
        out.append("|---|" + "---:|" * (len(strategies) + 1))
        for pid, shares in separating:
            values = " | ".join(
                f"{100 * shares[s]:.0f}%" if s in shares else "—" for s in strategies
            )
            spread = max(shares.values()) - min(shares.values())
            out.append(f"| {pid} | {values} | {100 * spread:.0f} points |")
        out.append("")
    return out


def _agreement_lines(agreements: list[Agreement]) -> list[str]:
    out = ["### Graders' agreement\n"]
    out.append(
        "| Transcript | Graders | Parts graded by all | Same verdict | Cohen's κ | "
        "Weighted κ | Krippendorff's α |"
    )
    out.append("|---|---|---:|---:|---:|---:|---:|")
    for a in agreements:
        graders = ", ".join(g.grader or g.session for g in a.gradings)
        same = f"{100 * a.percent:.1f}%" if a.percent is not None else "—"
        out.append(
            f"| {cell(a.transcript)} | {cell(graders)} | {a.parts} | {same} | {_num(a.kappa)} | "
            f"{_num(a.weighted_kappa)} | {_num(a.alpha)} |"
        )
    out.append("")
    rows = [(a, d) for a in agreements for d in a.disagreements]
    if rows:
        out += ["Disagreements:\n", "| Transcript | Part | Verdicts |", "|---|---|---|"]
        for a, d in rows:
            verdicts = "; ".join(
                f"{cell(g.grader or g.session)}: {VERDICT_SYMBOLS[v]} {v.value}"
                for g, v in zip(a.gradings, d.verdicts, strict=True)
            )
            out.append(f"| {cell(a.transcript)} | {d.part_id} | {verdicts} |")
        out.append("")
    return out


def _tally_table(tallies: dict[tuple[str, str], Tally], keys: bool) -> list[str]:
    head = "| Model | Strategy | Transcripts |" + (" Keys |" if keys else "")
    head += " Fully correct | 95% interval | First try | 95% interval |"
    out = [head, "|---|---|---:|" + ("---:|" if keys else "") + "---:|---|---:|---|"]
    for (model, strategy), t in sorted(tallies.items()):
        row = f"| {cell(model)} | {cell(strategy)} | {t.transcripts} |"
        if keys:
            row += f" {len(t.keys)} |"
        row += (
            f" {_share(t.correct, t.graded)} | {_ci(t.interval, t.graded)} |"
            f" {_share(t.first_correct, t.first_graded)} | {_ci(t.first_interval, t.first_graded)} |"
        )
        out.append(row)
    return [*out, ""]


def _class_section(across: Across) -> list[str]:
    out = ["## Whole class: every key together\n", *_tally_table(across.overall, keys=True)]
    out += ["### Common failure modes\n", "| Model | Most frequent error tags |", "|---|---|"]
    for model, counter in sorted(across.tags.items()):
        top = ", ".join(f"{cell(tag)} ({n})" for tag, n in counter.most_common(TOP_TAGS)) or "none"
        out.append(f"| {cell(model)} | {top} |")
    return [*out, ""]


# ------------------------------------------------------------------------ JSON and CSV


def _tally_data(model: str, strategy: str, t: Tally) -> dict[str, object]:
    return {
        "model": model,
        "strategy": strategy,
        "transcripts": t.transcripts,
        "keys": len(t.keys),
        "correct": t.correct,
        "graded": t.graded,
        "accuracy_ci95": [round(x, 4) for x in t.interval] if t.graded else None,
        "first_try_correct": t.first_correct,
        "first_try_graded": t.first_graded,
        "first_try_ci95": [round(x, 4) for x in t.first_interval] if t.first_graded else None,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def data(across: Across) -> dict[str, object]:
    """The statistics as plain data (what --format json writes)."""
    keys = []
    for group in across.keys.values():
        keys.append(
            {
                "sha256": group.sha256,
                "title": group.title,
                "sessions": group.sessions,
                "transcripts": len(group.gradings),
                "agreement": [
                    {
                        "transcript": a.transcript,
                        "graders": [g.grader or g.session for g in a.gradings],
                        "sessions": [g.session for g in a.gradings],
                        "parts": a.parts,
                        "percent": _round(a.percent),
                        "cohen_kappa": _round(a.kappa),
                        "weighted_kappa": _round(a.weighted_kappa),
                        "krippendorff_alpha": _round(a.alpha),
                        "disagreements": [
                            {"part": d.part_id, "verdicts": [v.value for v in d.verdicts]}
                            for d in a.disagreements
                        ],
                    }
                    for a in group.agreements()
                ],
                "strategies": [
                    _tally_data(m, s, t) for (m, s), t in sorted(group.by_strategy.items())
                ],
                "difficulty": [
                    {"part": pid, "correct": c, "graded": g} for pid, c, g in group.difficulty()
                ],
                "separating": [
                    {"part": pid, "shares": {s: round(v, 4) for s, v in shares.items()}}
                    for pid, shares in group.separating()
                ],
            }
        )
    return {
        "format": "hwreview.stats/1",
        "sessions": across.read,
        "skipped": across.skipped,
        "keys": keys,
        "overall": [_tally_data(m, s, t) for (m, s), t in sorted(across.overall.items())],
        "tags": {model: dict(c.most_common()) for model, c in sorted(across.tags.items())},
    }


CSV_COLUMNS = ("section", "key_sha256", "subject", "item", "measure", "value")


def _csv_rows(across: Across) -> Iterator[tuple[object, ...]]:
    for group in across.keys.values():
        for a in group.agreements():
            for name, value in (
                ("percent", a.percent),
                ("cohen_kappa", a.kappa),
                ("weighted_kappa", a.weighted_kappa),
                ("krippendorff_alpha", a.alpha),
            ):
                yield ("agreement", group.sha256, a.transcript, "", name, _round(value))
            for d in a.disagreements:
                verdicts = ";".join(v.value for v in d.verdicts)
                yield ("disagreement", group.sha256, a.transcript, d.part_id, "verdicts", verdicts)
        for (model, strategy), t in sorted(group.by_strategy.items()):
            subject = f"{model} / {strategy}"
            yield ("strategy", group.sha256, subject, "", "correct", t.correct)
            yield ("strategy", group.sha256, subject, "", "graded", t.graded)
        for pid, correct, graded in group.difficulty():
            yield ("difficulty", group.sha256, "", pid, "correct", correct)
            yield ("difficulty", group.sha256, "", pid, "graded", graded)
    for (model, strategy), t in sorted(across.overall.items()):
        subject = f"{model} / {strategy}"
        for name in ("correct", "graded", "first_correct", "first_graded"):
            yield ("overall", "", subject, "", name, getattr(t, name))
    for model, counter in sorted(across.tags.items()):
        for tag, n in counter.most_common():
            yield ("tags", "", model, tag, "count", n)


def csv_text(across: Across) -> str:
    """The statistics as CSV in long form: one measure per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in _csv_rows(across):
        writer.writerow(defuse_formula(strip_controls("" if v is None else str(v))) for v in row)
    return buffer.getvalue()

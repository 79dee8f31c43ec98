"""The report as data: JSON (every number of the report model) and CSV (one row per part)."""

from __future__ import annotations

import csv
import io
import json

from hwreview.model import NOT_FOUND, Alignment, Span, TranscriptInfo
from hwreview.render.sanitize import clean_deep
from hwreview.report.comparison import paired_words
from hwreview.report.model import GroupAccuracy, PairAnalysis, Report, build_report
from hwreview.report.summary import awarded_points, excerpt
from hwreview.report.text import defuse_formula
from hwreview.session.data import SessionSnapshot

REPORT_FORMAT_VERSION = "hwreview.report/1"


def report_data(snapshot: SessionSnapshot, report: Report | None = None) -> dict[str, object]:
    """The report as plain data (what the JSON export writes)."""
    report = report or build_report(snapshot)
    a = snapshot.assignment
    transcripts = []
    for info in snapshot.transcripts:
        parts = []
        for part in a.parts:
            grade = snapshot.grade(part.id, info.id)
            alignment = info.alignments.get(part.id)
            parts.append(
                {
                    "id": part.id,
                    "problem": part.problem,
                    "label": part.label,
                    "title": part.title,
                    "verdict": grade.verdict.value,
                    "points": awarded_points(part, grade)
                    if part.points is not None
                    else grade.points,
                    "max_points": part.points,
                    "tags": list(grade.tags),
                    "rubric": list(grade.rubric),
                    "note": grade.note,
                    "key_result": part.short_result,
                    "excerpt": excerpt(info, part.id),
                    "alignment": alignment.status if alignment else "not found",
                    "seconds": grade.seconds,
                    **{k: v for k, v in alignment_record(info, part.id).items() if k != "status"},
                }
            )
            if finish := info.transcript.reply_finish(part.id):
                parts[-1]["reply"] = finish  # "length" (cut off) or "empty"
        transcripts.append(
            {
                "id": info.id,
                "label": info.label,
                "model": info.model,
                "strategy": info.transcript.strategy,
                "source": info.path or info.transcript.source,
                "summary": report.summaries[info.id].to_json(),
                "first_try": _first_try(report, info.id),
                "parts": parts,
            }
        )
    return {
        "format": REPORT_FORMAT_VERSION,
        "session": {
            "name": snapshot.name,
            "title": a.title,
            "course": a.course,
            "assignment": a.assignment,
            "key": snapshot.key_path,
            "key_sha256": snapshot.key_sha256,
            "grader": snapshot.grader,
            "created": snapshot.created,
            "updated": snapshot.updated,
            "findings": snapshot.findings,
            "conclusion": snapshot.conclusion,
        },
        "rubric": [item.to_json() for item in snapshot.rubric],
        "transcripts": transcripts,
        "comparisons": [_pair_data(pair) for pair in report.pairs],
        "by_problem": [_group_data(g) for g in report.by_problem],
        "by_key_tag": [_group_data(g) for g in report.by_tag],
        "errata": [
            {"part": part.id, "kind": item.kind, "note": item.note, "updated": item.updated}
            for part, item in report.errata
        ],
        **judge_data(snapshot),
    }


def judge_data(snapshot: SessionSnapshot) -> dict[str, object]:
    """The judge-vs-grader figures, present only when a judge was asked."""
    from hwreview.report.judge import judge_agreement

    figures = judge_agreement(snapshot)
    return {"judge": figures.to_json()} if figures is not None else {}


def alignment_record(info: TranscriptInfo, part_id: str) -> dict[str, object]:
    """Where a transcript answers one part, checkable from outside: the full answer text, its
    span, the status and why, the other candidates and every attempt."""
    alignment = info.alignments.get(part_id) or Alignment(part_id, NOT_FOUND)
    transcript = info.transcript

    def where(span: Span) -> dict[str, object]:
        return {**span.to_json(), "answer": transcript.text_of(span)}

    return {
        "status": alignment.status,
        "reason": alignment.reason,
        "manual": alignment.manual,
        "span": alignment.span.to_json() if alignment.span else None,
        "answer": transcript.text_of(alignment.span) if alignment.span else "",
        "first_try": alignment.first_try,
        "followup": alignment.followup,
        "attempts": [where(span) for span in alignment.attempts],
        "alternatives": [{**where(c.span), "reason": c.reason} for c in alignment.alternatives],
    }


def _pair_data(pair: PairAnalysis) -> dict[str, object]:
    c = pair.comparison
    return {
        "first": pair.first.id,
        "second": pair.second.id,
        "paired_parts": pair.paired,
        "both_correct": c.both_correct,
        "only_first": c.only_first,
        "only_second": c.only_second,
        "neither": c.neither,
        "mcnemar_p": round(c.p_value, 4),
        "in_words": paired_words(pair.first.label, pair.second.label, c),
        "preferences": pair.preference_counts,
        "aspects": pair.aspect_counts,
        "parts": [
            {
                "part": row.part.id,
                "first": row.first.value,
                "second": row.second.value,
                "preferred": row.preference.choice if row.preference else None,
                "reason": row.preference.reason if row.preference else "",
                "aspects": list(row.preference.aspects) if row.preference else [],
            }
            for row in pair.rows
        ],
    }


def _group_data(group: GroupAccuracy) -> dict[str, object]:
    return {
        "name": group.name,
        "parts": [p.id for p in group.parts],
        "transcripts": {tid: s.to_json() for tid, s in group.summaries.items()},
    }


def _first_try(report: Report, transcript_id: str) -> dict[str, int] | None:
    ft = report.first_try.get(transcript_id)
    if ft is None:
        return None
    return {
        "first_correct": ft.first_correct,
        "final_correct": ft.final_correct,
        "graded": ft.graded,
        "with_followups": ft.with_followups,
    }


def json_report(snapshot: SessionSnapshot) -> str:
    """The report as indented JSON (strings cleaned first; json.dumps escapes the rest)."""
    return json.dumps(report_data(clean_deep(snapshot)), indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = (
    "session",
    "transcript",
    "label",
    "model",
    "strategy",
    "part",
    "problem",
    "verdict",
    "points",
    "max_points",
    "tags",
    "note",
    "key_result",
    "excerpt",
    "alignment",
    "seconds",
)


def csv_report(snapshot: SessionSnapshot) -> str:
    """One CSV row per (transcript, part); every field cleaned before the csv module quotes it."""
    snapshot = clean_deep(snapshot)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    transcripts = report_data(snapshot)["transcripts"]
    assert isinstance(transcripts, list)
    for t in transcripts:
        for p in t["parts"]:
            writer.writerow(
                defuse_formula(str(value))
                for value in [
                    snapshot.name,
                    t["id"],
                    t["label"],
                    t["model"],
                    t["strategy"],
                    p["id"],
                    p["problem"],
                    p["verdict"],
                    _num(p["points"]),
                    _num(p["max_points"]),
                    ";".join(p["tags"]),
                    p["note"],
                    p["key_result"],
                    p["excerpt"],
                    p["alignment"],
                    _num(p["seconds"]),
                ]
            )
    return buffer.getvalue()


def _num(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

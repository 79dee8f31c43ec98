"""Merging two graders' sessions of the same key and transcripts into a new one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hwreview.errors import HwReviewError
from hwreview.model import Grade, TranscriptInfo
from hwreview.session.data import NewTranscript
from hwreview.session.merged import AGREED, DISAGREED, ONLY_A, ONLY_B, MergedPart
from hwreview.session.session import Session

UNGRADED = "ungraded"  # graded by neither: nothing to keep or record


@dataclass(frozen=True)
class MergeResult:
    """What a merge did: how many (part, transcript) pairs came from each source."""

    name: str
    agreed: int
    one_only: int
    disagreed: int
    ungraded: int


def _identity(info: TranscriptInfo) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    t = info.transcript
    return t.model, t.strategy, tuple((m.role, m.text) for m in t.messages)


def merge_sessions(root: Path, first: str, second: str, name: str) -> MergeResult:
    """Create session NAME from A and B: agreements kept, one-sided grades kept, others pending."""
    with (
        Session.open(root, first, read_only=True) as a,
        Session.open(root, second, read_only=True) as b,
    ):
        if a.key_sha256 != b.key_sha256:
            raise HwReviewError(
                f"{first!r} and {second!r} were graded against different answer keys: "
                "only sessions of the same key can be merged"
            )
        if [_identity(t) for t in a.transcripts] != [_identity(t) for t in b.transcripts]:
            raise HwReviewError(
                f"{first!r} and {second!r} do not hold the same transcripts in the same order"
            )
        entries = [
            NewTranscript(t.transcript, t.label, dict(t.alignments), t.path) for t in a.transcripts
        ]
        sources = [
            {
                "session": s.name,
                "grader": s.grader,
                "updated": s.updated,
            }
            for s in (a, b)
        ]
        graders = " + ".join(src["grader"] or src["session"] for src in sources)
        merged = Session.create(
            root, name, Path(a.key_path or "key.md"), a.key_text, entries, grader=graders
        )
        counts = {AGREED: 0, ONLY_A: 0, ONLY_B: 0, DISAGREED: 0, UNGRADED: 0}
        try:
            with merged.store.batch():
                for tag in (*a.tags, *b.tags):
                    merged.add_tag(tag)
                rows: list[MergedPart] = []
                for info in a.transcripts:
                    for part in a.assignment.parts:
                        ga, gb = a.grade(part.id, info.id), b.grade(part.id, info.id)
                        source, keep = _decide(ga, gb)
                        counts[source] += 1
                        if keep is not None:
                            merged.set_grade(
                                part.id, info.id, verdict=keep.verdict, points=keep.points,
                                tags=keep.tags, note=keep.note,
                            )  # fmt: skip
                        if source != UNGRADED:
                            rows.append(MergedPart(part.id, info.id, source, ga, gb))
                merged.merge.record(sources, rows)
                for item in (*b.judgements.errata().values(), *a.judgements.errata().values()):
                    merged.judgements.set_erratum(item.part_id, item.note, item.kind)
        except BaseException:
            merged.close()
            merged.path.unlink(missing_ok=True)
            raise
        merged.close()
    return MergeResult(
        name,
        counts[AGREED],
        counts[ONLY_A] + counts[ONLY_B],
        counts[DISAGREED],
        counts[UNGRADED],
    )


def _decide(a: Grade, b: Grade) -> tuple[str, Grade | None]:
    """Which grade a merge keeps: the shared verdict, the only one given, or none yet."""
    if a.verdict.graded and b.verdict.graded:
        if a.verdict is not b.verdict:
            return DISAGREED, None
        notes = [n for n in dict.fromkeys((a.note, b.note)) if n]
        tags = tuple(dict.fromkeys((*a.tags, *b.tags)))
        points = a.points if a.points == b.points else None
        return AGREED, Grade(
            a.part_id, a.transcript_id, a.verdict, points, tags, "\n\n".join(notes)
        )
    if a.verdict.graded:
        return ONLY_A, a
    if b.verdict.graded:
        return ONLY_B, b
    return UNGRADED, None

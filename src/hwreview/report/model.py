"""The report model: every number a report shows, computed once from a session snapshot.

Renderers (Markdown, JSON, ...) only format what is here; none recomputes a summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from hwreview.model import Part, Problem, TranscriptInfo, Verdict
from hwreview.report.summary import Comparison, Summary, compare, summarize
from hwreview.session.data import PREFERENCE_CHOICES, Erratum, Preference, SessionSnapshot


@dataclass(frozen=True)
class PairRow:
    """One part seen by a pair of transcripts: both verdicts and the preference, if any."""

    part: Part
    first: Verdict
    second: Verdict
    preference: Preference | None


@dataclass(frozen=True)
class PairAnalysis:
    """Two transcripts side by side: the paired test, the preferences and their counts."""

    first: TranscriptInfo
    second: TranscriptInfo
    comparison: Comparison
    rows: tuple[PairRow, ...]

    @property
    def paired(self) -> int:
        """How many parts were graded in both."""
        c = self.comparison
        return c.both_correct + c.only_first + c.only_second + c.neither

    @property
    def preference_counts(self) -> dict[str, int]:
        """How often each choice was made (first, second, tie, neither) plus `none` for unjudged."""
        counts = Counter({choice: 0 for choice in (*PREFERENCE_CHOICES, "none")})
        for row in self.rows:
            counts[row.preference.choice if row.preference else "none"] += 1
        return dict(counts)

    @property
    def aspect_counts(self) -> dict[str, int]:
        """How often each aspect decided a preference, most frequent first."""
        counts = Counter(a for row in self.rows if row.preference for a in row.preference.aspects)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def judged(self) -> bool:
        """True when at least one preference was recorded for this pair."""
        return any(row.preference for row in self.rows)


@dataclass(frozen=True)
class GroupAccuracy:
    """Accuracy of each transcript over a group of parts (a problem, or a key tag)."""

    name: str
    parts: tuple[Part, ...]
    summaries: dict[str, Summary]


@dataclass(frozen=True)
class FirstTry:
    """Fully correct on the first attempt against after follow-ups, over the same parts."""

    first_correct: int
    final_correct: int
    graded: int
    with_followups: int


@dataclass(frozen=True)
class Report:
    """Everything a report shows, built once by `build_report`."""

    snapshot: SessionSnapshot
    summaries: dict[str, Summary]
    pairs: tuple[PairAnalysis, ...]
    by_problem: tuple[GroupAccuracy, ...]
    by_tag: tuple[GroupAccuracy, ...]
    errata: tuple[tuple[Part, Erratum], ...]
    first_try: dict[str, FirstTry | None]

    @property
    def transcripts(self) -> tuple[TranscriptInfo, ...]:
        """The session's transcripts, in order."""
        return self.snapshot.transcripts


def build_report(snapshot: SessionSnapshot) -> Report:
    """Compute every summary, comparison and grouping of a snapshot once."""
    ids = [info.id for info in snapshot.transcripts]
    return Report(
        snapshot=snapshot,
        summaries={tid: summarize(snapshot, tid) for tid in ids},
        pairs=tuple(_pair(snapshot, a, b) for a, b in combinations(snapshot.transcripts, 2)),
        by_problem=tuple(_problem_group(snapshot, p, ids) for p in snapshot.assignment.problems),
        by_tag=_tag_groups(snapshot, ids),
        errata=tuple(
            (part, snapshot.errata[part.id])
            for part in snapshot.assignment.parts
            if part.id in snapshot.errata
        ),
        first_try={info.id: first_try(snapshot, info) for info in snapshot.transcripts},
    )


def _pair(snapshot: SessionSnapshot, a: TranscriptInfo, b: TranscriptInfo) -> PairAnalysis:
    rows = tuple(
        PairRow(
            part,
            snapshot.grade(part.id, a.id).verdict,
            snapshot.grade(part.id, b.id).verdict,
            snapshot.preference(part.id, a.id, b.id),
        )
        for part in snapshot.assignment.parts
    )
    return PairAnalysis(a, b, compare(snapshot, a.id, b.id), rows)


def _problem_group(snapshot: SessionSnapshot, problem: Problem, ids: list[str]) -> GroupAccuracy:
    name = f"{problem.number}" + (f". {problem.title}" if problem.title else "")
    return GroupAccuracy(
        name, problem.parts, {tid: summarize(snapshot, tid, problem.parts) for tid in ids}
    )


def _tag_groups(snapshot: SessionSnapshot, ids: list[str]) -> tuple[GroupAccuracy, ...]:
    by_tag: dict[str, list[Part]] = {}
    for part in snapshot.assignment.parts:
        for tag in part.tags:
            by_tag.setdefault(tag, []).append(part)
    return tuple(
        GroupAccuracy(
            tag, tuple(parts), {tid: summarize(snapshot, tid, tuple(parts)) for tid in ids}
        )
        for tag, parts in sorted(by_tag.items())
    )


def first_try(snapshot: SessionSnapshot, info: TranscriptInfo) -> FirstTry | None:
    """First-try against final accuracy: a part graded on an answer given after a follow-up
    (`Alignment.first_try` is False) counts as not correct on the first try.

    None when the transcript has no alignments at all. Parts of sessions aligned before
    attempts were recorded count as first tries, so first and final accuracy coincide there.
    """
    flags = {pid: alignment.first_try for pid, alignment in info.alignments.items()}
    if not flags:
        return None
    first = final = graded = followups = 0
    for part in snapshot.assignment.parts:
        verdict = snapshot.grade(part.id, info.id).verdict
        if not verdict.graded or part.id not in flags:
            continue
        graded += 1
        correct = verdict is Verdict.CORRECT
        final += correct
        first += correct and flags[part.id]
        followups += not flags[part.id]
    return FirstTry(first, final, graded, followups)

"""Numbers computed from a session snapshot: per-transcript counts, points, tags, comparisons."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from hwreview.model import GRADED_VERDICTS, Grade, Part, TranscriptInfo, Verdict
from hwreview.report.text import shorten
from hwreview.session.data import SessionSnapshot
from hwreview.stats import mcnemar_exact, wilson_interval

EXCERPT_CHARS = 300

VERDICT_LABELS = {
    Verdict.CORRECT: "Correct",
    Verdict.PARTIAL: "Partially correct",
    Verdict.INCORRECT: "Incorrect",
    Verdict.OMITTED: "Omitted",
    Verdict.AMBIGUOUS: "Ambiguous",
    Verdict.UNGRADED: "Ungraded",
}


@dataclass(frozen=True)
class Summary:
    """The counts for one transcript (or any set of grades)."""

    total: int
    counts: dict[Verdict, int]
    points_awarded: float | None = None
    points_possible: float | None = None
    # Graded parts whose points are not known yet (partial or ambiguous with none given):
    # counted in points_possible, not in points_awarded, and always named beside the total.
    points_unscored: tuple[str, ...] = ()
    tag_counts: dict[str, int] = field(default_factory=dict)

    @property
    def graded(self) -> int:
        """How many parts have a verdict other than ungraded."""
        return sum(self.counts[v] for v in GRADED_VERDICTS)

    @property
    def correct(self) -> int:
        """How many parts are fully correct."""
        return self.counts[Verdict.CORRECT]

    @property
    def accuracy_interval(self) -> tuple[float, float]:
        """95% Wilson interval for the share of graded parts that are fully correct."""
        return wilson_interval(self.correct, self.graded)

    def points_text(self) -> str:
        """Points in one line, naming graded parts whose points are missing ('' without points)."""
        if self.points_possible is None:
            return ""
        text = f"{self.points_awarded:g} of {self.points_possible:g}"
        if self.points_unscored:
            text += f" ({', '.join(self.points_unscored)} not scored yet)"
        return text

    def to_json(self) -> dict[str, object]:
        """The summary as JSON: total, graded and one count per verdict, plus points."""
        data: dict[str, object] = {"total": self.total, "graded": self.graded}
        for verdict in Verdict:
            data[verdict.value] = self.counts[verdict]
        low, high = self.accuracy_interval
        data["accuracy"] = round(self.correct / self.graded, 4) if self.graded else None
        data["accuracy_ci95"] = [round(low, 4), round(high, 4)] if self.graded else None
        data["points_awarded"] = self.points_awarded
        data["points_possible"] = self.points_possible
        data["points_unscored"] = list(self.points_unscored)
        return data


def awarded_points(part: Part, grade: Grade) -> float | None:
    """Points for a graded part: as given, else full for correct, 0 for incorrect or omitted."""
    if part.points is None or not grade.verdict.graded:
        return None
    if grade.points is not None:
        return float(grade.points)
    if grade.verdict is Verdict.CORRECT:
        return part.points
    if grade.verdict in (Verdict.INCORRECT, Verdict.OMITTED):
        return 0.0
    return None


def summarize(
    snapshot: SessionSnapshot, transcript_id: str, parts: tuple[Part, ...] | None = None
) -> Summary:
    """Counts, points and tags of one transcript over the given parts (all by default)."""
    parts = snapshot.assignment.parts if parts is None else parts
    counts = Counter({v: 0 for v in Verdict})
    tags: Counter[str] = Counter()
    awarded = possible = 0.0
    unscored: list[str] = []
    has_points = any(p.points is not None for p in parts)
    for part in parts:
        grade = snapshot.grade(part.id, transcript_id)
        counts[grade.verdict] += 1
        tags.update(grade.tags)
        if part.points is not None and grade.verdict.graded:
            value = awarded_points(part, grade)
            possible += part.points
            if value is None:
                unscored.append(part.id)
            else:
                awarded += value
    return Summary(
        total=len(parts),
        counts=dict(counts),
        points_awarded=_tidy(awarded) if has_points else None,
        points_possible=_tidy(possible) if has_points else None,
        points_unscored=tuple(unscored),
        tag_counts=dict(sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


@dataclass(frozen=True)
class Comparison:
    """Two transcripts graded on the same parts: agreement and a paired test on correctness."""

    first: str
    second: str
    both_correct: int
    only_first: int
    only_second: int
    neither: int

    @property
    def p_value(self) -> float:
        """Exact McNemar p-value for a difference in the share of correct parts."""
        return mcnemar_exact(self.only_first, self.only_second)


def compare(snapshot: SessionSnapshot, first: str, second: str) -> Comparison:
    """Compare two transcripts on the parts graded in both."""
    both = only_a = only_b = neither = 0
    for part in snapshot.assignment.parts:
        a = snapshot.grade(part.id, first).verdict
        b = snapshot.grade(part.id, second).verdict
        if not (a.graded and b.graded):
            continue
        ok_a, ok_b = a is Verdict.CORRECT, b is Verdict.CORRECT
        both += ok_a and ok_b
        only_a += ok_a and not ok_b
        only_b += ok_b and not ok_a
        neither += not ok_a and not ok_b
    return Comparison(first, second, both, only_a, only_b, neither)


def excerpt(info: TranscriptInfo, part_id: str, limit: int = EXCERPT_CHARS) -> str:
    """The transcript's answer to a part in one line, cut near `limit` characters.

    Never empty for a non-empty answer: one that opens with a formula too long to keep whole
    is shown with its math as Unicode text instead.
    """
    text = re.sub(r"\s+", " ", info.answer(part_id)).strip()
    short = shorten(text, limit, stretch=limit // 2)
    if len(short) < limit // 3 < len(text):
        from hwreview.render.latex import latex_to_unicode

        short = shorten(re.sub(r"\s+", " ", latex_to_unicode(text)), limit)
    return short


def _tidy(value: float) -> float:
    return int(value) if float(value).is_integer() else round(value, 2)

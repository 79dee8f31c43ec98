"""An answer key as data: problems, parts, rubric items, and the one way to name a part."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hwreview.errors import HwReviewError
from hwreview.model.verdicts import Verdict


@dataclass(frozen=True)
class Part:
    """One gradable part of a problem, such as `2c-ii`."""

    id: str
    problem: str
    label: str
    title: str
    question: str
    answer_key: str
    line: int = 0
    points: float | None = None
    tags: tuple[str, ...] = ()
    key_result: str | None = None

    @property
    def short_result(self) -> str:
        """The key's result in one line: the `answer:` metadata or the key's first line."""
        if self.key_result:
            return self.key_result
        for line in self.answer_key.splitlines():
            if line.strip():
                return line.strip()
        return ""


@dataclass(frozen=True)
class Problem:
    """A numbered problem: shared context and its parts."""

    number: str
    title: str
    context: str
    parts: tuple[Part, ...]
    line: int = 0


@dataclass(frozen=True)
class Assignment:
    """A parsed answer key: metadata and problems in order."""

    title: str
    problems: tuple[Problem, ...]
    course: str = ""
    assignment: str = ""
    source: str = ""
    rubric: tuple[RubricItem, ...] = ()

    @property
    def parts(self) -> tuple[Part, ...]:
        """Every part of every problem, in key order."""
        return tuple(p for problem in self.problems for p in problem.parts)

    def part(self, part_id: str) -> Part:
        """The part with this id (case-insensitive), or a HwReviewError naming the valid ids."""
        wanted = normalize_part_id(part_id)
        for p in self.parts:
            if p.id == wanted:
                return p
        ids = ", ".join(p.id for p in self.parts)
        raise HwReviewError(f"no part {part_id!r} in the key: parts are {ids}")

    def problem(self, number: str) -> Problem:
        """The problem with this number."""
        for problem in self.problems:
            if problem.number == number:
                return problem
        raise HwReviewError(f"no problem {number!r} in the key")

    @property
    def total_points(self) -> float | None:
        """The sum of the parts' points, or None when no part has points."""
        points = [p.points for p in self.parts if p.points is not None]
        return sum(points) if points else None


RUBRIC_ID_RE = r"[a-z0-9][a-z0-9_-]{0,29}"


@dataclass(frozen=True)
class RubricItem:
    """A reusable grading decision: a point delta (or a fixed score) with a short description.

    It applies to one part, to every part of a problem, or (neither given) to the whole key.
    """

    id: str
    text: str
    points: float | None = None  # added to the score (negative: a deduction)
    score: float | None = None  # sets the score the deltas start from (e.g. 0)
    part: str = ""
    problem: str = ""
    origin: str = "session"  # "key" when the answer key defines it

    def applies_to(self, part: Part) -> bool:
        """True when a grader may apply this item to `part`."""
        if self.part:
            return self.part == part.id
        if self.problem:
            return self.problem == part.problem
        return True

    @property
    def scope(self) -> str:
        """Where the item applies, in words: `part 1b`, `problem 2` or `every part`."""
        if self.part:
            return f"part {self.part}"
        if self.problem:
            return f"problem {self.problem}"
        return "every part"

    @property
    def effect(self) -> str:
        """The item's effect on the score in a few characters: `-1`, `+0.5` or `=0`."""
        if self.score is not None:
            return f"={self.score:g}"
        return f"{self.points:+g}" if self.points is not None else "±0"

    def to_json(self) -> dict[str, Any]:
        """The item as stored in the session."""
        return {
            "id": self.id,
            "text": self.text,
            "points": self.points,
            "score": self.score,
            "part": self.part,
            "problem": self.problem,
            "origin": self.origin,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RubricItem:
        """Read an item as stored; a wrong type raises ValueError."""
        points, score = data.get("points"), data.get("score")
        for value in (points, score):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise ValueError(f"rubric item {data.get('id')!r} has points that are not a number")
        if not isinstance(data["id"], str) or not isinstance(data.get("text", ""), str):
            raise ValueError("a rubric item's id and text must be text")
        return cls(
            id=data["id"],
            text=data.get("text") or "",
            points=points,
            score=score,
            part=str(data.get("part") or ""),
            problem=str(data.get("problem") or ""),
            origin=str(data.get("origin") or "session"),
        )


def rubric_score(part: Part, items: Sequence[RubricItem]) -> tuple[float, Verdict] | None:
    """The points and verdict the applied items give a part; None when the part has no points.

    The score starts from the part's full points (items deduct), or from the lowest fixed score
    among the items (items such as `=0` then add partial credit); it is kept within 0..points.
    """
    if part.points is None or not items:
        return None
    fixed = [i.score for i in items if i.score is not None]
    start = min(fixed) if fixed else part.points
    total = start + sum(i.points for i in items if i.points is not None)
    total = max(0.0, min(part.points, total))
    total = int(total) if float(total).is_integer() else round(total, 2)
    if total >= part.points:
        verdict = Verdict.CORRECT
    elif total <= 0:
        verdict = Verdict.INCORRECT
    else:
        verdict = Verdict.PARTIAL
    return total, verdict


def part_id(problem: str, labels: Sequence[str]) -> str:
    """The one part id: problem number and labels, e.g. ('2', ['c', 'ii']) -> '2c-ii'.

    A numeric first label is joined with a dash, so part (10) of problem 1 is `1-10`, never
    `110` (which would read as problem 110).
    """
    if not labels:
        return problem
    first = labels[0].lower()
    joiner = "-" if first[:1].isdigit() else ""
    return problem + joiner + first + "".join("-" + x.lower() for x in labels[1:])


def normalize_part_id(text: str) -> str:
    """Turn user spellings like `2(c)(ii)`, `2C-II` or `2c ii` into the stable id `2c-ii`."""

    raw = text.strip().lower()
    m = re.fullmatch(r"(\d+)\s*[.\-]?\s*(.*)", raw)
    if not m:
        return raw
    number, rest = m.groups()
    return part_id(number, [p for p in re.split(r"[()\s\-.,]+", rest) if p])

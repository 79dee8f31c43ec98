"""The data model: answer keys, transcripts, spans and grades as frozen dataclasses."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hwreview.errors import HwReviewError

TRANSCRIPT_FORMAT = "hwreview.transcript/1"


class Verdict(enum.StrEnum):
    """How well one transcript answered one part."""

    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    OMITTED = "omitted"
    AMBIGUOUS = "ambiguous"
    UNGRADED = "ungraded"

    @classmethod
    def parse(cls, text: str) -> Verdict:
        """Read a verdict from its name or a unique prefix (`c`, `part`, `inc`)."""
        wanted = text.strip().lower()
        for verdict in cls:
            if verdict.value == wanted:
                return verdict
        matches = [v for v in cls if v.value.startswith(wanted)] if wanted else []
        if len(matches) == 1:
            return matches[0]
        names = ", ".join(v.value for v in cls)
        raise HwReviewError(f"unknown verdict {text!r}: use one of {names}")

    @property
    def symbol(self) -> str:
        """The one-character symbol shown in the part tree and reports."""
        return VERDICT_SYMBOLS[self]

    @property
    def graded(self) -> bool:
        """True for every verdict except ungraded."""
        return self is not Verdict.UNGRADED


VERDICT_SYMBOLS = {
    Verdict.CORRECT: "✓",
    Verdict.PARTIAL: "◐",
    Verdict.INCORRECT: "✗",
    Verdict.OMITTED: "∅",
    Verdict.AMBIGUOUS: "?",
    Verdict.UNGRADED: "·",
}

GRADED_VERDICTS = tuple(v for v in Verdict if v.graded)

DEFAULT_TAGS = (
    "arithmetic",
    "units",
    "assumption",
    "conceptual",
    "omission",
    "hallucination",
    "notation",
    "carried-forward",
)


# --------------------------------------------------------------------------- keys


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
    import re

    raw = text.strip().lower()
    m = re.fullmatch(r"(\d+)\s*[.\-]?\s*(.*)", raw)
    if not m:
        return raw
    number, rest = m.groups()
    return part_id(number, [p for p in re.split(r"[()\s\-.,]+", rest) if p])


# ---------------------------------------------------------------------- transcripts

ROLES = ("user", "assistant", "system", "tool")
KINDS = ("answer", "reasoning", "tool", "context", "other")
# How a collected reply ended: "length" was cut at the token limit; "empty" had no text.
FINISHES = ("stop", "length", "empty", "error")
_MAX_ASKED = 200


@dataclass(frozen=True)
class Message:
    """One message of a conversation."""

    role: str
    text: str
    kind: str = "answer"
    time: str | None = None
    parts: tuple[str, ...] = ()  # the part ids a collected user turn asked
    finish: str = ""  # how a collected reply ended (FINISHES); "" when not recorded

    def to_json(self) -> dict[str, Any]:
        """The message as a JSON-ready dict."""
        data: dict[str, Any] = {"role": self.role, "kind": self.kind, "text": self.text}
        if self.time:
            data["time"] = self.time
        if self.parts:
            data["parts"] = list(self.parts)
        if self.finish:
            data["finish"] = self.finish
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Message:
        """Read a message written by `to_json`, checking role and kind."""
        role = data.get("role")
        kind = data.get("kind", "answer")
        text = data.get("text")
        if role not in ROLES:
            raise HwReviewError(f"message role {role!r} is not one of {', '.join(ROLES)}")
        if kind not in KINDS:
            raise HwReviewError(f"message kind {kind!r} is not one of {', '.join(KINDS)}")
        if not isinstance(text, str):
            raise HwReviewError("message text must be a string")
        parts = data.get("parts") or []
        if not isinstance(parts, list) or len(parts) > _MAX_ASKED:
            raise HwReviewError("message parts must be a list of part ids")
        if not all(isinstance(p, str) and 0 < len(p) <= 40 for p in parts):
            raise HwReviewError("message parts must be a list of part ids")
        finish = data.get("finish") or ""
        if finish and finish not in FINISHES:
            raise HwReviewError(f"message finish {finish!r} is not one of {', '.join(FINISHES)}")
        return cls(
            role=role,
            text=text,
            kind=kind,
            time=data.get("time"),
            parts=tuple(normalize_part_id(p) for p in parts),
            finish=finish,
        )


@dataclass(frozen=True)
class Transcript:
    """A normalized conversation with a model, from any source format."""

    messages: tuple[Message, ...]
    title: str = ""
    model: str = ""
    source: str = ""
    source_format: str = ""
    strategy: str = ""
    created: str | None = None
    warnings: tuple[str, ...] = ()  # doubts of the importer, e.g. speakers told apart by guess
    # how `hwreview collect` made it: parameters, usage, cost, completeness (JSON scalars)
    run: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The transcript in the `hwreview.transcript/1` JSON form."""
        data: dict[str, Any] = {
            "format": TRANSCRIPT_FORMAT,
            "title": self.title,
            "model": self.model,
            "source": self.source,
            "source_format": self.source_format,
            "strategy": self.strategy,
            "created": self.created,
            "messages": [m.to_json() for m in self.messages],
        }
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if self.run:
            data["run"] = self.run
        return data

    def reply_finish(self, part_id: str) -> str:
        """How the collected reply to a part ended ("length", "empty"), or "" when normal."""
        asking: tuple[str, ...] = ()
        last = ""  # a "continue" turn is kind context, so its reply joins the same turn
        for message in self.messages:
            if message.role == "user" and message.kind == "answer":
                asking = message.parts
            elif message.role == "assistant" and message.kind == "answer" and part_id in asking:
                last = message.finish
        return last if last in ("length", "empty", "error") else ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Transcript:
        """Read the `hwreview.transcript/1` JSON form."""
        if not isinstance(data, dict) or data.get("format") != TRANSCRIPT_FORMAT:
            raise HwReviewError(f"not a {TRANSCRIPT_FORMAT} document")
        messages = data.get("messages")
        if not isinstance(messages, list):
            raise HwReviewError("transcript has no list of messages")
        return cls(
            messages=tuple(Message.from_json(m) for m in messages),
            title=str(data.get("title") or ""),
            model=str(data.get("model") or ""),
            source=str(data.get("source") or ""),
            source_format=str(data.get("source_format") or ""),
            strategy=str(data.get("strategy") or ""),
            created=data.get("created"),
            warnings=tuple(str(w) for w in data.get("warnings") or () if isinstance(w, str)),
            run=check_run(data.get("run")),
        )

    def text_of(self, span: Span) -> str:
        """The transcript text a span covers; answer messages only when it crosses messages."""
        if span.message == span.end_message:
            return self.messages[span.message].text[span.start : span.end]
        pieces = [self.messages[span.message].text[span.start :]]
        for index in range(span.message + 1, span.end_message):
            message = self.messages[index]
            if message.role == "assistant" and message.kind == "answer":
                pieces.append(message.text)
        pieces.append(self.messages[span.end_message].text[: span.end])
        return "\n\n".join(p.strip("\n") for p in pieces if p.strip())


def check_run(value: Any) -> dict[str, Any]:
    """A transcript's `run` record: a small JSON object of scalars, objects at most 3 deep."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise HwReviewError("transcript 'run' must be an object")
    budget = [2000]

    def ok(item: Any, depth: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0 or depth > 3:
            return False
        if isinstance(item, dict):
            return all(isinstance(k, str) and ok(v, depth + 1) for k, v in item.items())
        if isinstance(item, list):
            return all(ok(v, depth + 1) for v in item)
        return item is None or isinstance(item, (str, int, float, bool))

    if not ok(value, 0):
        raise HwReviewError("transcript 'run' is too large or too deeply nested")
    return value


@dataclass(frozen=True)
class Span:
    """A stretch of a transcript: from (message, start) to (end_message, end), offsets in chars."""

    message: int
    start: int
    end: int
    end_message: int = -1

    def __post_init__(self) -> None:
        if self.end_message < 0:
            object.__setattr__(self, "end_message", self.message)

    def to_json(self) -> dict[str, int]:
        """The span as a JSON-ready dict."""
        return {
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "end_message": self.end_message,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Span:
        """Read a span written by `to_json`."""
        return cls(
            message=int(data["message"]),
            start=int(data["start"]),
            end=int(data["end"]),
            end_message=int(data.get("end_message", data["message"])),
        )


FOUND = "found"
NOT_FOUND = "not found"
UNCERTAIN = "uncertain"
ALIGN_STATUSES = (FOUND, NOT_FOUND, UNCERTAIN)


@dataclass(frozen=True)
class Candidate:
    """Another place a part may be answered, ranked below the chosen span, and why."""

    span: Span
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        """The candidate as a JSON-ready dict."""
        return {"span": self.span.to_json(), "reason": self.reason}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Candidate:
        """Read a candidate written by `to_json`."""
        return cls(Span.from_json(data["span"]), str(data.get("reason") or ""))


@dataclass(frozen=True)
class Alignment:
    """Where a transcript answers one part; `manual` spans were set by the grader and win.

    `attempts` are every answer to the part in turn order (the graded span defaults to the
    last); `followup` says the part was answered (again) only after the user came back to it;
    `alternatives` are ranked other candidates and `reason` says why the part is uncertain.
    Every one of them may be missing from older sessions and defaults to empty.
    """

    part_id: str
    status: str
    span: Span | None = None
    manual: bool = False
    attempts: tuple[Span, ...] = ()
    followup: bool = False
    alternatives: tuple[Candidate, ...] = ()
    reason: str = ""

    @property
    def first_try(self) -> bool:
        """True when the graded span is the part's first answer, not one given after a follow-up."""
        if len(self.attempts) > 1:
            return self.span == self.attempts[0]
        return not self.followup

    def to_json(self) -> dict[str, Any]:
        """The alignment as a JSON-ready dict (the newer fields only when they hold something)."""
        data: dict[str, Any] = {
            "part": self.part_id,
            "status": self.status,
            "span": self.span.to_json() if self.span else None,
            "manual": self.manual,
        }
        if self.attempts:
            data["attempts"] = [a.to_json() for a in self.attempts]
        if self.followup:
            data["followup"] = True
        if self.alternatives:
            data["alternatives"] = [c.to_json() for c in self.alternatives]
        if self.reason:
            data["reason"] = self.reason
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Alignment:
        """Read an alignment written by `to_json`."""
        span = data.get("span")
        return cls(
            part_id=data["part"],
            status=data.get("status", NOT_FOUND),
            span=Span.from_json(span) if span else None,
            manual=bool(data.get("manual", False)),
            attempts=tuple(Span.from_json(a) for a in data.get("attempts") or ()),
            followup=bool(data.get("followup", False)),
            alternatives=tuple(Candidate.from_json(c) for c in data.get("alternatives") or ()),
            reason=str(data.get("reason") or ""),
        )


# --------------------------------------------------------------------------- grades


@dataclass(frozen=True)
class Grade:
    """The grader's decision on one (part, transcript)."""

    part_id: str
    transcript_id: str
    verdict: Verdict = Verdict.UNGRADED
    points: float | None = None
    tags: tuple[str, ...] = ()
    note: str = ""
    seconds: float = 0.0
    updated: str | None = None
    rubric: tuple[str, ...] = ()
    override: bool = False  # verdict or points set by hand: rubric edits leave them alone
    recheck: str = ""  # what changed in the key since this grade was given ('' when nothing)

    def to_json(self) -> dict[str, Any]:
        """The grade as stored in the session."""
        return {
            "part": self.part_id,
            "transcript": self.transcript_id,
            "verdict": self.verdict.value,
            "points": self.points,
            "tags": list(self.tags),
            "note": self.note,
            "seconds": round(self.seconds, 3),
            "updated": self.updated,
            "rubric": list(self.rubric),
            "override": self.override,
            "recheck": self.recheck,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Grade:
        """Read a grade as stored in the session."""
        return cls(
            part_id=data["part"],
            transcript_id=data["transcript"],
            verdict=Verdict(data.get("verdict", "ungraded")),
            points=data.get("points"),
            tags=tuple(data.get("tags") or ()),
            note=data.get("note") or "",
            seconds=float(data.get("seconds") or 0.0),
            updated=data.get("updated"),
            rubric=tuple(str(r) for r in data.get("rubric") or ()),
            override=bool(data.get("override", False)),
            recheck=str(data.get("recheck") or ""),
        )


@dataclass(frozen=True)
class TranscriptInfo:
    """A transcript as held by a session: id, label and the alignment of each part."""

    id: str
    label: str
    transcript: Transcript
    alignments: dict[str, Alignment] = field(default_factory=dict)
    path: str = ""

    @property
    def model(self) -> str:
        """The model that wrote the transcript."""
        return self.transcript.model

    def answer(self, part_id: str) -> str:
        """The transcript's answer to one part, or '' when none was found."""
        alignment = self.alignments.get(part_id)
        if alignment is None or alignment.span is None:
            return ""
        return self.transcript.text_of(alignment.span)

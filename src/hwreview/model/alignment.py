"""Where a part's answer lies in a transcript: spans, statuses, attempts and alternatives."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


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


class AlignStatus(enum.StrEnum):
    """How sure the aligner is of a part's span (stored as its text, like `Verdict`)."""

    FOUND = "found"
    NOT_FOUND = "not found"
    UNCERTAIN = "uncertain"


FOUND = AlignStatus.FOUND
NOT_FOUND = AlignStatus.NOT_FOUND
UNCERTAIN = AlignStatus.UNCERTAIN
ALIGN_STATUSES = tuple(AlignStatus)


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

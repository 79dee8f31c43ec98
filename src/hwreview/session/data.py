"""Plain data read from or given to a session: new transcripts, audit entries, snapshots."""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass, field
from typing import Any

from hwreview.llm_core.judge import Suggestion
from hwreview.model import (
    DEFAULT_TAGS,
    Alignment,
    Assignment,
    Grade,
    RubricItem,
    Transcript,
    TranscriptInfo,
)


@dataclass(frozen=True)
class NewTranscript:
    """A transcript to add to a new session, with its label and automatic alignment."""

    transcript: Transcript
    label: str
    alignments: dict[str, Alignment]
    path: str = ""


@dataclass(frozen=True)
class Change:
    """One entry of the audit history: a field of a grade (or a span) changed."""

    seq: int
    at: str
    action: int
    part_id: str
    transcript_id: str
    field: str
    old: Any
    new: Any
    undoes: int | None = None


@dataclass(frozen=True)
class SessionSnapshot:
    """Everything a report needs, read from a session at one moment; pure data."""

    name: str
    assignment: Assignment
    transcripts: tuple[TranscriptInfo, ...]
    grades: dict[tuple[str, str], Grade]
    grader: str = ""
    created: str = ""
    updated: str = ""
    findings: str = ""
    conclusion: str = ""
    key_path: str = ""
    key_sha256: str = ""
    tags: tuple[str, ...] = DEFAULT_TAGS
    history_count: int = 0
    preferences: dict[tuple[str, str, str], Preference] = field(default_factory=dict)
    errata: dict[str, Erratum] = field(default_factory=dict)
    rubric: tuple[RubricItem, ...] = ()
    suggestions: dict[tuple[str, str], Suggestion] = field(default_factory=dict)  # judge's

    def grade(self, part_id: str, transcript_id: str) -> Grade:
        """The grade of one (part, transcript); ungraded when none was recorded."""
        return self.grades.get((part_id, transcript_id)) or Grade(part_id, transcript_id)

    def preference(self, part_id: str, first: str, second: str) -> Preference | None:
        """The preference recorded between two transcripts on a part, in either order."""
        found = self.preferences.get((part_id, first, second))
        if found is None and (flipped := self.preferences.get((part_id, second, first))):
            found = flipped.flipped()
        return found


def change_from_doc(doc: dict[str, Any]) -> Change:
    """Read one audit entry as stored in the history table."""
    return Change(
        seq=doc["seq"],
        at=doc["at"],
        action=doc["action"],
        part_id=doc["part"],
        transcript_id=doc["transcript"],
        field=doc["field"],
        old=doc["old"],
        new=doc["new"],
        undoes=doc.get("undoes"),
    )


PREFERENCE_CHOICES = ("first", "second", "tie", "neither")
PREFERENCE_ASPECTS = ("correctness", "rigour", "completeness", "clarity", "concision")
ERRATUM_KINDS = ("wrong", "incomplete")


@dataclass(frozen=True)
class Preference:
    """Which of two transcripts answered a part better, and why."""

    part_id: str
    first: str
    second: str
    choice: str
    reason: str = ""
    aspects: tuple[str, ...] = ()
    updated: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The preference as stored in the session."""
        return {
            "part": self.part_id,
            "first": self.first,
            "second": self.second,
            "choice": self.choice,
            "reason": self.reason,
            "aspects": list(self.aspects),
            "updated": self.updated,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Preference:
        """Read a preference as stored; a bad choice or aspect raises ValueError."""
        choice = data["choice"]
        if choice not in PREFERENCE_CHOICES:
            raise ValueError(f"preference {choice!r} is not one of {PREFERENCE_CHOICES}")
        aspects = tuple(data.get("aspects") or ())
        if any(a not in PREFERENCE_ASPECTS for a in aspects):
            raise ValueError(f"unknown aspect in {aspects!r}")
        reason = data.get("reason") or ""
        if not isinstance(reason, str):
            raise ValueError("a preference's reason must be text")
        if not all(isinstance(data[k], str) for k in ("part", "first", "second")):
            raise ValueError("a preference's part and transcripts must be text")
        return cls(
            data["part"],
            data["first"],
            data["second"],
            choice,
            reason,
            aspects,
            data.get("updated"),
        )

    def flipped(self) -> Preference:
        """The same preference with the two transcripts swapped."""
        choice = {"first": "second", "second": "first"}.get(self.choice, self.choice)
        return Preference(
            self.part_id, self.second, self.first, choice, self.reason, self.aspects, self.updated
        )

    def winner(self) -> str | None:
        """The transcript id preferred, or None for a tie or both wrong."""
        return {"first": self.first, "second": self.second}.get(self.choice)


@dataclass(frozen=True)
class Erratum:
    """A grader's flag that the answer key of a part is wrong or incomplete."""

    part_id: str
    kind: str
    note: str
    updated: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The erratum as stored in the session."""
        return {"part": self.part_id, "kind": self.kind, "note": self.note, "updated": self.updated}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Erratum:
        """Read an erratum as stored; a bad kind raises ValueError."""
        if data["kind"] not in ERRATUM_KINDS:
            raise ValueError(f"erratum kind {data['kind']!r} is not one of {ERRATUM_KINDS}")
        if not isinstance(data.get("note") or "", str) or not isinstance(data["part"], str):
            raise ValueError("an erratum's part and note must be text")
        return cls(data["part"], data["kind"], data.get("note") or "", data.get("updated"))


def audit_entry(
    history: Sized,
    stamp: str,
    part_id: str,
    transcript_id: str,
    field: str,
    old: Any,
    new: Any,
    *,
    action: int | None = None,
    undoes: int | None = None,
) -> dict[str, Any]:
    """One row of the audit history (the inverse of `change_from_doc`).

    `action` groups the rows one user action wrote (default: a new action of its own);
    `undoes` names the action an undo reverts.
    """
    seq = len(history) + 1
    entry: dict[str, Any] = {
        "seq": seq,
        "at": stamp,
        "action": seq if action is None else action,
        "part": part_id,
        "transcript": transcript_id,
        "field": field,
        "old": old,
        "new": new,
    }
    if undoes is not None:
        entry["undoes"] = undoes
    return entry

"""Plain data read from or given to a session: new transcripts, audit entries, snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hwreview.model import DEFAULT_TAGS, Alignment, Assignment, Grade, Transcript, TranscriptInfo


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
    extra: dict[str, Any] = field(default_factory=dict)

    def grade(self, part_id: str, transcript_id: str) -> Grade:
        """The grade of one (part, transcript); ungraded when none was recorded."""
        return self.grades.get((part_id, transcript_id)) or Grade(part_id, transcript_id)


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

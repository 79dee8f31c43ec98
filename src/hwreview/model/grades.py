"""A grader's verdict on one part of one transcript, and a session's transcript with its spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hwreview.model.alignment import Alignment
from hwreview.model.transcript import Transcript
from hwreview.model.verdicts import Verdict


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

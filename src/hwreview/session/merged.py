"""A session merged from two graders' sessions: where each verdict came from, and settling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tinydb import Query

from hwreview import clock
from hwreview.errors import HwReviewError
from hwreview.model import Grade, Verdict

if TYPE_CHECKING:
    from hwreview.session.edits import Edits
    from hwreview.session.store import SessionStore

# Where a merged grade came from.
AGREED, ONLY_A, ONLY_B, DISAGREED = "both", "a", "b", "disagreed"


@dataclass(frozen=True)
class MergedPart:
    """One (part, transcript) of a merged session: both graders' grades and how it was settled."""

    part_id: str
    transcript_id: str
    source: str
    a: Grade
    b: Grade
    settled: str = ""  # "a", "b" or "own" once a disagreement is settled here
    settled_at: str | None = None

    @property
    def pending(self) -> bool:
        """True for a disagreement not settled yet."""
        return self.source == DISAGREED and not self.settled

    def to_json(self) -> dict[str, Any]:
        """As stored in the `merged` table."""
        return {
            "part": self.part_id,
            "transcript": self.transcript_id,
            "source": self.source,
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "settled": self.settled,
            "settled_at": self.settled_at,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MergedPart:
        """Read one provenance entry; a bad source raises ValueError."""
        if data["source"] not in (AGREED, ONLY_A, ONLY_B, DISAGREED):
            raise ValueError(f"unknown merge source {data['source']!r}")
        return cls(
            data["part"],
            data["transcript"],
            data["source"],
            Grade.from_json(data["a"]),
            Grade.from_json(data["b"]),
            str(data.get("settled") or ""),
            data.get("settled_at"),
        )


class MergeRecord:
    """Reading and settling the provenance of a merged session (empty for any other session)."""

    def __init__(self, store: SessionStore, edits: Edits) -> None:
        self.store = store
        self.edits = edits

    def sources(self) -> list[dict[str, str]]:
        """The two sessions this one was merged from (session, grader, file, last change)."""
        return list(self.store.meta.get("merged_from") or [])

    def record(self, sources: list[dict[str, str]], parts: list[MergedPart]) -> None:
        """Note the two sessions merged and where each grade came from (one write)."""
        with self.store.batch():
            self.store.set_meta({"merged_from": sources})
            self.store.table("merged").insert_multiple([p.to_json() for p in parts])

    def parts(self) -> list[MergedPart]:
        """Where every grade came from, in key order (empty unless made by merge)."""
        return [MergedPart.from_json(doc) for doc in self.store.table("merged").all()]

    def disagreements(self) -> list[MergedPart]:
        """The parts the two graders saw differently (settled or not), in key order."""
        return [m for m in self.parts() if m.source == DISAGREED]

    def settle(self, part_id: str, transcript_id: str, choice: str) -> Grade:
        """Settle a disagreement: take grader A's or B's grade, or a verdict of one's own."""
        part = self.store.assignment.part(part_id)
        info = self.store.transcript(transcript_id)
        table = self.store.table("merged")
        cond = (Query().part == part.id) & (Query().transcript == info.id)
        doc = table.get(cond)
        if doc is None or doc["source"] != DISAGREED:
            raise HwReviewError(f"{part.id} ({info.label}) is not a disagreement of this merge")
        entry = MergedPart.from_json(doc)
        word = choice.strip().lower()
        with self.store.batch():
            if word in (ONLY_A, ONLY_B):
                chosen = entry.a if word == ONLY_A else entry.b
                grade = self.edits.set_grade(
                    part.id, info.id, verdict=chosen.verdict, points=chosen.points,
                    tags=chosen.tags, note=chosen.note,
                )  # fmt: skip
            else:
                grade = self.edits.set_grade(part.id, info.id, verdict=Verdict.parse(word))
                word = "own"
            table.update({"settled": word, "settled_at": clock.now()}, cond)
        return grade

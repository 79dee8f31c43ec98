"""The writing half of a session: grades with their audit trail, undo, spans, notes, tags."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from tinydb import Query

from hwreview import clock
from hwreview.errors import HwReviewError
from hwreview.model import FOUND, NOT_FOUND, Alignment, Candidate, Grade, Span, Verdict
from hwreview.session.checks import check_points, check_tags
from hwreview.session.data import Change
from hwreview.session.living import STRUCTURAL_FIELDS

if TYPE_CHECKING:
    from hwreview.session.judgements import Judgements
    from hwreview.session.rubric import Rubric
    from hwreview.session.store import SessionStore

_TAG_RE = re.compile(r"[a-z0-9][a-z0-9 _-]{0,39}")
UNSET: Any = object()  # an argument not given (None is a value: no points)


class Edits:
    """Every change to grades, spans and notes; each public method is one durable write."""

    def __init__(self, store: SessionStore, rubric: Rubric, judgements: Judgements) -> None:
        self.store = store
        self.rubric = rubric
        self.judgements = judgements

    def set_grade(
        self,
        part_id: str,
        transcript_id: str | None = None,
        *,
        verdict: Verdict | str = UNSET,
        points: float | None = UNSET,
        tags: Iterable[str] = UNSET,
        note: str = UNSET,
        rubric: Iterable[str] = UNSET,
        add_seconds: float = 0.0,
    ) -> Grade:
        """Change any fields of one grade; the change and its audit entries land in one write.

        Applying rubric items sets the points and verdict they give, unless this same call sets
        the verdict or points by hand; a verdict or points set by hand on a grade with items
        marks it as overridden, so later edits of the items leave it alone.
        """
        part = self.store.assignment.part(part_id)
        info = self.store.transcript(transcript_id)
        old = self.store.grade(part.id, info.id)
        new_values: dict[str, Any] = {}
        by_hand = verdict is not UNSET or points is not UNSET
        items = old.rubric
        if rubric is not UNSET:
            items = self.rubric.check(part, list(rubric))
            new_values["rubric"] = list(items)
            scored = self.rubric.score_of(part, items)
            if scored is not None and not by_hand:
                new_values["points"], verdict = scored[0], scored[1]
            elif not items and not by_hand and old.rubric and part.points is not None:
                new_values["points"] = None  # back to points that follow the verdict
        if not items:
            new_values["override"] = False
        elif by_hand:
            new_values["override"] = True
        elif rubric is not UNSET:
            new_values["override"] = False
        if (verdict is not UNSET or rubric is not UNSET) and old.recheck:
            new_values["recheck"] = ""  # graded again against the new key
        if verdict is not UNSET:
            new_values["verdict"] = (
                verdict if isinstance(verdict, Verdict) else Verdict.parse(verdict)
            ).value
        if points is not UNSET:
            new_values["points"] = check_points(part.id, part.points, points)
        if tags is not UNSET:
            new_values["tags"] = check_tags(tags, self.store.tags, self.store.name)
        if note is not UNSET:
            new_values["note"] = note.strip()
        changes = {k: v for k, v in new_values.items() if old.to_json()[k] != v}
        if not changes and not add_seconds:
            return old
        return self._apply(part.id, info.id, changes, add_seconds=add_seconds)

    def add_times(
        self,
        seconds: Mapping[tuple[str, str], float],
        position: tuple[str, str] | None = None,
    ) -> None:
        """Add time to several (part, transcript) pairs and set the resume position: one write."""
        if self.store.read_only:
            return
        with self.store.batch():
            for (part_id, transcript_id), value in seconds.items():
                if value > 0:
                    self._apply(part_id, transcript_id, {}, add_seconds=value)
            if position:
                self.set_position(*position)

    def _apply(
        self,
        part_id: str,
        transcript_id: str,
        changes: dict[str, Any],
        add_seconds: float = 0.0,
        undoes: int | None = None,
    ) -> Grade:
        grades = self.store.table("grades")
        cond = (Query().part == part_id) & (Query().transcript == transcript_id)
        doc = grades.get(cond)
        old = (Grade.from_json(doc) if doc else Grade(part_id, transcript_id)).to_json()
        stamp = clock.now()
        new = dict(old, **changes)
        new["seconds"] = round(float(old["seconds"]) + max(0.0, add_seconds), 3)
        if changes:
            new["updated"] = stamp
        with self.store.batch():
            grades.upsert(new, cond)
            if changes:
                action = self.store.next_action()
                for name, value in changes.items():
                    self.store.audit(
                        stamp, part_id, transcript_id, name, old[name], value,
                        action=action, undoes=undoes,
                    )  # fmt: skip
                self.store.touch(stamp, position={"part": part_id, "transcript": transcript_id})
        return Grade.from_json(new)

    def next_undo(self) -> Change | None:
        """The change `undo` would revert next: the latest one not undone (and not an undo)."""
        entries = self.store.history()
        undone = {e.undoes for e in entries if e.undoes is not None}
        for entry in reversed(entries):
            if (
                entry.undoes is None
                and entry.action not in undone
                and entry.field not in STRUCTURAL_FIELDS
            ):
                return entry
        return None

    def undo(self) -> Change | None:
        """Revert the latest change not yet undone; returns one of its entries, or None."""
        entry = self.next_undo()
        if entry is None:
            return None
        group = [e for e in self.store.history() if e.action == entry.action]
        if any(e.field == "rubric-item" for e in group):
            self.rubric.undo_item(group)
        elif entry.field == "span":
            self._set_alignment(entry.transcript_id, entry.part_id, entry.old, undoes=entry.action)
        elif entry.field in ("preference", "erratum"):
            self.judgements.restore(entry)
        else:
            self._apply(
                entry.part_id,
                entry.transcript_id,
                {e.field: e.old for e in group},
                undoes=entry.action,
            )
        return entry

    def set_alignment(
        self, transcript_id: str, part_id: str, span: Span | None, status: str | None = None
    ) -> Alignment:
        """Fix where a transcript answers a part (None: not answered); it wins over automatic."""
        part = self.store.assignment.part(part_id)
        info = self.store.transcript(transcript_id)
        before = info.alignments.get(part.id) or Alignment(part.id, NOT_FOUND)
        # the candidates and attempts stay, so the grader can step on through them and back
        alternatives = before.alternatives
        known = {*before.attempts, *(c.span for c in alternatives)}
        if not before.manual and before.span is not None and before.span not in known:
            alternatives = (Candidate(before.span, "the automatic choice"), *alternatives)
        alignment = dataclasses.replace(
            before,
            status=status or (FOUND if span else NOT_FOUND),
            span=span,
            manual=True,
            alternatives=alternatives,
        )
        self._set_alignment(info.id, part.id, alignment.to_json())
        return alignment

    def _set_alignment(
        self,
        transcript_id: str,
        part_id: str,
        value: dict[str, Any] | None,
        undoes: int | None = None,
    ) -> None:
        table = self.store.table("transcripts")
        doc = table.get(Query().id == transcript_id)
        if doc is None:
            raise HwReviewError(f"no transcript {transcript_id!r}")
        alignments = dict(doc.get("alignments", {}))
        old = alignments.get(part_id)
        if value is None:  # undoing the first span of a part that had none
            alignments.pop(part_id, None)
        else:
            alignments[part_id] = value
        stamp = clock.now()
        with self.store.batch():
            table.update({"alignments": alignments}, Query().id == transcript_id)
            self.store.audit(stamp, part_id, transcript_id, "span", old, value, undoes=undoes)
            self.store.touch(stamp)
        self.store.forget_transcripts()

    def set_notes(self, findings: str | None = None, conclusion: str | None = None) -> None:
        """Set the session's key findings and/or conclusion (Markdown)."""
        changes: dict[str, Any] = {}
        if findings is not None:
            changes["findings"] = findings.strip()
        if conclusion is not None:
            changes["conclusion"] = conclusion.strip()
        if changes:
            self.store.update_meta(changes)

    def set_grader(self, grader: str) -> None:
        """Set the grader's name."""
        self.store.update_meta({"grader": grader.strip()})

    def add_tag(self, tag: str) -> str:
        """Add an error tag of the grader's own to the session's list."""
        clean = tag.strip().lower()
        if not _TAG_RE.fullmatch(clean):
            raise HwReviewError(
                f"bad tag {tag!r}: use up to 40 lowercase letters, digits, spaces, '-' or '_'"
            )
        if clean not in self.store.tags:
            self.store.update_meta({"tags": [*self.store.tags, clean]})
        return clean

    def set_position(self, part_id: str, transcript_id: str) -> None:
        """Remember where the grader is, so resuming returns there."""
        if self.store.read_only:
            return
        if self.store.meta.get("position") != {"part": part_id, "transcript": transcript_id}:
            self.store.set_meta({"position": {"part": part_id, "transcript": transcript_id}})

"""A session that lives on: add a transcript, pull in a corrected key; audited, backed up first."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import Query

from hwreview import clock
from hwreview.errors import HwReviewError
from hwreview.keys.parser import parse_key
from hwreview.model import NOT_FOUND, Alignment, Assignment, Grade, Part
from hwreview.render.sanitize import clean_text
from hwreview.session.checks import check_label

if TYPE_CHECKING:
    from hwreview.model import TranscriptInfo
    from hwreview.session.data import NewTranscript
    from hwreview.session.store import SessionStore

# Audit fields of structural changes: recorded, but not reverted by undo (a backup holds the
# session as it was before).
STRUCTURAL_FIELDS = (
    "key",
    "transcript-added",
    "grade-dropped",
    "recheck-marked",
    "message-role",
)


@dataclass(frozen=True)
class RekeyResult:
    """What pulling in a new key did: parts kept as they were, to re-check, dropped, added."""

    kept: tuple[str, ...] = ()
    recheck: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    dropped_grades: tuple[Grade, ...] = ()
    backup: Path | None = None
    changed: bool = True
    details: dict[str, str] = field(default_factory=dict)

    def lines(self, labels: dict[str, str]) -> list[str]:
        """What a re-key did, one line per group, for the CLI and the TUI alike."""
        if not self.changed:
            return ["the key is unchanged: nothing to do"]
        lines = [f"kept: {len(self.kept)} part(s) unchanged"]
        if self.recheck:
            lines.append("to re-check (grades kept, marked):")
            lines += [f"  {pid}: {self.details[pid]} changed" for pid in self.recheck]
        if self.added:
            lines.append("new parts (ungraded): " + ", ".join(self.added))
        if self.dropped:
            lines.append("dropped (no longer in the key): " + ", ".join(self.dropped))
            for grade in self.dropped_grades:
                who = labels.get(grade.transcript_id, grade.transcript_id)
                lines.append(f"  {grade.part_id} ({who}): {grade.verdict.value} removed")
        if self.backup is not None:
            lines.append(f"backup of the session before: {self.backup.name} (beside it)")
        return [clean_text(line) for line in lines]


def transcript_doc(
    number: int, entry: NewTranscript, assignment: Assignment, label: str
) -> dict[str, Any]:
    """A transcript as the session stores it: id `tN`, label, copy, one alignment per part."""
    return {
        "id": f"t{number}",
        "label": label,
        "path": entry.path,
        "transcript": entry.transcript.to_json(),
        "alignments": {
            part.id: (entry.alignments.get(part.id) or Alignment(part.id, NOT_FOUND)).to_json()
            for part in assignment.parts
        },
    }


def key_sha256(text: str) -> str:
    """The fingerprint of a key's text, as stored in the session."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def changed_text(old: Part, new: Part) -> str:
    """What changed between two versions of a part that a grade depends on ('' if nothing)."""
    what = []
    if old.question.strip() != new.question.strip():
        what.append("question")
    if old.answer_key.strip() != new.answer_key.strip():
        what.append("answer key")
    if old.points != new.points:
        what.append("points")
    return " and ".join(what)


class Living:
    """Adding transcripts and re-keying: each one durable write, audited, after a backup copy."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store

    def backup_copy(self, why: str) -> Path:
        """Copy the session file aside before a structural change: `NAME.json.WHY-STAMP.bak`."""
        stamp = re.sub(r"[^0-9T]", "", clock.now())[:15]
        target = self.store.path.with_name(f"{self.store.path.name}.{why}-{stamp}.bak")
        n = 2
        while target.exists():
            target = self.store.path.with_name(f"{self.store.path.name}.{why}-{stamp}-{n}.bak")
            n += 1
        shutil.copy2(self.store.path, target)
        return target

    def add_transcript(self, entry: NewTranscript) -> TranscriptInfo:
        """Add a transcript (aligned against the session's key) under a new, unique label."""
        label = check_label(entry.label)
        taken = {t.label for t in self.store.transcripts} | {t.id for t in self.store.transcripts}
        if label in taken:
            raise HwReviewError(
                f"session {self.store.name!r} has a transcript labelled {label!r}: choose another label"
            )
        number = max(
            (int(t.id[1:]) for t in self.store.transcripts if t.id[1:].isdigit()), default=0
        )
        number += 1
        if re.fullmatch(r"t\d+", label) and label != f"t{number}":
            raise HwReviewError(f"label {label!r} looks like a transcript id: choose another label")
        self.backup_copy("add-transcript")
        doc = transcript_doc(number, entry, self.store.assignment, label)
        stamp = clock.now()
        with self.store.batch():
            self.store.table("transcripts").insert(doc)
            self.store.audit(
                stamp, "", doc["id"], "transcript-added", None,
                {"label": label, "path": entry.path},
            )  # fmt: skip
            self.store.touch(stamp)
        self.store.forget_transcripts()
        return next(t for t in self.store.transcripts if t.id == doc["id"])

    def rekey(
        self, key_path: str, key_text: str, alignments: dict[str, dict[str, Alignment]]
    ) -> RekeyResult:
        """Pull in a new version of the key.

        Grades of parts that still exist are kept; those whose question, key or points changed
        are marked for re-check; grades of parts no longer in the key are dropped (and listed).
        `alignments` gives, per transcript id, the automatic alignment against the new key: used
        for new parts only (spans of existing parts, set by hand or not, are kept).
        """
        new = parse_key(key_text, source=key_path)
        old = self.store.assignment
        old_parts = {p.id: p for p in old.parts}
        new_parts = {p.id: p for p in new.parts}
        sha = key_sha256(key_text)
        old_meta = self.store.meta["key"]
        if sha == old_meta.get("sha256") and key_path == old_meta.get("path"):
            return RekeyResult(kept=tuple(new_parts), changed=False)
        kept, recheck, details = [], [], {}
        for pid, part in new_parts.items():
            if pid in old_parts:
                what = changed_text(old_parts[pid], part)
                if what:
                    recheck.append(pid)
                    details[pid] = what
                else:
                    kept.append(pid)
        added = [pid for pid in new_parts if pid not in old_parts]
        dropped = [pid for pid in old_parts if pid not in new_parts]
        backup = self.backup_copy("rekey")
        grades = self.store.grades()
        stamp = clock.now()
        grade_table = self.store.table("grades")
        dropped_grades: list[Grade] = []
        with self.store.batch():
            for (pid, tid), grade in sorted(grades.items()):
                cond = (Query().part == pid) & (Query().transcript == tid)
                if pid in dropped:
                    grade_table.remove(cond)
                    dropped_grades.append(grade)
                    self.store.audit(stamp, pid, tid, "grade-dropped", grade.to_json(), None)
                elif pid in recheck and grade.verdict.graded:
                    grade_table.update({"recheck": details[pid]}, cond)
                    self.store.audit(stamp, pid, tid, "recheck-marked", None, details[pid])
            table = self.store.table("transcripts")
            for doc in table.all():
                current = dict(doc.get("alignments", {}))
                fresh = alignments.get(doc["id"], {})
                updated = {
                    pid: current.get(pid) or (fresh.get(pid) or Alignment(pid, NOT_FOUND)).to_json()
                    for pid in new_parts
                }
                table.update({"alignments": updated}, Query().id == doc["id"])
            key_meta = {"path": key_path, "sha256": sha, "title": new.title, "text": key_text}
            old_key = {k: old_meta.get(k) for k in ("path", "sha256", "title")}
            meta_changes: dict[str, Any] = {"key": key_meta}
            position = self.store.meta.get("position") or {}
            if position.get("part") not in new_parts:
                meta_changes["position"] = dict(position, part=new.parts[0].id)
            self.store.set_meta(meta_changes)
            self.store.audit(
                stamp, "", "", "key", old_key,
                {"path": key_path, "sha256": sha, "title": new.title, "kept": len(kept),
                 "recheck": recheck, "dropped": dropped, "added": added},
            )  # fmt: skip
            self.store.touch(stamp)
        self.store.forget_key()
        self.store.forget_transcripts()
        return RekeyResult(
            tuple(kept), tuple(recheck), tuple(dropped), tuple(added), tuple(dropped_grades),
            backup, True, details,
        )  # fmt: skip

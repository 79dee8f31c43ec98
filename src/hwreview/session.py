"""A grading session: the key, the transcripts, every grade and its audit history, on disk."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from .keys import KeyFileError, parse_key
from .model import (
    DEFAULT_TAGS,
    FOUND,
    NOT_FOUND,
    Alignment,
    Assignment,
    Grade,
    HwReviewError,
    Span,
    Transcript,
    TranscriptInfo,
    Verdict,
)
from .paths import check_session_name, session_path, sessions_dir
from .session_checks import (
    SESSION_FORMAT,
    check_format,
    check_label,
    check_points,
    check_structure,
    check_tags,
)
from .session_data import Change, NewTranscript, SessionSnapshot, change_from_doc
from .storage import AtomicJSONStorage, SessionBrokenError, SessionLock, load_json_file

_TAG_RE = re.compile(r"[a-z0-9][a-z0-9 _-]{0,39}")
_UNSET: Any = object()


def now() -> str:
    """The current time as an ISO-8601 UTC string (tests replace this to freeze time)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Session:
    """An open session file. Writers hold a lock; every change is durable when a call returns."""

    def __init__(self, path: Path, read_only: bool = False, purpose: str = "hwreview") -> None:
        self.path = path
        self.name = path.stem
        self.read_only = read_only
        self._lock = SessionLock(path, purpose)
        if not read_only:
            self._lock.acquire()
        try:
            self.storage = AtomicJSONStorage(path, read_only=read_only)
            data = self.storage.read()
            if data is not None:
                check_format(path, data)
                check_structure(path, data)
            if not read_only:
                self.storage.remove_stale_temp_files()
            self._db = TinyDB(storage=lambda: self.storage)
        except BaseException:
            self._lock.release()
            raise
        self._assignment: Assignment | None = None
        self._transcripts: tuple[TranscriptInfo, ...] | None = None
        self._stamp = self._file_stamp()

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def reload_if_changed(self) -> bool:
        """For a read-only viewer: pick up what the writer saved since; True if anything did."""
        if not self.read_only:
            return False
        stamp = self._file_stamp()
        if stamp is None or stamp == self._stamp:
            return False
        try:
            data = load_json_file(self.path)
            if data is None:
                return False
            check_format(self.path, data)
            check_structure(self.path, data)
        except HwReviewError:
            return False  # keep showing the last good state
        self._stamp = stamp
        self.storage.forget()
        for name in ("meta", "transcripts", "grades", "history"):
            self._db.table(name).clear_cache()
        self._transcripts = None
        return True

    # ------------------------------------------------------------------ opening

    @classmethod
    def create(
        cls,
        root: Path,
        name: str,
        key_path: Path,
        key_text: str,
        transcripts: Sequence[NewTranscript],
        grader: str = "",
    ) -> Session:
        """Create `sessions/NAME.json`; refuses to overwrite an existing session."""
        path = session_path(root, name)
        if path.exists():
            raise HwReviewError(f"session {path.stem!r} already exists ({path})")
        if not transcripts:
            raise HwReviewError("a session needs at least one transcript")
        assignment = parse_key(key_text, source=str(key_path))
        labels = [check_label(t.label) for t in transcripts]
        if len(set(labels)) != len(labels):
            raise HwReviewError(f"transcript labels must differ: got {', '.join(labels)}")
        for number, label in enumerate(labels, start=1):
            if re.fullmatch(r"t\d+", label) and label != f"t{number}":
                raise HwReviewError(
                    f"label {label!r} is the id of another transcript: choose another label"
                )
        if sessions_dir(root).exists() and not sessions_dir(root).is_dir():
            raise HwReviewError(f"{sessions_dir(root)} is a file: sessions need a folder there")
        sessions_dir(root).mkdir(parents=True, exist_ok=True)
        session = cls(path)
        if session.storage.read() is not None:  # created by someone else since the check above
            session.close()
            raise HwReviewError(f"session {path.stem!r} already exists ({path})")
        try:
            stamp = now()
            with session.storage.batch():
                session._db.table("meta").insert(
                    {
                        "format": SESSION_FORMAT,
                        "name": path.stem,
                        "created": stamp,
                        "updated": stamp,
                        "grader": grader,
                        "key": {
                            "path": str(key_path),
                            "sha256": _sha256(key_text),
                            "title": assignment.title,
                            "text": key_text,
                        },
                        "findings": "",
                        "conclusion": "",
                        "tags": list(DEFAULT_TAGS),
                        "position": {"part": assignment.parts[0].id, "transcript": "t1"},
                    }
                )
                table = session._db.table("transcripts")
                for number, entry in enumerate(transcripts, start=1):
                    table.insert(
                        {
                            "id": f"t{number}",
                            "label": check_label(entry.label),
                            "path": entry.path,
                            "transcript": entry.transcript.to_json(),
                            "alignments": {
                                part.id: (
                                    entry.alignments.get(part.id) or Alignment(part.id, NOT_FOUND)
                                ).to_json()
                                for part in assignment.parts
                            },
                        }
                    )
        except BaseException:
            session.close()
            path.unlink(missing_ok=True)
            raise
        return session

    @classmethod
    def open(
        cls, root: Path, name: str, read_only: bool = False, purpose: str = "hwreview"
    ) -> Session:
        """Open an existing session (read-only needs no lock)."""
        path = session_path(root, name)
        if not path.exists():
            raise HwReviewError(f"no session named {check_session_name(name)!r} in {path.parent}")
        return cls(path, read_only=read_only, purpose=purpose)

    def close(self) -> None:
        """Release the lock; every change is already on disk."""
        self._lock.release()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading

    @property
    def meta(self) -> dict[str, Any]:
        """The session's metadata document."""
        docs = self._db.table("meta").all()
        if not docs:
            raise SessionBrokenError(f"{self.path} is damaged (no metadata)")
        return docs[0]

    @property
    def assignment(self) -> Assignment:
        """The answer key as copied into the session when it was created."""
        if self._assignment is None:
            key = self.meta["key"]
            try:
                self._assignment = parse_key(key["text"], source=key.get("path") or "<key>")
            except KeyFileError as exc:
                raise SessionBrokenError(
                    f"{self.path}: its copy of the key no longer parses: {exc}"
                ) from None
        return self._assignment

    def key_changed(self) -> bool:
        """True when the key file on disk differs from the copy the session was made with."""
        key = self.meta["key"]
        try:
            path = Path(key["path"])
            if not path.is_absolute():  # stored relative to the home that holds sessions/
                path = self.path.parent.parent / path
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, KeyError, TypeError):
            return False
        return _sha256(text) != key.get("sha256")

    @property
    def transcripts(self) -> tuple[TranscriptInfo, ...]:
        """The session's transcripts in the order they were added."""
        if self._transcripts is None:
            self._transcripts = tuple(
                TranscriptInfo(
                    id=doc["id"],
                    label=doc["label"],
                    path=doc.get("path", ""),
                    transcript=Transcript.from_json(doc["transcript"]),
                    alignments={
                        pid: Alignment.from_json(a) for pid, a in doc.get("alignments", {}).items()
                    },
                )
                for doc in self._db.table("transcripts").all()
            )
        return self._transcripts

    def transcript(self, which: str | None = None) -> TranscriptInfo:
        """A transcript by id or label (the first one by default)."""
        if not self.transcripts:
            raise SessionBrokenError(f"{self.path} is damaged (no transcripts)")
        if which is None:
            return self.transcripts[0]
        for info in self.transcripts:
            if which in (info.id, info.label):
                return info
        labels = ", ".join(t.label for t in self.transcripts)
        raise HwReviewError(
            f"no transcript {which!r} in session {self.name!r}: labels are {labels}"
        )

    def grade(self, part_id: str, transcript_id: str) -> Grade:
        """The current grade of one (part, transcript)."""
        doc = self._db.table("grades").get(
            (Query().part == part_id) & (Query().transcript == transcript_id)
        )
        return Grade.from_json(doc) if doc else Grade(part_id, transcript_id)

    def grades(self) -> dict[tuple[str, str], Grade]:
        """Every recorded grade by (part id, transcript id)."""
        return {
            (doc["part"], doc["transcript"]): Grade.from_json(doc)
            for doc in self._db.table("grades").all()
        }

    def history(self) -> list[Change]:
        """The audit history, oldest first."""
        return [change_from_doc(doc) for doc in self._db.table("history").all()]

    @property
    def tags(self) -> tuple[str, ...]:
        """The error tags graders can choose from: defaults plus their own."""
        return tuple(self.meta.get("tags") or DEFAULT_TAGS)

    @property
    def position(self) -> tuple[str, str]:
        """The (part, transcript) the grader was last on, for resuming."""
        pos = self.meta.get("position") or {}
        parts = self.assignment.parts
        part = pos.get("part") if pos.get("part") in {p.id for p in parts} else parts[0].id
        return part, pos.get("transcript") or self.transcripts[0].id

    def progress(self) -> tuple[int, int]:
        """(graded, total) over every (part, transcript) pair."""
        total = len(self.assignment.parts) * len(self.transcripts)
        graded = sum(1 for g in self.grades().values() if g.verdict.graded)
        return graded, total

    def snapshot(self) -> SessionSnapshot:
        """Everything a report needs, as pure data."""
        meta = self.meta
        return SessionSnapshot(
            name=self.name,
            assignment=self.assignment,
            transcripts=self.transcripts,
            grades=self.grades(),
            grader=meta.get("grader", ""),
            created=meta.get("created", ""),
            updated=meta.get("updated", ""),
            findings=meta.get("findings", ""),
            conclusion=meta.get("conclusion", ""),
            key_path=meta["key"].get("path", ""),
            key_sha256=meta["key"].get("sha256", ""),
            tags=self.tags,
            history_count=len(self._db.table("history")),
        )

    # ------------------------------------------------------------------ writing

    def set_grade(
        self,
        part_id: str,
        transcript_id: str | None = None,
        *,
        verdict: Verdict | str = _UNSET,
        points: float | None = _UNSET,
        tags: Iterable[str] = _UNSET,
        note: str = _UNSET,
        add_seconds: float = 0.0,
    ) -> Grade:
        """Change any fields of one grade; the change and its audit entries land in one write."""
        part = self.assignment.part(part_id)
        info = self.transcript(transcript_id)
        old = self.grade(part.id, info.id)
        new_values: dict[str, Any] = {}
        if verdict is not _UNSET:
            new_values["verdict"] = (
                verdict if isinstance(verdict, Verdict) else Verdict.parse(verdict)
            ).value
        if points is not _UNSET:
            new_values["points"] = check_points(part.id, part.points, points)
        if tags is not _UNSET:
            new_values["tags"] = check_tags(tags, self.tags, self.name)
        if note is not _UNSET:
            new_values["note"] = note.strip()
        changes = {k: v for k, v in new_values.items() if old.to_json()[k] != v}
        if not changes and not add_seconds:
            return old
        return self._apply(part.id, info.id, changes, add_seconds=add_seconds)

    def add_time(
        self,
        part_id: str,
        transcript_id: str,
        seconds: float,
        position: tuple[str, str] | None = None,
    ) -> None:
        """Add time spent on a part (not audited), and move the resume position in the same write."""
        self.add_times({(part_id, transcript_id): seconds}, position)

    def add_times(
        self,
        seconds: Mapping[tuple[str, str], float],
        position: tuple[str, str] | None = None,
    ) -> None:
        """Add time to several (part, transcript) pairs and set the resume position: one write."""
        if self.read_only:
            return
        with self.storage.batch():
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
        grades = self._db.table("grades")
        history = self._db.table("history")
        cond = (Query().part == part_id) & (Query().transcript == transcript_id)
        doc = grades.get(cond)
        old = (Grade.from_json(doc) if doc else Grade(part_id, transcript_id)).to_json()
        stamp = now()
        new = dict(old, **changes)
        new["seconds"] = round(float(old["seconds"]) + max(0.0, add_seconds), 3)
        if changes:
            new["updated"] = stamp
        with self.storage.batch():
            grades.upsert(new, cond)
            if changes:
                action = len(history) + 1
                for name, value in changes.items():
                    entry = {
                        "seq": len(history) + 1,
                        "at": stamp,
                        "action": action,
                        "part": part_id,
                        "transcript": transcript_id,
                        "field": name,
                        "old": old[name],
                        "new": value,
                    }
                    if undoes is not None:
                        entry["undoes"] = undoes
                    history.insert(entry)
                self._touch(stamp, position={"part": part_id, "transcript": transcript_id})
        return Grade.from_json(new)

    def next_undo(self) -> Change | None:
        """The change `undo` would revert next: the latest one not undone (and not an undo)."""
        entries = self.history()
        undone = {e.undoes for e in entries if e.undoes is not None}
        for entry in reversed(entries):
            if entry.undoes is None and entry.action not in undone:
                return entry
        return None

    def undo(self) -> Change | None:
        """Revert the latest change not yet undone; returns one of its entries, or None."""
        entry = self.next_undo()
        if entry is None:
            return None
        if entry.field == "span":
            self._set_alignment(entry.transcript_id, entry.part_id, entry.old, undoes=entry.action)
        else:
            group = [e for e in self.history() if e.action == entry.action]
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
        part = self.assignment.part(part_id)
        info = self.transcript(transcript_id)
        alignment = Alignment(
            part.id, status or (FOUND if span else NOT_FOUND), span=span, manual=True
        )
        self._set_alignment(info.id, part.id, alignment.to_json())
        return alignment

    def _set_alignment(
        self, transcript_id: str, part_id: str, value: dict[str, Any], undoes: int | None = None
    ) -> None:
        table = self._db.table("transcripts")
        doc = table.get(Query().id == transcript_id)
        if doc is None:
            raise HwReviewError(f"no transcript {transcript_id!r}")
        alignments = dict(doc.get("alignments", {}))
        old = alignments.get(part_id)
        if value is None:  # undoing the first span of a part that had none
            alignments.pop(part_id, None)
        else:
            alignments[part_id] = value
        stamp = now()
        with self.storage.batch():
            table.update({"alignments": alignments}, Query().id == transcript_id)
            history = self._db.table("history")
            entry = {
                "seq": len(history) + 1,
                "at": stamp,
                "action": len(history) + 1,
                "part": part_id,
                "transcript": transcript_id,
                "field": "span",
                "old": old,
                "new": value,
            }
            if undoes is not None:
                entry["undoes"] = undoes
            history.insert(entry)
            self._touch(stamp)
        self._transcripts = None

    def set_notes(self, findings: str | None = None, conclusion: str | None = None) -> None:
        """Set the session's key findings and/or conclusion (Markdown)."""
        changes: dict[str, Any] = {}
        if findings is not None:
            changes["findings"] = findings.strip()
        if conclusion is not None:
            changes["conclusion"] = conclusion.strip()
        if changes:
            self._update_meta(changes)

    def set_grader(self, grader: str) -> None:
        """Set the grader's name."""
        self._update_meta({"grader": grader.strip()})

    def add_tag(self, tag: str) -> str:
        """Add an error tag of the grader's own to the session's list."""
        clean = tag.strip().lower()
        if not _TAG_RE.fullmatch(clean):
            raise HwReviewError(
                f"bad tag {tag!r}: use up to 40 lowercase letters, digits, spaces, '-' or '_'"
            )
        if clean not in self.tags:
            self._update_meta({"tags": [*self.tags, clean]})
        return clean

    def set_position(self, part_id: str, transcript_id: str) -> None:
        """Remember where the grader is, so resuming returns there."""
        if self.read_only:
            return
        if self.meta.get("position") != {"part": part_id, "transcript": transcript_id}:
            self._db.table("meta").update(
                {"position": {"part": part_id, "transcript": transcript_id}}
            )

    def _update_meta(self, changes: dict[str, Any]) -> None:
        changes = dict(changes, updated=now())
        self._db.table("meta").update(changes)

    def _touch(self, stamp: str, position: dict[str, str] | None = None) -> None:
        changes: dict[str, Any] = {"updated": stamp}
        if position:
            changes["position"] = position
        self._db.table("meta").update(changes)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def list_sessions(root: Path) -> list[Path]:
    """Every session file in `sessions/`, by name."""
    folder = sessions_dir(root)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))

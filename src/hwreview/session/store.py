"""The core of an open session: the locked file, its tables, metadata, audit rows, cached reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Table

from hwreview import clock
from hwreview.errors import HwReviewError, KeyFileError, SessionBrokenError
from hwreview.keys.parser import parse_key
from hwreview.model import DEFAULT_TAGS, Alignment, Assignment, Grade, Transcript, TranscriptInfo
from hwreview.session.checks import SESSION_FORMAT, SESSION_VERSION, check_format, check_structure
from hwreview.session.data import Change, audit_entry, change_from_doc
from hwreview.session.storage import (
    AtomicJSONStorage,
    SessionLock,
    atomic_write_bytes,
    load_json_file,
)

# Every table a session file may hold (a reload forgets each one's cache).
TABLES = (
    "meta",
    "transcripts",
    "grades",
    "history",
    "preferences",
    "errata",
    "rubric",
    "merged",
    "suggestions",
    "span_candidates",
    "pair_suggestions",
)


class SessionStore:
    """The file under its lock and its tables: what every feature of a session is built on.

    Features write through `table`, `batch`, `audit` and `touch`; after changing the key or a
    transcript they call `forget_key` / `forget_transcripts` so the cached reads are rebuilt.
    """

    def __init__(self, path: Path, read_only: bool = False, purpose: str = "hwreview") -> None:
        self.path = path
        self.name = path.stem
        self.read_only = read_only
        self.lock = SessionLock(path, purpose)
        if not read_only:
            if path.is_symlink():
                raise HwReviewError(
                    f"{path} is a symbolic link: hwreview saves only a real session file "
                    "(copy the session into sessions/ to grade it)"
                )
            self.lock.acquire()
        try:
            self.storage = AtomicJSONStorage(path, read_only=read_only)
            data = self.storage.read()
            version = SESSION_VERSION
            if data is not None:
                version = check_format(path, data)
                check_structure(path, data)
            if not read_only:
                self.storage.remove_stale_temp_files()
            self._db = TinyDB(storage=lambda: self.storage)
            if data is not None and version < SESSION_VERSION and not read_only:
                self._migrate(version)
        except BaseException:
            self.lock.release()
            raise
        self._assignment: Assignment | None = None
        self._transcripts: tuple[TranscriptInfo, ...] | None = None
        self._stamp = self._file_stamp()

    def _migrate(self, version: int) -> None:
        """Rewrite an older session in the current format, keeping the old file as a backup.

        Format 1 held every transcript inline; the first save stores them as blobs beside the
        session. `NAME.json.v1.bak` keeps the file exactly as it was, for an older hwreview.
        """
        keep = self.path.with_name(f"{self.path.name}.v{version}.bak")
        if not keep.exists():
            atomic_write_bytes(keep, self.path.read_bytes())
        self._db.table("meta").update({"format": SESSION_FORMAT})

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def close(self) -> None:
        """Release the lock; every change is already on disk."""
        self.lock.release()

    def reload_if_changed(self) -> bool:
        """For a read-only viewer: pick up what the writer saved since; True if anything did."""
        if not self.read_only:
            return False
        stamp = self._file_stamp()
        if stamp is None or stamp == self._stamp:
            return False
        try:
            data = load_json_file(self.path, self.storage.blobs)
            if data is None:
                return False
            check_format(self.path, data)
            check_structure(self.path, data)
        except HwReviewError:
            return False  # keep showing the last good state
        self._stamp = stamp
        self.storage.forget()
        for name in TABLES:
            self._db.table(name).clear_cache()
        self._transcripts = None
        return True

    # ------------------------------------------------------------------ tables and writes

    def table(self, name: str) -> Table:
        """One table of the session file (TinyDB), read and written in place."""
        return self._db.table(name)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group the writes made inside into one durable write of the file."""
        with self.storage.batch():
            yield

    @property
    def meta(self) -> dict[str, Any]:
        """The metadata document, for the session's features (callers use typed properties)."""
        docs = self._db.table("meta").all()
        if not docs:
            raise SessionBrokenError(f"{self.path} is damaged (no metadata)")
        return docs[0]

    def set_meta(self, changes: dict[str, Any]) -> None:
        """Change metadata fields as given (no time stamp)."""
        self._db.table("meta").update(changes)

    def update_meta(self, changes: dict[str, Any]) -> None:
        """Change metadata fields a grader edits, noting when the session changed."""
        self._db.table("meta").update(dict(changes, updated=clock.now()))

    def touch(self, stamp: str, position: dict[str, str] | None = None) -> None:
        """Note when the session last changed and, for a grade, where the grader was."""
        changes: dict[str, Any] = {"updated": stamp}
        if position:
            changes["position"] = position
        self._db.table("meta").update(changes)

    def next_action(self) -> int:
        """The action number the next audit rows of one user action share."""
        return len(self._db.table("history")) + 1

    def audit(
        self,
        stamp: str,
        part_id: str,
        transcript_id: str,
        field: str,
        old: Any,
        new: Any,
        *,
        action: int | None = None,
        undoes: int | None = None,
    ) -> None:
        """Append one row to the audit history (see `data.audit_entry`)."""
        history = self._db.table("history")
        history.insert(
            audit_entry(
                history,
                stamp,
                part_id,
                transcript_id,
                field,
                old,
                new,
                action=action,
                undoes=undoes,
            )  # fmt: skip
        )

    # ------------------------------------------------------------------ cached reads

    @property
    def assignment(self) -> Assignment:
        """The answer key as copied into the session (parsed once)."""
        if self._assignment is None:
            key = self.meta["key"]
            try:
                self._assignment = parse_key(key["text"], source=key.get("path") or "<key>")
            except KeyFileError as exc:
                raise SessionBrokenError(
                    f"{self.path}: its copy of the key no longer parses: {exc}"
                ) from None
        return self._assignment

    def forget_key(self) -> None:
        """The key was replaced: parse it again when next read."""
        self._assignment = None

    @property
    def transcripts(self) -> tuple[TranscriptInfo, ...]:
        """The session's transcripts in the order they were added (read once)."""
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

    def forget_transcripts(self) -> None:
        """A transcript or its alignments changed: read them again when next needed."""
        self._transcripts = None

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

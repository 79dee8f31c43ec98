"""A grading session: the key, the transcripts, every grade and its audit history, on disk."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from hwreview import clock
from hwreview.errors import HwReviewError, KeyFileError, SessionBrokenError
from hwreview.keys.parser import parse_key, read_key_text
from hwreview.model import (
    DEFAULT_TAGS,
    Alignment,
    Assignment,
    Grade,
    Transcript,
    TranscriptInfo,
)
from hwreview.paths import session_path, sessions_dir
from hwreview.session.checks import (
    SESSION_FORMAT,
    SESSION_VERSION,
    check_format,
    check_label,
    check_structure,
)
from hwreview.session.data import Change, NewTranscript, SessionSnapshot, change_from_doc
from hwreview.session.edits import SessionEdits
from hwreview.session.judgements import Judgements
from hwreview.session.living import LivingSession, transcript_doc
from hwreview.session.merged import MergeRecord
from hwreview.session.rubric import Rubrics
from hwreview.session.storage import (
    AtomicJSONStorage,
    SessionLock,
    atomic_write_bytes,
    load_json_file,
)
from hwreview.session.suggestions import Suggestions
from hwreview.session.turns import TurnRoles


class Session(
    Judgements, MergeRecord, Rubrics, LivingSession, TurnRoles, Suggestions, SessionEdits
):
    """An open session file. Writers hold a lock; every change is durable when a call returns."""

    def __init__(self, path: Path, read_only: bool = False, purpose: str = "hwreview") -> None:
        self.path = path
        self.name = path.stem
        self.read_only = read_only
        self._lock = SessionLock(path, purpose)
        if not read_only:
            if path.is_symlink():
                raise HwReviewError(
                    f"{path} is a symbolic link: hwreview saves only a real session file "
                    "(copy the session into sessions/ to grade it)"
                )
            self._lock.acquire()
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
            self._lock.release()
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
        for name in (
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
        ):
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
            stamp = clock.now()
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
                for number, (entry, label) in enumerate(zip(transcripts, labels, strict=True), 1):
                    table.insert(transcript_doc(number, entry, assignment, label))
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
        return cls(existing_session(root, name), read_only=read_only, purpose=purpose)

    def close(self) -> None:
        """Release the lock; every change is already on disk."""
        self._lock.release()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading

    @property
    def _meta(self) -> dict[str, Any]:
        """The session's metadata document (private: read it through the typed properties)."""
        docs = self._db.table("meta").all()
        if not docs:
            raise SessionBrokenError(f"{self.path} is damaged (no metadata)")
        return docs[0]

    @property
    def assignment(self) -> Assignment:
        """The answer key as copied into the session when it was created."""
        if self._assignment is None:
            key = self._meta["key"]
            try:
                self._assignment = parse_key(key["text"], source=key.get("path") or "<key>")
            except KeyFileError as exc:
                raise SessionBrokenError(
                    f"{self.path}: its copy of the key no longer parses: {exc}"
                ) from None
        return self._assignment

    @property
    def home(self) -> Path:
        """The folder that holds this session's `sessions/` folder, against which key paths are stored."""
        return self.path.parent.parent

    def key_changed(self) -> bool:
        """True when the key file on disk differs from the copy the session was made with."""
        path = self.key_file
        if path is None:
            return False
        try:
            text = read_key_text(path)  # a regular file of bounded size only
        except HwReviewError:
            return False
        return bool(_sha256(text) != self._meta["key"].get("sha256"))

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

    @property
    def key_path(self) -> str:
        """The answer key's path as the user gave it (relative to the home when inside it)."""
        return str(self._meta["key"].get("path") or "")

    @property
    def key_sha256(self) -> str:
        """The sha256 of the session's copy of the key: sessions of one key share it."""
        return str(self._meta["key"].get("sha256") or "")

    @property
    def key_text(self) -> str:
        """The session's own copy of the answer key's Markdown."""
        return str(self._meta["key"]["text"])

    @property
    def key_file(self) -> Path | None:
        """Where the answer key lies on disk now, or None for a packaged or unnamed key."""
        if not self.key_path or self.key_path.startswith("hwreview:"):
            return None
        path = Path(self.key_path)
        return path if path.is_absolute() else self.home / path

    @property
    def grader(self) -> str:
        """Who grades this session."""
        return str(self._meta.get("grader") or "")

    @property
    def findings(self) -> str:
        """The grader's key findings for the report."""
        return str(self._meta.get("findings") or "")

    @property
    def conclusion(self) -> str:
        """The grader's conclusion for the report."""
        return str(self._meta.get("conclusion") or "")

    @property
    def updated(self) -> str:
        """When the session last changed (ISO 8601, UTC), or ''."""
        return str(self._meta.get("updated") or "")

    def history(self) -> list[Change]:
        """The audit history, oldest first."""
        return [change_from_doc(doc) for doc in self._db.table("history").all()]

    @property
    def tags(self) -> tuple[str, ...]:
        """The error tags graders can choose from: defaults plus their own."""
        return tuple(self._meta.get("tags") or DEFAULT_TAGS)

    @property
    def position(self) -> tuple[str, str]:
        """The (part, transcript) the grader was last on, for resuming."""
        pos = self._meta.get("position") or {}
        parts = self.assignment.parts
        part = pos.get("part") if pos.get("part") in {p.id for p in parts} else parts[0].id
        return str(part), str(pos.get("transcript") or self.transcripts[0].id)

    def progress(self) -> tuple[int, int]:
        """(graded, total) over every (part, transcript) pair."""
        total = len(self.assignment.parts) * len(self.transcripts)
        graded = sum(1 for g in self.grades().values() if g.verdict.graded)
        return graded, total

    def snapshot(self) -> SessionSnapshot:
        """Everything a report needs, as pure data."""
        meta = self._meta
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
            preferences=self.preferences(),
            rubric=self.rubric_items(),
            errata=self.errata(),
            suggestions=self.suggestions(),
        )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def list_sessions(root: Path) -> list[Path]:
    """Every session file in `sessions/`, by name."""
    folder = sessions_dir(root)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))


def existing_session(root: Path, name: str) -> Path:
    """The file of an existing session, or an error saying how to see which ones exist."""
    path = session_path(root, name)
    if not path.exists():
        raise HwReviewError(
            f"no session named {path.stem!r} in {path.parent} (hwreview list shows the saved ones)"
        )
    return path

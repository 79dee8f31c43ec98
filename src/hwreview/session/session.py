"""A grading session: the key, the transcripts, every grade and its audit history, on disk."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from hwreview import clock
from hwreview.errors import HwReviewError
from hwreview.keys.parser import parse_key, read_key_text
from hwreview.model import DEFAULT_TAGS, Alignment, Assignment, Grade, Span, TranscriptInfo, Verdict
from hwreview.paths import session_path, sessions_dir
from hwreview.session.checks import SESSION_FORMAT, check_label
from hwreview.session.data import Change, NewTranscript, SessionSnapshot
from hwreview.session.edits import UNSET, Edits
from hwreview.session.judgements import Judgements
from hwreview.session.living import Living, transcript_doc
from hwreview.session.merged import MergeRecord
from hwreview.session.rubric import Rubric
from hwreview.session.store import SessionStore
from hwreview.session.suggestions import Suggestions
from hwreview.session.turns import Turns


class Session:
    """An open session file. Writers hold a lock; every change is durable when a call returns.

    The file and its tables are `store`; each feature is an object built on it: `rubric`,
    `judgements` (preferences, errata), `suggestions` (a judge's), `living` (add a transcript,
    rekey), `turns` (who wrote a message) and `merge` (a merged session's provenance). Grades,
    spans, notes and undo stay here, as every face uses them.
    """

    def __init__(self, path: Path, read_only: bool = False, purpose: str = "hwreview") -> None:
        self.store = SessionStore(path, read_only=read_only, purpose=purpose)
        self.rubric = Rubric(self.store)
        self.judgements = Judgements(self.store)
        self.edits = Edits(self.store, self.rubric, self.judgements)
        self.suggestions = Suggestions(self.store, self.judgements, self.edits)
        self.living = Living(self.store)
        self.turns = Turns(self.store)
        self.merge = MergeRecord(self.store, self.edits)

    @property
    def path(self) -> Path:
        """The session file."""
        return self.store.path

    @property
    def name(self) -> str:
        """The session's name (its file name without `.json`)."""
        return self.store.name

    @property
    def read_only(self) -> bool:
        """True for a viewer that holds no lock and never writes."""
        return self.store.read_only

    def reload_if_changed(self) -> bool:
        """For a read-only viewer: pick up what the writer saved since; True if anything did."""
        return self.store.reload_if_changed()

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
        if (
            session.store.storage.read() is not None
        ):  # created by someone else since the check above
            session.close()
            raise HwReviewError(f"session {path.stem!r} already exists ({path})")
        try:
            stamp = clock.now()
            with session.store.batch():
                session.store.table("meta").insert(
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
                table = session.store.table("transcripts")
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
        self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading

    @property
    def assignment(self) -> Assignment:
        """The answer key as copied into the session when it was created."""
        return self.store.assignment

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
        return bool(_sha256(text) != self.store.meta["key"].get("sha256"))

    @property
    def transcripts(self) -> tuple[TranscriptInfo, ...]:
        """The session's transcripts in the order they were added."""
        return self.store.transcripts

    def transcript(self, which: str | None = None) -> TranscriptInfo:
        """A transcript by id or label (the first one by default)."""
        return self.store.transcript(which)

    def grade(self, part_id: str, transcript_id: str) -> Grade:
        """The current grade of one (part, transcript)."""
        return self.store.grade(part_id, transcript_id)

    def grades(self) -> dict[tuple[str, str], Grade]:
        """Every recorded grade by (part id, transcript id)."""
        return self.store.grades()

    @property
    def key_path(self) -> str:
        """The answer key's path as the user gave it (relative to the home when inside it)."""
        return str(self.store.meta["key"].get("path") or "")

    @property
    def key_sha256(self) -> str:
        """The sha256 of the session's copy of the key: sessions of one key share it."""
        return str(self.store.meta["key"].get("sha256") or "")

    @property
    def key_text(self) -> str:
        """The session's own copy of the answer key's Markdown."""
        return str(self.store.meta["key"]["text"])

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
        return str(self.store.meta.get("grader") or "")

    @property
    def findings(self) -> str:
        """The grader's key findings for the report."""
        return str(self.store.meta.get("findings") or "")

    @property
    def conclusion(self) -> str:
        """The grader's conclusion for the report."""
        return str(self.store.meta.get("conclusion") or "")

    @property
    def updated(self) -> str:
        """When the session last changed (ISO 8601, UTC), or ''."""
        return str(self.store.meta.get("updated") or "")

    def history(self) -> list[Change]:
        """The audit history, oldest first."""
        return self.store.history()

    @property
    def tags(self) -> tuple[str, ...]:
        """The error tags graders can choose from: defaults plus their own."""
        return self.store.tags

    @property
    def position(self) -> tuple[str, str]:
        """The (part, transcript) the grader was last on, for resuming."""
        pos = self.store.meta.get("position") or {}
        parts = self.assignment.parts
        part = pos.get("part") if pos.get("part") in {p.id for p in parts} else parts[0].id
        return str(part), str(pos.get("transcript") or self.transcripts[0].id)

    def progress(self) -> tuple[int, int]:
        """(graded, total) over every (part, transcript) pair."""
        total = len(self.assignment.parts) * len(self.transcripts)
        graded = sum(1 for g in self.grades().values() if g.verdict.graded)
        return graded, total

    # ------------------------------------------------------------------ grading

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
        """Change any fields of one grade in one durable write (see `Edits.set_grade`)."""
        return self.edits.set_grade(
            part_id, transcript_id, verdict=verdict, points=points, tags=tags, note=note,
            rubric=rubric, add_seconds=add_seconds,
        )  # fmt: skip

    def add_times(
        self,
        seconds: Mapping[tuple[str, str], float],
        position: tuple[str, str] | None = None,
    ) -> None:
        """Add time to several (part, transcript) pairs and set the resume position: one write."""
        self.edits.add_times(seconds, position)

    def next_undo(self) -> Change | None:
        """The change `undo` would revert next: the latest one not undone (and not an undo)."""
        return self.edits.next_undo()

    def undo(self) -> Change | None:
        """Revert the latest change not yet undone; returns one of its entries, or None."""
        return self.edits.undo()

    def set_alignment(
        self, transcript_id: str, part_id: str, span: Span | None, status: str | None = None
    ) -> Alignment:
        """Fix where a transcript answers a part (None: not answered); it wins over automatic."""
        return self.edits.set_alignment(transcript_id, part_id, span, status)

    def set_notes(self, findings: str | None = None, conclusion: str | None = None) -> None:
        """Set the session's key findings and/or conclusion (Markdown)."""
        self.edits.set_notes(findings, conclusion)

    def set_grader(self, grader: str) -> None:
        """Set the grader's name."""
        self.edits.set_grader(grader)

    def add_tag(self, tag: str) -> str:
        """Add an error tag of the grader's own to the session's list."""
        return self.edits.add_tag(tag)

    def set_position(self, part_id: str, transcript_id: str) -> None:
        """Remember where the grader is, so resuming returns there."""
        self.edits.set_position(part_id, transcript_id)

    def snapshot(self) -> SessionSnapshot:
        """Everything a report needs, as pure data."""
        meta = self.store.meta
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
            history_count=len(self.store.table("history")),
            preferences=self.judgements.preferences(),
            rubric=self.rubric.items(),
            errata=self.judgements.errata(),
            suggestions=self.suggestions.verdicts(),
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

"""Operations shared by the CLI and the TUI: making sessions from files, the demo, exports."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.resources
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hwreview.errors import ForeignTranscriptError, HwReviewError
from hwreview.files import regular_or_missing, write_output
from hwreview.keys.parser import parse_key, read_key_text
from hwreview.model import FOUND, Assignment, Transcript, TranscriptInfo
from hwreview.paths import session_path, sessions_dir
from hwreview.report.formats import render
from hwreview.session.blobs import blob_dir
from hwreview.session.data import NewTranscript
from hwreview.session.drafts import drafts_path
from hwreview.session.living import RekeyResult
from hwreview.session.session import Session, existing_session
from hwreview.session.storage import SessionLock, backup_path

DEMO_NAME = "demo"
BUNDLED_PREFIX = "hwreview:"
DEMO_KEY = BUNDLED_PREFIX + "demo/demo.md"
DEMO_TRANSCRIPTS = (("one-shot.md", "one-shot"), ("turn-by-turn.md", "turn-by-turn"))


@dataclass(frozen=True)
class TranscriptSource:
    """A transcript file to load, with an optional label, format and conversation."""

    path: Path
    label: str = ""
    format: str | None = None
    conversation: str | None = None
    url: str = ""  # a share link to fetch instead of reading `path`


def default_label(path: Path, taken: Sequence[str]) -> str:
    """A label from the file name, made unique among `taken`."""
    base = path.stem or "transcript"
    label, n = base, 2
    while label in taken:
        label, n = f"{base}-{n}", n + 1
    return label


def aligned(
    assignment: Assignment, transcript: Transcript, label: str, path: str, force: bool = True
) -> NewTranscript:
    """A transcript ready for a new session: labelled, with every part's answer found.

    Unless `force`, a transcript that does not look like an answer to the key (another
    homework) raises ForeignTranscriptError naming the best match count."""
    from hwreview.transcripts.align import align, belonging
    from hwreview.transcripts.recorded import align_recorded, records_parts

    alignments = align(assignment, transcript)
    if not force:
        fit = belonging(assignment, transcript, alignments)
        if not fit.belongs:
            raise ForeignTranscriptError(path, fit.matched, fit.total, fit.vocabulary)
    if records_parts(transcript):  # collected: which turn asked which part is known, not guessed
        alignments = align_recorded(transcript, alignments)
    return NewTranscript(transcript, label, alignments, path)


def load_sources(
    assignment: Assignment, sources: Sequence[TranscriptSource], force: bool = False
) -> list[NewTranscript]:
    """Load every transcript file and align it against the key."""
    from hwreview.transcripts import load_transcript
    from hwreview.transcripts.share import fetch_shared

    loaded: list[NewTranscript] = []
    for source in sources:
        if source.url:
            transcript = fetch_shared(source.url)
        else:
            transcript = load_transcript(source.path, source.format, source.conversation)
        label = source.label or default_label(source.path, [t.label for t in loaded])
        where = source.url or str(source.path)
        loaded.append(aligned(assignment, transcript, label, where, force=force))
    return loaded


def transcript_source(value: str, **options: Any) -> TranscriptSource:
    """A --transcript value as a source: a share link (http/https) or a file path."""
    from hwreview.transcripts.providers import is_url

    if is_url(value):
        name = value.rstrip("/").rsplit("/", 1)[-1] or "shared"
        return TranscriptSource(path=Path(name[:60]), url=value.strip(), **options)
    return TranscriptSource(path=Path(value), **options)


def create_session(
    root: Path,
    name: str,
    key: Path,
    sources: Sequence[TranscriptSource],
    grader: str = "",
    force: bool = False,
) -> Session:
    """Create a session from a key file and transcript files; returns it open for writing."""
    path = session_path(root, name)
    if path.exists():
        raise HwReviewError(f"session {path.stem!r} already exists ({path})")
    key_text = read_key_text(key)
    assignment = parse_key(key_text, source=str(key))  # every key problem as FILE:LINE first
    transcripts = load_sources(assignment, sources, force=force)
    return Session.create(root, name, _display_path(root, key), key_text, transcripts, grader)


def add_transcript(session: Session, source: TranscriptSource) -> TranscriptInfo:
    """Load a transcript file, align it against the session's key and add it (backed up first)."""
    from hwreview.transcripts import load_transcript

    transcript = load_transcript(source.path, source.format, source.conversation)
    label = source.label or default_label(source.path, [t.label for t in session.transcripts])
    entry = aligned(session.assignment, transcript, label, str(source.path))
    return session.living.add_transcript(entry)


def stored_key_path(session: Session) -> Path:
    """The key file a session was made from (relative paths are inside its home)."""
    raw = session.key_path
    if raw.startswith(BUNDLED_PREFIX):
        raise HwReviewError(
            f"session {session.name!r} uses the bundled demo key: give the new key with --key"
        )
    path = Path(raw)
    return path if path.is_absolute() else session.home / path


def rekey(session: Session, root: Path, key: Path | None = None) -> RekeyResult:
    """Pull a new version of the key into a session: keep, mark for re-check, drop (audited)."""
    from hwreview.transcripts.align import align

    path = key if key is not None else stored_key_path(session)
    key_text = read_key_text(path)
    assignment = parse_key(key_text, source=str(path))  # every key problem as FILE:LINE first
    alignments = {info.id: align(assignment, info.transcript) for info in session.transcripts}
    shown = str(_display_path(root, path)) if key is not None else session.key_path
    return session.living.rekey(shown, key_text, alignments)


def _display_path(root: Path, path: Path) -> Path:
    """The key's path relative to the home when inside it, else absolute; links not followed."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(os.path.abspath(root))
    except ValueError:
        return absolute


def ensure_demo(root: Path) -> Path:
    """Create `sessions/demo.json` from the bundled demo files if it is missing."""
    path = session_path(root, DEMO_NAME)
    if path.exists():
        return path
    from hwreview.transcripts import load_transcript

    folder = importlib.resources.files("hwreview") / "demo"
    key_text = (folder / "demo.md").read_text(encoding="utf-8")
    assignment = parse_key(key_text, source=DEMO_KEY)
    loaded = []
    for filename, label in DEMO_TRANSCRIPTS:
        with importlib.resources.as_file(folder / filename) as file:
            transcript = load_transcript(file, "markdown")
        transcript = dataclasses.replace(transcript, source=filename)
        loaded.append(aligned(assignment, transcript, label, f"hwreview:demo/{filename}"))
    sessions_dir(root).mkdir(parents=True, exist_ok=True)
    Session.create(root, DEMO_NAME, Path(DEMO_KEY), key_text, loaded).close()
    return path


def alignment_problems(session: Session) -> list[tuple[str, str, str]]:
    """(transcript label, part id, status) for every part not cleanly found."""
    rows = []
    for info in session.transcripts:
        for part in session.assignment.parts:
            alignment = info.alignments.get(part.id)
            status = alignment.status if alignment else "not found"
            if status != FOUND:
                rows.append((info.label, part.id, status))
    return rows


REPORT_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
}


def export_report(
    session: Session, fmt: str | None, output: Path | None, force: bool = False
) -> str:
    """Render a report; write it atomically to `output` when given. Returns the text.

    An existing `output` is replaced only with `force`, and only if it is a regular file that is
    not a session, its backup or lock, nor the session's key (see files.check_output).
    """
    if fmt is None:
        fmt = REPORT_SUFFIXES.get(output.suffix.lower(), "markdown") if output else "markdown"
    text = render(session.snapshot(), fmt)
    if output is not None:
        key = session.key_file
        if key is not None and output.resolve() == key.resolve():
            raise HwReviewError(f"{output} is the answer key: write the report elsewhere")
        write_output(output, text, force=force, sessions=session.path.parent, what="report")
    return text


def delete_session(root: Path, name: str) -> Path:
    """Delete a session file and its backup; refused while another process has it open."""
    path = existing_session(root, name)
    lock = SessionLock(path, "hwreview delete")
    lock.acquire()
    try:
        for file in (path, backup_path(path)):
            if not regular_or_missing(file):
                raise HwReviewError(
                    f"{file} is not a regular file: nothing deleted (remove it by hand first)"
                )
        for file in (path, backup_path(path), lock.holder_path, drafts_path(path)):
            with contextlib.suppress(FileNotFoundError):
                file.unlink()  # the drafts go too: they would be offered to a new session
        folder = blob_dir(path)
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        lock.release()
    with contextlib.suppress(OSError):
        lock.lock_path.unlink()
    return path


@dataclass(frozen=True)
class SessionRow:
    """What a list of sessions shows about one file (or the one-line error it raised)."""

    name: str
    title: str = ""
    transcripts: str = ""
    progress: str = ""
    updated: str = ""
    error: str = ""


def read_row(path: Path) -> SessionRow:
    """Summarise one session file without locking it; a damaged file gives its error."""
    if path.stem.endswith(".json"):  # `NAME.json` as a name means NAME.json, not this file
        return SessionRow(
            name=path.name, error="its name ends in .json.json: rename it to open it by name"
        )
    try:
        with Session(path, read_only=True) as session:
            graded, total = session.progress()
            return SessionRow(
                name=path.stem,
                title=session.assignment.title,
                transcripts=", ".join(t.label for t in session.transcripts),
                progress=f"{graded}/{total}",
                updated=session.updated[:19].replace("T", " "),
            )
    except (HwReviewError, OSError, KeyError, ValueError, TypeError) as exc:
        message = (str(exc).splitlines() or [repr(exc)])[0]
        return SessionRow(name=path.stem, error=message.replace(f"{path.parent}/", ""))

"""Opening a session off the UI thread: what a worker reads, and the screen shown meanwhile."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from hwreview.errors import HwReviewError, SessionLockedError
from hwreview.tui.text import plain

if TYPE_CHECKING:  # imported by the worker that opens a session, not when the app starts
    from hwreview.session.session import Session

Stamp = tuple[int, int] | None


def file_stamp(path: Path) -> Stamp:
    """(modification time, size) of a file, or None when it cannot be read."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def preload(session: Session) -> None:
    """Read everything the review screen shows, so that drawing it reads no file."""
    _ = session.assignment, session.transcripts, session.position
    session.grades()


@dataclass(frozen=True)
class OpenedSession:
    """A session opened and read by a worker, ready for the review screen."""

    session: Session
    locked: str | None  # why it is read-only (another process writes it), or None
    key_changed: bool  # the key file on disk differs from the session's copy
    stamp: Stamp  # the file as it was before it was read (to notice later saves)


def open_for_review(root: Path, name: str) -> OpenedSession:
    """Open `name` for writing, or read-only when another process writes it (worker thread)."""
    from hwreview.session.session import Session

    locked = None
    try:
        session = Session.open(root, name, purpose="hwreview (terminal UI)")
    except SessionLockedError as exc:
        # Drop the advice meant for the CLI ("…; close it there, or open this one
        # read-only"): here it is opened read-only already.
        locked = str(exc).partition("; ")[0]
        session = Session.open(root, name, read_only=True)
    try:
        stamp = file_stamp(session.path)
        preload(session)
        return OpenedSession(session, locked, session.key_changed(), stamp)
    except BaseException:
        session.close()
        raise


def writer_gone(path: Path) -> bool:
    """True when no process holds the session's write lock any more (checked by taking it)."""
    from hwreview.session.storage import SessionLock

    lock = SessionLock(path, "hwreview (checking the writer)")
    try:
        lock.acquire()
    except HwReviewError:
        return False
    lock.release()
    return True


def reread(path: Path, stamp: Stamp) -> tuple[Session, Stamp] | None:
    """The session at `path` read again, read-only, if its file changed since `stamp`."""
    from hwreview.session.session import Session

    now = file_stamp(path)
    if now is None or now == stamp:
        return None
    session = Session(path, read_only=True)
    preload(session)
    return session, now


class OpeningScreen(Screen[None]):
    """Shown while a worker opens a session; replaced by the review screen when it is read."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.session_name = name

    DEFAULT_CSS = """
    OpeningScreen { align: center middle; }
    OpeningScreen > Static { width: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        """One line saying what is being opened.

        No header: the screen is replaced at once (a small session is read in milliseconds),
        and a title bar shown for a frame only flickers."""
        yield Static(f"Opening {plain(self.session_name)}…", id="opening", markup=False)

"""Crash-safe TinyDB storage for session files, and the one-writer lock that guards them."""

from __future__ import annotations

import contextlib
import copy
import getpass
import glob
import json
import os
import re
import socket
import stat
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb.storages import Storage

from hwreview.errors import (
    HwReviewError,
    ReadOnlyError,
    SessionBrokenError,
    SessionLockedError,
    SessionSaveError,
)
from hwreview.files import read_bounded, regular_or_missing
from hwreview.session.blobs import BlobStore

MAX_SESSION_BYTES = 256 * 2**20


def backup_path(path: Path) -> Path:
    """Where the previous good version of a session file is kept."""
    return path.with_name(path.name + ".bak")


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(
    path: Path, data: bytes, keep_backup: bool = False, mode: int | None = None
) -> None:
    """Replace `path` with `data` so a crash at any point leaves the old or the new file whole.

    Steps: write a temp file in the same folder, flush and fsync it; if asked, hard-link the
    current file to `NAME.bak` (through a temp name and a rename, so the backup is never torn
    either); rename the temp file over `path`; fsync the folder.
    """
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    bak_tmp: Path | None = None
    if mode is None:  # the file replaced keeps its permissions (a chmod 600 session stays 600)
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(path.stat().st_mode)
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        if keep_backup and path.exists():
            bak = backup_path(path)
            bak_tmp = folder / f".{bak.name}.{os.getpid()}.tmp"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(bak_tmp)
            try:
                os.link(path, bak_tmp)
            except OSError:  # a file system without hard links: copy instead
                _copy_synced(path, bak_tmp)
            os.replace(bak_tmp, bak)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if bak_tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(bak_tmp)
        raise
    fsync_dir(folder)


def _copy_synced(source: Path, target: Path) -> None:
    with open(source, "rb") as reader, open(target, "wb") as writer:
        while chunk := reader.read(1 << 20):
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file atomically (used for exported reports too)."""
    atomic_write_bytes(path, text.encode("utf-8"))


class AtomicJSONStorage(Storage):
    """A TinyDB storage that writes the whole file atomically and keeps the previous version.

    TinyDB's own JSONStorage rewrites its file in place, so a crash mid-write tears it. This one
    keeps the parsed data in memory (it is the only writer, guarded by a lock), so reads cost
    nothing, and every write is durable when it returns. `batch()` groups several TinyDB calls
    into one write so that a grade and its audit entry land together.
    """

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._data: dict[str, Any] | None = None
        self._loaded = False
        self._batch_depth = 0
        self._dirty = False
        self.writes = 0
        self.blobs = BlobStore(self.path)

    def read(self) -> dict[str, Any] | None:
        """Return the database, loading it from disk the first time."""
        if not self._loaded:
            self._data = load_json_file(self.path, self.blobs)
            self._loaded = True
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        """Store the database; durable on return unless inside a batch."""
        if self.read_only:
            self.forget()  # TinyDB changed the cached dict in place before calling write()
            raise ReadOnlyError(f"{self.path.name} is open read-only: nothing was changed")
        self._data = data
        self._loaded = True
        if self._batch_depth:
            self._dirty = True
            return
        self._flush()

    def _flush(self) -> None:
        if self.path.is_symlink():
            self.forget()
            raise SessionSaveError(
                f"cannot save {self.path}: it is a symbolic link, which a save would replace "
                "with a file; copy the real session into sessions/ instead"
            )
        try:
            # transcripts go to their own blobs (written only when new), so a grade rewrites
            # only the small session file
            stored = self.blobs.externalize(self._data or {})
        except OSError as exc:
            self.forget()
            raise SessionSaveError(
                f"cannot save {self.path} ({exc.strerror or exc}): the last change was not saved"
            ) from None
        payload = json.dumps(stored, ensure_ascii=False, separators=(",", ":"))
        try:
            atomic_write_bytes(self.path, payload.encode("utf-8"), keep_backup=True)
        except OSError as exc:
            self.forget()
            raise SessionSaveError(
                f"cannot save {self.path} ({exc.strerror or exc}): the last change was not saved"
            ) from None
        except BaseException:
            self.forget()
            raise
        self.writes += 1

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group writes: one durable write at the end, none at all if the block fails."""
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._dirty = False
                self.forget()
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._dirty:
            self._dirty = False
            self._flush()

    def remove_stale_temp_files(self) -> None:
        """Delete temp files a crashed writer left behind (only the lock holder may call this)."""
        # Only this session's own temp files: `.NAME.json.PID.tmp`, `.NAME.json.bak.PID.tmp` and
        # the lock note's `..NAME.json.holder.PID.tmp`,
        # never those of a session whose name merely starts the same way (`NAME.json.x`).
        own = re.compile(r"\.?" + re.escape(f".{self.path.name}") + r"(\.bak|\.holder)?\.\d+\.tmp")
        for stale in self.path.parent.glob(f"*.{self.path.name}.*.tmp"):
            if own.fullmatch(stale.name):
                with contextlib.suppress(OSError):
                    stale.unlink()
        folder = self.blobs.folder
        if folder.is_dir() and not folder.is_symlink():
            # blobs named by neither the session nor any of its backups (NAME.json.bak,
            # NAME.json.rekey-STAMP.bak, ...) were replaced; half-written ones are temp files
            self.read()
            backups = self.path.parent.glob(f"{glob.escape(self.path.name)}*.bak")
            keep = self.blobs.in_use() | self.blobs.referenced(*backups)
            for blob in folder.iterdir():
                if blob.name.endswith(".tmp") or (blob.suffix == ".json" and blob.name not in keep):
                    with contextlib.suppress(OSError):
                        blob.unlink()

    def forget(self) -> None:
        """Drop the in-memory copy so the next read comes from disk."""
        self._data = None
        self._loaded = False

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of the current data."""
        return copy.deepcopy(self.read() or {})

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""


def recovery_hint(path: Path) -> str:
    """What to do about a damaged session: copy its backup over it, when there is one."""
    bak = backup_path(path)
    if regular_or_missing(bak) and bak.exists():
        return f"the previous version is in {bak}: copy it over {path.name} to recover"
    return f"no backup ({bak.name}) exists"


def load_json_file(path: Path, blobs: BlobStore | None = None) -> dict[str, Any] | None:
    """Read a session file; None when it does not exist; SessionBrokenError when it is damaged.

    Transcripts stored as blobs beside the session are read back in place, each verified
    against its sha256.
    """
    try:
        raw = read_bounded(path, MAX_SESSION_BYTES, "session")
    except FileNotFoundError:
        return None
    except HwReviewError as exc:
        raise SessionBrokenError(str(exc)) from None
    except OSError as exc:
        raise SessionBrokenError(f"{path}: cannot read ({exc.strerror})") from None
    hint = recovery_hint(path)
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise SessionBrokenError(f"{path} is damaged (nested too deeply); {hint}") from None
    except UnicodeDecodeError:
        raise SessionBrokenError(f"{path} is damaged (not UTF-8 text); {hint}") from None
    except json.JSONDecodeError as exc:
        where = "it is empty" if not raw.strip() else f"line {exc.lineno}: {exc.msg}"
        raise SessionBrokenError(f"{path} is damaged ({where}); {hint}") from None
    if not isinstance(data, dict):
        raise SessionBrokenError(f"{path} is damaged (not a session object); {hint}")
    (blobs or BlobStore(path)).internalize(data, hint)
    return data


class SessionLock:
    """An exclusive, non-blocking lock on one session file, with a note saying who holds it."""

    def __init__(self, path: Path, purpose: str = "hwreview") -> None:
        self.path = path
        self.lock_path = path.with_name(f".{path.name}.lock")
        self.holder_path = path.with_name(f".{path.name}.holder")
        self.purpose = purpose
        # Not thread-local: the terminal UI opens a session in a worker thread and closes it
        # on the UI thread.
        self._lock = FileLock(str(self.lock_path), timeout=0, thread_local=False)

    def acquire(self) -> None:
        """Take the lock or raise SessionLockedError naming the holder."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise SessionLockedError(
                f"session {self.path.stem!r} is open for writing by {self.holder()}; "
                "close it there, or open this one read-only"
            ) from None
        except OSError as exc:
            raise HwReviewError(f"cannot lock {self.path} ({exc.strerror})") from None
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "user": _user(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
            "program": self.purpose,
        }
        with contextlib.suppress(OSError):
            atomic_write_text(self.holder_path, json.dumps(info))

    def holder(self) -> str:
        """Who holds the lock, as far as its note says.

        The holder writes its note just after taking the lock, so a refusal in between waits
        a little for the note rather than naming nobody.
        """
        for attempt in range(20):
            try:
                info = json.loads(read_bounded(self.holder_path, 4096, "lock note"))
                return (
                    f"{info.get('program', 'hwreview')} (pid {info.get('pid')} on "
                    f"{info.get('host')}, user {info.get('user')}, since {info.get('since')})"
                )
            except FileNotFoundError:
                if attempt < 19:
                    time.sleep(0.025)
            except (OSError, ValueError, AttributeError, HwReviewError):
                break
        return "another hwreview process"

    def release(self) -> None:
        """Release the lock and remove the holder note."""
        if self._lock.is_locked:
            with contextlib.suppress(OSError):
                self.holder_path.unlink()
            self._lock.release(force=True)

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._lock.is_locked


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getpass raises several types when no user name is known
        return "unknown"

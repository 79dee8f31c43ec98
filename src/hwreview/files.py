"""Reading files that may be hostile: regular files only, checked before reading, size-bounded."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

from hwreview.errors import HwReviewError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


def kind(mode: int) -> str:
    """What a non-regular file is, in words ('a named pipe (FIFO)', 'a folder', ...)."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


class NotRegularFileError(HwReviewError):
    """A path that is a FIFO, device, socket or folder where a file was expected."""


def open_regular(path: str | os.PathLike[str], what: str = "file") -> BinaryIO:
    """Open `path` for reading only if it is a regular file; never blocks on a FIFO.

    The file is opened non-blocking and checked with fstat on the opened descriptor, so a FIFO
    or device is refused before a byte is read and nothing can be swapped in between.
    Raises FileNotFoundError / PermissionError / IsADirectoryError as open() does, and
    NotRegularFileError (one line naming `what`) for anything but a regular file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(21, "Is a directory", str(path))
            raise NotRegularFileError(
                f"{path}: not a regular file ({kind(mode)}): refused as {what}"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise


def read_at_most(handle: BinaryIO, limit: int) -> bytes:
    """Up to `limit` + 1 bytes of an open regular file (one more than the limit means "larger").

    read(limit + 1) would allocate the whole limit (256 MB for a session) on every read: ask for
    the size fstat gives, and read on only if the file grew since.
    """
    expected = min(os.fstat(handle.fileno()).st_size, limit) + 1
    data = handle.read(expected)
    if len(data) == expected and expected <= limit:
        data += handle.read(limit + 1 - expected)
    return data


def read_bounded(path: str | os.PathLike[str], limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; HwReviewError when it is larger."""
    with open_regular(path, what) as handle:
        data = read_at_most(handle, limit)
    if len(data) > limit:
        raise HwReviewError(f"{path}: larger than {_size(limit)}: refused as {what}")
    return data


def regular_or_missing(path: Path) -> bool:
    """True when `path` does not exist or is a regular file (symbolic links are not followed)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return True
    return stat.S_ISREG(mode)


def _size(limit: int) -> str:
    return f"{limit / 2**20:g} MiB" if limit >= 2**20 else f"{limit / 1024:g} KiB"


# Names hwreview keeps beside a session: its backup, lock, holder note and temp files.
_OWN_SUFFIXES = (".json.bak", ".lock", ".holder", ".tmp")
_SESSION_MARK = b'"hwreview.session/'


def check_output(
    path: Path, force: bool = False, sessions: Path | None = None, what: str = "output"
) -> int | None:
    """Refuse an output path `-o` must not write; return the mode of a file it may replace.

    Only a regular file is ever replaced, and only with `force`: never a symbolic link, FIFO,
    device or folder, never a read-only file, never a session, its backup, lock or temp files,
    and nothing inside the `sessions` folder when it is given (`what` names the output in the
    message). Raises HwReviewError with one line; returns None when `path` does not exist yet.
    """
    if sessions is not None and path.parent.resolve() == sessions.resolve():
        raise HwReviewError(f"{path} is in the sessions folder: write the {what} elsewhere")
    if path.name.endswith(_OWN_SUFFIXES) or (path.name.startswith(".") and ".json." in path.name):
        raise HwReviewError(f"{path}: a session's backup, lock or temp file: write elsewhere")
    if not path.parent.is_dir():
        raise HwReviewError(f"folder {path.parent} does not exist")
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise HwReviewError(f"{path} is {kind(info.st_mode)}: write the {what} to a regular file")
    if _is_session(path):
        raise HwReviewError(f"{path} is an hwreview session: write elsewhere")
    if not info.st_mode & 0o222:
        raise HwReviewError(f"{path} is read-only: not replaced")
    if not force:
        raise HwReviewError(f"{path} exists: pass --force to replace it")
    return stat.S_IMODE(info.st_mode)


def _is_session(path: Path) -> bool:
    try:
        with open_regular(path) as handle:
            return _SESSION_MARK in handle.read(4096)
    except (OSError, HwReviewError):
        return False


def write_output(
    path: Path, text: str, force: bool = False, sessions: Path | None = None, what: str = "output"
) -> None:
    """Write an export (`-o`) atomically, after check_output; a replaced file keeps its mode."""
    from hwreview.session.storage import atomic_write_bytes

    mode = check_output(path, force, sessions, what)
    try:
        atomic_write_bytes(path, text.encode("utf-8"), mode=mode)
    except OSError as exc:
        raise HwReviewError(f"cannot write {path} ({exc.strerror or exc})") from None

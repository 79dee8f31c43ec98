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


def read_bounded(path: str | os.PathLike[str], limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; HwReviewError when it is larger."""
    with open_regular(path, what) as handle:
        data = handle.read(limit + 1)
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

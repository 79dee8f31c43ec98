"""Where sessions and keys live: resolved at call time from --home or HWREVIEW_HOME."""

from __future__ import annotations

import os
import re
from pathlib import Path

from hwreview.errors import HwReviewError

SESSION_SUFFIX = ".json"
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._ -]{0,79}")


def home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The hwreview home: the given folder, else $HWREVIEW_HOME, else the current folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("HWREVIEW_HOME")
    return Path(env).expanduser() if env else Path.cwd()


def checked_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The hwreview home, or a HwReviewError when it is missing or not a folder."""
    root = home(explicit)
    if not root.exists():
        raise HwReviewError(
            f"home folder {root} does not exist: create it, or fix --home / HWREVIEW_HOME"
        )
    if not root.is_dir():
        raise HwReviewError(f"home {root} is a file, not a folder: fix --home / HWREVIEW_HOME")
    return root


def sessions_dir(root: Path) -> Path:
    """The folder holding saved sessions."""
    return root / "sessions"


def keys_dir(root: Path) -> Path:
    """The folder holding answer keys."""
    return root / "keys"


def check_session_name(name: str) -> str:
    """Return a plain session name, or raise: no paths, no control characters, not empty."""
    if name.endswith(SESSION_SUFFIX) and "/" not in name:
        name = name[: -len(SESSION_SUFFIX)]
    if not name or not name.strip():
        raise HwReviewError("session name is empty")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise HwReviewError("session name contains control characters")
    if len(name) > 80:
        raise HwReviewError(f"session name is {len(name)} characters long: use at most 80")
    if "/" in name or "\\" in name or name in (".", "..") or not _NAME_RE.fullmatch(name):
        raise HwReviewError(
            f"bad session name {name!r}: use letters, digits, '.', '_', '-' or spaces "
            "(no folders), starting with a letter or digit"
        )
    if name.endswith((".", " ")):
        raise HwReviewError(f"bad session name {name!r}: it may not end with '.' or a space")
    return name


def session_path(root: Path, name: str) -> Path:
    """The file of the session called `name`."""
    return sessions_dir(root) / (check_session_name(name) + SESSION_SUFFIX)


def resolve_key(root: Path, key: str) -> Path:
    """Find a key given as a path, or as a name in keys/ (with or without `.md`)."""
    candidate = Path(key).expanduser()
    if candidate.exists():
        return candidate
    for option in (keys_dir(root) / key, keys_dir(root) / f"{key}.md"):
        if option.exists():
            return option
    return candidate

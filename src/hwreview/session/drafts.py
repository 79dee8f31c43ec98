"""Text typed in an editor and not yet saved, kept beside the session until it is.

A note, the key findings or the conclusion are typed in a modal editor and reach the session
only when the grader saves. Until then each pause in the typing writes the text here, in
`sessions/.NAME.drafts.json` (hidden, so it is never listed as a session), so a terminal that
closes, a killed process or a save refused (read-only, disk full) loses none of it: the next
editor opened on the same text offers the draft. A draft goes when its text is saved or the
grader discards it.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hwreview import clock
from hwreview.errors import HwReviewError
from hwreview.files import read_bounded
from hwreview.session.storage import atomic_write_bytes

MAX_DRAFTS_BYTES = 8 * 2**20  # far above what a grader types; a larger file is not ours
MAX_DRAFT_CHARS = 1_000_000  # one editor's text; more is cut (the editor refuses nothing)
_WRITING = threading.Lock()  # writer threads of one process share the atomic write's temp name


def drafts_path(session_path: Path) -> Path:
    """Where the drafts of the session at `session_path` are kept."""
    return session_path.with_name(f".{session_path.stem}.drafts.json")


@dataclass(frozen=True)
class Draft:
    """Unsaved text of one editor: the text, the saved text it started from, when typed."""

    text: str
    base: str
    at: str  # ISO time of the last keystroke written


class Drafts:
    """The drafts of one session, read and written whole (a handful of small texts)."""

    def __init__(self, session_path: Path) -> None:
        self.path = drafts_path(session_path)
        self.unreadable = False  # the file is there but not ours to read: kept aside on write

    def _read(self) -> dict[str, Draft]:
        self.unreadable = False
        try:
            raw = json.loads(read_bounded(self.path, MAX_DRAFTS_BYTES, "drafts"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, HwReviewError):
            self.unreadable = True  # offer nothing; the session itself is untouched
            return {}
        found = raw.get("drafts") if isinstance(raw, dict) else None
        if not isinstance(found, dict):
            self.unreadable = True
            return {}
        drafts = {}
        for target, item in found.items():
            if not isinstance(item, dict):
                continue
            text, base, at = item.get("text"), item.get("base", ""), item.get("at", "")
            if isinstance(text, str) and isinstance(base, str) and isinstance(at, str):
                drafts[str(target)] = Draft(text, base, at)
        return drafts

    def _write(self, drafts: dict[str, Draft]) -> None:
        if self.unreadable:  # never overwrite what could not be read: move it aside first
            stamp = clock.now().replace(":", "")
            os.replace(self.path, self.path.with_name(f"{self.path.name}.unreadable-{stamp}"))
            self.unreadable = False
        if not drafts:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            return
        data = {
            "version": 1,
            "drafts": {t: {"text": d.text, "base": d.base, "at": d.at} for t, d in drafts.items()},
        }
        atomic_write_bytes(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def get(self, target: str) -> Draft | None:
        """The draft kept for `target` (for example `note:2b:t1`), if any."""
        return self._read().get(target)

    def put(
        self, target: str, text: str, base: str, still: Callable[[], bool] | None = None
    ) -> None:
        """Keep `text` as the draft of `target`, typed over the saved text `base`; when `still`
        is given, only if it holds once this process's other draft writes are done (an editor
        saved meanwhile drops its draft after this, never before).

        Raises OSError when the folder cannot be written; the caller says so once."""
        at = clock.now()
        with _WRITING:
            if still is not None and not still():
                return
            drafts = self._read()
            drafts[target] = Draft(text[:MAX_DRAFT_CHARS], base[:MAX_DRAFT_CHARS], at)
            self._write(drafts)

    def drop(self, target: str) -> None:
        """Forget the draft of `target` (saved or discarded); the file goes with the last one."""
        with _WRITING:
            drafts = self._read()
            if drafts.pop(target, None) is not None:
                self._write(drafts)

"""Every exception hwreview raises for a user's mistake or a damaged file, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hwreview.transcripts.base import ConversationSummary


class HwReviewError(Exception):
    """A user-facing error: its message is one line fit to print as it is."""


@dataclass
class KeyProblem:
    """One error found in an answer key, with the line it is on."""

    line: int
    message: str


class KeyFileError(HwReviewError):
    """An answer key with one or more problems; `str()` lists them as FILE:LINE: message."""

    def __init__(self, source: str, problems: list[KeyProblem]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}:{p.line}: {p.message}" for p in problems))


class SessionBrokenError(HwReviewError):
    """A session file that cannot be read; the file is left exactly as it was."""


class SessionLockedError(HwReviewError):
    """Another process holds the session open for writing."""


class SessionSaveError(HwReviewError, OSError):
    """A write failed (disk full, permissions): the file on disk is the previous version."""


class ReadOnlyError(HwReviewError):
    """A write was attempted on a session opened read-only."""


class TranscriptFormatError(HwReviewError):
    """A transcript file that cannot be read: one line naming the format expected and where."""


class ManyConversationsError(HwReviewError):
    """An export holding several conversations when none was chosen; lists them."""

    def __init__(self, path: str | Path, conversations: list[ConversationSummary]):
        self.path = str(path)
        self.conversations = conversations
        super().__init__(
            f"{path} holds {len(conversations)} conversations: pass --conversation with an id, "
            "title or index (see --list)"
        )


class ForeignTranscriptError(HwReviewError):
    """A transcript that does not look like an answer to the key (refused unless forced)."""

    def __init__(self, where: str, matched: int, total: int, vocabulary: float):
        self.where = where
        super().__init__(
            f"{where} does not look like an answer to this key: best match {matched} of {total} "
            f"parts, and it uses only {vocabulary:.0%} of the key's words "
            "(use --force to add it anyway)"
        )


class KeyMismatchError(HwReviewError):
    """Sessions graded against different answer keys were asked to be summarised as one."""


class ModelError(HwReviewError):
    """A model request that failed for good (after retries); the message names no API key."""


class ModelReplyError(HwReviewError):
    """A model reply that does not follow the requested form (bad JSON, a quote not found)."""

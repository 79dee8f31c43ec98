"""Read chat transcripts: ChatGPT and Claude exports, printed PDFs, saved pages, copied text."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import closing
from pathlib import Path

from hwreview.errors import HwReviewError, ManyConversationsError, TranscriptFormatError
from hwreview.model import Transcript
from hwreview.transcripts import chatgpt, claude, html, native, pdf, text
from hwreview.transcripts.base import (
    Conversation,
    ConversationSummary,
    fail,
    iter_json_items,
    one_line,
)
from hwreview.transcripts.detect import detect_format

FORMATS = ("chatgpt", "claude", "pdf", "html", "markdown", "text", "hwreview")


def resolve_format(path: str | Path, format: str | None = None) -> str:
    """The format to read `path` with: the one given, or the detected one for None / 'auto'."""
    if format is None or format.strip().lower() in ("", "auto"):
        return detect_format(path)
    wanted = format.strip().lower()
    if wanted == "md":
        wanted = "markdown"
    if wanted not in FORMATS:
        raise TranscriptFormatError(
            f"unknown transcript format {format!r}: use auto, {', '.join(FORMATS)}"
        )
    return wanted


def iter_conversations(
    path: str | Path, format: str | None = None
) -> Generator[Conversation, None, None]:
    """Yield the conversations of a transcript file one at a time, normalized."""
    fmt = resolve_format(path, format)
    if fmt in EXPORT_READERS:
        source = _export(path, fmt)
    else:
        source = _single(path, fmt)
    number = 0
    with closing(source):
        try:
            for number, conversation in enumerate(source, start=1):  # noqa: B007
                yield conversation
        except HwReviewError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            detail = f"unexpected content in conversation {number + 1} ({one_line(repr(exc), 80)})"
            raise fail(path, fmt, detail) from None


# Chat exports: a (possibly huge) JSON array streamed one conversation at a time.
EXPORT_READERS = {"chatgpt": chatgpt.read_conversation, "claude": claude.read_conversation}


def _export(path: str | Path, fmt: str) -> Generator[Conversation, None, None]:
    read = EXPORT_READERS[fmt]
    for number, data in enumerate(iter_json_items(path, fmt), start=1):
        yield read(data, path, number)


SINGLE_READERS = {"hwreview": native.read, "pdf": pdf.read, "html": html.read}


def _single(path: str | Path, fmt: str) -> Generator[Conversation, None, None]:
    reader = SINGLE_READERS.get(fmt)
    yield reader(path) if reader is not None else text.read(path, fmt)


def list_conversations(path: str | Path, format: str | None = None) -> list[ConversationSummary]:
    """Summaries (index from 1, id, title, date, message count) of every conversation in a file."""
    with closing(iter_conversations(path, format)) as conversations:
        return [c.summary(index) for index, c in enumerate(conversations, start=1)]


def load_transcript(
    path: str | Path, format: str | None = None, conversation: str | None = None
) -> Transcript:
    """Read one conversation of a transcript file; `conversation` is an id, a title or an index."""
    with closing(iter_conversations(path, format)) as conversations:
        if conversation is None or not str(conversation).strip():
            return _only(path, conversations)
        return _select(path, conversations, str(conversation).strip())


def _only(path: str | Path, conversations: Iterator[Conversation]) -> Transcript:
    first: Conversation | None = None
    summaries: list[ConversationSummary] = []
    for index, conv in enumerate(conversations, start=1):
        summaries.append(conv.summary(index))
        first = conv if index == 1 else None
    if not summaries:
        raise TranscriptFormatError(f"{path}: holds no conversations")
    if first is not None:
        return first.transcript
    raise ManyConversationsError(path, summaries)


def _select(path: str | Path, conversations: Iterator[Conversation], wanted: str) -> Transcript:
    """Pick a conversation by id (first), then index, then title (case-insensitive)."""
    by_index: Conversation | None = None
    by_title: Conversation | None = None
    titled: list[int] = []
    count = 0
    number = int(wanted) if wanted.isdigit() else None
    folded = wanted.casefold()
    for index, conv in enumerate(conversations, start=1):
        count = index
        if conv.id and conv.id == wanted:
            return conv.transcript
        if number == index:
            by_index = conv
        if conv.transcript.title.strip().casefold() == folded:
            titled.append(index)
            by_title = by_title or conv
    if by_index is not None:
        return by_index.transcript
    if len(titled) > 1:
        places = ", ".join(str(i) for i in titled)
        raise TranscriptFormatError(
            f"{path}: {len(titled)} conversations are titled {wanted!r} ({places}): "
            "pass the index or id instead"
        )
    if by_title is not None:
        return by_title.transcript
    if number is not None:
        raise TranscriptFormatError(
            f"{path}: no conversation number {number}: it holds {count} (see --list)"
        )
    raise TranscriptFormatError(
        f"{path}: no conversation with id or title {wanted!r} among {count} (see --list)"
    )


__all__ = [
    "FORMATS",
    "ConversationSummary",
    "ManyConversationsError",
    "TranscriptFormatError",
    "detect_format",
    "iter_conversations",
    "list_conversations",
    "load_transcript",
    "resolve_format",
]

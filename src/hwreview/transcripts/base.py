"""Shared pieces of the transcript readers: errors, summaries and streaming JSON helpers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from hwreview.errors import TranscriptFormatError
from hwreview.files import NotRegularFileError, open_regular, read_at_most
from hwreview.model import Transcript

FORMAT_NAMES = {
    "chatgpt": "ChatGPT export (conversations.json)",
    "claude": "Claude export (conversations.json)",
    "markdown": "Markdown transcript",
    "text": "text transcript",
    "hwreview": "hwreview transcript (hwreview.transcript/1)",
    "pdf": "chat page printed to PDF",
    "html": "saved chat page (HTML)",
}
SNIFF_BYTES = 1 << 16
MAX_JSON_OBJECT = 64 * 2**20  # a whole document read at once (one conversation, not an export)
MAX_JSON_DEPTH = 64  # real exports nest about 12 deep; ijson's prefixes grow with depth
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class ConversationSummary:
    """One conversation of an export, as `--list` shows it (index counts from 1)."""

    index: int
    id: str
    title: str
    created: str | None
    messages: int


@dataclass(frozen=True)
class Conversation:
    """A conversation read from a file: its id and the normalized transcript."""

    id: str
    transcript: Transcript

    def summary(self, index: int) -> ConversationSummary:
        """The summary of this conversation at position `index` (from 1)."""
        count = sum(1 for m in self.transcript.messages if m.kind == "answer")
        return ConversationSummary(
            index, self.id, self.transcript.title, self.transcript.created, count
        )


def fail(path: str | Path, fmt: str, detail: str) -> TranscriptFormatError:
    """Build the one-line error for a file that is not a readable `fmt`."""
    return TranscriptFormatError(f"{path}: not a readable {FORMAT_NAMES[fmt]}: {one_line(detail)}")


def one_line(text: str, limit: int = 160) -> str:
    """Collapse whitespace so a message fits on one line, and cut it at `limit` characters."""
    text = _WS.sub(" ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_error(exc: Exception) -> str:
    """The first line of a JSON parser's message (ijson adds a multi-line pointer)."""
    raw = exc.args[0] if exc.args else str(exc)
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    lines = [line.strip() for line in str(raw).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def iso_time(value: Any) -> str | None:
    """An epoch number or an ISO string as an ISO-8601 UTC string; None when absent or bad."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            stamp = datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return stamp.isoformat(timespec="seconds")
    if isinstance(value, str):
        return value.strip() or None
    return None


def bounded_parse(
    handle: BinaryIO, max_depth: int = MAX_JSON_DEPTH
) -> Iterator[tuple[str, str, Any]]:
    """ijson.parse's (prefix, event, value) events, refusing JSON nested over `max_depth` levels.

    ijson builds each event's prefix from the whole path, so a hostile 100,000-level document
    costs gigabytes; this builds the prefixes itself from basic_parse and stops at the limit.
    Numbers come as float/int, never Decimal.
    """
    path: list[str] = []
    for event, value in ijson.basic_parse(handle, use_float=True):
        if event == "map_key":
            prefix = ".".join(path[:-1])
            path[-1] = value
        elif event in ("start_map", "start_array"):
            if len(path) >= max_depth:
                raise ijson.JSONError(f"nested more than {max_depth} levels deep")
            prefix = ".".join(path)
            path.append("item" if event == "start_array" else "")
        elif event in ("end_map", "end_array"):
            path.pop()
            prefix = ".".join(path)
        else:
            prefix = ".".join(path)
        yield prefix, event, value


def open_binary(path: str | Path, fmt: str) -> BinaryIO:
    """Open a transcript file for reading (a regular file only), OS errors as one clear line."""
    try:
        return open_regular(path, "transcript file")
    except NotRegularFileError as exc:
        raise TranscriptFormatError(str(exc)) from None
    except FileNotFoundError:
        raise TranscriptFormatError(f"{path}: no such transcript file") from None
    except IsADirectoryError:
        raise TranscriptFormatError(f"{path}: is a folder, not a transcript file") from None
    except OSError as exc:
        raise TranscriptFormatError(f"{path}: cannot read ({exc.strerror})") from None


def first_char(handle: BinaryIO) -> str:
    """The first non-blank character of a file (after a UTF-8 BOM), '' for an empty file."""
    start = handle.read(SNIFF_BYTES)
    handle.seek(0)
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    return chr(text[0]) if text else ""


def _skip_bom(handle: BinaryIO) -> None:
    if handle.read(3) != b"\xef\xbb\xbf":
        handle.seek(0)


def json_shape(path: str | Path, fmt: str) -> str:
    """How a JSON export is laid out: 'array', 'wrapper' ({"conversations": [...]}) or 'object'."""
    with open_binary(path, fmt) as handle:
        char = first_char(handle)
        if char == "[":
            return "array"
        if char != "{":
            raise fail(path, fmt, "expected a JSON list or object at the start of the file")
        _skip_bom(handle)
        try:
            last_key = None
            for prefix, event, value in bounded_parse(handle):
                if prefix == "" and event == "map_key":
                    last_key = value
                elif prefix == "conversations" and last_key == "conversations":
                    if event == "start_array":
                        return "wrapper"
                    last_key = None
        except ijson.JSONError as exc:
            raise fail(
                path, fmt, f"bad JSON near byte {handle.tell()}: {json_error(exc)}"
            ) from None
        except UnicodeDecodeError as exc:
            raise fail(path, fmt, f"not UTF-8 ({exc.reason})") from None
    return "object"


def load_json_object(path: str | Path, fmt: str) -> Any:
    """Load a whole (small) JSON document, with one clear line on bad JSON."""
    with open_binary(path, fmt) as handle:
        raw = read_at_most(handle, MAX_JSON_OBJECT)
    if len(raw) > MAX_JSON_OBJECT:
        raise fail(path, fmt, f"a single JSON object larger than {MAX_JSON_OBJECT >> 20} MiB")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise fail(path, fmt, "JSON nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise fail(path, fmt, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise fail(
            path, fmt, f"bad JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None


def iter_json_items(path: str | Path, fmt: str) -> Iterator[Any]:
    """Yield the conversations of an export one at a time without loading the whole file."""
    shape = json_shape(path, fmt)
    if shape == "object":
        yield load_json_object(path, fmt)
        return
    prefix = "item" if shape == "array" else "conversations.item"
    with open_binary(path, fmt) as handle:
        _skip_bom(handle)
        count = 0
        try:
            for item in ijson.items(bounded_parse(handle), prefix):
                count += 1
                yield item
        except ijson.JSONError as exc:
            where = f"after conversation {count}" if count else "in the first conversation"
            raise fail(
                path, fmt, f"bad JSON {where}, near byte {handle.tell()}: {json_error(exc)}"
            ) from None
        except UnicodeDecodeError as exc:
            raise fail(path, fmt, f"not UTF-8 ({exc.reason})") from None

"""Tell a transcript file's format from its content, reading as little of it as needed."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import ijson

from hwreview.errors import TranscriptFormatError
from hwreview.transcripts.base import (
    SNIFF_BYTES,
    bounded_parse,
    first_char,
    json_error,
    open_binary,
)
from hwreview.transcripts.html import looks_like_html
from hwreview.transcripts.pdf import PDF_MAGIC
from hwreview.transcripts.text import FAMILIES, looks_like_transcript

CHATGPT_KEYS = {"mapping", "current_node"}
CLAUDE_KEYS = {"chat_messages"}
_ITEM_END = {"end_map", "start_array", "string", "number", "boolean", "null"}
HWREVIEW_FORMATS = {"hwreview.transcript/1", "hwreview.collect/1"}


def detect_format(path: str | Path) -> str:
    """The format of a transcript file: chatgpt, claude, pdf, html, markdown, text or hwreview."""
    with open_binary(path, "text") as handle:
        head = handle.read(SNIFF_BYTES)
        handle.seek(0)
        if not head.strip(b"\xef\xbb\xbf \t\r\n"):
            raise TranscriptFormatError(f"{path}: the file is empty, not a transcript")
        if PDF_MAGIC in head[:1024]:
            return "pdf"
        if looks_like_html(head[:4096]):
            return "html"
        if b"\x00" in head:
            raise TranscriptFormatError(f"{path}: a binary file, not a transcript or chat export")
        char = first_char(handle)
        if char in "[{":
            found = _json_format(handle, path)
            if found:
                return found
    return _text_format(path, head)


def _json_format(handle: BinaryIO, path: str | Path) -> str | None:
    """Decide between the JSON formats from the first keys; None if it is not JSON at all."""
    if handle.read(3) != b"\xef\xbb\xbf":
        handle.seek(0)
    item_prefixes = {"item", "conversations.item"}
    try:
        for prefix, event, value in bounded_parse(handle):
            if event == "map_key" and (prefix == "" or prefix in item_prefixes):
                if value in CHATGPT_KEYS:
                    return "chatgpt"
                if value in CLAUDE_KEYS:
                    return "claude"
            elif prefix == "format" and event == "string" and value in HWREVIEW_FORMATS:
                return "hwreview"
            elif prefix == "item" and event in _ITEM_END:
                break
            elif prefix == "" and event == "end_array":
                raise TranscriptFormatError(f"{path}: an empty JSON list: no conversations in it")
    except UnicodeDecodeError as exc:
        raise TranscriptFormatError(
            f"{path}: not a transcript: JSON that is not UTF-8 ({exc.reason})"
        ) from None
    except ijson.JSONError as exc:
        if looks_like_transcript(_decode(path)):
            return None
        raise TranscriptFormatError(
            f"{path}: not a transcript: bad JSON near byte {handle.tell()}: {json_error(exc)}"
        ) from None
    raise TranscriptFormatError(
        f"{path}: JSON, but not a ChatGPT or Claude export nor a hwreview transcript "
        "(no 'mapping', 'chat_messages' or 'format' key found)"
    )


def _decode(path: str | Path) -> str:
    with open_binary(path, "text") as handle:
        return handle.read(SNIFF_BYTES * 4).decode("utf-8", errors="replace")


def _text_format(path: str | Path, head: bytes) -> str:
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            raise TranscriptFormatError(
                f"{path}: not a transcript: not UTF-8 text ({exc.reason} at byte {exc.start})"
            ) from None
        text = head[: exc.start].decode("utf-8-sig")
    if not looks_like_transcript(_decode(path)):
        raise TranscriptFormatError(
            f"{path}: not a transcript: no speaker lines such as '## User', 'User:' or "
            "'You said:' and not a JSON chat export"
        )
    is_md = Path(str(path)).suffix.lower() in (".md", ".markdown")
    headings = any(FAMILIES["heading"].match(line) for line in text.split("\n"))
    return "markdown" if is_md or headings or text.startswith("---") else "text"

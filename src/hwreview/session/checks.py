"""Checks on session data read from disk and on transcript labels: one-line errors."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hwreview.errors import HwReviewError, SessionBrokenError
from hwreview.keys.parser import parse_key
from hwreview.model import Alignment, Grade, RubricItem, Span, Transcript
from hwreview.session.data import Erratum, Preference
from hwreview.session.merged import MergedPart
from hwreview.session.storage import recovery_hint

# 2: transcripts stored as sha256-named blobs beside the session (session/blobs.py); a format 1
# session (transcripts inline) is read as it is and migrated, with a backup, when opened to write.
SESSION_VERSION = 2
SESSION_FORMAT = f"hwreview.session/{SESSION_VERSION}"
_FORMAT_RE = re.compile(r"hwreview\.session/([1-9]\d{0,5})")


def check_format(path: Path, data: dict[str, Any]) -> int:
    """The session's format version; refuses data that is not a session or is from a newer
    hwreview."""
    meta = data.get("meta")
    doc = next(iter(meta.values()), None) if isinstance(meta, dict) and meta else None
    version = doc.get("format") if isinstance(doc, dict) else None
    if not isinstance(version, str):
        raise SessionBrokenError(
            f"{path} is not an hwreview session (no format version); {recovery_hint(path)}"
        )
    m = _FORMAT_RE.fullmatch(version)
    if not m:
        shown = version if len(version) <= 40 else version[:39] + "…"
        raise SessionBrokenError(
            f"{path} is not an hwreview session (format {shown!r}); {recovery_hint(path)}"
        )
    if int(m.group(1)) > SESSION_VERSION:
        raise HwReviewError(
            f"{path} was written by a newer hwreview (format {version}); "
            f"this version reads {SESSION_FORMAT}: upgrade hwreview to open it"
        )
    return int(m.group(1))


_META_TEXT = ("name", "created", "updated", "grader", "findings", "conclusion")
_KEY_TEXT = ("path", "sha256", "title", "text")
_GRADE_TEXT = ("part", "transcript", "note", "updated", "recheck")


def check_structure(path: Path, data: dict[str, Any]) -> None:
    """Read every part of a session once, so a hand-edited file fails here with one line."""
    try:
        _check_tables(data)
        meta = next(iter(data["meta"].values()))
        _check_types(meta, _META_TEXT, "meta")
        _check_types(meta["key"], _KEY_TEXT, "key")
        _check_list_of_text(meta.get("tags"), "tags")
        position = meta.get("position")
        if position is not None:
            if not isinstance(position, dict):
                raise ValueError("position is not an object")
            _check_types(position, ("part", "transcript"), "position")
        parse_key(meta["key"]["text"], source=str(meta["key"].get("path") or "<key>"))
        for doc in data.get("transcripts", {}).values():
            if not isinstance(doc["id"], str):
                raise ValueError("a transcript id is not text")
            _check_types(doc, ("path",), "transcript")
            check_label(doc["label"])
            transcript = Transcript.from_json(doc["transcript"])
            for alignment in doc.get("alignments", {}).values():
                found = Alignment.from_json(alignment)
                if found.span is not None:
                    _check_span(transcript, found.span, found.part_id)
        for doc in data.get("grades", {}).values():
            _check_types(doc, _GRADE_TEXT, "grade")
            _check_list_of_text(doc.get("tags"), "tags of a grade")
            _check_list_of_text(doc.get("rubric"), "rubric of a grade")
            grade = Grade.from_json(doc)
            if isinstance(grade.points, bool) or not isinstance(
                grade.points, (int, float, type(None))
            ):
                raise ValueError(f"points of {grade.part_id} are not a number")
        for doc in data.get("preferences", {}).values():
            Preference.from_json(doc)
        for doc in data.get("errata", {}).values():
            Erratum.from_json(doc)
        for doc in data.get("merged", {}).values():
            MergedPart.from_json(doc)
        for doc in data.get("rubric", {}).values():
            RubricItem.from_json(doc)
        for doc in data.get("history", {}).values():
            for key in ("seq", "at", "action", "part", "transcript", "field", "old", "new"):
                doc[key]
    except (
        HwReviewError,
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        StopIteration,
        IndexError,
        OverflowError,
        RecursionError,
    ) as exc:
        what = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        what = f"missing {what!r}" if isinstance(exc, KeyError) else str(what).splitlines()[0]
        what = what if len(what) <= 120 else what[:119] + "…"
        raise SessionBrokenError(f"{path} is damaged ({what}); {recovery_hint(path)}") from None


def _check_tables(data: dict[str, Any]) -> None:
    """A session is a dict of tables, each a dict of documents keyed by a whole number."""
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r} is not an object")
        for doc_id, doc in table.items():
            if not (doc_id.isascii() and doc_id.isdigit() and len(doc_id) <= 18):
                raise ValueError(f"table {name!r} has a bad document id {doc_id[:20]!r}")
            if not isinstance(doc, dict):
                raise ValueError(f"document {doc_id} of table {name!r} is not an object")


def _check_types(doc: dict[str, Any], text_fields: tuple[str, ...], what: str) -> None:
    for key in text_fields:
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise ValueError(f"{key} of a {what} is not text")


def _check_list_of_text(value: Any, what: str) -> None:
    if value is not None and (
        not isinstance(value, list) or not all(isinstance(x, str) for x in value)
    ):
        raise ValueError(f"{what} are not a list of text")


def _check_span(transcript: Transcript, span: Span, part_id: str) -> None:
    """A span lies inside its transcript: real messages, offsets within their text."""
    count = len(transcript.messages)
    first, last = span.message, span.end_message
    if not (0 <= first <= last < count):
        raise ValueError(f"the span of part {part_id} points past the transcript's messages")
    if not (0 <= span.start <= len(transcript.messages[first].text)) or not (
        0 <= span.end <= len(transcript.messages[last].text)
    ):
        raise ValueError(f"the span of part {part_id} points past the end of its message")
    if first == last and span.start > span.end:
        raise ValueError(f"the span of part {part_id} ends before it starts")


def check_label(label: Any) -> str:
    """A transcript label: one line of printable text, 1 to 60 characters."""
    if not isinstance(label, str):
        raise HwReviewError(f"a transcript label must be text, got {label!r}")
    clean = label.strip()
    if not clean or len(clean) > 60 or any(not c.isprintable() for c in clean):
        raise HwReviewError(
            f"bad transcript label {label!r}: use 1 to 60 printable characters on one line"
        )
    return clean


def check_points(part_id: str, maximum: float | None, points: Any) -> float | None:
    """Validate points awarded: a finite number from 0 to the part's maximum."""
    if points is None:
        return None
    try:
        value = float(points)
    except (TypeError, ValueError):
        raise HwReviewError(f"points must be a number, got {points!r}") from None
    if not math.isfinite(value):
        raise HwReviewError(f"points must be a finite number, got {points}")
    if value < 0:
        raise HwReviewError(f"points must be zero or more, got {value:g}")
    if maximum is not None and value > maximum:
        raise HwReviewError(f"part {part_id} is worth {maximum:g} points: {value:g} is too many")
    return int(value) if value.is_integer() else value


def check_tags(tags: Iterable[str], known: tuple[str, ...], session_name: str) -> list[str]:
    """Normalize tags and refuse any the session does not know."""
    result: list[str] = []
    for tag in tags:
        clean = tag.strip().lower()
        if clean not in known:
            raise HwReviewError(
                f"unknown tag {tag!r}: known tags are {', '.join(known)} "
                f"(add your own with: hwreview tags {session_name} --add {clean!r})"
            )
        if clean not in result:
            result.append(clean)
    return result

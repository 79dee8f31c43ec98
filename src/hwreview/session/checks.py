"""Checks on session data read from disk and on transcript labels: one-line errors."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hwreview.errors import HwReviewError, SessionBrokenError
from hwreview.keys.parser import parse_key
from hwreview.model import Alignment, Grade, RubricItem, Transcript
from hwreview.session.data import Erratum, Preference
from hwreview.session.merged import MergedPart

SESSION_FORMAT = "hwreview.session/1"
_FORMAT_RE = re.compile(r"hwreview\.session/(\d+)")


def check_format(path: Path, data: dict[str, Any]) -> None:
    """Refuse data that is not a session, or one written by a newer hwreview."""
    meta = data.get("meta")
    doc = next(iter(meta.values()), None) if isinstance(meta, dict) and meta else None
    version = doc.get("format") if isinstance(doc, dict) else None
    if not isinstance(version, str):
        raise SessionBrokenError(f"{path} is not an hwreview session (no format version)")
    m = _FORMAT_RE.fullmatch(version)
    if not m:
        raise SessionBrokenError(f"{path} is not an hwreview session (format {version!r})")
    if int(m.group(1)) > 1:
        raise HwReviewError(
            f"{path} was written by a newer hwreview (format {version}); "
            f"this version reads {SESSION_FORMAT}: upgrade hwreview to open it"
        )


def check_structure(path: Path, data: dict[str, Any]) -> None:
    """Read every part of a session once, so a hand-edited file fails here with one line."""
    bak = path.with_name(path.name + ".bak")
    hint = f"the previous version is in {bak}" if bak.exists() else "no backup exists"
    try:
        meta = next(iter(data["meta"].values()))
        parse_key(meta["key"]["text"], source=str(meta["key"].get("path") or "<key>"))
        for doc in data.get("transcripts", {}).values():
            check_label(doc["label"])
            Transcript.from_json(doc["transcript"])
            for alignment in doc.get("alignments", {}).values():
                Alignment.from_json(alignment)
        for doc in data.get("grades", {}).values():
            grade = Grade.from_json(doc)
            if not isinstance(grade.points, (int, float, type(None))):
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
    except (HwReviewError, KeyError, TypeError, ValueError, AttributeError, StopIteration) as exc:
        what = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        what = f"missing {what!r}" if isinstance(exc, KeyError) else str(what).splitlines()[0]
        raise SessionBrokenError(f"{path} is damaged ({what}); {hint}") from None


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

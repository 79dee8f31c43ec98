"""Read hwreview's own transcript JSON, bare or wrapped by `hwreview collect`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from hwreview.errors import HwReviewError
from hwreview.model import TRANSCRIPT_FORMAT, Transcript
from hwreview.transcripts.base import Conversation, fail, load_json_object

FORMAT = "hwreview"
COLLECT_FORMAT = "hwreview.collect/1"


def read(path: str | Path) -> Conversation:
    """Read a `hwreview.transcript/1` document (or a `hwreview.collect/1` wrapper)."""
    return from_data(load_json_object(path, FORMAT), path)


def from_data(data: Any, path: str | Path) -> Conversation:
    """Build the conversation from a loaded document; keeps the recorded source when present."""
    if not isinstance(data, dict):
        raise fail(path, FORMAT, f"expected a JSON object, found a {type(data).__name__}")
    if data.get("format") == COLLECT_FORMAT:
        data = data.get("transcript")
        if not isinstance(data, dict):
            raise fail(path, FORMAT, f"a {COLLECT_FORMAT} document needs a 'transcript' object")
    if data.get("format") != TRANSCRIPT_FORMAT:
        found = data.get("format")
        raise fail(path, FORMAT, f"'format' is {found!r}, expected {TRANSCRIPT_FORMAT!r}")
    try:
        transcript = Transcript.from_json(data)
    except HwReviewError as exc:
        raise fail(path, FORMAT, str(exc)) from None
    except (TypeError, AttributeError, KeyError):
        raise fail(path, FORMAT, "messages must be objects with role, kind and text") from None
    transcript = replace(
        transcript,
        source=transcript.source or Path(str(path)).name,
        source_format=transcript.source_format or FORMAT,
    )
    return Conversation(str(data.get("id") or ""), transcript)

"""A session file read for statistics only: grades and who made them, without the Session API.

`hwreview stats` reads thousands of sessions in a stream; this reads one file, keeps the few
fields statistics need, and lets the transcripts' text go (only a hash of it is kept).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hwreview.errors import HwReviewError, SessionBrokenError
from hwreview.model import Verdict
from hwreview.session.blobs import BLOB_KEY, BlobStore, canonical
from hwreview.session.checks import check_format
from hwreview.session.storage import load_json_file

_VERDICTS = {v.value: v for v in Verdict}


@dataclass(frozen=True)
class TranscriptRecord:
    """What statistics need of a transcript: who wrote it, how, and a hash of its text."""

    id: str
    label: str
    model: str
    strategy: str
    sha256: str
    first_try: dict[str, bool]


@dataclass(frozen=True)
class SessionRecord:
    """One session as statistics see it: key, grader, transcripts and every verdict and tag."""

    name: str
    path: Path
    grader: str
    key_sha256: str
    key_title: str
    key_text: str
    transcripts: tuple[TranscriptRecord, ...]
    # transcript id -> part id -> (verdict, tags): the grades of one transcript in one lookup
    grades: dict[str, dict[str, tuple[Verdict, tuple[str, ...]]]]


def read_record(path: Path) -> SessionRecord:
    """Read one session file for statistics; a damaged or foreign file raises one line."""
    refs = _BlobNames(path)
    data = load_json_file(path, refs)
    if data is None:
        raise HwReviewError(f"{path}: no such session file")
    check_format(path, data)
    try:
        meta = next(iter(data["meta"].values()))
        key = meta["key"]
        transcripts = _distinct(
            _transcript(doc, refs.names) for doc in data.get("transcripts", {}).values()
        )
        grades: dict[str, dict[str, tuple[Verdict, tuple[str, ...]]]] = {}
        for doc in data.get("grades", {}).values():
            # Grade.from_json would build a whole Grade per part: this is the hot loop of stats.
            verdict = _VERDICTS.get(doc.get("verdict", "ungraded"))
            if verdict is None:
                raise ValueError(f"unknown verdict {doc.get('verdict')!r}")
            tags = doc.get("tags") or ()
            if tags and (not isinstance(tags, list) or not all(isinstance(t, str) for t in tags)):
                raise ValueError(f"tags of {doc['part']} are not a list of text")
            grades.setdefault(str(doc["transcript"]), {})[str(doc["part"])] = (verdict, tuple(tags))
        return SessionRecord(
            name=path.stem,
            path=path,
            grader=str(meta.get("grader") or ""),
            key_sha256=str(key["sha256"]),
            key_title=str(key.get("title") or ""),
            key_text=str(key["text"]),
            transcripts=transcripts,
            grades=grades,
        )
    except (KeyError, TypeError, ValueError, AttributeError, StopIteration) as exc:
        what = f"missing {exc.args[0]!r}" if isinstance(exc, KeyError) and exc.args else exc
        raise SessionBrokenError(f"{path} is damaged ({what})") from None


def _first_try(alignment: dict[str, Any]) -> bool:
    """`Alignment.first_try` on the stored form: the graded span is the part's first answer."""
    attempts = alignment.get("attempts") or []
    if isinstance(attempts, list) and len(attempts) > 1:
        return bool(alignment.get("span") == attempts[0])
    return not alignment.get("followup", False)


def _distinct(records: Iterable[TranscriptRecord]) -> tuple[TranscriptRecord, ...]:
    """Two copies of one transcript in a session stay two answers (their hashes made unique)."""
    seen: set[str] = set()
    result = []
    for record in records:
        if record.sha256 in seen:
            record = dataclasses.replace(record, sha256=f"{record.sha256}:{record.id}")
        seen.add(record.sha256)
        result.append(record)
    return tuple(result)


class _BlobNames(BlobStore):
    """A blob store that notes each transcript's blob name as it reads it (it writes nothing)."""

    def __init__(self, session: Path) -> None:
        super().__init__(session)
        self.names: dict[int, str] = {}

    def remember(self, value: Any, ref: dict[str, Any]) -> None:
        """Keep the sha256 the transcript was stored (and verified) under."""
        super().remember(value, ref)
        self.names[id(value)] = str(ref[BLOB_KEY])


def _transcript(doc: dict[str, Any], names: dict[int, str]) -> TranscriptRecord:
    transcript = doc["transcript"]
    # The same transcript is the same canonical JSON: its blob's name, or (in a session of the
    # older format, with the transcript inline) the sha256 the blob would have.
    sha = names.get(id(transcript)) or hashlib.sha256(canonical(transcript)).hexdigest()
    first_try = {
        str(pid): _first_try(alignment)
        for pid, alignment in (doc.get("alignments") or {}).items()
        if isinstance(alignment, dict)
    }
    return TranscriptRecord(
        id=str(doc["id"]),
        label=str(doc["label"]),
        model=str(transcript.get("model") or ""),
        strategy=str(transcript.get("strategy") or ""),
        sha256=sha,
        first_try=first_try,
    )

"""Transcripts stored once beside their session: content-addressed, immutable, verified on read.

A session file names each transcript by the sha256 of its canonical JSON
(`{"$blob": SHA, "bytes": N}` in place of the transcript), and the JSON itself lives in
`sessions/NAME.transcripts/SHA.json`. A grade then rewrites only the small session file, not
megabytes of transcript. Blobs are written (durably) before the session file that names them,
never changed afterwards, and checked against their name when read.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from hwreview.errors import HwReviewError, SessionBrokenError
from hwreview.files import read_bounded

BLOB_KEY = "$blob"
MAX_BLOB_BYTES = 256 * 2**20
_HEX = frozenset("0123456789abcdef")


def blob_dir(session: Path) -> Path:
    """The folder of a session's transcript blobs."""
    return session.with_name(session.stem + ".transcripts")


def canonical(value: Any) -> bytes:
    """The bytes a blob holds: JSON with sorted keys and no spaces (so equal data, equal name)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )


class BlobStore:
    """Writes a session's transcripts as blobs, remembering which it has already written."""

    def __init__(self, session: Path) -> None:
        self.session = session
        self.folder = blob_dir(session)
        self._known: dict[int, tuple[Any, dict[str, Any]]] = {}
        self._verified: dict[str, Any] = {}  # blobs never change: each is read and checked once

    def remember(self, value: Any, ref: dict[str, Any]) -> None:
        """Note that `value` (an in-memory transcript) is stored as `ref` already."""
        self._known[id(value)] = (value, ref)

    def ref(self, value: Any) -> dict[str, Any]:
        """The reference for a transcript, writing its blob first if it is new."""
        known = self._known.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        data = canonical(value)
        sha = hashlib.sha256(data).hexdigest()
        target = self.folder / f"{sha}.json"
        if not target.exists():
            from hwreview.session.storage import atomic_write_bytes

            self.folder.mkdir(exist_ok=True)
            atomic_write_bytes(target, data)
        ref = {BLOB_KEY: sha, "bytes": len(data)}
        self.remember(value, ref)
        return ref

    def externalize(self, data: dict[str, Any]) -> dict[str, Any]:
        """A shallow copy of session data with each transcript replaced by its blob reference."""
        table = data.get("transcripts")
        if not isinstance(table, dict):
            return data
        docs = {}
        for doc_id, doc in table.items():
            if isinstance(doc, dict) and isinstance(doc.get("transcript"), dict):
                doc = {**doc, "transcript": self.ref(doc["transcript"])}
            docs[doc_id] = doc
        return {**data, "transcripts": docs}

    def internalize(self, data: dict[str, Any], hint: str) -> None:
        """Replace each blob reference in `data` with the verified transcript, in place."""
        table = data.get("transcripts")
        if not isinstance(table, dict):
            return
        for doc in table.values():
            ref = doc.get("transcript") if isinstance(doc, dict) else None
            if isinstance(ref, dict) and BLOB_KEY in ref:
                sha = ref[BLOB_KEY]
                value = self._verified.get(sha) if isinstance(sha, str) else None
                if value is None:
                    value = self._load(ref, hint)
                    self._verified[sha] = value
                doc["transcript"] = value
                self.remember(value, ref)

    def _load(self, ref: dict[str, Any], hint: str) -> Any:
        sha = ref[BLOB_KEY]
        if not isinstance(sha, str) or len(sha) != 64 or not set(sha) <= _HEX:
            raise SessionBrokenError(
                f"{self.session} is damaged (a bad transcript reference); {hint}"
            )
        path = self.folder / f"{sha}.json"
        try:
            raw = read_bounded(path, MAX_BLOB_BYTES, "transcript")
        except FileNotFoundError:
            raise SessionBrokenError(
                f"{self.session}: its transcript {path.name} is missing from {self.folder.name}/; {hint}"
            ) from None
        except (OSError, HwReviewError) as exc:
            raise SessionBrokenError(
                f"{self.session}: cannot read {path} ({exc}); {hint}"
            ) from None
        if hashlib.sha256(raw).hexdigest() != sha:
            raise SessionBrokenError(
                f"{self.session}: its transcript {path.name} was changed on disk "
                f"(sha256 mismatch); {hint}"
            )
        try:
            return json.loads(raw.decode("utf-8", "surrogatepass"))
        except (ValueError, RecursionError):
            raise SessionBrokenError(
                f"{self.session}: its transcript {path.name} is not JSON; {hint}"
            ) from None

    def in_use(self) -> set[str]:
        """The blob names of the transcripts read or written through this store."""
        return {ref[BLOB_KEY] + ".json" for _, ref in self._known.values()}

    def referenced(self, *files: Path) -> set[str]:
        """The blob names the given session files (and their backups) refer to."""
        names: set[str] = set()
        for file in files:
            try:
                data = json.loads(read_bounded(file, 256 * 2**20, "session"))
            except (OSError, ValueError, RecursionError, HwReviewError):
                continue
            table = data.get("transcripts") if isinstance(data, dict) else None
            for doc in (table or {}).values() if isinstance(table, dict) else ():
                ref = doc.get("transcript") if isinstance(doc, dict) else None
                if isinstance(ref, dict) and isinstance(ref.get(BLOB_KEY), str):
                    names.add(ref[BLOB_KEY] + ".json")
        return names

"""Correcting who wrote a message when an import could only guess (a print, a copied page)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from tinydb import Query

from hwreview import clock
from hwreview.errors import HwReviewError
from hwreview.model import NOT_FOUND, Alignment, Message, TranscriptInfo
from hwreview.session.data import audit_entry

if TYPE_CHECKING:
    from tinydb import TinyDB

    from hwreview.model import Assignment
    from hwreview.session.storage import AtomicJSONStorage

SPEAKERS = ("user", "assistant")


class TurnRoles:
    """Mixin for `Session`: set a message's speaker; automatic spans are found again."""

    if TYPE_CHECKING:
        _db: TinyDB
        storage: AtomicJSONStorage

        @property
        def assignment(self) -> Assignment: ...

        _transcripts: tuple[TranscriptInfo, ...] | None

        def transcript(self, which: str | None = None) -> TranscriptInfo: ...
        def _touch(self, stamp: str, position: dict[str, str] | None = None) -> None: ...

    def set_message_role(self, transcript_id: str, index: int, role: str) -> TranscriptInfo:
        """Say who wrote message `index` (user or assistant); spans set by hand are kept."""
        from hwreview.transcripts.align import align

        if role not in SPEAKERS:
            raise HwReviewError(f"a message is the user's or the assistant's, not {role!r}")
        info = self.transcript(transcript_id)
        messages = list(info.transcript.messages)
        if not 0 <= index < len(messages):
            raise HwReviewError(f"transcript {info.label!r} has no message {index}")
        old = messages[index]
        if old.role == role and old.kind == "answer":
            return info
        messages[index] = Message(role=role, text=old.text, kind="answer", time=old.time)
        transcript = dataclasses.replace(info.transcript, messages=tuple(messages))
        found = align(self.assignment, transcript)
        alignments: dict[str, Any] = {}
        for part in self.assignment.parts:
            kept = info.alignments.get(part.id)
            new = kept if kept is not None and kept.manual else found.get(part.id)
            alignments[part.id] = (new or Alignment(part.id, NOT_FOUND)).to_json()
        stamp = clock.now()
        table = self._db.table("transcripts")
        with self.storage.batch():
            table.update(
                {"transcript": transcript.to_json(), "alignments": alignments},
                Query().id == info.id,
            )
            history = self._db.table("history")
            history.insert(
                audit_entry(
                    history,
                    stamp,
                    "",
                    info.id,
                    "message-role",
                    {"message": index, "role": old.role, "kind": old.kind},
                    {"message": index, "role": role, "kind": "answer"},
                )  # fmt: skip
            )
            self._touch(stamp)
        self._transcripts = None
        return self.transcript(info.id)

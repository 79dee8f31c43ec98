"""Correcting who wrote a message when an import could only guess (a print, a copied page)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from tinydb import Query

from hwreview import clock
from hwreview.errors import HwReviewError
from hwreview.model import NOT_FOUND, Alignment, Message, TranscriptInfo

if TYPE_CHECKING:
    from hwreview.session.store import SessionStore

SPEAKERS = ("user", "assistant")


class Turns:
    """Who wrote each message: set a message's speaker; automatic spans are found again."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store

    def set_role(self, transcript_id: str, index: int, role: str) -> TranscriptInfo:
        """Say who wrote message `index` (user or assistant); spans set by hand are kept."""
        from hwreview.transcripts.align import align

        if role not in SPEAKERS:
            raise HwReviewError(f"a message is the user's or the assistant's, not {role!r}")
        info = self.store.transcript(transcript_id)
        messages = list(info.transcript.messages)
        if not 0 <= index < len(messages):
            raise HwReviewError(f"transcript {info.label!r} has no message {index}")
        old = messages[index]
        if old.role == role and old.kind == "answer":
            return info
        messages[index] = Message(role=role, text=old.text, kind="answer", time=old.time)
        transcript = dataclasses.replace(info.transcript, messages=tuple(messages))
        found = align(self.store.assignment, transcript)
        alignments: dict[str, Any] = {}
        for part in self.store.assignment.parts:
            kept = info.alignments.get(part.id)
            new = kept if kept is not None and kept.manual else found.get(part.id)
            alignments[part.id] = (new or Alignment(part.id, NOT_FOUND)).to_json()
        stamp = clock.now()
        table = self.store.table("transcripts")
        with self.store.batch():
            table.update(
                {"transcript": transcript.to_json(), "alignments": alignments},
                Query().id == info.id,
            )
            self.store.audit(
                stamp, "", info.id, "message-role",
                {"message": index, "role": old.role, "kind": old.kind},
                {"message": index, "role": role, "kind": "answer"},
            )  # fmt: skip
            self.store.touch(stamp)
        self.store.forget_transcripts()
        return self.store.transcript(info.id)

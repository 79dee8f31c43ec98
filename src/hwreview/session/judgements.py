"""Preferences between two answers and errata in the key: read and written with audit entries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tinydb import Query

from hwreview import clock
from hwreview.errors import HwReviewError
from hwreview.session.data import (
    ERRATUM_KINDS,
    PREFERENCE_ASPECTS,
    Change,
    Erratum,
    Preference,
)

if TYPE_CHECKING:
    from hwreview.session.store import SessionStore

MAX_REASON = 2000
MAX_NOTE = 20000
# What a user may type for a preference, beside a transcript's label or id.
CHOICE_WORDS = {
    "a": "first",
    "first": "first",
    "b": "second",
    "second": "second",
    "tie": "tie",
    "same": "tie",
    "neither": "neither",
    "both-wrong": "neither",
}


class Judgements:
    """The session's preferences (per part and pair of transcripts) and errata (per part)."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store

    # ------------------------------------------------------------------ reading

    def preferences(self) -> dict[tuple[str, str, str], Preference]:
        """Every preference by (part id, first transcript id, second transcript id)."""
        return {
            (doc["part"], doc["first"], doc["second"]): Preference.from_json(doc)
            for doc in self.store.table("preferences").all()
        }

    def preference(self, part_id: str, first: str, second: str) -> Preference | None:
        """The preference between two transcripts on a part (as seen in that order)."""
        doc = self.store.table("preferences").get(_pair(part_id, first, second))
        if doc is not None:
            return Preference.from_json(doc)
        doc = self.store.table("preferences").get(_pair(part_id, second, first))
        return Preference.from_json(doc).flipped() if doc is not None else None

    def errata(self) -> dict[str, Erratum]:
        """Every part whose key a grader flagged, by part id."""
        return {doc["part"]: Erratum.from_json(doc) for doc in self.store.table("errata").all()}

    def erratum(self, part_id: str) -> Erratum | None:
        """The flag on one part's key, if any."""
        doc = self.store.table("errata").get(Query().part == part_id)
        return Erratum.from_json(doc) if doc is not None else None

    def default_pair(self) -> tuple[str, str]:
        """The two transcripts a preference is between when none are named: the first two."""
        if len(self.store.transcripts) < 2:
            raise HwReviewError(
                f"session {self.store.name!r} has one transcript: a preference needs two to compare"
            )
        return self.store.transcripts[0].id, self.store.transcripts[1].id

    # ------------------------------------------------------------------ writing

    def set_preference(
        self,
        part_id: str,
        choice: str | None,
        reason: str = "",
        aspects: Iterable[str] = (),
        first: str | None = None,
        second: str | None = None,
    ) -> Preference | None:
        """Record which answer is better on a part (A, B, tie, neither, or a label); None clears."""
        part = self.store.assignment.part(part_id)
        if (first is None) != (second is None):
            raise HwReviewError("name both transcripts of the pair, or neither")
        a, b = (
            (self.store.transcript(first).id, self.store.transcript(second).id)
            if first is not None and second is not None
            else self.default_pair()
        )
        if a == b:
            raise HwReviewError("a preference is between two different transcripts")
        old = self._stored_preference(part.id, a, b)
        new: Preference | None = None
        if choice is not None:
            value = self._choice(choice, a, b)
            clean_aspects = _aspects(aspects)
            text = " ".join(reason.split())
            if len(text) > MAX_REASON:
                raise HwReviewError(f"a reason is one line of at most {MAX_REASON} characters")
            new = Preference(part.id, a, b, value, text, clean_aspects, clock.now())
        if old is not None and new is not None:
            # The stored order wins so a pair has one record.
            if (old.first, old.second) != (a, b):
                new = new.flipped()
            if (old.choice, old.reason, old.aspects) == (new.choice, new.reason, new.aspects):
                return new
        if old is None and new is None:
            return None
        keep = old or new
        assert keep is not None
        self._write_judgement(
            "preferences",
            "preference",
            _pair(part.id, keep.first, keep.second),
            part.id,
            keep.first,
            old.to_json() if old else None,
            new.to_json() if new else None,
        )
        return new

    def set_erratum(self, part_id: str, note: str | None, kind: str = "wrong") -> Erratum | None:
        """Flag a part's key as wrong or incomplete with a note; a note of None clears the flag."""
        part = self.store.assignment.part(part_id)
        old = self.erratum(part.id)
        new: Erratum | None = None
        if note is not None:
            if kind not in ERRATUM_KINDS:
                raise HwReviewError(
                    f"unknown erratum kind {kind!r}: use {', '.join(ERRATUM_KINDS)}"
                )
            text = note.strip()
            if not text:
                raise HwReviewError("say what is wrong with the key in the note")
            if len(text) > MAX_NOTE:
                raise HwReviewError(f"an erratum note is at most {MAX_NOTE} characters")
            new = Erratum(part.id, kind, text, clock.now())
            if old is not None and (old.kind, old.note) == (new.kind, new.note):
                return old
        if old is None and new is None:
            return None
        self._write_judgement(
            "errata",
            "erratum",
            Query().part == part.id,
            part.id,
            "",
            old.to_json() if old else None,
            new.to_json() if new else None,
        )
        return new

    def restore(self, entry: Change) -> None:
        """Undo one preference or erratum entry: put back the value it replaced."""
        value = entry.old if entry.old is not None else entry.new
        if entry.field == "preference":
            table = "preferences"
            cond = _pair(entry.part_id, value["first"], value["second"])
        else:
            table, cond = "errata", Query().part == entry.part_id
        self._write_judgement(
            table, entry.field, cond, entry.part_id, entry.transcript_id, entry.new, entry.old,
            undoes=entry.action,
        )  # fmt: skip

    def _write_judgement(
        self,
        table_name: str,
        field: str,
        cond: Any,
        part_id: str,
        transcript_id: str,
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
        undoes: int | None = None,
    ) -> None:
        table = self.store.table(table_name)
        stamp = clock.now()
        with self.store.batch():
            if new is None:
                table.remove(cond)
            else:
                table.upsert(new, cond)
            self.store.audit(stamp, part_id, transcript_id, field, old, new, undoes=undoes)
            self.store.touch(stamp)

    def _stored_preference(self, part_id: str, a: str, b: str) -> Preference | None:
        table = self.store.table("preferences")
        doc = table.get(_pair(part_id, a, b)) or table.get(_pair(part_id, b, a))
        return Preference.from_json(doc) if doc is not None else None

    def _choice(self, choice: str, first: str, second: str) -> str:
        word = choice.strip().lower()
        if word in CHOICE_WORDS:
            return CHOICE_WORDS[word]
        try:
            picked = self.store.transcript(choice.strip()).id
        except HwReviewError:
            picked = None
        if picked == first:
            return "first"
        if picked == second:
            return "second"
        raise HwReviewError(
            f"unknown preference {choice!r}: use A, B, tie, neither, or the label of either answer"
        )


def _pair(part_id: str, first: str, second: str) -> Any:
    q = Query()
    return (q.part == part_id) & (q.first == first) & (q.second == second)


def _aspects(aspects: Iterable[str]) -> tuple[str, ...]:
    result: list[str] = []
    for aspect in aspects:
        clean = aspect.strip().lower()
        clean = {"rigor": "rigour"}.get(clean, clean)
        if clean not in PREFERENCE_ASPECTS:
            raise HwReviewError(f"unknown aspect {aspect!r}: use {', '.join(PREFERENCE_ASPECTS)}")
        if clean not in result:
            result.append(clean)
    return tuple(result)

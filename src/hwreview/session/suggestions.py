"""A judge model's suggestions: stored apart from the grader's verdicts, hidden until graded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tinydb import Query

from hwreview.errors import HwReviewError
from hwreview.llm_core.judge import Suggestion
from hwreview.llm_core.pairwise import PairSuggestion
from hwreview.llm_core.spans import SpanCandidate
from hwreview.model import Verdict

if TYPE_CHECKING:
    from hwreview.session.edits import Edits
    from hwreview.session.judgements import Judgements
    from hwreview.session.store import SessionStore


class Suggestions:
    """A judge's verdicts, proposed spans and pairwise choices, kept apart from the grader's."""

    def __init__(self, store: SessionStore, judgements: Judgements, edits: Edits) -> None:
        self.store = store
        self.judgements = judgements
        self.edits = edits

    def verdicts(self) -> dict[tuple[str, str], Suggestion]:
        """The latest suggestion for each (part id, transcript id), whoever the judge was."""
        out: dict[tuple[str, str], Suggestion] = {}
        for doc in self.store.table("suggestions").all():
            try:
                suggestion = Suggestion.from_json(doc)
            except (KeyError, TypeError, ValueError):
                continue  # a hand-damaged entry is skipped, never guessed
            key = (suggestion.part_id, suggestion.transcript_id)
            if key not in out or suggestion.created >= out[key].created:
                out[key] = suggestion
        return out

    def judged_by(self, model: str) -> set[tuple[str, str]]:
        """Every (part id, transcript id) that `model` has a stored suggestion for."""
        return {
            (str(doc.get("part")), str(doc.get("transcript")))
            for doc in self.store.table("suggestions").all()
            if doc.get("model") == model
        }

    def add_verdicts(self, items: Iterable[Suggestion]) -> None:
        """Store suggestions (replacing the same judge's older ones) in one durable write."""
        if self.store.read_only:
            raise HwReviewError("this session is open read-only: suggestions were not saved")
        table = self.store.table("suggestions")
        with self.store.batch():
            for item in items:
                same = (
                    (Query().part == item.part_id)
                    & (Query().transcript == item.transcript_id)
                    & (Query().model == item.model)
                )
                table.remove(same)
                table.insert(item.to_json())

    @property
    def blind(self) -> bool:
        """True (the default) when a suggestion stays hidden until the grader's own verdict."""
        return bool(self.store.meta.get("blind_suggestions", True))

    def set_blind(self, blind: bool) -> None:
        """Hide suggestions until graded (True), or show them at once (False)."""
        self.store.update_meta({"blind_suggestions": bool(blind)})

    def visible(self, part_id: str, transcript_id: str) -> Suggestion | None:
        """The suggestion the grader may see now: none while blind and still ungraded."""
        suggestion = self.verdicts().get((part_id, transcript_id))
        if suggestion is None:
            return None
        if self.blind and self.store.grade(part_id, transcript_id).verdict is Verdict.UNGRADED:
            return None
        return suggestion

    # ------------------------------------------------------------------ span candidates

    def span_candidates(self) -> dict[tuple[str, str], SpanCandidate]:
        """Spans a model proposed for uncertain parts, by (part id, transcript id)."""
        out: dict[tuple[str, str], SpanCandidate] = {}
        for doc in self.store.table("span_candidates").all():
            try:
                candidate = SpanCandidate.from_json(doc)
            except (KeyError, TypeError, ValueError):
                continue
            out[candidate.part_id, candidate.transcript_id] = candidate
        return out

    def add_span_candidates(self, items: Iterable[SpanCandidate]) -> None:
        """Store proposed spans (one per part and transcript) without applying them."""
        if self.store.read_only:
            raise HwReviewError("this session is open read-only: proposals were not saved")
        table = self.store.table("span_candidates")
        with self.store.batch():
            for item in items:
                table.remove(
                    (Query().part == item.part_id) & (Query().transcript == item.transcript_id)
                )
                table.insert(item.to_json())

    def accept_span_candidate(self, part_id: str, transcript_id: str) -> SpanCandidate:
        """Apply a proposed span as the grader's own (it then wins over automatic alignment)."""
        candidate = self.span_candidates().get((part_id, transcript_id))
        if candidate is None:
            raise HwReviewError(f"no proposed span for {part_id} in that transcript")
        self.edits.set_alignment(transcript_id, part_id, candidate.span)
        self.store.table("span_candidates").remove(
            (Query().part == part_id) & (Query().transcript == transcript_id)
        )
        return candidate

    # ------------------------------------------------------------------ pairwise

    def pairs(self) -> dict[tuple[str, str, str], PairSuggestion]:
        """The latest pairwise suggestion by (part id, first transcript id, second id)."""
        out: dict[tuple[str, str, str], PairSuggestion] = {}
        for doc in self.store.table("pair_suggestions").all():
            try:
                item = PairSuggestion.from_json(doc)
            except (KeyError, TypeError, ValueError):
                continue
            key = (item.part_id, item.first, item.second)
            if key not in out or item.created >= out[key].created:
                out[key] = item
        return out

    def add_pairs(self, items: Iterable[PairSuggestion]) -> None:
        """Store pairwise suggestions (replacing the same judge's older ones) in one write."""
        if self.store.read_only:
            raise HwReviewError("this session is open read-only: suggestions were not saved")
        table = self.store.table("pair_suggestions")
        with self.store.batch():
            for item in items:
                q = Query()
                table.remove(
                    (q.part == item.part_id) & (q.first == item.first)
                    & (q.second == item.second) & (q.model == item.model)
                )  # fmt: skip
                table.insert(item.to_json())

    def visible_pair(self, part_id: str, first: str, second: str) -> PairSuggestion | None:
        """The pairwise suggestion the grader may see: none while blind and no preference given."""
        item = self.pairs().get((part_id, first, second))
        if item is None:
            return None
        if self.blind and self.judgements.preference(part_id, first, second) is None:
            return None
        return item

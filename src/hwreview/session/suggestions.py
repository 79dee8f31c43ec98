"""A judge model's suggestions: stored apart from the grader's verdicts, hidden until graded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tinydb import Query

from hwreview.errors import HwReviewError
from hwreview.llm_core.judge import Suggestion
from hwreview.llm_core.pairwise import PairSuggestion
from hwreview.llm_core.spans import SpanCandidate
from hwreview.model import Verdict

if TYPE_CHECKING:
    from tinydb import TinyDB

    from hwreview.model import Alignment, Grade, Span
    from hwreview.session.data import Preference
    from hwreview.session.storage import AtomicJSONStorage


class Suggestions:
    """The session's `suggestions` table (absent in older files: then there are none)."""

    if TYPE_CHECKING:
        _db: TinyDB
        storage: AtomicJSONStorage
        read_only: bool

        @property
        def _meta(self) -> dict[str, Any]: ...

        def grade(self, part_id: str, transcript_id: str) -> Grade: ...
        def _update_meta(self, changes: dict[str, Any]) -> None: ...
        def preference(self, part_id: str, first: str, second: str) -> Preference | None: ...
        def set_alignment(
            self, transcript_id: str, part_id: str, span: Span | None, status: str | None = None
        ) -> Alignment: ...

    def suggestions(self) -> dict[tuple[str, str], Suggestion]:
        """The latest suggestion for each (part id, transcript id), whoever the judge was."""
        out: dict[tuple[str, str], Suggestion] = {}
        for doc in self._db.table("suggestions").all():
            try:
                suggestion = Suggestion.from_json(doc)
            except (KeyError, TypeError, ValueError):
                continue  # a hand-damaged entry is skipped, never guessed
            key = (suggestion.part_id, suggestion.transcript_id)
            if key not in out or suggestion.created >= out[key].created:
                out[key] = suggestion
        return out

    def add_suggestions(self, items: Iterable[Suggestion]) -> None:
        """Store suggestions (replacing the same judge's older ones) in one durable write."""
        if self.read_only:
            raise HwReviewError("this session is open read-only: suggestions were not saved")
        table = self._db.table("suggestions")
        with self.storage.batch():
            for item in items:
                same = (
                    (Query().part == item.part_id)
                    & (Query().transcript == item.transcript_id)
                    & (Query().model == item.model)
                )
                table.remove(same)
                table.insert(item.to_json())

    @property
    def blind_suggestions(self) -> bool:
        """True (the default) when a suggestion stays hidden until the grader's own verdict."""
        return bool(self._meta.get("blind_suggestions", True))

    def set_blind_suggestions(self, blind: bool) -> None:
        """Hide suggestions until graded (True), or show them at once (False)."""
        self._update_meta({"blind_suggestions": bool(blind)})

    def visible_suggestion(self, part_id: str, transcript_id: str) -> Suggestion | None:
        """The suggestion the grader may see now: none while blind and still ungraded."""
        suggestion = self.suggestions().get((part_id, transcript_id))
        if suggestion is None:
            return None
        if (
            self.blind_suggestions
            and self.grade(part_id, transcript_id).verdict is Verdict.UNGRADED
        ):
            return None
        return suggestion

    # ------------------------------------------------------------------ span candidates

    def span_candidates(self) -> dict[tuple[str, str], SpanCandidate]:
        """Spans a model proposed for uncertain parts, by (part id, transcript id)."""
        out: dict[tuple[str, str], SpanCandidate] = {}
        for doc in self._db.table("span_candidates").all():
            try:
                candidate = SpanCandidate.from_json(doc)
            except (KeyError, TypeError, ValueError):
                continue
            out[candidate.part_id, candidate.transcript_id] = candidate
        return out

    def add_span_candidates(self, items: Iterable[SpanCandidate]) -> None:
        """Store proposed spans (one per part and transcript) without applying them."""
        if self.read_only:
            raise HwReviewError("this session is open read-only: proposals were not saved")
        table = self._db.table("span_candidates")
        with self.storage.batch():
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
        self.set_alignment(transcript_id, part_id, candidate.span)
        self._db.table("span_candidates").remove(
            (Query().part == part_id) & (Query().transcript == transcript_id)
        )
        return candidate

    # ------------------------------------------------------------------ pairwise

    def pair_suggestions(self) -> dict[tuple[str, str, str], PairSuggestion]:
        """The latest pairwise suggestion by (part id, first transcript id, second id)."""
        out: dict[tuple[str, str, str], PairSuggestion] = {}
        for doc in self._db.table("pair_suggestions").all():
            try:
                item = PairSuggestion.from_json(doc)
            except (KeyError, TypeError, ValueError):
                continue
            key = (item.part_id, item.first, item.second)
            if key not in out or item.created >= out[key].created:
                out[key] = item
        return out

    def add_pair_suggestions(self, items: Iterable[PairSuggestion]) -> None:
        """Store pairwise suggestions (replacing the same judge's older ones) in one write."""
        if self.read_only:
            raise HwReviewError("this session is open read-only: suggestions were not saved")
        table = self._db.table("pair_suggestions")
        with self.storage.batch():
            for item in items:
                q = Query()
                table.remove(
                    (q.part == item.part_id) & (q.first == item.first)
                    & (q.second == item.second) & (q.model == item.model)
                )  # fmt: skip
                table.insert(item.to_json())

    def visible_pair_suggestion(
        self, part_id: str, first: str, second: str
    ) -> PairSuggestion | None:
        """The pairwise suggestion the grader may see: none while blind and no preference given."""
        item = self.pair_suggestions().get((part_id, first, second))
        if item is None:
            return None
        if self.blind_suggestions and self.preference(part_id, first, second) is None:
            return None
        return item

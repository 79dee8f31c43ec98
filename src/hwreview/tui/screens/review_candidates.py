"""The review screen's key for stepping a part's graded span through attempts and candidates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hwreview.transcripts.align.choices import choices, next_choice
from hwreview.tui.text import plain

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from hwreview.model import Part, TranscriptInfo
    from hwreview.session.session import Session


class CandidateActions:
    """`o`: the next attempt or candidate becomes the graded span (saved, undoable)."""

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        session: Session
        notify: Callable[..., Any]
        save: Callable[[str, Callable[[], Any]], bool]

        @property
        def part(self) -> Part: ...
        @property
        def transcript(self) -> TranscriptInfo: ...

    def action_next_candidate(self) -> None:
        """Show and grade the part's next attempt or candidate span (again: the one after)."""
        part, info = self.part, self.transcript
        alignment = info.alignments.get(part.id)
        choice = next_choice(alignment)
        if choice is None:
            self.notify(f"{part.id}: no other attempt or candidate to step to.")
            return
        count = len(choices(alignment))
        self.save(
            f"{part.id} ({plain(info.label, 30)}): {plain(choice.name, 80)} of {count} shown",
            lambda: self.session.set_alignment(info.id, part.id, choice.span),
        )

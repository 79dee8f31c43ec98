"""The review screen's grading keys: a verdict, undo, and stepping the graded span."""

from __future__ import annotations

from typing import Protocol

from hwreview.model import Verdict
from hwreview.session.data import Change
from hwreview.transcripts.align.choices import choices, next_choice
from hwreview.tui.saving import write_session
from hwreview.tui.screens.review_host import ReviewHost
from hwreview.tui.screens.verdicts import give_verdict
from hwreview.tui.text import plain


class GradingHost(ReviewHost, Protocol):
    """What the grading keys need beyond any action group: to move to a part and transcript."""

    def show(self, part_id: str, transcript_id: str | None = None) -> None: ...


class GradeKeys:
    """1-5 and 0 (verdicts), ctrl+z (undo), o (the next attempt or candidate span)."""

    def __init__(self, host: GradingHost) -> None:
        self.host = host

    def action_verdict(self, verdict: str) -> None:
        """Give the active transcript's answer a verdict (a partial with points asks for them)."""
        host = self.host
        give_verdict(host, host.session, host.part, host.transcript, Verdict(verdict), host.save)

    def action_undo(self) -> None:
        """Undo the latest change (grades and spans)."""
        host, session = self.host, self.host.session
        if session.read_only:
            host.notify("Read-only: nothing can be undone here.", severity="warning")
            return
        undone: list[Change | None] = []
        if not write_session(host, session, "the undo", lambda: undone.append(session.undo())):
            return
        change = undone[0]
        if change is None:
            host.notify("Nothing to undo.")
            return
        here = (host.transcript.id, host.part.id)
        # An erratum belongs to no transcript: stay on the one being graded.
        ids = {t.id for t in session.transcripts}
        transcript_id = change.transcript_id if change.transcript_id in ids else here[0]
        # A rubric item shared by many parts belongs to none: stay on the part shown.
        part_ids = {p.id for p in session.assignment.parts}
        part_id = change.part_id if change.part_id in part_ids else here[1]
        if here == (transcript_id, part_id):
            host.refresh_view()  # else the watchers of these two redraw
        host.show(part_id, transcript_id)
        what = change.part_id or "the rubric"
        host.notify(f"Undid the {change.field} of {what} — saved", timeout=2)

    def action_next_candidate(self) -> None:
        """Show and grade the part's next attempt or candidate span (again: the one after)."""
        host = self.host
        part, info = host.part, host.transcript
        alignment = info.alignments.get(part.id)
        choice = next_choice(alignment)
        if choice is None:
            host.notify(f"{part.id}: no other attempt or candidate to step to.")
            return
        count = len(choices(alignment))
        host.save(
            f"{part.id} ({plain(info.label, 30)}): {plain(choice.name, 80)} of {count} shown",
            lambda: host.session.set_alignment(info.id, part.id, choice.span),
        )

"""The whole transcript, scrolled to a part's answer, with keys to fix where that answer is."""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from hwreview.model import Span, Transcript
from hwreview.session.session import Session
from hwreview.tui.saving import write_session
from hwreview.tui.screens.dialogs import Prompt
from hwreview.tui.span_edit import (
    extend_end,
    extend_start,
    move_message,
    shrink_end,
    shrink_start,
    transcript_markdown,
)
from hwreview.tui.text import plain
from hwreview.tui.widgets.doc_view import DocView
from hwreview.tui.widgets.footer import Footer
from hwreview.tui.widgets.header import Header


class TranscriptScreen(Screen[None]):
    """Shows one transcript whole; `]` `[` `}` `{` `m` `M` `x` fix the part's span, `u` the speaker.

    Changes are saved at once. `u` marks the message where the span starts as the user's turn
    (an import from a print or a copied page can only guess who wrote what); parts not fixed
    by hand are then found again.
    """

    BINDINGS = [
        Binding("escape,v", "back", "Back"),
        Binding("right_square_bracket", "span('extend_end')", "End +¶", key_display="]"),
        Binding("left_square_bracket", "span('shrink_end')", "End −¶", key_display="["),
        Binding("left_curly_bracket", "span('extend_start')", "Start −¶", key_display="{"),
        Binding("right_curly_bracket", "span('shrink_start')", "Start +¶", key_display="}"),
        Binding("m", "span('next_message')", "Next msg"),
        Binding("M", "span('previous_message')", "Prev msg", show=False),
        Binding("x", "not_answered", "Not answered"),
        Binding("u", "speaker", "User turn"),
        Binding("slash", "search", "Search", show=False),
        Binding("r", "raw", "Raw", show=False),
        Binding("ctrl+z", "undo", "Undo", show=False),
    ]

    EDITS: dict[str, Callable[[Transcript, Span | None], Span | None]] = {
        "extend_end": lambda t, s: extend_end(t, s) if s else move_message(t, None, 1),
        "shrink_end": lambda t, s: shrink_end(t, s) if s else None,
        "extend_start": lambda t, s: extend_start(t, s) if s else move_message(t, None, 1),
        "shrink_start": lambda t, s: shrink_start(t, s) if s else None,
        "next_message": lambda t, s: move_message(t, s, 1),
        "previous_message": lambda t, s: move_message(t, s, -1),
    }

    def __init__(self, session: Session, transcript_id: str, part_id: str) -> None:
        super().__init__()
        self.session = session
        self.transcript_id = transcript_id
        self.part_id = part_id

    def compose(self) -> ComposeResult:
        """The span's status, the span's text and the whole transcript."""
        yield Header()
        yield Static("", id="span-status")
        yield DocView(id="span-text")
        yield DocView(id="transcript")
        yield Footer()

    def on_mount(self) -> None:
        """Show the transcript at the part's span."""
        info = self.session.transcript(self.transcript_id)
        self.title = f"{self.session.name} · transcript {plain(info.label, 30)}"
        self.sub_title = f"answer to {self.part_id}"
        self.show_span()
        self.query_one("#transcript", DocView).focus()

    def show_span(self) -> None:
        """Redraw after a change of span."""
        info = self.session.transcript(self.transcript_id)
        alignment = info.alignments.get(self.part_id)
        span = alignment.span if alignment else None
        status = alignment.status if alignment else "not found"
        where = (
            f"message {span.message}, chars {span.start}–{span.end}"
            + (f" to message {span.end_message}" if span.end_message != span.message else "")
            if span
            else "no span"
        )
        how = "set by hand" if alignment and alignment.manual else "automatic"
        self.query_one("#span-status", Static).update(
            Content.from_markup(
                "[b]$part[/b] in [b]$label[/b]: $status · $where · $how",
                part=self.part_id,
                label=plain(info.label, 30),
                status=status,
                where=where,
                how=how,
            )
        )
        answer = info.answer(self.part_id) or "*Not answered (no span).*"
        self.query_one("#span-text", DocView).show(
            f"span:{self.transcript_id}:{self.part_id}", answer
        )
        markdown, offset = transcript_markdown(info.transcript, span, self.part_id)
        self.query_one("#transcript", DocView).show(
            f"transcript:{self.transcript_id}:{span}", markdown, scroll_to=offset if span else None
        )

    def _save(self, span: Span | None, what: str) -> None:
        if self.session.read_only:
            self.notify("Read-only: the span was not changed.", severity="warning")
            return
        if not write_session(
            self,
            self.session,
            what,
            lambda: self.session.set_alignment(self.transcript_id, self.part_id, span),
        ):
            return
        self.show_span()
        self.notify(f"{what} — saved", timeout=2)

    def action_span(self, edit: str) -> None:
        """Change the span by a paragraph or a message."""
        info = self.session.transcript(self.transcript_id)
        alignment = info.alignments.get(self.part_id)
        new = self.EDITS[edit](info.transcript, alignment.span if alignment else None)
        if new is None:
            self.notify("The span cannot move further that way.", severity="warning")
            return
        self._save(new, f"span of {self.part_id}")

    def action_not_answered(self) -> None:
        """Mark the part as not answered in this transcript."""
        self._save(None, f"{self.part_id} marked not answered")

    def action_speaker(self) -> None:
        """Mark the message where the span starts as the user's (or back, for a user message)."""
        info = self.session.transcript(self.transcript_id)
        alignment = info.alignments.get(self.part_id)
        span = alignment.span if alignment else None
        if span is None:
            self.notify("Move to the message first (m / M).", severity="warning")
            return
        if self.session.read_only:
            self.notify("Read-only: the speaker was not changed.", severity="warning")
            return
        message = info.transcript.messages[span.message]
        role = "assistant" if message.role == "user" and message.kind == "answer" else "user"
        what = f"message {span.message} marked as the {'user' if role == 'user' else 'model'}'s"
        if not write_session(
            self,
            self.session,
            what,
            lambda: self.session.turns.set_role(self.transcript_id, span.message, role),
        ):
            return
        self.show_span()
        self.notify(f"{what}; parts found again — saved", timeout=3)

    def action_undo(self) -> None:
        """Undo the latest change, when it is a change of this span (else say what it is)."""
        if self.session.read_only:
            self.notify("Read-only: nothing can be undone here.", severity="warning")
            return
        latest = self.session.next_undo()
        if latest is None:
            self.notify("Nothing to undo.")
            return
        if (latest.field, latest.part_id, latest.transcript_id) != (
            "span",
            self.part_id,
            self.transcript_id,
        ):
            ids = {t.id for t in self.session.transcripts}
            label = (
                f" ({plain(self.session.transcript(latest.transcript_id).label, 30)})"
                if latest.transcript_id in ids
                else ""
            )
            self.notify(
                f"Nothing more to undo for this span. The latest change is the {latest.field} "
                f"of {latest.part_id}{label}: undo it from the review screen.",
                severity="warning",
            )
            return
        if not write_session(self, self.session, "the undo", self.session.undo):
            return
        self.show_span()
        self.notify(f"Undid the span change of {self.part_id} — saved", timeout=2)

    @work(exclusive=True, exit_on_error=False, group="dialog")
    async def action_search(self) -> None:
        """Find text in the transcript."""
        text = await self.app.push_screen_wait(Prompt("Search the transcript"))
        if text and not self.query_one("#transcript", DocView).search(text):
            self.notify(f"Not found: {plain(text, 40)}", severity="warning")

    def action_raw(self) -> None:
        """Show the raw source, or the rendered text."""
        for view in self.query(DocView):
            view.raw = not view.raw

    def action_back(self) -> None:
        """Back to the review screen."""
        self.dismiss(None)

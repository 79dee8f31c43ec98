"""The review screen's view keys: zoom the question, scroll panes, other screens, home."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from hwreview.tui.messages import ShowHome, TakeOver
from hwreview.tui.screens.dialogs import Confirm
from hwreview.tui.screens.export_dialog import run_export
from hwreview.tui.screens.report_screen import ReportScreen
from hwreview.tui.screens.review_host import ScreenHost, dialog
from hwreview.tui.screens.summary_screen import SummaryScreen
from hwreview.tui.screens.transcript_screen import TranscriptScreen
from hwreview.tui.widgets.doc_view import DocView

if TYPE_CHECKING:
    from textual.message import Message

    from hwreview.tui.widgets.part_view import PartView


class PaneHost(ScreenHost, Protocol):
    """What the view keys need of the review screen: its classes, and messages to the app."""

    def toggle_class(self, *class_names: str) -> object: ...

    def has_class(self, *class_names: str) -> bool: ...

    def post_message(self, message: Message) -> bool: ...


class PaneActions:
    """Keys that change what is shown, never what is saved."""

    def __init__(
        self, host: PaneHost, view: Callable[[], PartView], active: Callable[[], str]
    ) -> None:
        self.host = host
        self.view = view
        self.active = active  # the id of the transcript being graded
        self.take_over_offered = False

    def action_zoom_question(self) -> None:
        """Give the whole part view to the question (again: back to the answers)."""
        self.host.toggle_class("-question-zoomed")
        zoomed = self.host.has_class("-question-zoomed")
        question = self.view().query_one("#question", DocView)
        question.border_subtitle = "z: back to the answers" if zoomed else "z: whole question"
        if zoomed:
            question.focus()

    def action_scroll_answer(self, pages: float) -> None:
        """Scroll the answer being graded by `pages` screens (negative: up)."""
        self._scroll(self.view().query_one(f"#answer-{self.active()}", DocView), pages)

    def action_scroll_key(self, pages: float) -> None:
        """Scroll the answer key by `pages` screens (negative: up)."""
        self._scroll(self.view().query_one("#key", DocView), pages)

    def action_scroll_question(self, pages: float) -> None:
        """Scroll the question by `pages` screens (negative: up)."""
        self._scroll(self.view().query_one("#question", DocView), pages)

    @staticmethod
    def _scroll(view: DocView, pages: float) -> None:
        step = max(1, int(view.scrollable_content_region.height * abs(pages)) - 1)
        view.scroll_relative(y=step if pages > 0 else -step, animate=False)

    def action_raw(self) -> None:
        """Show the raw Markdown/LaTeX source, or the rendered text."""
        views = self.view().doc_views()
        raw = not views[0].raw
        for view in views:
            view.raw = raw

    def action_toggle_tree(self) -> None:
        """Show or hide the part tree."""
        self.host.toggle_class("-tree-toggled")

    def action_transcript(self) -> None:
        """Open the whole transcript at this part's answer, to check or fix its span."""
        host = self.host
        host.app.push_screen(TranscriptScreen(host.session, self.active(), host.part.id))

    def action_summary(self) -> None:
        """Show the per-problem summary (counted by a worker while the screen says so)."""
        self.host.app.push_screen(SummaryScreen(self.host.session))

    def action_report(self) -> None:
        """Preview the Markdown report."""
        self.host.app.push_screen(ReportScreen(self.host.session))

    @dialog
    async def action_export(self) -> None:
        """Export the report (Markdown, JSON, CSV or HTML) to a file the grader confirms."""
        await run_export(self.host.app, self.host.session)

    def offer_take_over(self) -> None:
        """The writing window has gone: offer, once, to grade here instead of only watching."""
        if self.take_over_offered or not self.host.session.read_only:
            return
        self.take_over_offered = True
        self._ask_take_over()

    @dialog
    async def _ask_take_over(self) -> None:
        name = self.host.session.name
        yes = await self.host.app.push_screen_wait(
            Confirm(
                "The other window has closed",
                f"No one is writing {name} any more. Take it over and grade here?",
                yes="Take over",
                no="Keep watching",
                default=True,  # nothing is written by taking over; grading here is why it asks
            )
        )
        if yes:
            self.host.post_message(TakeOver(name))
        else:
            self.host.app.notify("Still read-only: reopen the session to grade here.", timeout=5)

    def action_home(self) -> None:
        """Back to the list of sessions."""
        self.host.post_message(ShowHome())

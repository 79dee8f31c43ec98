"""The review screen's view actions: zoom the question, scroll panes, other screens, home."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from hwreview.tui.messages import ShowHome, TakeOver
from hwreview.tui.screens.dialogs import Confirm
from hwreview.tui.screens.export_dialog import run_export
from hwreview.tui.screens.report_screen import ReportScreen
from hwreview.tui.screens.summary_screen import SummaryScreen
from hwreview.tui.screens.transcript_screen import TranscriptScreen
from hwreview.tui.widgets.doc_view import DocView
from hwreview.tui.widgets.part_view import PartView

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from textual.app import App

    from hwreview.session.session import Session


class PaneActions:
    """Keys that change what is shown, never what is saved."""

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        app: App[object]
        session: Session
        part_id: str
        active: str
        query_one: Callable[..., Any]
        toggle_class: Callable[..., Any]
        post_message: Callable[..., bool]
        _take_over_offered: bool

        def has_class(self, *class_names: str) -> bool: ...

    def action_zoom_question(self) -> None:
        """Give the whole part view to the question (again: back to the answers)."""
        self.toggle_class("-question-zoomed")
        zoomed = self.has_class("-question-zoomed")
        question = self.query_one("#question", DocView)
        question.border_subtitle = "z: back to the answers" if zoomed else "z: whole question"
        if zoomed:
            question.focus()

    def action_scroll_answer(self, pages: float) -> None:
        """Scroll the answer being graded by `pages` screens (negative: up)."""
        self._scroll(self.query_one(f"#answer-{self.active}", DocView), pages)

    def action_scroll_key(self, pages: float) -> None:
        """Scroll the answer key by `pages` screens (negative: up)."""
        self._scroll(self.query_one("#key", DocView), pages)

    def action_scroll_question(self, pages: float) -> None:
        """Scroll the question by `pages` screens (negative: up)."""
        self._scroll(self.query_one("#question", DocView), pages)

    @staticmethod
    def _scroll(view: DocView, pages: float) -> None:
        step = max(1, int(view.scrollable_content_region.height * abs(pages)) - 1)
        view.scroll_relative(y=step if pages > 0 else -step, animate=False)

    def action_raw(self) -> None:
        """Show the raw Markdown/LaTeX source, or the rendered text."""
        views = self.query_one(PartView).doc_views()
        raw = not views[0].raw
        for view in views:
            view.raw = raw

    def action_toggle_tree(self) -> None:
        """Show or hide the part tree."""
        self.toggle_class("-tree-toggled")

    def action_transcript(self) -> None:
        """Open the whole transcript at this part's answer, to check or fix its span."""
        self.app.push_screen(TranscriptScreen(self.session, self.active, self.part_id))

    def action_summary(self) -> None:
        """Show the per-problem summary."""
        self.app.push_screen(SummaryScreen(self.session.snapshot()))

    def action_report(self) -> None:
        """Preview the Markdown report."""
        self.app.push_screen(ReportScreen(self.session))

    @work(exclusive=True, exit_on_error=False, group="dialog")
    async def action_export(self) -> None:
        """Export the report (Markdown, JSON, CSV or HTML) to a file the grader confirms."""
        await run_export(self.app, self.session)

    def offer_take_over(self) -> None:
        """The writing window has gone: offer, once, to grade here instead of only watching."""
        if self._take_over_offered or not self.session.read_only:
            return
        self._take_over_offered = True
        self._ask_take_over()

    @work(exclusive=True, exit_on_error=False, group="dialog")
    async def _ask_take_over(self) -> None:
        name = self.session.name
        yes = await self.app.push_screen_wait(
            Confirm(
                "The other window has closed",
                f"No one is writing {name} any more. Take it over and grade here?",
                yes="Take over",
                no="Keep watching",
                default=True,  # nothing is written by taking over; grading here is why it asks
            )
        )
        if yes:
            self.post_message(TakeOver(name))
        else:
            self.app.notify("Still read-only: reopen the session to grade here.", timeout=5)

    def action_home(self) -> None:
        """Back to the list of sessions."""
        self.post_message(ShowHome())

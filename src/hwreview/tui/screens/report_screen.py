"""A preview of the Markdown report, with export."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from hwreview.report.formats import markdown_report
from hwreview.session.data import SessionSnapshot
from hwreview.session.session import Session
from hwreview.tui.screens.export_dialog import run_export
from hwreview.tui.widgets.doc_view import DocView
from hwreview.tui.widgets.footer import Footer
from hwreview.tui.widgets.header import Header


class ReportScreen(Screen[None]):
    """The report as it would be exported, in a scrollable view."""

    BINDINGS = [
        Binding("escape,R", "back", "Back"),
        Binding("e", "export", "Export"),
        Binding("r", "raw", "Raw Markdown"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        """The report between header and footer."""
        yield Header()
        yield DocView(id="report")
        yield Footer()

    @dataclass
    class Built(Message):
        """A worker built the report's Markdown."""

        markdown: str

    def on_mount(self) -> None:
        """Show a placeholder; a worker builds the report from a snapshot taken now."""
        self.title = f"{self.session.name} · report preview"
        view = self.query_one(DocView)
        view.show("report:building", "*Building the report…*")
        view.focus()
        self._build(self.session.snapshot())  # in memory: the grades as they are now

    @work(thread=True, exclusive=True, exit_on_error=False, group="io-report")
    def _build(self, snapshot: SessionSnapshot) -> None:
        """Worker: the report's Markdown."""
        self.post_message(self.Built(markdown_report(snapshot)))

    @on(Built)
    def _built(self, message: Built) -> None:
        self.query_one(DocView).show(f"report:{self.session.name}", message.markdown)

    def action_raw(self) -> None:
        """Show the raw Markdown, or the rendered report."""
        view = self.query_one(DocView)
        view.raw = not view.raw

    @work(exclusive=True, exit_on_error=False, group="dialog")
    async def action_export(self) -> None:
        """Export the report to a file."""
        await run_export(self.app, self.session)

    def action_back(self) -> None:
        """Back to grading."""
        self.dismiss(None)

"""A modal asking where to export the report, and in which format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from hwreview.errors import HwReviewError
from hwreview.services import export_report
from hwreview.session.session import Session
from hwreview.tui.screens.dialogs import Confirm, Dialog
from hwreview.tui.text import plain

SUFFIXES = {"markdown": ".md", "json": ".json", "csv": ".csv"}


@dataclass(frozen=True)
class ExportChoice:
    """The format and file the grader confirmed."""

    fmt: str
    path: Path


class ExportDialog(Dialog[ExportChoice | None]):
    """Choose the format and the path; relative paths are under the hwreview home."""

    def __init__(self, root: Path, name: str) -> None:
        super().__init__("Export the report")
        self.root = root
        self.session_name = name

    def compose(self) -> ComposeResult:
        """A format select, a path input and buttons."""
        with Vertical():
            yield self.title_line()
            yield Select(
                [("Markdown", "markdown"), ("JSON", "json"), ("CSV", "csv")],
                value="markdown",
                allow_blank=False,
                id="format",
            )
            yield Input(f"{self.session_name}-report.md", id="path")
            yield Static(f"relative to {self.root}", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Export", id="export", variant="primary")

    def on_mount(self) -> None:
        """Start in the path input."""
        self.query_one("#path", Input).focus()

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#path", Input)
        path = Path(path_input.value or f"{self.session_name}-report")
        path_input.value = str(path.with_suffix(SUFFIXES[str(event.value)]))

    def _choice(self) -> ExportChoice | None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.root / path
        return ExportChoice(str(self.query_one("#format", Select).value), path)

    @on(Input.Submitted, "#path")
    def _submitted(self) -> None:
        self.dismiss(self._choice())

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self._choice() if event.button.id == "export" else None)


async def run_export(app: App, session: Session) -> Path | None:
    """Ask where to export, confirm an overwrite, write the report; returns the path written."""
    root = session.path.parent.parent
    choice = await app.push_screen_wait(ExportDialog(root, session.name))
    if choice is None:
        return None
    if choice.path.exists():
        overwrite = await app.push_screen_wait(
            Confirm("File exists", f"{choice.path} exists. Replace it?", yes="Replace")
        )
        if not overwrite:
            app.notify("Not exported.")
            return None
    try:
        export_report(session, choice.fmt, choice.path)
    except HwReviewError as exc:
        app.notify(plain(str(exc)), severity="error", title="Not exported")
        return None
    app.notify(f"Exported {choice.fmt} to {plain(str(choice.path))}")
    return choice.path

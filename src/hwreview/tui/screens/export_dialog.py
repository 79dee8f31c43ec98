"""A modal asking where to export the report, and in which format."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
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

SUFFIXES = {"markdown": ".md", "json": ".json", "csv": ".csv", "html": ".html"}


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
                [("Markdown", "markdown"), ("JSON", "json"), ("CSV", "csv"), ("HTML", "html")],
                value="markdown",
                allow_blank=False,
                id="format",
            )
            # Not selected on focus: one stray key must not replace the whole name.
            yield Input(f"{self.session_name}-report.md", id="path", select_on_focus=False)
            yield Static(f"relative to {self.root}", markup=False)
            yield Static("", classes="dialog-error", id="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                # Export first: Tab from the name, then Enter, exports (as the title says).
                yield Button("Export", id="export", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        """Start in the path input."""
        self.query_one("#path", Input).focus()

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#path", Input)
        path = Path(path_input.value or f"{self.session_name}-report")
        path_input.value = str(path.with_suffix(SUFFIXES[str(event.value)]))

    def _choice(self) -> ExportChoice | None:
        """The confirmed choice, or None with the reason shown in the dialog (which stays)."""
        text = self.query_one("#path", Input).value.strip()
        problem = ""
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.root / path
        if not text:
            problem = "Give a file name."
        elif path.is_dir():
            problem = f"{path} is a folder: give a file name."
        elif not path.parent.is_dir():
            problem = f"Folder {path.parent} does not exist."
        self.query_one("#error", Static).update(plain(problem))
        if problem:
            self.query_one("#path", Input).focus()
            return None
        return ExportChoice(str(self.query_one("#format", Select).value), path)

    def _export(self) -> None:
        choice = self._choice()
        if choice is not None:
            self.dismiss(choice)

    @on(Input.Submitted, "#path")
    def _submitted(self) -> None:
        self._export()

    def unsaved(self) -> str:
        """A file name typed over the one offered (the format alone only changes its suffix)."""
        path = Path(self.query_one("#path", Input).value)
        offered = Path(f"{self.session_name}-report")
        return "The file name you typed" if path.with_suffix("") != offered else ""

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self._export()
        else:
            self.action_cancel()


async def run_export(app: App[object], session: Session) -> Path | None:
    """Ask where to export, confirm an overwrite, write the report in a worker; the path written."""
    root = session.home
    choice = await app.push_screen_wait(ExportDialog(root, session.name))
    if choice is None:
        app.notify("Export cancelled: nothing written.", timeout=3)
        return None
    if choice.path.exists():
        overwrite = await app.push_screen_wait(
            Confirm(
                "File exists", f"{choice.path} exists. Replace it?", yes="Replace", no="Keep it"
            )
        )
        if not overwrite:
            app.notify("Not exported.")
            return None
    app.notify(f"Exporting {choice.fmt} to {plain(str(choice.path))}…", timeout=30)
    # Built and written by a thread; the grader is told once it is on disk.
    worker = app.run_worker(
        partial(_write, session, choice),
        name="export",
        group="io-export",
        thread=True,
        exit_on_error=False,
    )
    problem = await worker.wait()
    if problem is not None:
        app.notify(plain(problem), severity="error", title="Not exported")
        return None
    app.notify(f"Exported {choice.fmt} to {plain(str(choice.path))}")
    return choice.path


def _write(session: Session, choice: ExportChoice) -> str | None:
    """Worker: the report written where the grader confirmed; the reason when it was not."""
    try:
        export_report(session, choice.fmt, choice.path, force=True)  # confirmed by the grader
    except (HwReviewError, OSError) as exc:
        return str(exc)
    return None

"""The start screen: the saved sessions, with keys to resume, create and delete them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from hwreview.errors import HwReviewError
from hwreview.paths import sessions_dir
from hwreview.services import DEMO_NAME, SessionRow, delete_session, ensure_demo, read_row
from hwreview.session.session import list_sessions
from hwreview.tui.messages import OpenSession
from hwreview.tui.screens.dialogs import Info, TypedConfirm
from hwreview.tui.screens.new_session import NewSessionScreen
from hwreview.tui.text import plain
from hwreview.tui.widgets.footer import Footer
from hwreview.tui.widgets.header import Header


def display_path(path: Path) -> str:
    """A path relative to the working folder when it is inside it."""
    try:
        return f"./{path.resolve().relative_to(Path.cwd().resolve())}"
    except ValueError:
        return str(path)


class HomeScreen(Screen[None]):
    """Lists sessions: enter resumes, n creates, d deletes (after typing the name)."""

    BINDINGS = [
        # priority: the table's own enter would otherwise hide "Open" from the command palette
        Binding("enter", "open", "Open", show=False, priority=True),
        Binding("n", "new", "New session"),
        Binding("d", "delete", "Delete"),
        Binding("D", "demo", "Demo"),
        Binding("f5,ctrl+r", "reload", "Reload", show=False),
    ]

    def __init__(self, root: Path, highlight: str | None = None) -> None:
        super().__init__()
        self.root = root
        self.highlight = highlight  # the session to put the cursor on (the one just left)
        self.rows: list[SessionRow] = []
        self._reading = False  # a worker is reading the session files

    def compose(self) -> ComposeResult:
        """The sessions table, a hint line, and the footer."""
        yield Header()
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="home-hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """The table's columns (the rows come when the screen shows)."""
        self.title = "hwreview"
        self.sub_title = f"sessions in {display_path(sessions_dir(self.root))}"
        table = self.query_one(DataTable)
        # Progress first: at 80 columns the long key title is what gets cut off.
        for label in ("Session", "Graded", "Last change (UTC)", "Transcripts", "Answer key"):
            table.add_column(label, key=label.lower())
        table.focus()

    def on_screen_resume(self) -> None:
        """Read the sessions when the screen shows, first or again (progress may have changed
        while a session was open)."""
        self.action_reload()

    @dataclass
    class RowsRead(Message):
        """A worker summarised every session file."""

        rows: list[SessionRow]

    @dataclass
    class DemoReady(Message):
        """A worker made the demo session (or says why it could not)."""

        error: str = ""

    def action_reload(self) -> None:
        """Read the sessions folder again (in a worker; the list says so meanwhile)."""
        self._reading = True
        self._show_hint()
        self._read_rows()

    @work(thread=True, exclusive=True, exit_on_error=False, group="io-home")
    def _read_rows(self) -> None:
        """Worker: summarise every session file for the table."""
        rows = [read_row(path) for path in list_sessions(self.root)]
        if not get_current_worker().is_cancelled:
            self.post_message(self.RowsRead(rows))

    @on(RowsRead)
    def _rows_read(self, message: RowsRead) -> None:
        table = self.query_one(DataTable)
        selected = self.highlight or self.selected
        self.highlight = None
        table.clear()
        self.rows = message.rows
        self._reading = False
        for row in self.rows:
            if row.error:
                cells = ["—", "", "", Text(plain(row.error, 40), style="italic")]
            else:
                cells = [
                    row.progress,
                    row.updated,
                    plain(row.transcripts, 30),
                    plain(row.title, 40),
                ]
            table.add_row(
                Text(plain(row.name)),
                *[Text(c) if isinstance(c, str) else c for c in cells],
                key=row.name,
            )
        names = [r.name for r in self.rows]
        if selected in names:
            table.move_cursor(row=names.index(selected))
        self._show_hint()

    def _show_hint(self) -> None:
        row = self.selected_row
        if self._reading and not self.rows:
            hint = "Reading the sessions…"
        elif row is not None and row.error:
            hint = f"{row.name} cannot be opened: {plain(row.error)}"
        elif self.rows:
            hint = "enter resumes a session · n new session · d delete · D open the demo · q quit"
        else:
            hint = "No sessions yet: press n to create one, or D to open the demo homework."
        self.query_one("#home-hint", Static).update(hint)

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._show_hint()

    @property
    def selected_row(self) -> SessionRow | None:
        """The highlighted session's row."""
        cursor = self.query_one(DataTable).cursor_row
        return self.rows[cursor] if 0 <= cursor < len(self.rows) else None

    @property
    def selected(self) -> str | None:
        """The name of the highlighted session."""
        row = self.selected_row
        return row.name if row else None

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Resume the highlighted session."""
        row = self.selected_row
        if row is None:
            return
        if row.error:
            self.notify(plain(row.error), severity="error", title="Cannot open")
            return
        self.post_message(OpenSession(row.name))

    def action_demo(self) -> None:
        """Create the demo session if needed and open it."""
        self._make_demo()

    @work(thread=True, exclusive=True, exit_on_error=False, group="io-demo")
    def _make_demo(self) -> None:
        """Worker: write the demo key, transcripts and session unless they exist."""
        try:
            ensure_demo(self.root)
        except HwReviewError as exc:
            self.post_message(self.DemoReady(str(exc)))
            return
        self.post_message(self.DemoReady())

    @on(DemoReady)
    def _demo_ready(self, message: DemoReady) -> None:
        if message.error:
            self.notify(plain(message.error), severity="error")
            return
        self.post_message(OpenSession(DEMO_NAME))

    @work(exclusive=True, exit_on_error=False, group="dialog")
    async def action_new(self) -> None:
        """Create a session from a key and transcripts, report alignment gaps, open it."""
        result = await self.app.push_screen_wait(NewSessionScreen(self.root))
        if result is None:
            return
        self.action_reload()
        if result.problems or result.notes:
            lines = [f"note: {note}" for note in result.notes]
            lines += [f"{label}: {part} — {status}" for label, part, status in result.problems]
            await self.app.push_screen_wait(
                Info(
                    f"Session {result.name} created. Parts to check (press v on them):",
                    lines,
                )
            )
        self.post_message(OpenSession(result.name))

    @work(exclusive=True, exit_on_error=False, group="dialog")
    async def action_delete(self) -> None:
        """Delete the highlighted session after the grader types its name."""
        name = self.selected
        if name is None:
            return
        ok = await self.app.push_screen_wait(
            TypedConfirm(
                f"Delete session {name}?",
                f"This deletes {name}.json and its backup for good. Type the name to confirm.",
                name,
            )
        )
        if not ok:
            return
        try:
            delete_session(self.root, name)
        except HwReviewError as exc:
            self.notify(plain(str(exc)), severity="error", title="Not deleted")
            return
        self.notify(f"Deleted session {name}")
        self.action_reload()

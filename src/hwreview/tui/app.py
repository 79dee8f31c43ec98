"""The Textual application: opens sessions and wires the screens together."""

from __future__ import annotations

import gc
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard, cast

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState, get_current_worker

from hwreview.errors import HwReviewError
from hwreview.tui.commands import ActionsProvider
from hwreview.tui.messages import OpenSession, ShowHome, TakeOver
from hwreview.tui.screens.opening import OpenedSession, OpeningScreen
from hwreview.tui.text import plain

if TYPE_CHECKING:
    from hwreview.tui.screens.home import HomeScreen
    from hwreview.tui.screens.review import ReviewScreen

# The screens are imported when first shown (the review screen by the worker that opens a
# session), so that starting the app imports little more than Textual itself.


def _home_screen(root: Path, highlight: str | None = None) -> Screen[None]:
    from hwreview.tui.screens.home import HomeScreen

    return HomeScreen(root, highlight=highlight)


def _shown(module: str, name: str) -> type | None:
    """A screen class, if its module was imported: else no screen of that class exists."""
    loaded = sys.modules.get(f"hwreview.tui.screens.{module}")
    return getattr(loaded, name, None) if loaded is not None else None


def _is_home(screen: Screen[Any]) -> TypeGuard[HomeScreen]:
    home = _shown("home", "HomeScreen")
    return home is not None and isinstance(screen, home)


def _is_review(screen: Screen[Any]) -> TypeGuard[ReviewScreen]:
    review = _shown("review", "ReviewScreen")
    return review is not None and isinstance(screen, review)


class _WithStatusLine(Protocol):
    def show_status(self, message: str, severity: str, timeout: float) -> None: ...


def _status_line_of(screen: Screen[Any]) -> _WithStatusLine | None:
    """A grading screen (review, compare) shows notifications in its status line, not toasts."""
    if callable(getattr(screen, "show_status", None)):
        return cast("_WithStatusLine", screen)
    return None


TERMINAL_CHECK = 2.0  # seconds between checks that the terminal is still there
LEAVE_GRACE = 5.0  # seconds Textual's shutdown gets on a closed terminal before the process ends


def terminal_attached() -> bool:
    """Standard input is still a terminal (after a hang-up it is not)."""
    try:
        return sys.__stdin__ is not None and os.isatty(sys.__stdin__.fileno())
    except (OSError, ValueError):
        return False


class HwReviewApp(App[None]):
    """hwreview's terminal UI: the session list, and a review screen per opened session."""

    CSS_PATH = "app.tcss"
    TITLE = "hwreview"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("q", "quit_key", "Quit"),
        Binding("question_mark", "toggle_help", "Keys"),
    ]

    def __init__(self, root: Path, session_name: str | None = None) -> None:
        super().__init__()
        self.root = root
        self.session_name = session_name
        # From the command line: a session that cannot be opened quits the app with its error
        # (in `not_opened`) instead of showing the session list.
        self.quit_if_not_opened = False
        self._asking_to_quit = False
        self.not_opened = ""

    def on_mount(self) -> None:
        """Open the session given on the command line, else show the session list."""
        # Everything imported so far lives as long as the app: keep it out of the cyclic
        # collector, whose full passes over it were the slowest part-switches (p95).
        self.call_after_refresh(gc.freeze)
        if not self.is_headless and terminal_attached():
            # A terminal closed under a parent that keeps the hang-up to itself (`make demo`)
            # leaves the app running on a dead terminal: Textual's input thread then spins a
            # core, and the session stays locked against the next hwreview. Leave instead.
            self.set_interval(TERMINAL_CHECK, self._leave_if_terminal_gone)
        # The session list is built only when first needed: it reads every session file.
        if self.session_name:
            self.open_review(self.session_name)
        else:
            self.push_screen(_home_screen(self.root))

    def _leave_if_terminal_gone(self) -> None:
        if terminal_attached():
            return
        # Typed text and sessions first: saved and released before anything writes to the
        # dead terminal. Textual's own shutdown can then block on it, so the process ends
        # regardless.
        for screen in self.screen_stack:
            keep = getattr(screen, "keep_draft_now", None)
            if callable(keep):
                keep()
        self.finish_sessions()
        timer = threading.Timer(LEAVE_GRACE, os._exit, (1,))
        timer.daemon = True
        timer.start()
        self.exit()

    @on(ShowHome)
    def _show_home(self) -> None:
        self.show_home()

    @on(OpenSession)
    def _open_session(self, message: OpenSession) -> None:
        self.open_review(message.name)

    def show_home(self) -> None:
        """Leave the current screen for the session list, with the session left highlighted."""
        left = self.screen.session.name if _is_review(self.screen) else None
        self.pop_screen()
        homes = [screen for screen in self.screen_stack if _is_home(screen)]
        if homes:
            homes[-1].highlight = left or homes[-1].highlight
        else:
            self.push_screen(_home_screen(self.root, highlight=left))

    @on(TakeOver)
    def _take_over(self, message: TakeOver) -> None:
        """Reopen a session for writing in place of its read-only view (the writer has gone)."""
        self.switch_screen(OpeningScreen(message.name))
        self._read_session(message.name)

    @dataclass
    class SessionOpened(Message):
        """A worker opened and read a session for review."""

        opened: OpenedSession

    @dataclass
    class SessionNotOpened(Message):
        """A worker could not open a session: the one-line reason."""

        error: str

    def open_review(self, name: str) -> None:
        """Open a session for grading; read-only, and saying so, when another writer has it.

        The file is read by a worker; a placeholder screen shows until it is."""
        self.push_screen(OpeningScreen(name))
        self._read_session(name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="io-open")
    def _read_session(self, name: str) -> None:
        """Worker: open and read the session, then hand it to the UI thread."""
        from hwreview.tui.screens.opening import open_for_review

        # The review screen's module too, here rather than on the UI thread.
        from hwreview.tui.screens.review import ReviewScreen  # noqa: F401

        try:
            opened = open_for_review(self.root, name)
        except HwReviewError as exc:
            self.post_message(self.SessionNotOpened(str(exc)))
            return
        if get_current_worker().is_cancelled:  # another open replaced this one
            opened.session.close()
            return
        self.post_message(self.SessionOpened(opened))

    @on(SessionOpened)
    def _session_opened(self, message: SessionOpened) -> None:
        self.quit_if_not_opened = False  # only the first session, the one asked for
        from hwreview.tui.screens.review import ReviewScreen

        opened = message.opened
        try:
            screen = ReviewScreen(
                opened.session, opened.locked, key_changed=opened.key_changed, stamp=opened.stamp
            )
        except HwReviewError as exc:
            opened.session.close()
            self._not_opened(str(exc))
            return
        if isinstance(self.screen, OpeningScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.call_after_refresh(gc.freeze)  # the review screen's modules, imported since
        if opened.locked:
            self.notify(
                plain(opened.locked) + " — opened READ-ONLY: changes will be refused.",
                severity="warning",
                timeout=10,
            )

    @on(SessionNotOpened)
    def _session_not_opened(self, message: SessionNotOpened) -> None:
        self._not_opened(message.error)

    def _not_opened(self, error: str) -> None:
        if self.quit_if_not_opened:
            self.not_opened = error
            self.exit(return_code=1)
            return
        self.notify(plain(error), severity="error", title="Cannot open")
        if isinstance(self.screen, OpeningScreen):
            self.pop_screen()
        if not any(_is_home(screen) for screen in self.screen_stack):
            self.push_screen(_home_screen(self.root))

    def finish_sessions(self) -> None:
        """Record time and release every open session (everything else is already saved)."""
        for screen in self.screen_stack:
            if _is_review(screen):
                screen.finish()

    async def action_quit(self) -> None:
        """Quit: every change is already on disk, except text typed in an open dialog or form.

        Such text is never dropped unasked: quitting over it asks first (Enter keeps editing);
        a second ctrl+q at that question quits.
        """
        unsaved = self._typed_but_unsaved()
        if unsaved and not self._asking_to_quit:
            self._ask_to_quit(unsaved)
            return
        self.finish_sessions()
        self.exit()

    def _typed_but_unsaved(self) -> str:
        """What an open dialog or form holds that quitting would lose ("" when nothing)."""
        for screen in reversed(self.screen_stack):
            unsaved = getattr(screen, "unsaved", None)
            if callable(unsaved):
                text = unsaved()
                if isinstance(text, str) and text:
                    return text
        return ""

    def _ask_to_quit(self, unsaved: str) -> None:
        from hwreview.tui.screens.dialogs import Confirm

        def answered(yes: bool | None) -> None:
            self._asking_to_quit = False
            if yes:
                for screen in self.screen_stack:  # the grader chose to lose the typed text
                    discard = getattr(screen, "discard_draft", None)
                    if callable(discard):
                        discard()
                self.finish_sessions()
                self.exit()

        self._asking_to_quit = True
        question = f"{unsaved} is not saved yet. Quit anyway and lose it?"
        self.push_screen(
            Confirm("Quit and discard what you typed?", question, yes="Quit", no="Keep editing"),
            answered,
        )

    async def action_quit_key(self) -> None:
        """`q`: quit, except from a dialog or a form (ctrl+q always quits)."""
        await self.action_quit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`q` does not quit from a dialog or a form: it would drop what the grader typed."""
        form = _shown("new_session", "NewSessionScreen")
        in_form = isinstance(self.screen, ModalScreen) or (
            form is not None and isinstance(self.screen, form)
        )
        return not (action == "quit_key" and in_form)

    @on(Worker.StateChanged)
    def _report_failed_worker(self, event: Worker.StateChanged) -> None:
        """A background job that failed says so once, in one line, instead of dying silently."""
        if event.state is WorkerState.ERROR:
            job = (event.worker.name or "a background job").removeprefix("action_")
            self.notify(
                plain(f"{job.replace('_', ' ')} failed: {event.worker.error}"),
                severity="error",
                title="Something went wrong",
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a notification, always as plain text: messages quote untrusted text.

        `markup` is only here to match `App.notify`; `Widget.notify` passes True by default.
        Over a grading screen it goes to the screen's status line instead of a toast, so that
        fast grading never stacks toasts over the answer and the key.
        """
        del markup
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)
        for screen in reversed(self.screen_stack):
            status = _status_line_of(screen)
            if status is not None:
                text = f"{title}: {message}" if title else message
                seconds = timeout if timeout is not None else self.NOTIFICATION_TIMEOUT
                status.show_status(text, severity, seconds)
                break

    def _refresh_notifications(self) -> None:
        # Over a grading screen notifications are shown by its status line, never as toasts.
        if _status_line_of(self.screen) is not None:
            return
        super()._refresh_notifications()

    def action_toggle_help(self) -> None:
        """Show or hide the keys panel."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()


def make_app(root: Path, session_name: str | None = None) -> HwReviewApp:
    """Build the app (the CLI and the tests both use this)."""
    return HwReviewApp(root, session_name)


def run_app(root: Path, session_name: str | None = None) -> None:
    """Run the terminal UI on the hwreview home `root`, optionally straight into a session
    (HwReviewError, and no UI left behind, when that session cannot be opened)."""
    app = make_app(root, session_name)
    app.quit_if_not_opened = session_name is not None
    try:
        app.run()
    finally:
        app.finish_sessions()
    if app.not_opened:
        raise HwReviewError(app.not_opened)

"""The review screen: the part tree, the part's question, answers and key, and every grading key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from hwreview.errors import HwReviewError
from hwreview.model import Part, TranscriptInfo, Verdict
from hwreview.session.data import Change
from hwreview.session.session import Session
from hwreview.tui.saving import write_session
from hwreview.tui.screens.judging_dialogs import JudgingActions
from hwreview.tui.screens.opening import Stamp, reread, writer_gone
from hwreview.tui.screens.review_candidates import CandidateActions
from hwreview.tui.screens.review_dialogs import GradeDialogs
from hwreview.tui.screens.review_finding import PartFinding
from hwreview.tui.screens.review_living import LivingActions
from hwreview.tui.screens.review_panes import PaneActions
from hwreview.tui.screens.review_rubric import RubricActions
from hwreview.tui.screens.suggest_actions import SuggestActions
from hwreview.tui.screens.verdicts import give_verdict
from hwreview.tui.text import plain
from hwreview.tui.widgets.part_tree import PartTree
from hwreview.tui.widgets.part_view import PartView
from hwreview.tui.widgets.status_line import StatusLine

MAX_VISIT_SECONDS = 15 * 60


class ReviewScreen(
    SuggestActions,
    JudgingActions,
    GradeDialogs,
    CandidateActions,
    RubricActions,
    LivingActions,
    PartFinding,
    PaneActions,
    Screen[None],
):
    """Grade one session part by part; every change is saved by the Session before it shows."""

    BINDINGS = [
        # First, so that an 80-column footer still shows where every other key is listed.
        Binding("question_mark", "app.toggle_help", "Keys"),
        Binding("1", "verdict('correct')", "✓ Correct"),
        Binding("2", "verdict('partial')", "◐ Partial"),
        Binding("3", "verdict('incorrect')", "✗ Incorrect"),
        Binding("4", "verdict('omitted')", "∅ Omitted", show=False),
        Binding("5", "verdict('ambiguous')", "? Ambiguous", show=False),
        Binding("0", "verdict('ungraded')", "Clear verdict", show=False),
        Binding("n,j", "next_part", "Next"),
        Binding("p,k", "previous_part", "Prev"),
        Binding("u", "next_ungraded", "Next ungraded", show=False),
        Binding("t", "switch_transcript", "Switch transcript"),
        Binding("a", "tags", "Tags"),
        Binding("c", "note", "Note"),
        Binding("i", "rubric", "Rubric items"),
        Binding("P", "points", "Points", show=False),
        Binding("v", "transcript", "Transcript"),
        Binding("o", "next_candidate", "Next attempt/candidate", show=False),
        Binding("r", "raw", "Raw math", show=False),
        Binding("g", "goto", "Go to part", show=False),
        Binding("slash", "search", "Search", show=False),
        Binding("f", "filter", "Filter", show=False),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("s", "summary", "Summary", show=False),
        Binding("R", "report", "Report preview", show=False),
        Binding("e", "export", "Export"),
        Binding("F", "findings", "Key findings", show=False),
        Binding("C", "conclusion", "Conclusion", show=False),
        Binding("b", "toggle_tree", "Toggle tree", show=False),
        Binding("w", "prefer", "Which is better", show=False),
        Binding("K", "erratum", "Key is wrong", show=False),
        Binding("J", "ask_judge", "Ask the judge", show=False),
        Binding("x", "compare", "Compare", show=False),
        Binding("S", "statistics", "Statistics", show=False),
        Binding("m", "settle", "Settle disagreements", show=False),
        Binding("z", "zoom_question", "Whole question"),
        Binding("T", "add_transcript", "Add a transcript", show=False),
        Binding("ctrl+k", "rekey", "Pull in a corrected key", show=False),
        Binding("ctrl+d", "scroll_answer(1)", "Answer ↓", show=False),
        Binding("ctrl+u", "scroll_answer(-1)", "Answer ↑", show=False),
        Binding("right_square_bracket", "scroll_key(1)", "Key ↓", show=False),
        Binding("left_square_bracket", "scroll_key(-1)", "Key ↑", show=False),
        Binding("right_curly_bracket", "scroll_question(1)", "Question ↓", show=False),
        Binding("left_curly_bracket", "scroll_question(-1)", "Question ↑", show=False),
        Binding("tab", "focus_next", "Next pane (↑↓ PgUp PgDn scroll it)", show=False),
        Binding("escape", "home", "Sessions", show=False),
    ]

    # No repaint of their own: the watchers update exactly the widgets that change.
    part_id: reactive[str] = reactive("", init=False, repaint=False)
    active: reactive[str] = reactive("", init=False, repaint=False)

    def __init__(
        self,
        session: Session,
        locked_message: str | None = None,
        *,
        key_changed: bool = False,
        stamp: Stamp = None,
    ) -> None:
        """`session` read already (`opening.preload`): the screen itself reads no file."""
        super().__init__()
        self.session = session
        self.locked_message = locked_message
        self._key_file_changed = key_changed
        self._read_stamp = stamp  # the file as last read, for a read-only viewer following a writer
        self.assignment = session.assignment
        if not session.transcripts:
            raise HwReviewError(f"session {session.name!r} has no transcripts")
        self.grades = session.grades()
        self._part_ids = {p.id for p in self.assignment.parts}
        self.filter_name = "all"
        self._timer_start = monotonic()
        self._finished = False
        self._pending_time: dict[tuple[str, str], float] = {}
        self._pending_position: tuple[str, str] | None = None
        self._tree_state: object = None
        self._last_search = ""
        self._take_over_offered = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        """Header, optional read-only banner, the tree and the part view, footer."""
        yield Header()
        if self.session.read_only:
            message = self.locked_message or "opened read-only"
            yield Static(
                f"READ-ONLY: {plain(message)}. Changes here are refused; when the other window "
                "closes, this one offers to take over.",
                id="banner",
                markup=False,
            )
        with Horizontal(id="review"):
            yield PartTree(
                self.assignment, [t.id for t in self.session.transcripts], id="tree"
            ).data_bind(current=ReviewScreen.part_id)
            yield PartView(self.session.transcripts, id="part")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Go back to where the grader left."""
        self.title = plain(self.session.name)
        part_id, transcript_id = self.session.position
        ids = {t.id for t in self.session.transcripts}
        self.set_reactive(ReviewScreen.active, transcript_id if transcript_id in ids else "t1")
        self.part_id = part_id  # its watcher draws the part, the tree's grades and the subtitle
        self.query_one(PartTree).focus()
        if self.session.read_only:
            # A read-only viewer follows what the writer saves (a TA watching a grader).
            self.set_interval(2.0, self._follow_writer)
        else:
            self.set_interval(5.0, self.save_soft_state)
        if self._key_file_changed:
            self.notify(
                "The answer key file changed since this session was made; the session grades "
                "against its own copy (ctrl+k pulls in the new key).",
                severity="warning",
                timeout=8,
            )
            self.offer_rekey()

    @dataclass
    class WriterSaved(Message):
        """The writer saved: the session as read again by a worker."""

        session: Session
        stamp: Stamp

    @work(thread=True, exclusive=True, exit_on_error=False, group="io-follow")
    def _follow_writer(self) -> None:
        """Worker: read the session again when its writer saved since the last read."""
        try:
            fresh = reread(self.session.path, self._read_stamp)
        except HwReviewError:
            return  # a torn or damaged save: keep showing the last good state
        if fresh is not None and not get_current_worker().is_cancelled:
            self.post_message(self.WriterSaved(*fresh))
        if not self._take_over_offered and writer_gone(self.session.path):
            self.app.call_from_thread(self.offer_take_over)

    @on(WriterSaved)
    def _writer_saved(self, message: WriterSaved) -> None:
        old, self.session, self._read_stamp = self.session, message.session, message.stamp
        old.close()
        if self.part_id:
            self.refresh_view()

    def on_screen_resume(self) -> None:
        """Redraw after a dialog or another screen (a span may have changed)."""
        if self.part_id:
            self.refresh_view()

    # ------------------------------------------------------------------ state

    @property
    def part(self) -> Part:
        """The part being graded."""
        return self.assignment.part(self.part_id)

    @property
    def transcript(self) -> TranscriptInfo:
        """The transcript the verdict keys apply to."""
        return self.session.transcript(self.active)

    def watch_part_id(self, old: str, new: str) -> None:
        """Record the time spent on the part left, remember the position, show the new part."""
        if old:
            self.record_time(old, self.active, position=(new, self.active))
        else:
            self._pending_position = (new, self.active)
        self.refresh_view()

    def watch_active(self, old: str, new: str) -> None:
        """Switch which transcript the verdict keys grade."""
        if old and self.part_id:
            self.record_time(self.part_id, old, position=(self.part_id, new))
            self.refresh_view()
            self.notify(f"Grading {plain(self.transcript.label)} now", timeout=2)

    def record_time(
        self, part_id: str, transcript_id: str, position: tuple[str, str] | None = None
    ) -> None:
        """Note the time since the last call on (part, transcript); saved by `save_soft_state`."""
        elapsed = monotonic() - self._timer_start
        self._timer_start = monotonic()
        # A grader who walks away leaves the clock running: count at most MAX_VISIT per visit.
        elapsed = min(elapsed, MAX_VISIT_SECONDS) if elapsed >= 0.5 else 0.0
        if elapsed:
            key = (part_id, transcript_id)
            self._pending_time[key] = self._pending_time.get(key, 0.0) + elapsed
        if position:
            self._pending_position = position

    def save_soft_state(self) -> None:
        """Write the time per part and the resume position noted since the last write.

        Not on every part switch: that rewrote the whole session file (transcripts included)
        inside the keypress. Grades are saved at once; this runs on a timer and on leaving.
        """
        if self.session.read_only or not (self._pending_time or self._pending_position):
            return
        pending, self._pending_time = self._pending_time, {}
        position, self._pending_position = self._pending_position, None
        try:
            self.session.add_times(pending, position)
        except HwReviewError as exc:
            self.notify(f"Time on parts not saved: {plain(str(exc))}", severity="warning")

    def finish(self) -> None:
        """Record the time on the current part and release the session (idempotent)."""
        if self._finished:
            return
        self._finished = True
        if self.part_id:
            # A change made elsewhere (an undo in the transcript view) moves the saved position:
            # resuming must return to the part the grader left from.
            self.record_time(self.part_id, self.active, position=(self.part_id, self.active))
            self.save_soft_state()
        self.session.close()

    def on_unmount(self) -> None:
        """Leaving the screen closes the session."""
        self.finish()

    def refresh_view(self) -> None:
        """Re-read the grades and redraw the tree, the part and the progress."""
        self.grades = self.session.grades()
        part = self.part
        problem = self.assignment.problem(part.problem)
        view = self.query_one(PartView)
        shown = {
            (part.id, t.id): s
            for t in self.session.transcripts
            if (s := self.session.suggestions.visible(part.id, t.id)) is not None
        }
        view.show(problem, part, self.session.transcripts, self.grades, self.active, shown)
        order = self._order()
        if part.id in order:
            # Render the neighbours in the background so n/p show them in one repaint.
            here = order.index(part.id)
            for index in (here + 1, here - 1):
                if 0 <= index < len(order):
                    near = self.assignment.part(order[index])
                    view.prefetch(
                        self.assignment.problem(near.problem), near, self.session.transcripts
                    )
        # Redraw the tree only when what it shows changed (time spent changes on every switch).
        tree_state = {key: (g.verdict, g.tags) for key, g in self.grades.items()}
        if tree_state != self._tree_state:
            self._tree_state = tree_state
            self.query_one(PartTree).update_grades(self.grades)
        self._update_subtitle()

    def _update_subtitle(self) -> None:
        # Most important first: at 80 columns the header cuts the end of this line.
        # From the grades already read: `Session.progress()` would read them all again.
        graded = sum(1 for g in self.grades.values() if g.verdict.graded)
        total = len(self.assignment.parts) * len(self.session.transcripts)
        pieces = ["READ-ONLY"] if self.session.read_only else []
        pieces.append(f"{graded}/{total} graded")
        if self.filter_name != "all":
            pieces.append(f"filter: {self.filter_name}")
        if len(self.session.transcripts) > 1:
            pieces.append(f"grading ▶ {plain(self.transcript.label, 30)} (t switches)")
        self.sub_title = " · ".join(pieces)

    def show_status(self, message: str, severity: str, timeout: float) -> None:
        """Show a notification in the status line (toasts would cover the text being graded)."""
        for line in self.query(StatusLine):  # none yet while the screen is being built
            line.show(message, severity, timeout)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the transcript switch when there is only one transcript."""
        if action in ("switch_transcript", "prefer", "compare"):
            return len(self.session.transcripts) > 1
        if action == "settle":
            return bool(self.session.merge.sources())
        return True

    # ------------------------------------------------------------------ saving

    def save(self, what: str, change: Callable[[], Any]) -> bool:
        """Run a Session change; refresh and say "saved" only once it returned."""
        if not write_session(self, self.session, what, change):
            return False
        self.refresh_view()
        self.notify(f"{what} — saved", timeout=2)
        return True

    def action_verdict(self, verdict: str) -> None:
        """Give the active transcript's answer a verdict."""
        give_verdict(self, self.session, self.part, self.transcript, Verdict(verdict), self.save)

    def action_undo(self) -> None:
        """Undo the latest change (grades and spans)."""
        if self.session.read_only:
            self.notify("Read-only: nothing can be undone here.", severity="warning")
            return
        undone: list[Change | None] = []
        if not write_session(
            self, self.session, "the undo", lambda: undone.append(self.session.undo())
        ):
            return
        change = undone[0]
        if change is None:
            self.notify("Nothing to undo.")
            return
        # An erratum belongs to no transcript: stay on the one being graded.
        ids = {t.id for t in self.session.transcripts}
        transcript_id = change.transcript_id if change.transcript_id in ids else self.active
        # A rubric item shared by many parts belongs to none: stay on the part shown.
        part_id = change.part_id if change.part_id in self._part_ids else self.part_id
        if (self.active, self.part_id) == (transcript_id, part_id):
            self.refresh_view()  # else the watchers of these two redraw
        self.active = transcript_id
        self.part_id = part_id
        what = change.part_id or "the rubric"
        self.notify(f"Undid the {change.field} of {what} — saved", timeout=2)

    # ------------------------------------------------------------------ moving

    @on(PartView.TranscriptClicked)
    def _transcript_clicked(self, event: PartView.TranscriptClicked) -> None:
        self.active = event.transcript_id

    @on(PartTree.PartChosen)
    def _chosen(self, event: PartTree.PartChosen) -> None:
        self.part_id = event.part_id

    def action_switch_transcript(self) -> None:
        """Make the next transcript the one the verdict keys grade."""
        ids = [t.id for t in self.session.transcripts]
        self.active = ids[(ids.index(self.active) + 1) % len(ids)]

"""The review screen: the part tree, the part's question, answers and key, and every grading key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from hwreview.errors import HwReviewError
from hwreview.model import Part, TranscriptInfo
from hwreview.session.session import Session
from hwreview.tui.saving import write_session
from hwreview.tui.screens.judging_dialogs import JudgingActions
from hwreview.tui.screens.opening import Stamp, reread, writer_gone
from hwreview.tui.screens.review_dialogs import GradeDialogs
from hwreview.tui.screens.review_finding import PartFinder
from hwreview.tui.screens.review_grading import GradeKeys
from hwreview.tui.screens.review_host import forward
from hwreview.tui.screens.review_living import LivingActions
from hwreview.tui.screens.review_panes import PaneActions
from hwreview.tui.screens.review_rubric import RubricActions
from hwreview.tui.screens.review_time import VisitClock
from hwreview.tui.screens.suggest_actions import SuggestActions
from hwreview.tui.text import plain
from hwreview.tui.widgets.footer import Footer
from hwreview.tui.widgets.header import Header
from hwreview.tui.widgets.part_tree import PartTree
from hwreview.tui.widgets.part_view import PartView
from hwreview.tui.widgets.status_line import StatusLine


class ReviewScreen(Screen[None]):
    """Grade one session part by part; every change is saved by the Session before it shows.

    The keys are declared here, in the order the footer and the help show them; each group
    of actions is an object the screen holds and lends itself to, as the narrow host its
    module declares (`review_host.py`): grading keys, dialogs, rubric, finding parts, panes,
    judging, the judge model, and a living session.
    """

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

    action_verdict = forward("grading")
    action_undo = forward("grading")
    action_next_candidate = forward("grading")
    action_tags = forward("dialogs")
    action_note = forward("dialogs")
    action_points = forward("dialogs")
    action_findings = forward("dialogs")
    action_conclusion = forward("dialogs")
    action_rubric = forward("scoring")
    action_next_part = forward("finder")
    action_previous_part = forward("finder")
    action_next_ungraded = forward("finder")
    action_goto = forward("finder")
    action_search = forward("finder")
    action_filter = forward("finder")
    action_transcript = forward("panes")
    action_raw = forward("panes")
    action_summary = forward("panes")
    action_report = forward("panes")
    action_export = forward("panes")
    action_toggle_tree = forward("panes")
    action_zoom_question = forward("panes")
    action_scroll_answer = forward("panes")
    action_scroll_key = forward("panes")
    action_scroll_question = forward("panes")
    action_home = forward("panes")
    action_prefer = forward("judging")
    action_erratum = forward("judging")
    action_compare = forward("judging")
    action_statistics = forward("judging")
    action_settle = forward("judging")
    action_ask_judge = forward("judge")
    action_add_transcript = forward("living")
    action_rekey = forward("living")

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
        self._finished = False
        self._tree_state: object = None
        self.clock = VisitClock(self)
        self.scoring = RubricActions(self)
        self.grading = GradeKeys(self)
        self.dialogs = GradeDialogs(self)
        self.finder = PartFinder(self, self._tree, self._view)
        self.panes = PaneActions(self, self._view, lambda: self.active)
        self.judging = JudgingActions(self, self.preference_pair)
        self.judge = SuggestActions(self)
        self.living = LivingActions(self)

    def _tree(self) -> PartTree:
        return self.query_one(PartTree)

    def _view(self) -> PartView:
        return self.query_one(PartView)

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
            self.set_interval(5.0, self.clock.save)
        if self._key_file_changed:
            self.notify(
                "The answer key file changed since this session was made; the session grades "
                "against its own copy (ctrl+k pulls in the new key).",
                severity="warning",
                timeout=8,
            )
            self.living.offer_rekey()

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
        if not self.panes.take_over_offered and writer_gone(self.session.path):
            self.app.call_from_thread(self.panes.offer_take_over)

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
            self.clock.record(old, self.active, position=(new, self.active))
        else:
            self.clock.move((new, self.active))
        self.refresh_view()

    def watch_active(self, old: str, new: str) -> None:
        """Switch which transcript the verdict keys grade."""
        if old and self.part_id:
            self.clock.record(self.part_id, old, position=(self.part_id, new))
            self.refresh_view()
            self.notify(f"Grading {plain(self.transcript.label)} now", timeout=2)

    def show(self, part_id: str, transcript_id: str | None = None) -> None:
        """Grade this part (and transcript): the watchers record the time and redraw."""
        if transcript_id is not None:
            self.active = transcript_id
        self.part_id = part_id

    def preference_pair(self) -> tuple[str, str] | None:
        """The two transcripts a preference is recorded between (None with one transcript)."""
        ids = [t.id for t in self.session.transcripts]
        if len(ids) < 2:
            return None
        return (ids[0], self.active) if self.active != ids[0] else (ids[0], ids[1])

    def finish(self) -> None:
        """Record the time on the current part and release the session (idempotent)."""
        if self._finished:
            return
        self._finished = True
        if self.part_id:
            # A change made elsewhere (an undo in the transcript view) moves the saved position:
            # resuming must return to the part the grader left from.
            self.clock.record(self.part_id, self.active, position=(self.part_id, self.active))
            self.clock.save()
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
        order = self.finder.order()
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
        self.update_subtitle()

    def update_subtitle(self) -> None:
        """Progress, filter and the transcript graded, in the header's second line."""
        # Most important first: at 80 columns the header cuts the end of this line.
        # From the grades already read: `Session.progress()` would read them all again.
        graded = sum(1 for g in self.grades.values() if g.verdict.graded)
        total = len(self.assignment.parts) * len(self.session.transcripts)
        pieces = ["READ-ONLY"] if self.session.read_only else []
        pieces.append(f"{graded}/{total} graded")
        if self.finder.filter_name != "all":
            pieces.append(f"filter: {self.finder.filter_name}")
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

    def save(self, what: str, change: Callable[[], object]) -> bool:
        """Run a Session change; refresh and say "saved" only once it returned."""
        if not write_session(self, self.session, what, change):
            return False
        self.refresh_view()
        self.notify(f"{what} — saved", timeout=2)
        return True

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

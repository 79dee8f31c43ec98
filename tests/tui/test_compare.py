"""Preferences, errata, the compare view, statistics and settling a merge, through the screens."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import make_session, saved, settle, type_text, wait_until

from hwreview.merging import merge_sessions
from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.screens.compare_screen import CompareScreen
from hwreview.tui.screens.dialogs import Prompt
from hwreview.tui.screens.judging_dialogs import JudgementDialog
from hwreview.tui.screens.review import ReviewScreen
from hwreview.tui.screens.settle_screen import SettleScreen
from hwreview.tui.screens.stats_screen import StatsScreen, chart_text
from hwreview.tui.widgets.status_line import StatusLine

WIDE = (160, 48)
NARROW = (80, 24)


async def test_preference_from_the_review_screen_is_saved(home: Path, two: str) -> None:
    app = make_app(home, two)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, JudgementDialog)
        await pilot.press("down", "enter")  # B is better
        await settle(pilot)
        await type_text(pilot, "B derives it; A only asserts it")
        await pilot.press("tab", "down", "space")  # the second aspect: rigour
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    with saved(home, two) as session:
        (pref,) = session.judgements.preferences().values()
        assert (pref.part_id, pref.first, pref.second) == ("1a", "t1", "t2")
        assert pref.choice == "second"
        assert pref.reason == "B derives it; A only asserts it"
        assert pref.aspects == ("rigour",)
        assert session.history()[-1].field == "preference"


async def test_erratum_from_the_review_screen_and_undo(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("K")
        await settle(pilot)
        await pilot.press("down", "enter")  # incomplete
        await settle(pilot)
        await type_text(pilot, "answers for another model size")
        await pilot.press("enter")
        await settle(pilot)
        with saved(home, one) as session:
            (item,) = session.judgements.errata().values()
            assert (item.part_id, item.kind, item.note) == (
                "1a", "incomplete", "answers for another model size",
            )  # fmt: skip
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.is_running
    with saved(home, one) as session:
        assert session.judgements.errata() == {}


async def test_erratum_without_a_note_is_not_saved(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("K")
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
    with saved(home, one) as session:
        assert session.judgements.errata() == {}


async def test_compare_view_grades_both_and_records_the_preference(home: Path, two: str) -> None:
    app = make_app(home, two)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        # Three columns: both answers and the key are on screen at once.
        for pane in ("#pane-t1", "#pane-t2", "#pane-key"):
            assert screen.query_one(pane).display and screen.query_one(pane).size.width > 30
        await pilot.press("1", "tab", "3")
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("enter")  # A is better
        await settle(pilot)
        await type_text(pilot, "A is right")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert "A (model-a) better — A is right" in str(
            app.screen.query_one("#compare-judgement").render()
        )
        await pilot.press("n", "2")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)  # a partial asks for its points, as on review
        await pilot.press("1", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
    with saved(home, two) as session:
        grades = session.grades()
        assert grades["1a", "t1"].verdict.value == "correct"
        assert grades["1a", "t2"].verdict.value == "incorrect"
        assert grades["1b", "t2"].verdict.value == "partial"  # B stays active on the next part
        assert grades["1b", "t2"].points == 1
        assert session.judgements.preference("1a", "t1", "t2").choice == "first"


async def test_compare_view_at_80_columns_shows_one_pane_at_a_time(home: Path, two: str) -> None:
    app = make_app(home, two)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        screen = app.screen

        def shown() -> list[str]:
            return [p for p in ("#pane-t1", "#pane-t2", "#pane-key") if screen.query_one(p).display]

        assert shown() == ["#pane-t1"]
        assert "Showing answer A" in str(screen.query_one("#compare-judgement").render())
        await pilot.press("tab")
        await settle(pilot)
        assert shown() == ["#pane-t2"]
        await pilot.press("2")  # grades B, the pane shown: partial asks for its points
        await settle(pilot)
        await pilot.press("enter")  # left empty: partial, not scored yet
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        assert shown() == ["#pane-key"]
        await pilot.press("tab")
        await settle(pilot)
        assert shown() == ["#pane-t1"]
        await pilot.press("z")  # the whole question, then back
        await settle(pilot)
        assert not screen.query_one("#answers").display
        await pilot.press("z")
        await settle(pilot)
        assert screen.query_one("#answers").display
    with saved(home, two) as session:
        assert session.grade("1a", "t2").verdict.value == "partial"


async def test_a_partial_in_the_compare_view_asks_for_points_and_totals_agree(
    home: Path, two: str
) -> None:
    """The compare view scores a partial as the review screen does; summary and report agree."""
    from textual.widgets import DataTable, Input

    from hwreview.report.formats import render
    from hwreview.tui.screens.summary_screen import SummaryScreen

    with Session.open(home, two) as session:
        session.rubric.add("slip", "-0.5", "Slip")
        session.set_grade("1a", "t2", rubric=["slip"])
        session.set_grade("1a", "t2", verdict="ungraded")  # by hand: the partial asks again
    app = make_app(home, two)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("tab", "2")  # B
        await settle(pilot)
        assert isinstance(app.screen, Prompt)
        assert "Partial: points for 1a (model-b), 0 to 2" in app.screen.title_text
        assert app.screen.query_one(Input).value == "1.5"  # prefilled from B's rubric items
        await pilot.press("backspace", "backspace", "backspace", "9", "enter")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)  # refused, still open, with the reason
        assert "give 0 to 2" in str(app.screen.query_one("#error").render())
        await pilot.press("backspace", "1", ".", "2", "5", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        # Said in the status line, as on the review screen: no toast over the answers.
        status = app.screen.query_one(StatusLine).message
        assert "1a B (model-b): ◐ partial, 1.25 of 2 points — saved" in status
        assert not app.screen.query("Toast")
        await pilot.press("escape", "s")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        table = app.screen.query_one(DataTable)
        total = [str(c) for c in table.get_row_at(table.row_count - 1)]
    with saved(home, two) as session:
        grade = session.grade("1a", "t2")
        assert (grade.verdict.value, grade.points) == ("partial", 1.25)
        report = render(session.snapshot(), "markdown")
    assert "1.25 of 2 pts" in total[2]
    assert "| Points | 1.25 of 2 | 62.5% |" in report


async def test_statistics_screen_draws_bars(home: Path, two: str) -> None:
    with Session.open(home, two) as session:
        for part in session.assignment.parts:
            session.set_grade(part.id, "t1", verdict="correct")
            session.set_grade(
                part.id, "t2", verdict="incorrect" if part.problem == "3" else "correct"
            )
        session.judgements.set_preference("3a", "A", "B is off")
    app = make_app(home, two)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await wait_until(pilot, lambda: screen.report is not None)
        assert screen.report is not None
        text = chart_text(screen.report).plain
        assert text == str(screen.query_one("#charts").render())
    assert "✓ Correct" in text and "█" * 10 in text
    assert (
        "model-a was fully correct on 4 parts where model-b was not, and the reverse on 0" in text
    )
    assert "model-a better" in text and "Not compared" in text


async def test_settling_a_merge_in_the_tui(home: Path) -> None:
    make_session(home, "ana", ("model-a", "model-b"))
    make_session(home, "ben", ("model-a", "model-b"))
    with Session.open(home, "ana") as a:
        a.set_grade("1a", "t1", verdict="correct", note="Ana: right")
        a.set_grade("2b", "t2", verdict="partial")
        a.set_grade("1b", "t1", verdict="correct")
    with Session.open(home, "ben") as b:
        b.set_grade("1a", "t1", verdict="incorrect", note="Ben: wrong sign")
        b.set_grade("2b", "t2", verdict="correct")
        b.set_grade("1b", "t1", verdict="correct")
    result = merge_sessions(home, "ana", "ben", "both")
    assert (result.agreed, result.disagreed, result.ungraded) == (1, 2, 21)
    app = make_app(home, "both")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettleScreen)
        head = str(screen.query_one("#settle-grades").render())
        assert "1a" in head and "Ana: right" in head and "Ben: wrong sign" in head
        await pilot.press("b")  # 1a: take Ben's grade
        await settle(pilot)
        await pilot.press("2")  # 2b: a verdict of one's own
        await settle(pilot)
        assert "0 left to settle" in str(screen.query_one("#settle-grades").render())
    with saved(home, "both") as session:
        assert session.grade("1a", "t1").verdict.value == "incorrect"
        assert session.grade("1a", "t1").note == "Ben: wrong sign"
        assert session.grade("2b", "t2").verdict.value == "partial"
        assert session.grade("1b", "t1").verdict.value == "correct"
        settled = {(m.part_id, m.settled) for m in session.merge.disagreements()}
        assert settled == {("1a", "b"), ("2b", "own")}

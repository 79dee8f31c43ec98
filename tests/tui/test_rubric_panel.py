"""The rubric panel and partial points, through the keys; every assertion reads the saved session."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, SelectionList
from tui_helpers import saved, settle, type_text

from hwreview.model import Verdict
from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.screens.dialogs import Choice, Prompt
from hwreview.tui.screens.review import ReviewScreen
from hwreview.tui.screens.rubric_panel import RubricPanel
from hwreview.tui.widgets.status_line import StatusLine

SIZE = (100, 30)


async def test_items_made_applied_and_edited_once_rescore_every_part(home: Path, two: str) -> None:
    with Session.open(home, two) as session:
        session.rubric.add("slip", "-1", "Arithmetic slip")  # every part
        session.set_grade("1b", "t2", rubric=["slip"])  # 2 points: 1 left
        session.set_position("1a", "t1")
    app = make_app(home, two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, RubricPanel)
        # A new item for this part, made from the panel, comes ticked.
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "no-why -0.5 Says what, not why")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Choice)
        await pilot.press("enter")  # this part only
        await settle(pilot)
        assert isinstance(app.screen, RubricPanel)
        assert app.screen.ticked() == ("no-why",)
        await pilot.press("2")  # the second item (slip) with its number key
        assert set(app.screen.ticked()) == {"no-why", "slip"}
        await pilot.press("enter")  # applies
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        with saved(home, two) as session:
            grade = session.grade("1a", "t1")
            assert set(grade.rubric) == {"no-why", "slip"}
            assert (grade.points, grade.verdict) == (0.5, Verdict.PARTIAL)
        # Edit slip once, from the panel: both grades using it are re-scored.
        await pilot.press("i")
        await settle(pilot)
        items = app.screen.query_one(SelectionList)
        items.highlighted = next(i for i, o in enumerate(app.screen.items) if o.id == "slip")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)
        app.screen.query_one(Input).value = "-2"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")  # nothing ticked differently: closes without asking
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "re-scored 1a, 1b" in app.screen.query_one(StatusLine).message
    with saved(home, two) as session:
        assert session.rubric.item("slip").points == -2
        assert (session.grade("1a", "t1").points, session.grade("1a", "t1").verdict) == (
            0,
            Verdict.INCORRECT,
        )
        assert session.grade("1b", "t2").points == 0


async def test_escape_with_new_ticks_asks_before_dropping_them(home: Path, one: str) -> None:
    with Session.open(home, one) as session:
        session.rubric.add("slip", "-1", "Arithmetic slip")
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i", "1", "escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "Confirm"
        await pilot.press("n")  # keep the ticks
        await settle(pilot)
        assert isinstance(app.screen, RubricPanel) and app.screen.ticked() == ("slip",)
        await pilot.press("enter")
        await settle(pilot)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").rubric == ("slip",)


async def test_partial_asks_for_points_prefilled_from_the_rubric(home: Path, one: str) -> None:
    with Session.open(home, one) as session:
        session.rubric.add("slip", "-0.5", "Slip")
        session.set_grade("1a", "t1", rubric=["slip"])
        session.set_grade("1a", "t1", verdict="ungraded")  # by hand: the partial asks again
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)
        assert app.screen.query_one(Input).value == "1.5"
        app.screen.query_one(Input).value = "5"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)  # refused, still open, with the reason
        app.screen.query_one(Input).value = "1"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        # The status line, not a toast, says it was saved.
        assert "partial, 1 of 2 points" in app.screen.query_one(StatusLine).message
        assert not app.screen.query("Toast")
    with saved(home, one) as session:
        grade = session.grade("1a", "t1")
        assert (grade.verdict, grade.points, grade.override) == (Verdict.PARTIAL, 1, True)


async def test_summary_screen_and_report_agree_on_points(home: Path, one: str) -> None:
    """Totals count every graded part; a partial without points is named, in both places."""
    from textual.widgets import DataTable

    from hwreview.report.formats import render
    from hwreview.tui.screens.summary_screen import SummaryScreen

    with Session.open(home, one) as session:
        session.set_grade("1a", "t1", verdict="correct")
        session.set_grade("1b", "t1", verdict="partial", points=0.5)
        session.set_grade("1c-i", "t1", verdict="partial")  # no points yet
        session.set_grade("2a", "t1", verdict="incorrect")
        report = render(session.snapshot(), "markdown")
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        table = app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
    problem_1, problem_2, total = rows[0][1], rows[1][1], rows[-1][1]
    assert "2.5 of 6 (1c-i not scored yet) pts" in problem_1
    assert "Points: 2.5 of 6 (1c-i not scored yet) (41.7%)." in report
    assert "0 of 2 pts" in problem_2 and "Points: 0 of 2 (0.0%)." in report
    assert "2.5 of 8 (1c-i not scored yet) pts" in total
    assert "| Points | 2.5 of 8 | 31.2% |" in report and "Not scored yet: 1c-i" in report

"""Navigation: home highlights the session left, a read-only window takes over, search and notes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, OptionList, SelectionList
from tui_helpers import make_session, saved, settle, type_text, wait_until

from hwreview.model import Verdict
from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.screens.dialogs import Confirm
from hwreview.tui.screens.home import HomeScreen
from hwreview.tui.screens.review import ReviewScreen
from hwreview.tui.screens.tag_picker import TagPicker
from hwreview.tui.widgets.status_line import StatusLine

SIZE = (100, 30)


async def test_home_highlights_the_session_just_left(home: Path) -> None:
    for name in ("alpha", "beta", "gamma"):
        make_session(home, name)
    app = make_app(home, "gamma")  # as `hwreview open gamma`
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        assert app.screen.selected == "gamma"
        # Enter opens the one highlighted: the session just left, not another.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.session.name == "gamma"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        app.screen.query_one(DataTable).move_cursor(row=1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.session.name == "beta"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        assert app.screen.selected == "beta"


async def test_a_read_only_window_offers_to_take_over_when_the_writer_has_gone(
    home: Path, one: str
) -> None:
    writer = Session.open(home, one)
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.session.read_only
        writer.close()  # the other window quits
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm), timeout=15)
        assert "Take it over" in app.screen.question
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ReviewScreen) and not app.screen.session.read_only,
        )
        await pilot.press("3")
        await settle(pilot)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").verdict is Verdict.INCORRECT


async def test_search_finds_notes_and_keeps_the_filter(home: Path, one: str) -> None:
    with Session.open(home, one) as session:
        session.set_grade("1b", "t1", verdict="incorrect", note="Confuses the zebra with a horse")
        session.set_position("1a", "t1")
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        await pilot.press("f")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        options.highlighted = next(i for i, o in enumerate(options.options) if o.id == "ungraded")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.finder.filter_name == "ungraded"
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "zebra")
        await pilot.press("enter")
        await settle(pilot)
        # The match is hidden by the filter: said so, the filter and the part stay.
        assert screen.finder.filter_name == "ungraded" and screen.part_id == "1a"
        status = screen.query_one(StatusLine).message
        assert "only 1 match outside the filter ungraded (1b" in status
        await pilot.press("f")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        options.highlighted = next(i for i, o in enumerate(options.options) if o.id == "all")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        app.screen.query_one(Input).value = "zebra"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.part_id == "1b"
        assert "Found zebra in 1b" in screen.query_one(StatusLine).message


async def test_escape_in_the_tag_picker_asks_before_dropping_ticks(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, TagPicker)
        await pilot.press("space", "escape")  # tick the first tag, then escape
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # keep them
        await settle(pilot)
        assert isinstance(app.screen, TagPicker)
        assert app.screen.query_one(SelectionList).selected == ["arithmetic"]
        await pilot.press("ctrl+s")
        await settle(pilot)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").tags == ("arithmetic",)

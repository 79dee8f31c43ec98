"""Pilot tests of the home screen: listing, creating from the demo files, deleting."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Select, SelectionList
from tui_helpers import make_session, saved, settle, type_text, wait_until

from hwreview.tui.app import make_app
from hwreview.tui.screens.home import HomeScreen
from hwreview.tui.screens.new_session import NewSessionScreen
from hwreview.tui.screens.review import ReviewScreen

SIZE = (120, 36)


async def test_home_lists_sessions_and_damaged_ones(home: Path) -> None:
    make_session(home, "alpha")
    (home / "sessions" / "broken.json").write_text("{ not json", encoding="utf-8")
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        rows = {row.name: row for row in app.screen.rows}
        assert rows["alpha"].progress == "0/12" and not rows["alpha"].error
        assert "damaged" in rows["broken"].error
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("enter")  # alpha is first: resume it
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("1", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert {r.name: r.progress for r in app.screen.rows}["alpha"] == "1/12"


async def test_new_session_from_the_demo_files(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewSessionScreen)
        await type_text(pilot, "hw3")
        form.query_one("#key", Select).value = str(home / "keys" / "demo.md")
        form.query_one("#transcripts", SelectionList).select_all()
        form.query_one("#labels", Input).value = "one-shot, turn-by-turn"
        form.query_one("#grader", Input).value = "Ada"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, NewSessionScreen))
        if app.screen.__class__.__name__ == "Info":  # parts not cleanly found
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("1", "enter")  # the partial's points
        await settle(pilot)
    with saved(home, "hw3") as session:
        assert [t.label for t in session.transcripts] == ["one-shot", "turn-by-turn"]
        assert session.grader == "Ada"
        assert session.grade("1a", "t1").verdict.value == "partial"
        assert session.grade("1a", "t1").points == 1


async def test_new_session_form_reports_errors(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "bad")
        app.screen.query_one("#key-path", Input).value = "keys/missing.md"
        app.screen.query_one("#transcripts", SelectionList).select_all()
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "missing" in str(app.screen.query_one("#new-error").render())
        )
        assert isinstance(app.screen, NewSessionScreen)
        error = str(app.screen.query_one("#new-error").render())
        assert "missing.md" in error
    assert not (home / "sessions" / "bad.json").exists()


async def test_delete_needs_the_typed_name(home: Path) -> None:
    make_session(home, "gone")
    path = home / "sessions" / "gone.json"
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await type_text(pilot, "nope")
        await pilot.press("enter")
        await settle(pilot)
        assert path.exists()
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await type_text(pilot, "gone")
        await pilot.press("enter")
        await settle(pilot)
        assert not path.exists()
        assert not path.with_name("gone.json.bak").exists()
        assert app.screen.rows == []


async def test_demo_key_opens_the_demo(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot, 6)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.name == "demo"

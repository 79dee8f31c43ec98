"""Dialogs that forgive: bad input keeps them open, Enter does what the title says, nothing lost."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select
from tui_helpers import saved, settle, type_text

from hwreview.tui.app import make_app
from hwreview.tui.screens.export_dialog import ExportDialog
from hwreview.tui.screens.review import ReviewScreen

SIZE = (100, 30)


async def test_export_name_is_not_selected_and_tab_enter_exports(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("end")
        await type_text(pilot, "x")  # a stray key adds to the name, it does not replace it
        assert app.screen.query_one("#path", Input).value == "one-report.mdx"
        await pilot.press("backspace", "tab", "enter")  # Tab lands on Export
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    assert "Homework 3" in (home / "one-report.md").read_text(encoding="utf-8")


async def test_a_bad_export_path_keeps_the_dialog_open_with_the_reason(
    home: Path, one: str
) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        path = app.screen.query_one("#path", Input)
        path.value = "no-such-folder/report.md"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert "does not exist" in str(app.screen.query_one("#error").render())
        path.value = "report.html"
        app.screen.query_one(Select).value = "html"
        await settle(pilot)
        assert path.value == "report.html"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    assert (home / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with saved(home, one) as session:
        assert session.path.exists()


async def test_cancelling_an_export_says_so(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert any("nothing written" in n.message for n in app._notifications)
    assert not (home / "one-report.md").exists()

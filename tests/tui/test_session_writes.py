"""Every Session write from a screen fails as a one-line notification; the palette's commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import settle

from hwreview.errors import HwReviewError
from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.commands import ActionsProvider
from hwreview.tui.screens.home import HomeScreen
from hwreview.tui.screens.review import ReviewScreen
from hwreview.tui.screens.transcript_screen import TranscriptScreen

SIZE = (120, 36)


def _fail(*args, **kwargs):
    raise HwReviewError("disk full")


def not_saved(app) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Not saved"]


@pytest.mark.parametrize("in_transcript", [False, True])
async def test_a_failed_undo_is_a_notification(
    home: Path, one: str, monkeypatch: pytest.MonkeyPatch, in_transcript: bool
) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if in_transcript:
            await pilot.press("v")
            await settle(pilot)
            assert isinstance(app.screen, TranscriptScreen)
            await pilot.press("right_square_bracket")
        else:
            await pilot.press("1")
        await settle(pilot)
        monkeypatch.setattr(Session, "undo", _fail)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not_saved(app) == ["disk full"]
        assert app.is_running


async def _commands(app) -> list[str]:
    provider = ActionsProvider(app.screen)
    return [hit.text async for hit in provider.discover()]


async def test_the_palette_lists_each_screen_and_app_action_once(home: Path, one: str) -> None:
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        commands = await _commands(app)
        assert {"Open", "New session", "Delete", "Quit"} <= set(commands)
        app.open_review(one)
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        commands = await _commands(app)
        assert commands.count("Keys") == 1
        assert {"✓ Correct", "Summary", "Undo"} <= set(commands)
        assert "Switch transcript" not in commands  # one transcript: check_action hides it


async def test_a_failing_background_job_is_reported(home: Path, one: str) -> None:

    app = make_app(home, one)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the review screen is open

        def broken() -> None:
            raise RuntimeError("disk on fire")

        app.run_worker(broken, name="export", thread=True, exit_on_error=False)
        for _ in range(50):
            await pilot.pause(0.02)
            if any("disk on fire" in n.message for n in app._notifications):
                break
        messages = [n.message for n in app._notifications]
        assert any(m == "export failed: disk on fire" for m in messages), messages
        assert app.is_running


async def test_q_in_the_new_session_form_does_not_quit_and_lose_the_typing(home: Path) -> None:
    from textual.widgets import Button

    from hwreview.tui.screens.new_session import NewSessionScreen

    app = make_app(home)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewSessionScreen)
        app.screen.query(Button).first().focus()
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, NewSessionScreen)
        await pilot.press("ctrl+q")  # asks first when the form holds a choice, then quits
        await settle(pilot)
        if app.is_running:
            await pilot.press("ctrl+q")
            await settle(pilot)
        assert not app.is_running


async def test_every_key_of_the_review_and_compare_screens_reaches_an_action(
    home: Path, two: str
) -> None:
    from hwreview.tui.screens.compare_screen import CompareScreen

    app = make_app(home, two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("x")  # compare
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        for screen in app.screen_stack[-2:]:
            for binding in screen.BINDINGS:
                name = binding.action.split("(")[0]
                if "." not in name:
                    target = screen if hasattr(screen, f"action_{name}") else app  # tab: focus
                    assert callable(getattr(target, f"action_{name}")), (screen, name)

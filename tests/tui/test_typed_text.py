"""Typed text is never lost: ctrl+s right after a burst of keys saves every key of the burst."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import TextArea
from tui_helpers import saved, settle

from hwreview.tui.app import make_app

SIZE = (120, 36)


def burst(app, text: str, then: str = "ctrl+s") -> None:
    """Send every key of `text` and then `then` at once, as a fast typist or tmux would."""
    driver = app._driver
    for char in text:
        key = "space" if char == " " else char
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)
    event = events.Key(then, None)
    event.set_sender(app)
    driver.send_message(event)


async def test_note_saved_after_a_key_burst_holds_every_key(home: Path, one: str) -> None:
    note = "Method right; wrong constant in the last step"
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen.focused, TextArea)
        burst(app, note)
        await settle(pilot, rounds=10)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").note == note


async def test_conclusion_saved_after_a_key_burst_holds_every_key(home: Path, one: str) -> None:
    text = "Solid on algebra, weak on units"
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        burst(app, text)
        await settle(pilot, rounds=10)
        assert any("conclusion" in n.message for n in app._notifications)
    with saved(home, one) as session:
        assert session.conclusion == text

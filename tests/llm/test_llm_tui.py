"""The blind judge flow on the review screen: J asks, the suggestion shows only after a verdict."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_server import FakeLLM
from textual.pilot import Pilot
from textual.widgets import Static

from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.screens.review import ReviewScreen


async def wait_for(pilot: Pilot, predicate, timeout: float = 60.0) -> None:
    """Pause until `predicate()` holds (the first litellm import takes seconds)."""
    for _ in range(int(timeout / 0.05)):
        if predicate():
            for _ in range(3):
                await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out waiting for the app")


def stored(home: Path) -> int:
    with Session.open(home, "blind", read_only=True) as session:
        return len(session.suggestions())


async def test_the_judge_stays_hidden_until_the_grader_decides(
    hw_home: Path, fake: FakeLLM, make_session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HWREVIEW_MODEL", "openai/judge")
    monkeypatch.setenv("HWREVIEW_API_BASE", fake.base)
    make_session("blind").close()
    app = make_app(hw_home, "blind")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        header = app.screen.query_one("#head-t1", Static)
        await pilot.press("J")
        await wait_for(pilot, lambda: stored(hw_home) == 1)
        await wait_for(
            pilot, lambda: not any(w.group == "llm" for w in app.workers if not w.is_finished)
        )
        assert "judge" not in str(header.render())  # stored, but not shown: no anchoring
        with Session.open(hw_home, "blind", read_only=True) as session:
            part = session.position[0]
            assert not session.grades()
            assert session.suggestions()[part, "t1"].model == "openai/judge"

        await pilot.press("3")  # the grader's own verdict first: incorrect
        await wait_for(pilot, lambda: "judge" in str(header.render()))
        shown = str(header.render())
        assert "openai/judge" in shown and "correct" in shown
    with Session.open(hw_home, "blind", read_only=True) as session:
        assert session.grade(part, "t1").verdict.value == "incorrect"  # the judge changed nothing

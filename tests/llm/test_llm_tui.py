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


async def wait_for(pilot: Pilot, predicate, timeout: float = 120.0) -> None:
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
        return len(session.suggestions.verdicts())


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
            assert session.suggestions.verdicts()[part, "t1"].model == "openai/judge"

        await pilot.press("3")  # the grader's own verdict first: incorrect
        await wait_for(pilot, lambda: "judge" in str(header.render()))
        shown = str(header.render())
        assert "openai/judge" in shown and "correct" in shown
    with Session.open(hw_home, "blind", read_only=True) as session:
        assert session.grade(part, "t1").verdict.value == "incorrect"  # the judge changed nothing


async def test_the_new_session_form_collects_from_a_model(
    hw_home: Path, fake: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input, Select

    from hwreview.tui.screens.new_session import NewSessionScreen

    monkeypatch.setenv("HWREVIEW_API_BASE", fake.base)
    app = make_app(hw_home)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HomeScreen")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewSessionScreen))
        form = app.screen
        form.query_one("#name", Input).value = "asked"
        form.query_one("#key", Select).value = str(hw_home / "keys" / "demo.md")
        form.query_one("#collect-model", Input).value = "openai/thinker"
        form.query_one("#collect-strategy", Select).value = "one-shot"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, NewSessionScreen))
    collected = hw_home / "transcripts" / "asked-openai-thinker-one-shot.json"
    assert collected.exists()
    with Session.open(hw_home, "asked", read_only=True) as session:
        (info,) = session.transcripts
        assert info.label == "one-shot" and info.model == "openai/thinker"
        assert all(a.status == "found" for a in info.alignments.values())

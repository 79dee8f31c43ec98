"""Living sessions in the terminal UI: a transcript added and a corrected key pulled in."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import saved, settle, type_text, wait_until

from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.screens.dialogs import Confirm, Info, Prompt
from hwreview.tui.screens.review import ReviewScreen

SIZE = (100, 30)


def writable_review(app) -> bool:
    screen = app.screen
    return isinstance(screen, ReviewScreen) and not screen.session.read_only


async def test_a_transcript_is_added_from_the_review_screen(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: writable_review(app))
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)
        await type_text(pilot, "transcripts/nope.md")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)  # no such file: said, and the dialog stays
        app.screen.query_one("Input").value = "transcripts/turn-by-turn.md"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # the label offered: the file name
        await wait_until(
            pilot, lambda: writable_review(app) and len(app.screen.session.transcripts) == 2
        )
        assert app.screen.query("#pane-t2")
        await pilot.press("t", "3")  # grade the new transcript at once
        await settle(pilot)
    with saved(home, one) as session:
        assert [t.label for t in session.transcripts] == ["model-a", "turn-by-turn"]
        assert session.grade("1a", "t2").verdict.value == "incorrect"
    assert list((home / "sessions").glob("one.json.add-transcript-*.bak"))


async def test_a_changed_key_is_offered_and_pulled_in(home: Path, one: str) -> None:
    with Session.open(home, one) as session:
        session.set_grade("1a", "t1", verdict="correct")
        session.set_grade("2a", "t1", verdict="correct")
        session.set_grade("3d", "t1", verdict="incorrect")
        session.set_position("1a", "t1")
    key = home / "keys" / "demo.md"
    text = key.read_text(encoding="utf-8")
    text = text.replace("it is a bigram model", "it is a bigram model (a lookup table)", 1)
    key.write_text(text[: text.index("## (d) Accelerators")], encoding="utf-8")
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm))
        assert "key file changed" in app.screen.title_text
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, Prompt))
        assert app.screen.query_one("Input").value == "keys/demo.md"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, Info))
        shown = "\n".join(app.screen.lines)
        assert "2a: answer key changed" in shown
        assert "dropped (no longer in the key): 3d" in shown
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: writable_review(app) and len(app.screen.assignment.parts) == 11
        )
        await pilot.press("g")
        await settle(pilot)
        await type_text(pilot, "2a")
        await pilot.press("enter")
        await settle(pilot)
        header = str(app.screen.query_one("#head-t1").render())
        assert "re-check: answer key changed" in header
    with saved(home, one) as session:
        assert session.grade("1a", "t1").verdict.value == "correct"
        assert session.grade("2a", "t1").recheck == "answer key"
        assert ("3d", "t1") not in session.grades()
        assert not session.key_changed()

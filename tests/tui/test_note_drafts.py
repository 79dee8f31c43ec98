"""Text typed in the note editor survives the app going away, and a refused save."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static, TextArea
from tui_helpers import saved, settle, type_text, wait_until

from hwreview.errors import HwReviewError
from hwreview.paths import session_path
from hwreview.session.drafts import Drafts
from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.screens.note_editor import NoteEditor

SIZE = (120, 36)
NOTE = "Right method, sign slip in the last line"


def draft(home: Path, name: str, target: str = "note:1a:t1") -> str | None:
    found = Drafts(session_path(home, name)).get(target)
    return None if found is None else found.text


async def _type_note(pilot, text: str) -> None:
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NoteEditor)
    await type_text(pilot, text)


@pytest.mark.parametrize("pause", [True, False])
async def test_a_note_typed_when_the_app_goes_is_offered_again_and_saved(
    home: Path, one: str, pause: bool
) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await _type_note(pilot, NOTE)
        if pause:  # kept while typing, not only at the end
            await wait_until(pilot, lambda: draft(home, one) == NOTE)
        app.exit()  # as when the terminal goes: no save, no question
    with saved(home, one) as session:
        assert session.grade("1a", "t1").note == ""
    assert draft(home, one) == NOTE

    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen.query_one(TextArea).text == NOTE
        restored = str(app.screen.query_one("#restored", Static).render())
        assert restored.startswith("Restored the unsaved text typed at ")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").note == NOTE
    assert draft(home, one) is None
    assert not Drafts(session_path(home, one)).path.exists()


async def test_a_refused_save_keeps_the_note_as_a_draft(
    home: Path, one: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args, **kwargs):
        raise HwReviewError("disk full")

    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await _type_note(pilot, NOTE)
        monkeypatch.setattr(Session, "set_grade", disk_full)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(n.message == "disk full" for n in app._notifications)
        await wait_until(pilot, lambda: draft(home, one) == NOTE)


async def test_discarding_the_typed_note_forgets_its_draft(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await _type_note(pilot, NOTE)
        await wait_until(pilot, lambda: draft(home, one) == NOTE)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")  # Discard
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditor)
    assert draft(home, one) is None
    with saved(home, one) as session:
        assert session.grade("1a", "t1").note == ""


async def test_findings_typed_and_left_are_kept_apart_from_the_note(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        await type_text(pilot, "Weak on units")
        app.exit()
    assert draft(home, one, "findings") == "Weak on units"
    assert draft(home, one) is None


async def test_a_draft_that_cannot_be_written_is_said_once_with_what_to_do(
    home: Path, one: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only_folder(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Drafts, "put", read_only_folder)
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await _type_note(pilot, NOTE)
        await wait_until(pilot, lambda: any("draft" in n.message for n in app._notifications))
        (message,) = [n.message for n in app._notifications if "draft" in n.message]
        assert message == (
            "The typed text could not be kept as a draft (Permission denied): "
            "save it with ctrl+s before closing the terminal."
        )
        assert isinstance(app.screen, NoteEditor)  # the editor and its text stay

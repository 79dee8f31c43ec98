"""The new-session form says when a transcript is another homework, and creates only if asked."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, SelectionList
from tui_helpers import settle, type_text, wait_until

from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.screens.dialogs import Confirm
from hwreview.tui.screens.new_session import NewSessionScreen

SIZE = (120, 36)
CHEMISTRY = """## User

Chem 101: how many moles are in 36 g of water, and what is the pH of 0.01 M hydrochloric acid?

## Assistant

(a) Water has a molar mass of about 18 grams per mole, so 36 grams is two moles.

(b) Hydrochloric acid dissociates completely, so the hydrogen ion concentration is 0.01 molar
and the pH is two.
"""


async def fill_form(pilot, app, home: Path) -> None:
    (home / "transcripts" / "chemistry.md").write_text(CHEMISTRY, encoding="utf-8")
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(app.screen, NewSessionScreen)
    await type_text(pilot, "chem")
    app.screen.query_one("#key-path", Input).value = "keys/demo.md"
    files = app.screen.query_one("#transcripts", SelectionList)
    files.select(str(home / "transcripts" / "chemistry.md"))
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: isinstance(app.screen, Confirm))


async def test_a_foreign_transcript_is_refused_unless_the_grader_insists(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await fill_form(pilot, app, home)
        assert "does not look like an answer to this key" in app.screen.question
        assert "best match" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewSessionScreen)
        error = str(app.screen.query_one("#new-error").render())
        assert "chemistry.md does not look like an answer" in error
    assert not (home / "sessions" / "chem.json").exists()


async def test_the_grader_can_create_it_anyway(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await fill_form(pilot, app, home)
        await pilot.press("y")
        await wait_until(pilot, lambda: (home / "sessions" / "chem.json").exists())
    with Session.open(home, "chem", read_only=True) as session:
        assert [t.label for t in session.transcripts] == ["chemistry"]

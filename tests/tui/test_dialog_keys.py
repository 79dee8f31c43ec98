"""Escape never drops typed text unasked; Enter does what each dialog says, and it says which."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, SelectionList, Static
from tui_helpers import saved, settle, type_text, wait_until

from hwreview.tui.app import make_app
from hwreview.tui.screens.dialogs import Confirm, Prompt
from hwreview.tui.screens.export_dialog import ExportDialog
from hwreview.tui.screens.home import HomeScreen
from hwreview.tui.screens.judging_dialogs import JudgementDialog
from hwreview.tui.screens.new_session import NewSessionScreen
from hwreview.tui.screens.review import ReviewScreen
from hwreview.tui.screens.tag_picker import TagPicker

SIZE = (100, 30)


def keys_line(screen: Confirm) -> str:
    """The line of the confirmation that says what enter, y and n do."""
    return str(screen.query_one("#confirm-keys", Static).render())


async def test_escape_in_the_points_prompt_asks_and_enter_keeps_the_typed_points(
    home: Path, one: str
) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("escape")  # nothing typed: closes at once, nothing asked
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("P")
        await settle(pilot)
        await type_text(pilot, "1.5")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert app.screen.title_text == "Discard what you typed?"
        assert (
            keys_line(app.screen) == "enter: Keep editing · y: Discard · n or escape: Keep editing"
        )
        await pilot.press("enter")  # the safe answer: back to the prompt, the text still there
        await settle(pilot)
        assert isinstance(app.screen, Prompt)
        assert app.screen.query_one(Input).value == "1.5"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").points == 1.5


async def test_discarding_typed_points_saves_nothing(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")  # a partial asks for its points
        await settle(pilot)
        await type_text(pilot, "1")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    with saved(home, one) as session:
        grade = session.grade("1a", "t1")
        assert not grade.verdict.graded and grade.points is None


async def test_escape_in_the_goto_prompt_asks_too(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await type_text(pilot, "3c")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one(Input).value == "3c"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.part_id == "3c"


async def test_escape_in_the_erratum_note_asks_before_dropping_it(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K")
        await settle(pilot)
        assert isinstance(app.screen, JudgementDialog)
        await pilot.press("enter")  # the kind; then the note
        await type_text(pilot, "the key forgets the bias")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")  # escape on the question keeps editing as well
        await settle(pilot)
        assert isinstance(app.screen, JudgementDialog)
        await pilot.press("enter")
        await settle(pilot)
    with saved(home, one) as session:
        erratum = session.judgements.erratum("1a")
        assert erratum is not None and erratum.note == "the key forgets the bias"


async def test_enter_in_the_tag_list_saves_and_space_ticks(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, TagPicker)
        hint = str(app.screen.query_one("#tags-hint", Static).render())
        assert "space ticks a tag · enter saves" in hint
        await pilot.press("space", "down", "down", "space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    with saved(home, one) as session:
        tags = session.grade("1a", "t1").tags
        assert len(tags) == 2 and tags[0] == "arithmetic"


async def test_enter_in_the_new_tag_field_adds_it_without_saving(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "units")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TagPicker)
        assert "units" in app.screen.query_one(SelectionList).selected
        await pilot.press("shift+tab", "enter")  # back in the list: enter saves
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").tags == ("units",)


async def test_replacing_a_file_defaults_to_keeping_it_and_says_so(home: Path, one: str) -> None:
    (home / "one-report.md").write_text("my own report\n", encoding="utf-8")
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert keys_line(app.screen).startswith("enter: Keep it · y: Replace")
        await pilot.press("tab")  # the focus moves to Replace, and the line follows it
        await settle(pilot)
        assert keys_line(app.screen).startswith("enter: Replace")
        await pilot.press("shift+tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    assert (home / "one-report.md").read_text(encoding="utf-8") == "my own report\n"


async def test_a_changed_key_is_pulled_in_with_enter(home: Path, one: str) -> None:
    key = home / "keys" / "demo.md"
    key.write_text(key.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm))
        assert keys_line(app.screen).startswith("enter: Pull it in")
        await pilot.press("enter")  # accepting only goes on to the next dialog
        await wait_until(pilot, lambda: isinstance(app.screen, Prompt))
        assert app.screen.query_one(Input).value == "keys/demo.md"


async def test_escape_on_a_filled_in_new_session_form_asks(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewSessionScreen)
        await type_text(pilot, "hw9")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NewSessionScreen)
        assert app.screen.query_one("#name", Input).value == "hw9"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert not list((home / "sessions").glob("hw9*"))


async def test_ctrl_q_over_a_typed_note_asks_first_and_enter_keeps_the_note(
    home: Path, one: str
) -> None:
    from textual.widgets import TextArea

    from hwreview.tui.screens.note_editor import NoteEditor

    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await type_text(pilot, "sign error in the last line")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, Confirm)
        assert app.screen.title_text == "Quit and discard what you typed?"
        await pilot.press("enter")  # the safe answer: back to the note, every key still there
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "sign error in the last line"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+q")  # nothing typed is left: quits at once
        await settle(pilot)
        assert not app.is_running
    with saved(home, one) as session:
        assert session.grade("1a", "t1").note == "sign error in the last line"


async def test_ctrl_q_twice_quits_over_typed_text(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await type_text(pilot, "1.5")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, Confirm)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running
    with saved(home, one) as session:
        assert session.grade("1a", "t1").points is None

"""Pilot tests for problems found by using the app in a real terminal (80×24 and up)."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import (
    Button,
    Footer,
    Input,
    OptionList,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from tui_helpers import make_session, saved, settle, type_text, wait_until

from hwreview.model import Verdict
from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.screens.dialogs import Choice, Confirm, TypedConfirm
from hwreview.tui.screens.new_session import NewSessionScreen
from hwreview.tui.screens.note_editor import NoteEditor
from hwreview.tui.screens.review import ReviewScreen
from hwreview.tui.screens.transcript_screen import TranscriptScreen

SMALL = (80, 24)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "transcripts"


def screen_text(app) -> str:
    """The text of the current screen, as the SVG screenshot shows it."""
    return app.export_screenshot().replace("&#160;", " ")


async def test_undo_in_the_transcript_view_only_undoes_its_span(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n", "3", "p", "v")  # 1b incorrect, then the spans of 1a
        await settle(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        await pilot.press("]")
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        with saved(home, one) as session:
            assert not session.transcript("t1").alignments["1a"].manual
        await pilot.press("ctrl+z")  # the latest change left is 1b's verdict: refused here
        await settle(pilot)
        assert any("verdict of 1b" in n.message for n in app._notifications)
        with saved(home, one) as session:
            assert session.grade("1b", "t1").verdict is Verdict.INCORRECT
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.part_id == "1a"
        await pilot.press("q")
        await settle(pilot)
    with saved(home, one) as session:
        assert session.grade("1b", "t1").verdict is Verdict.INCORRECT
        assert session.position == ("1a", "t1")


async def test_quitting_saves_the_part_on_screen_as_the_resume_position(
    home: Path, one: str
) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        await settle(pilot)
        # any grade change moves the saved position to its part (here one made elsewhere)
        app.screen.session.set_grade("3a", "t1", verdict="correct")
        await pilot.press("q")
        await settle(pilot)
    with saved(home, one) as session:
        assert session.position == ("1c-i", "t1")


async def test_note_editor_buttons_fit_80x24(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        for button in app.screen.query(Button):
            region = button.region
            assert region.width and region.right <= SMALL[0] and region.bottom <= SMALL[1]
        await type_text(pilot, "Clicked")
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").note == "Clicked"


async def test_a_new_tag_is_scrolled_into_view_and_ticked(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#new-tag", Input).focus()
        await type_text(pilot, "sign-error")
        await pilot.press("enter")
        await settle(pilot)
        tags = app.screen.query_one("#tags", SelectionList)
        index = tags.option_count - 1
        assert tags.highlighted == index
        top = round(tags.scroll_y)
        assert top <= index < top + tags.scrollable_content_region.height
        assert "sign-error" in tags.selected
        await pilot.press("ctrl+s")
        await settle(pilot)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").tags == ("sign-error",)


async def test_header_keeps_the_filter_and_read_only_visible_at_80_columns(
    home: Path, two: str
) -> None:
    with Session.open(home, two) as writer:
        writer.set_grade("1a", "t1", verdict="incorrect")
        app = make_app(home, two)
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            await pilot.press("f")
            await settle(pilot)
            options = app.screen.query_one(OptionList)
            options.highlighted = next(
                i for i, o in enumerate(options.options) if o.id == "not-correct"
            )
            await pilot.press("enter")
            await settle(pilot)
            text = screen_text(app)
            assert "READ-ONLY · 1/24 graded · filter: not-correct" in text
            banner = str(app.screen.query_one("#banner", Static).render())
            assert "open this one read-only" not in banner
            await pilot.press("1")
            await settle(pilot)
            refused = [n.message for n in app._notifications if "not saved" in n.message]
            assert refused and all(len(m) < 120 for m in refused)
            # going to a part the filter hides clears the filter, and says so
            await pilot.press("g")
            await settle(pilot)
            await type_text(pilot, "3d")
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen.part_id == "3d"
            assert any("cleared" in n.message for n in app._notifications)
            assert "filter:" not in app.screen.sub_title
            header = str(app.screen.query_one("#part-header", Static).render())
            assert "1 point" in header and "1 points" not in header
        assert writer.grade("3d", "t1").verdict is Verdict.UNGRADED


async def test_new_session_errors_are_notified_at_80x24(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "x")
        await pilot.press("ctrl+s")  # no key, no transcript: the error line is off screen
        await settle(pilot)
        assert isinstance(app.screen, NewSessionScreen)
        assert any("at least one transcript" in n.message for n in app._notifications)
    assert not (home / "sessions" / "x.json").exists()


async def test_a_typed_transcript_path_is_found_under_the_home(
    home: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)  # started from another folder, with --home
    app = make_app(home)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        await type_text(pilot, "typed")
        form.query_one("#key", Select).value = str(home / "keys" / "demo.md")
        form.query_one("#extra", Input).value = "one-shot.md, transcripts/turn-by-turn.md"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, NewSessionScreen))
    with saved(home, "typed") as session:
        assert [t.label for t in session.transcripts] == ["one-shot", "turn-by-turn"]


async def test_an_export_with_several_chats_asks_which_one(home: Path) -> None:
    export = home / "transcripts" / "chatgpt-many.json"
    shutil.copy(FIXTURES / "chatgpt-many.json", export)
    app = make_app(home)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        await type_text(pilot, "many")
        form.query_one("#key", Select).value = str(home / "keys" / "demo.md")
        form.query_one("#transcripts", SelectionList).select(str(export))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, Choice))
        options = app.screen.query_one(OptionList)
        assert options.option_count == 3
        assert "Circuit homework" in str(options.get_option_at_index(1).prompt)
        options.highlighted = 1
        await pilot.press("enter")
        # The chosen chat answers another homework than the demo key: the form asks first.
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await wait_until(pilot, lambda: not isinstance(app.screen, (Confirm, NewSessionScreen)))
    with saved(home, "many") as session:
        assert session.transcripts[0].transcript.title == "Circuit homework"


async def test_delete_placeholder_does_not_look_typed(home: Path) -> None:
    make_session(home, "gone")
    app = make_app(home)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, TypedConfirm)
        assert app.screen.query_one(Input).placeholder == "type gone here"


async def test_escape_in_the_note_editor_asks_before_dropping_text(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "Long careful note")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "Long careful note"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")  # discard
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").note == ""


async def test_filter_choices_count_parts_and_skip_unused_tags(home: Path, one: str) -> None:
    with Session.open(home, one) as session:
        session.set_grade("1a", "t1", verdict="incorrect", tags=["arithmetic"])
    app = make_app(home, one)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == [
            "All parts (12)",
            "Ungraded (11)",
            "Not correct (1)",
            "Tagged arithmetic (1)",
        ]


async def test_dialogs_show_their_own_keys_and_fit_80x24(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        # the bottom row shows the dialog's keys, not the review screen's (which do not apply)
        assert dialog.query_one(Footer).region.y == SMALL[1] - 1
        title = dialog.query_one(".dialog-title")
        assert title.region.height and title.region.y >= 0  # not scrolled away
        for button in dialog.query(Button):
            assert button.region.height and button.region.bottom <= SMALL[1] - 1

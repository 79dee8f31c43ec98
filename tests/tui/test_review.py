"""Pilot tests of the review screen; every assertion about grading reads the saved session."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Select, SelectionList, Static, TextArea
from tui_helpers import make_session, saved, settle, type_text

from hwreview.model import Verdict
from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.screens.dialogs import Prompt
from hwreview.tui.screens.review import ReviewScreen
from hwreview.tui.screens.summary_screen import SummaryScreen
from hwreview.tui.screens.transcript_screen import TranscriptScreen
from hwreview.tui.widgets.part_tree import PartTree

SIZE = (120, 36)


async def test_grade_every_part_with_keys(home: Path, one: str) -> None:
    verdict_keys = "123451234512"
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        for key in verdict_keys:
            await pilot.press(key)
            if key == "2":  # a partial asks for its points (the key gives points)
                await settle(pilot)
                await pilot.press("1", "enter")
                await settle(pilot)
            await pilot.press("n")
        await settle(pilot)
        assert app.screen.sub_title.startswith("12/12 graded")
    with saved(home, one) as session:
        parts = session.assignment.parts
        expected = dict(
            zip("12345", ["correct", "partial", "incorrect", "omitted", "ambiguous"], strict=True)
        )
        for part, key in zip(parts, verdict_keys, strict=True):
            assert session.grade(part.id, "t1").verdict.value == expected[key]
            if key == "2":
                assert session.grade(part.id, "t1").points == 1
        assert session.progress() == (12, 12)


async def test_clear_and_undo(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        with saved(home, one) as session:
            assert session.grade("1a", "t1").verdict is Verdict.INCORRECT
        await pilot.press("0")
        await settle(pilot)
        with saved(home, one) as session:
            assert session.grade("1a", "t1").verdict is Verdict.UNGRADED
        await pilot.press("ctrl+z")
        await settle(pilot)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").verdict is Verdict.INCORRECT


async def test_tags_note_and_points(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "a")
        await settle(pilot)
        assert isinstance(app.screen.focused, SelectionList)
        await pilot.press("space")  # ticks the first tag, "arithmetic"
        app.screen.query_one("#new-tag", Input).focus()
        await type_text(pilot, "off-by-ten")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen.focused, TextArea)
        await type_text(pilot, "Wrong *factor*")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await type_text(pilot, "0.5")
        await pilot.press("enter")
        await settle(pilot)
    with saved(home, one) as session:
        grade = session.grade("1a", "t1")
        assert grade.verdict is Verdict.INCORRECT
        assert grade.tags == ("arithmetic", "off-by-ten")
        assert "off-by-ten" in session.tags
        assert grade.note == "Wrong *factor*"
        assert grade.points == 0.5


async def test_points_beyond_the_maximum_are_refused(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await type_text(pilot, "9")
        await pilot.press("enter")
        await settle(pilot)
        # The dialog stays open with the reason, and the grader fixes the value.
        assert isinstance(app.screen, Prompt)
        assert "too many" in str(app.screen.query_one("#error", Static).render())
        with saved(home, one) as session:
            assert session.grade("1a", "t1").points is None
        await pilot.press("backspace", "2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").points == 2


async def test_navigation_goto_next_ungraded_and_search(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("j", "j", "k")
        assert screen.part_id == "1b"
        await pilot.press("g")
        await settle(pilot)
        await type_text(pilot, "3C")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.part_id == "3c"
        await pilot.press("1", "u")
        await settle(pilot)
        assert screen.part_id == "3d"
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "weight memory")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.part_id == "3b"
    with saved(home, one) as session:
        assert session.position == ("3b", "t1")


async def test_filters(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        tree = screen.query_one(PartTree)
        await pilot.press("1", "n", "3", "n", "2")
        await settle(pilot)
        await pilot.press("enter")  # the partial's points: left empty
        await settle(pilot)

        async def choose(option: str) -> None:
            await pilot.press("f")
            await settle(pilot)
            options = app.screen.query_one(OptionList)
            index = next(i for i, o in enumerate(options.options) if o.id == option)
            options.highlighted = index
            await pilot.press("enter")
            await settle(pilot)

        await choose("ungraded")
        assert tree.visible_parts == [p.id for p in screen.assignment.parts[3:]]
        await choose("not-correct")
        assert tree.visible_parts == ["1b", "1c-i"]
        await pilot.press("n")
        assert screen.part_id == "1c-i"
        await choose("all")
        assert len(tree.visible_parts) == 12


async def test_two_transcripts_are_graded_separately(home: Path, two: str) -> None:
    app = make_app(home, two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("1", "t")
        await settle(pilot)
        assert screen.active == "t2"
        assert "model-b" in screen.sub_title
        assert screen.query_one("#pane-t2").has_class("-active")
        await pilot.press("3")
        await settle(pilot)
    with saved(home, two) as session:
        assert session.grade("1a", "t1").verdict is Verdict.CORRECT
        assert session.grade("1a", "t2").verdict is Verdict.INCORRECT


async def test_resume_after_restart(home: Path, two: str) -> None:
    app = make_app(home, two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "n", "n", "t", "2")
        await settle(pilot)
        await pilot.press("2", "enter", "q")  # 2 of 3 points
        await settle(pilot)
    with saved(home, two) as session:
        assert session.position == ("1c-ii", "t2")
        assert session.grade("1c-ii", "t2").verdict is Verdict.PARTIAL
        assert session.grade("1c-ii", "t2").points == 2
    again = make_app(home, two)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ReviewScreen)
        assert (again.screen.part_id, again.screen.active) == ("1c-ii", "t2")
    # the lock was released: the session can be opened for writing again
    Session.open(home, two).close()


async def test_export_writes_and_confirms_overwrite(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "e")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        report = home / "one-report.md"
        assert report.exists()
        assert "Homework 3" in report.read_text(encoding="utf-8")
        report.write_text("old", encoding="utf-8")
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")  # the file exists: a confirm dialog
        await settle(pilot)
        assert report.read_text(encoding="utf-8") == "old"
        await pilot.press("y")
        await settle(pilot)
        assert "Homework 3" in report.read_text(encoding="utf-8")
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one(Select).value = "json"
        await settle(pilot)
        assert app.screen.query_one("#path", Input).value == "one-report.json"
        await pilot.press("enter")
        await settle(pilot)
    assert '"verdict": "correct"' in (home / "one-report.json").read_text(encoding="utf-8")


async def test_second_instance_is_read_only(home: Path, one: str) -> None:
    with Session.open(home, one) as writer:
        app = make_app(home, one)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.session.read_only
            assert "READ-ONLY" in screen.sub_title
            assert screen.query("#banner")
            await pilot.press("1", "a")
            await settle(pilot)
            messages = [n.message for n in app._notifications]
            assert any("Read-only" in m for m in messages)
        assert writer.grade("1a", "t1").verdict is Verdict.UNGRADED
    with saved(home, one) as session:
        assert session.grade("1a", "t1").verdict is Verdict.UNGRADED


async def test_transcript_view_fixes_spans(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with saved(home, one) as session:
            before = session.transcript("t1").alignments["1a"].span
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        await pilot.press("]")
        await settle(pilot)
        with saved(home, one) as session:
            alignment = session.transcript("t1").alignments["1a"]
            assert alignment.manual and alignment.span.end > before.end
            assert "1b" in session.transcript("t1").answer("1a")
        await pilot.press("[")
        await settle(pilot)
        with saved(home, one) as session:
            assert session.transcript("t1").alignments["1a"].span == before
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    with saved(home, one) as session:
        alignment = session.transcript("t1").alignments["1a"]
        assert alignment.span is None and alignment.status == "not found"


async def test_findings_conclusion_summary_report(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, text in (("F", "Numbers are hard"), ("C", "Good at concepts")):
            await pilot.press(key)
            await settle(pilot)
            await type_text(pilot, text)
            await pilot.press("ctrl+s")
            await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape", "R")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ReportScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    with saved(home, one) as session:
        assert session.findings == "Numbers are hard"
        assert session.conclusion == "Good at concepts"


async def test_command_palette_runs_actions(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "summary")
        await settle(pilot, 6)
        await pilot.press("enter")
        await settle(pilot, 6)
        assert isinstance(app.screen, SummaryScreen)


async def test_untrusted_text_is_not_markup(home: Path) -> None:
    name = make_session(home, "evil", ("model-a",), hostile=True)
    app = make_app(home, name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 6)
        svg = app.export_screenshot()
        assert "[bold]evil[/]" in svg.replace("&#160;", " ")
        assert "\x1b" not in svg
        await pilot.press("1")
        await settle(pilot)
        notes = list(app._notifications)
        assert any("[bold]evil[/]" in n.message for n in notes)
        assert not any(n.markup for n in notes)
    with saved(home, name) as session:
        assert session.grade("1a", "t1").verdict is Verdict.CORRECT


async def test_time_is_recorded_when_leaving_a_part_and_on_quit(
    home: Path, one: str, monkeypatch
) -> None:
    import itertools

    from hwreview.tui.screens import review_time

    ticks = itertools.count(start=0, step=30)
    monkeypatch.setattr(review_time, "monotonic", lambda: float(next(ticks)))
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "q")
        await settle(pilot)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").seconds >= 30
        assert session.grade("1b", "t1").seconds >= 30


async def test_help_panel_and_narrow_tree_toggle(home: Path, one: str) -> None:
    app = make_app(home, one)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(PartTree)
        assert not tree.display or tree.region.width == 0
        await pilot.press("b")
        await settle(pilot)
        assert tree.region.width > 0
        await pilot.press("question_mark")
        await settle(pilot)
        assert app.screen.query("HelpPanel")
        await pilot.press("question_mark")
        await settle(pilot)
        assert not app.screen.query("HelpPanel")


async def test_mouse_picks_parts_and_transcripts(home: Path, two: str) -> None:
    app = make_app(home, two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.click("#pane-t2")
        await settle(pilot)
        assert screen.active == "t2"
        tree = screen.query_one(PartTree)
        node = next(n for n in tree._part_nodes.values() if n.data == "2b")
        await pilot.click(PartTree, offset=(8, node.line))
        await settle(pilot)
        assert screen.part_id == "2b"
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    with saved(home, two) as session:
        assert session.grade("2b", "t2").verdict is Verdict.PARTIAL


async def test_raw_toggle_shows_the_latex_source(home: Path, one: str) -> None:
    from hwreview.tui.widgets.doc_view import DocView

    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        views = list(app.screen.query(DocView))
        assert views and not any(view.raw for view in views)
        await pilot.press("r")
        await settle(pilot)
        assert all(view.raw for view in views)
        await pilot.press("r")
        await settle(pilot)
        assert not any(view.raw for view in views)


async def test_a_damaged_session_does_not_crash_the_app(home: Path) -> None:
    make_session(home, "ok")
    (home / "sessions" / "bad.json").write_text("[]", encoding="utf-8")
    app = make_app(home, "bad")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.__class__.__name__ == "HomeScreen"
        assert any("bad" in n.message for n in app._notifications)

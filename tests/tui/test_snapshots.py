"""SVG snapshots of the main screens (pytest-textual-snapshot); time is frozen by conftest."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from tui_helpers import make_session, settle, wait_until

from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.widgets.doc_view import DocView


async def wait_rendered(pilot: Pilot) -> None:
    """Wait until every document view on screen has rendered its whole document (a hidden one,
    such as the answers behind a zoomed question, renders nothing until it is shown)."""
    await settle(pilot)
    await wait_until(
        pilot,
        lambda: all(view.ready for view in pilot.app.screen.query(DocView) if view.size.width),
    )


def graded_session(home: Path) -> str:
    """A two-transcript session with a few grades, tags and a note."""

    name = make_session(home, "snap", ("model-a", "model-b"))
    with Session.open(home, name) as session:
        session.set_grade("1a", "t1", verdict="correct")
        session.set_grade("1a", "t2", verdict="partial", tags=["conceptual"], note="Misses why.")
        session.set_grade("1b", "t1", verdict="incorrect", tags=["arithmetic"])
        session.set_grade("1b", "t2", verdict="omitted")
        session.set_grade("1c-i", "t1", verdict="ambiguous")
        session.set_position("1b", "t1")
    return name


def test_home_screen(snap_compare, home: Path) -> None:
    graded_session(home)
    make_session(home, "other")
    (home / "sessions" / "broken.json").write_text("{", encoding="utf-8")
    assert snap_compare(make_app(home), terminal_size=(100, 24), run_before=settle)


def test_review_screen_80x24(snap_compare, home: Path) -> None:
    name = graded_session(home)
    assert snap_compare(make_app(home, name), terminal_size=(80, 24), run_before=wait_rendered)


def test_review_screen_160x48(snap_compare, home: Path) -> None:
    name = graded_session(home)
    assert snap_compare(make_app(home, name), terminal_size=(160, 48), run_before=wait_rendered)


def test_report_preview(snap_compare, home: Path) -> None:
    name = graded_session(home)

    async def open_report(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("R")
        await wait_rendered(pilot)

    assert snap_compare(make_app(home, name), terminal_size=(120, 36), run_before=open_report)


def test_review_screen_60x20(snap_compare, home: Path) -> None:
    name = graded_session(home)
    assert snap_compare(make_app(home, name), terminal_size=(60, 20), run_before=wait_rendered)


async def grade_fast_then_zoom(pilot: Pilot) -> None:
    """Grade three parts quickly (status line, no toasts), then show the whole question."""
    await wait_rendered(pilot)
    await pilot.press("1", "n", "3", "n", "1", "p", "p")
    await settle(pilot)
    await pilot.press("z")
    await wait_rendered(pilot)


def test_whole_question_and_status_line_80x24(snap_compare, home: Path) -> None:
    name = graded_session(home)
    app = make_app(home, name)
    assert snap_compare(app, terminal_size=(80, 24), run_before=grade_fast_then_zoom)


def test_whole_question_and_status_line_60x20(snap_compare, home: Path) -> None:
    name = graded_session(home)
    app = make_app(home, name)
    assert snap_compare(app, terminal_size=(60, 20), run_before=grade_fast_then_zoom)


def _pressing(*keys: str):
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await wait_rendered(pilot)

    return run


def judged_session(home: Path) -> str:
    """The graded session with a preference and an erratum on 1b."""
    name = graded_session(home)
    with Session.open(home, name) as session:
        session.judgements.set_preference(
            "1b", "tie", "Both slip, in different places", ["correctness"]
        )
        session.judgements.set_erratum(
            "1b", "The key's symmetry argument assumes A is random.", "incomplete"
        )
    return name


def test_compare_view_80x24(snap_compare, home: Path) -> None:
    name = judged_session(home)
    assert snap_compare(make_app(home, name), terminal_size=(80, 24), run_before=_pressing("x"))


def test_compare_view_160x48(snap_compare, home: Path) -> None:
    name = judged_session(home)
    assert snap_compare(make_app(home, name), terminal_size=(160, 48), run_before=_pressing("x"))


def test_statistics_screen(snap_compare, home: Path) -> None:
    name = judged_session(home)
    assert snap_compare(make_app(home, name), terminal_size=(100, 36), run_before=_pressing("S"))

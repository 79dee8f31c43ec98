"""Time on a part: recorded when leaving it, capped when the grader walked away."""

from __future__ import annotations

import itertools
from pathlib import Path

from tui_helpers import saved, settle

from hwreview.tui.app import make_app
from hwreview.tui.screens import review_time

SIZE = (120, 36)


async def test_a_long_absence_counts_as_at_most_fifteen_minutes(
    home: Path, one: str, monkeypatch
) -> None:
    ticks = itertools.count(start=0, step=2 * 3600)  # two hours between any two readings
    monkeypatch.setattr(review_time, "monotonic", lambda: float(next(ticks)))
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
    with saved(home, one) as session:
        assert session.grade("1a", "t1").seconds == review_time.MAX_VISIT_SECONDS
        assert session.position == ("1b", "t1")  # saved with the time, in the same write


async def test_a_read_only_viewer_follows_what_the_writer_saves(home: Path, one: str) -> None:
    from hwreview.session.session import Session
    from hwreview.tui.widgets.part_tree import PartTree

    with Session.open(home, one) as writer:
        app = make_app(home, one)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.session.read_only
            assert screen.sub_title.startswith("READ-ONLY · 0/12 graded")
            writer.set_grade("1a", "t1", verdict="correct")
            writer.set_grade("1b", "t1", verdict="incorrect")
            screen._follow_writer()  # what the 2-second timer does
            await settle(pilot)
            assert "2/12 graded" in screen.sub_title
            assert screen.query_one(PartTree).grades[("1b", "t1")].verdict.value == "incorrect"

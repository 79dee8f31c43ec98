"""The review screen says why a part is uncertain or re-answered, and `o` steps its span."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import settle, wait_until

from hwreview.services import TranscriptSource, create_session
from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.screens.review import ReviewScreen

SIZE = (140, 40)
REDONE = """## User

Problem 1 (a): With a very small rank, why does fine-tuning plateau?

## Assistant

Because the learning rate is too small for the adapter to move.

## User

That's wrong, try again.

## Assistant

The update AB has rank at most k, so the adapter cannot express a change spread over more
directions: the loss plateaus above full fine-tuning. That is underfitting from capacity.
"""


def header(app) -> str:
    return str(app.screen.query_one("#head-t1").render())


def span_of(home: Path, part: str):
    with Session.open(home, "redo", read_only=True) as session:
        return session.transcripts[0].alignments[part]


async def test_o_steps_through_the_attempts_and_back(home: Path) -> None:
    (home / "transcripts" / "redone.md").write_text(REDONE, encoding="utf-8")
    source = TranscriptSource(home / "transcripts" / "redone.md")
    create_session(home, "redo", home / "keys" / "demo.md", [source]).close()
    first, last = span_of(home, "1a").attempts
    app = make_app(home, "redo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await settle(pilot)
        assert "attempt 2 of 2" in header(app)
        assert "after a follow-up" in header(app) and "o: next of 2" in header(app)
        await pilot.press("o")
        await wait_until(pilot, lambda: span_of(home, "1a").span == first)
        assert "attempt 1 of 2" in header(app)
        await pilot.press("o")
        await wait_until(pilot, lambda: span_of(home, "1a").span == last)
        assert span_of(home, "1a").manual
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: span_of(home, "1a").span == first)
        await pilot.press("n")  # 1b: answered nowhere, nothing to step to
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert span_of(home, "1b").span is None


async def test_an_uncertain_part_shows_why(home: Path) -> None:
    text = REDONE.split("## User\n\nThat's wrong")[0] + (
        "## User\n\nProblem 1 (b) and (c)(i), please.\n\n## Assistant\n\nB = 0 keeps W' = W at the start, and "
        "the adapter has k(m + l) parameters against ml.\n"
    )
    (home / "transcripts" / "two.md").write_text(text, encoding="utf-8")
    source = TranscriptSource(home / "transcripts" / "two.md")
    create_session(home, "redo", home / "keys" / "demo.md", [source]).close()
    alignment = span_of(home, "1c-i")
    assert alignment.status == "uncertain" and alignment.reason
    app = make_app(home, "redo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await settle(pilot)
        await pilot.press("n", "n")
        await settle(pilot)
        assert "why: " + alignment.reason[:30] in header(app)

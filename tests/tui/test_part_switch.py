"""Switching parts repaints without a layout pass, yet headers and scrollbars stay right."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from tui_helpers import demo_key_text, settle

from hwreview.keys.parser import parse_key
from hwreview.model import FOUND, Alignment, Message, Span, Transcript
from hwreview.session.session import NewTranscript, Session
from hwreview.tui.app import make_app
from hwreview.tui.widgets.doc_view import DocView

SIZE = (120, 36)


def long_and_short_session(home: Path) -> str:
    """Parts 1-3: 80 paragraphs, one line (with a note on its grade), 40 paragraphs; then 2."""
    key = demo_key_text()
    parts = parse_key(key, source="demo.md").parts
    sizes = {parts[0].id: 80, parts[1].id: 1, parts[2].id: 40}
    text, spans = "", {}
    for part in parts:
        answer = "\n\n".join(f"Paragraph {i} of {part.id}." for i in range(sizes.get(part.id, 2)))
        start = len(text) + (2 if text else 0)
        text = f"{text}\n\n{answer}" if text else answer
        spans[part.id] = Alignment(part.id, FOUND, Span(1, start, len(text)))
    transcript = Transcript((Message("user", "Answer."), Message("assistant", text)), model="m")
    entry = NewTranscript(transcript, "run", spans, "run.md")
    with Session.create(home, "mixed", Path("keys/demo.md"), key, [entry]) as session:
        session.set_grade(parts[1].id, "t1", verdict="partial", note="Half right.")
        session.set_position(parts[0].id, "t1")
    return "mixed"


async def test_headers_and_scrollbars_follow_the_part(home: Path) -> None:
    app = make_app(home, long_and_short_session(home))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.screen.query_one("#head-t1", Static)
        answer = app.screen.query_one("#answer-t1", DocView)
        seen = []
        for key in ("", "n", "n", "n", "p", "p", "p"):
            if key:
                await pilot.press(key)
            await settle(pilot)
            doc_height = answer._doc.height
            seen.append((header.size.height, answer.show_vertical_scrollbar))
            assert ("✎ Half right." in str(header.render())) == (header.size.height == 2)
            # The answer starts right under its header, whatever the header's height.
            assert answer.region.y == header.region.y + header.region.height
            assert answer.virtual_size.height == doc_height
            assert answer.show_vertical_scrollbar == (doc_height > answer.container_size.height)
            if answer.show_vertical_scrollbar:
                assert answer.vertical_scrollbar.window_virtual_size == doc_height
        # 1a long, 1b short with a note (two header lines), then long, short, and back.
        long, noted, short = (1, True), (2, False), (1, False)
        assert seen == [long, noted, long, short, long, noted, long]

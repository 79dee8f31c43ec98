"""Unit tests of the pure helpers behind the UI: span moves by paragraph, tree filters."""

from __future__ import annotations

from tui_helpers import demo_key_text

from hwreview.keys.parser import parse_key
from hwreview.model import Grade, Message, Span, Transcript, Verdict
from hwreview.tui.part_filter import matching_parts
from hwreview.tui.span_edit import (
    extend_end,
    extend_start,
    move_message,
    paragraphs,
    shrink_end,
    shrink_start,
    transcript_markdown,
)

CHAT = Transcript(
    (
        Message("user", "question"),
        Message("assistant", "p1\n\np2\n\np3"),
        Message("user", "more"),
        Message("assistant", "q1\n\nq2"),
    )
)


def test_paragraphs() -> None:
    assert paragraphs("p1\n\np2\n \n p3 ") == [(0, 2), (4, 6), (10, 12)]
    assert paragraphs("") == []


def test_end_moves_by_paragraph_and_into_the_next_answer() -> None:
    span = Span(1, 0, 2)
    assert extend_end(CHAT, span) == Span(1, 0, 6)
    crossing = extend_end(CHAT, Span(1, 0, 10))
    assert crossing == Span(1, 0, 2, 3)
    assert CHAT.text_of(crossing) == "p1\n\np2\n\np3\n\nq1"
    assert shrink_end(CHAT, crossing) == Span(1, 0, 10)
    assert shrink_end(CHAT, Span(1, 0, 6)) == span
    assert shrink_end(CHAT, span) is None
    assert extend_end(CHAT, Span(3, 0, 6)) is None


def test_start_moves_by_paragraph() -> None:
    assert extend_start(CHAT, Span(1, 4, 6)) == Span(1, 0, 6)
    assert extend_start(CHAT, Span(3, 0, 2)) == Span(1, 8, 2, 3)
    assert extend_start(CHAT, Span(1, 0, 2)) is None
    assert shrink_start(CHAT, Span(1, 0, 10)) == Span(1, 4, 10)
    assert shrink_start(CHAT, Span(1, 8, 10)) is None
    assert shrink_start(CHAT, Span(1, 8, 2, 3)) == Span(3, 0, 2, 3)


def test_move_to_another_message() -> None:
    assert move_message(CHAT, None, 1) == Span(1, 0, 2)
    assert move_message(CHAT, Span(1, 0, 2), 1) == Span(3, 0, 2)
    assert move_message(CHAT, Span(3, 0, 2), -1) == Span(1, 0, 2)
    assert move_message(CHAT, Span(3, 0, 2), 1) is None


def test_transcript_markdown_marks_the_span() -> None:
    text, offset = transcript_markdown(CHAT, Span(1, 4, 6), "1a")
    assert "**▶▶ 1a starts here**" in text and "**◀◀ 1a ends here**" in text
    assert text.index("▶▶") > offset - 10
    assert text[offset:].startswith("\n\n**▶▶")


def test_filters() -> None:
    assignment = parse_key(demo_key_text(), source="demo.md")
    grades = {
        ("1a", "t1"): Grade("1a", "t1", Verdict.CORRECT),
        ("1a", "t2"): Grade("1a", "t2", Verdict.CORRECT),
        ("1b", "t1"): Grade("1b", "t1", Verdict.PARTIAL, tags=("units",)),
    }
    ids = ["t1", "t2"]
    assert len(matching_parts("all", assignment, ids, grades)) == 12
    assert "1a" not in matching_parts("ungraded", assignment, ids, grades)
    assert "1b" in matching_parts("ungraded", assignment, ids, grades)
    assert matching_parts("not-correct", assignment, ids, grades) == {"1b"}
    assert matching_parts("tag:units", assignment, ids, grades) == {"1b"}

"""Marking who wrote a message after an import that had to guess; spans are found again."""

from __future__ import annotations

from pathlib import Path

import pytest

from hwreview.errors import HwReviewError
from hwreview.model import Span
from hwreview.services import TranscriptSource, create_session
from hwreview.session.session import Session

PRINT = Path(__file__).parent / "fixtures" / "providers" / "chatgpt" / "print.pdf"


def _session(home: Path) -> Session:
    return create_session(home, "s", home / "keys" / "demo.md", [TranscriptSource(PRINT)])


def test_a_message_given_to_the_other_speaker_is_saved_and_parts_found_again(hw_home):
    with _session(hw_home) as session:
        before = session.transcript("t1")
        assert before.transcript.messages[0].role == "user"
        assert before.alignments["1a"].span is not None
        first_answer = next(
            i
            for i, m in enumerate(before.transcript.messages)
            if m.role == "assistant" and m.kind == "answer"
        )
        session.set_alignment("t1", "1b", Span(first_answer, 0, 10))  # by hand: kept
        session.turns.set_role("t1", 0, "assistant")
    with Session.open(hw_home, "s", read_only=True) as saved:
        info = saved.transcript("t1")
        assert info.transcript.messages[0].role == "assistant"
        assert info.alignments["1a"].span != before.alignments["1a"].span  # the prompt is gone
        assert info.alignments["1b"].manual and info.alignments["1b"].span == Span(
            first_answer, 0, 10
        )
        change = saved.history()[-1]
        assert change.field == "message-role" and change.transcript_id == "t1"
        assert saved.next_undo().field == "span"  # a speaker change is not undone by ctrl+z
    with Session.open(hw_home, "s") as session:
        session.turns.set_role("t1", 0, "user")
        assert session.transcript("t1").alignments["1a"] == before.alignments["1a"]


def test_a_reasoning_line_can_be_marked_as_the_users(hw_home):
    with _session(hw_home) as session:
        messages = session.transcript("t1").transcript.messages
        index = next(i for i, m in enumerate(messages) if m.kind == "reasoning")
        info = session.turns.set_role("t1", index, "user")
        assert (info.transcript.messages[index].role, info.transcript.messages[index].kind) == (
            "user",
            "answer",
        )


@pytest.mark.parametrize(
    ("index", "role", "says"), [(99, "user", "no message 99"), (0, "robot", "not 'robot'")]
)
def test_bad_requests_are_one_line(hw_home, index, role, says):
    with _session(hw_home) as session, pytest.raises(HwReviewError, match=says):
        session.turns.set_role("t1", index, role)

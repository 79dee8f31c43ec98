"""The Claude export reader: text blocks, thinking, tools, attachments, the wrapper form."""

from __future__ import annotations

from pathlib import Path

import pytest

from hwreview.errors import ManyConversationsError, TranscriptFormatError
from hwreview.transcripts import detect_format, list_conversations, load_transcript

FIX = Path(__file__).parent / "fixtures" / "transcripts"


def test_detected_as_claude():
    assert detect_format(FIX / "claude-export.json") == "claude"
    assert detect_format(FIX / "claude-wrapped.json") == "claude"


def test_two_conversations_need_a_choice():
    with pytest.raises(ManyConversationsError) as info:
        load_transcript(FIX / "claude-export.json")
    assert [c.title for c in info.value.conversations] == ["Pendulum help", "Old chat"]


def test_blocks_split_into_answer_reasoning_and_tools():
    t = load_transcript(FIX / "claude-export.json", conversation="cl-1")
    assert [(m.role, m.kind) for m in t.messages] == [
        ("user", "answer"),
        ("user", "context"),
        ("assistant", "reasoning"),
        ("assistant", "answer"),
        ("assistant", "tool"),
        ("tool", "tool"),
        ("assistant", "answer"),
    ]
    assert t.messages[2].text == "Small-angle formula applies."
    assert t.messages[3].text == "Let me check with a quick calculation."
    assert t.messages[4].text.startswith("[tool call: calculator]")
    assert '"expression": "2*pi*sqrt(1.5/9.8)"' in t.messages[4].text
    assert t.messages[5].text == "2.458"
    assert t.messages[6].text == "The period is about 2.46 s."
    assert all("IGNORED FLAT TEXT" not in m.text for m in t.messages)


def test_attachments_and_files():
    t = load_transcript(FIX / "claude-export.json", conversation="Pendulum help")
    user = t.messages[0].text
    assert user.startswith("What is the period of a 1.5 m pendulum?")
    assert "[file: notes.txt]" in user and "[image]" in user
    assert t.messages[1].text == "[file: notes.txt]\n\ng = 9.8 m/s^2 in all problems."


def test_falls_back_to_text_without_blocks():
    t = load_transcript(FIX / "claude-export.json", conversation="2")
    assert [m.text for m in t.messages] == [
        "Is 11/36 right for at least one six?",
        "Yes: 1 − (5/6)² = 11/36.",
    ]
    assert t.created == "2023-11-20T12:00:00Z"
    assert t.source_format == "claude" and t.title == "Old chat"


def test_wrapped_export_streams_the_inner_list():
    summaries = list_conversations(FIX / "claude-wrapped.json")
    assert [(s.index, s.id, s.title, s.messages) for s in summaries] == [(1, "cl-2", "Old chat", 2)]
    assert load_transcript(FIX / "claude-wrapped.json").messages[1].role == "assistant"


def test_bad_sender_is_one_line():
    with pytest.raises(TranscriptFormatError, match=r"Claude export.*message 1 has sender 'robot'"):
        load_transcript(FIX / "claude-bad-sender.json")


def test_chatgpt_file_read_as_claude():
    with pytest.raises(TranscriptFormatError, match=r"Claude export.*no list of 'chat_messages'"):
        load_transcript(FIX / "chatgpt-branching.json", "claude")

"""The ChatGPT export reader: the chosen branch, hidden messages, reasoning, tools, attachments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hwreview.errors import ManyConversationsError, TranscriptFormatError
from hwreview.transcripts import detect_format, list_conversations, load_transcript

FIX = Path(__file__).parent / "fixtures" / "transcripts"


@pytest.fixture()
def branching():
    return load_transcript(FIX / "chatgpt-branching.json")


def test_detected_as_chatgpt():
    assert detect_format(FIX / "chatgpt-branching.json") == "chatgpt"
    assert detect_format(FIX / "chatgpt-many.json") == "chatgpt"


def test_follows_the_chosen_branch_only(branching):
    texts = [m.text for m in branching.messages]
    assert not any("REJECTED DRAFT" in t for t in texts)
    assert texts[-1] == "About 2.9 s."


def test_hidden_messages_and_user_context_are_dropped(branching):
    texts = " ".join(m.text for m in branching.messages)
    assert "HIDDEN NOTE" not in texts
    assert "I teach physics" not in texts
    assert all(m.role != "system" for m in branching.messages)


def test_reasoning_and_tools_are_kept_apart(branching):
    kinds = [(m.role, m.kind) for m in branching.messages]
    assert kinds == [
        ("user", "answer"),
        ("assistant", "reasoning"),
        ("assistant", "reasoning"),
        ("assistant", "tool"),
        ("tool", "tool"),
        ("assistant", "answer"),
        ("user", "answer"),
        ("assistant", "answer"),
    ]
    reasoning = branching.messages[1].text
    assert "Reading the picture" in reasoning and "20 m/s" in reasoning
    assert branching.messages[2].text == "Thought for 5 seconds"
    assert branching.messages[3].text == "print(20**2/9.8)"
    assert branching.messages[4].text == "40.816326530612244"


def test_images_and_files_become_placeholders(branching):
    first = branching.messages[0].text
    assert first.startswith("[image]")
    assert "How far does the ball in this picture travel?" in first
    assert "[file: homework.pdf]" in first
    assert first.count("[image]") == 1  # the image attachment is not listed twice


def test_citation_markers_are_removed(branching):
    answer = branching.messages[5].text
    assert answer == "The ball travels about 40.8 m  on level ground."
    assert not any("\ue200" <= ch <= "\ue2ff" for ch in answer)


def test_metadata(branching):
    assert branching.model == "model-x"
    assert branching.title == "Kinematics question"
    assert branching.created == "2023-11-14T22:13:20+00:00"
    assert branching.source == "chatgpt-branching.json"
    assert branching.source_format == "chatgpt"
    assert branching.messages[0].time == "2023-11-14T22:13:21+00:00"


def test_missing_current_node_falls_back_to_the_newest_leaf(tmp_path):
    data = json.loads((FIX / "chatgpt-branching.json").read_text(encoding="utf-8"))
    data["current_node"] = "nowhere"
    path = tmp_path / "conv.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_transcript(path).messages[-1].text == "About 2.9 s."


def test_a_parent_loop_is_reported(tmp_path):
    data = json.loads((FIX / "chatgpt-branching.json").read_text(encoding="utf-8"))
    data["mapping"]["root"]["parent"] = "a2"
    path = tmp_path / "loop.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(TranscriptFormatError, match="loop"):
        load_transcript(path, "chatgpt")


def test_many_conversations_need_a_choice():
    with pytest.raises(ManyConversationsError) as info:
        load_transcript(FIX / "chatgpt-many.json")
    assert [c.index for c in info.value.conversations] == [1, 2, 3]
    assert "--conversation" in str(info.value)
    assert "\n" not in str(info.value)


def test_list_conversations():
    summaries = list_conversations(FIX / "chatgpt-many.json")
    assert [(s.index, s.id, s.title, s.messages) for s in summaries] == [
        (1, "conv-aaa", "Dice homework", 2),
        (2, "conv-bbb", "Circuit homework", 4),
        (3, "conv-ccc", "Dice homework", 2),
    ]
    assert summaries[0].created == "2024-03-09T16:00:00+00:00"


@pytest.mark.parametrize(
    ("wanted", "first_text"),
    [
        ("conv-ccc", "P(at least one six)?"),
        ("2", "Time constant of 2 kΩ and 100 μF?"),
        ("circuit HOMEWORK", "Time constant of 2 kΩ and 100 μF?"),
    ],
)
def test_choose_by_id_index_or_title(wanted, first_text):
    transcript = load_transcript(FIX / "chatgpt-many.json", conversation=wanted)
    assert transcript.messages[0].text == first_text


def test_ambiguous_title_and_unknown_conversation():
    with pytest.raises(TranscriptFormatError, match="2 conversations are titled"):
        load_transcript(FIX / "chatgpt-many.json", conversation="Dice homework")
    with pytest.raises(TranscriptFormatError, match="no conversation number 9"):
        load_transcript(FIX / "chatgpt-many.json", conversation="9")
    with pytest.raises(TranscriptFormatError, match="no conversation with id or title"):
        load_transcript(FIX / "chatgpt-many.json", conversation="Poetry")


@pytest.mark.parametrize(
    ("name", "fmt", "pattern"),
    [
        (
            "chatgpt-truncated.json",
            None,
            r"not a readable ChatGPT export.*bad JSON after conversation 1",
        ),
        ("chatgpt-no-mapping.json", "chatgpt", r"conversation 1 has no 'mapping'"),
        ("claude-export.json", "chatgpt", r"ChatGPT export.*no 'mapping'"),
        ("gemini-colon.txt", "chatgpt", r"ChatGPT export.*expected a JSON list or object"),
    ],
)
def test_broken_files_give_one_clear_line(name, fmt, pattern):
    with pytest.raises(TranscriptFormatError, match=pattern) as info:
        load_transcript(FIX / name, fmt, conversation="1")
    assert "\n" not in str(info.value)


def _chat(tmp_path, contents: list[tuple[str, dict]]) -> Path:
    """A one-branch ChatGPT conversation of (role, content) messages, written to a file."""
    mapping, parent = {"root": {"id": "root", "parent": None, "children": []}}, "root"
    for i, (role, content) in enumerate(contents):
        node = f"n{i}"
        message = {"id": node, "author": {"role": role}, "content": content, "recipient": "all"}
        mapping[node] = {"id": node, "parent": parent, "children": [], "message": message}
        mapping[parent]["children"].append(node)
        parent = node
    path = tmp_path / "chat.json"
    data = {"title": "t", "mapping": mapping, "current_node": parent}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_reasoning_whose_text_sits_in_parts_is_kept_as_reasoning(tmp_path):
    path = _chat(
        tmp_path,
        [
            ("user", {"content_type": "text", "parts": ["How far does it go?"]}),
            ("assistant", {"content_type": "thoughts", "parts": ["Weighing the drag term."]}),
            ("assistant", {"content_type": "reasoning_recap", "parts": ["Thought for 41s"]}),
            ("assistant", {"content_type": "text", "parts": ["About 40 m."]}),
        ],
    )
    transcript = load_transcript(path)
    assert [(m.kind, m.text) for m in transcript.messages[1:]] == [
        ("reasoning", "Weighing the drag term."),
        ("reasoning", "Thought for 41s"),
        ("answer", "About 40 m."),
    ]
    assert transcript.warnings == ()


def test_an_unknown_content_type_is_kept_as_other_with_a_warning(tmp_path):
    path = _chat(
        tmp_path,
        [
            ("user", {"content_type": "text", "parts": ["Plot it"]}),
            ("assistant", {"content_type": "canvas_document", "parts": ["A plotted curve."]}),
            ("assistant", {"content_type": "text", "parts": ["Here it is."]}),
        ],
    )
    transcript = load_transcript(path)
    assert [(m.kind, m.text) for m in transcript.messages[1:]] == [
        ("other", "A plotted curve."),
        ("answer", "Here it is."),
    ]
    assert transcript.warnings == (
        "1 message(s) of unknown content type 'canvas_document' kept as kind 'other'",
    )
    # the normalized JSON keeps the kind, and reads back
    from hwreview.model import Transcript

    again = Transcript.from_json(transcript.to_json())
    assert again.messages[1].kind == "other"

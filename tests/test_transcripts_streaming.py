"""Large exports are streamed: memory stays near one conversation, not the whole file."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from hwreview.transcripts import list_conversations, load_transcript

CONVERSATIONS = 300
FILLER = "x" * 2000  # each conversation is about 40 kB, the file about 12 MB


def _chatgpt(index: int) -> dict:
    mapping = {"root": {"id": "root", "message": None, "parent": None, "children": ["n0"]}}
    parent = "root"
    for j in range(20):
        node = f"n{j}"
        role = "user" if j % 2 == 0 else "assistant"
        mapping[node] = {
            "id": node,
            "parent": parent,
            "children": [f"n{j + 1}"] if j < 19 else [],
            "message": {
                "author": {"role": role},
                "create_time": 1700000000 + j,
                "content": {"content_type": "text", "parts": [f"{index}-{j} {FILLER}"]},
                "metadata": {"model_slug": "model-big"},
            },
        }
        parent = node
    return {
        "title": f"Chat {index}",
        "id": f"id-{index}",
        "mapping": mapping,
        "current_node": "n19",
    }


@pytest.fixture(scope="module")
def big_export(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "conversations.json"
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for i in range(CONVERSATIONS):
            if i:
                out.write(",")
            json.dump(_chatgpt(i + 1), out)
        out.write("]")
    return path


def _peak(call):
    tracemalloc.start()
    try:
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_listing_a_large_export_streams(big_export):
    size = big_export.stat().st_size
    summaries, peak = _peak(lambda: list_conversations(big_export, "chatgpt"))
    assert len(summaries) == CONVERSATIONS
    assert summaries[-1].messages == 20
    assert peak < size / 4, f"peak {peak} bytes for a {size}-byte file"


def test_loading_the_last_conversation_streams(big_export):
    size = big_export.stat().st_size
    transcript, peak = _peak(lambda: load_transcript(big_export, None, str(CONVERSATIONS)))
    assert transcript.title == f"Chat {CONVERSATIONS}"
    assert transcript.messages[0].text.startswith(f"{CONVERSATIONS}-0 ")
    assert peak < size / 4, f"peak {peak} bytes for a {size}-byte file"


def test_claude_wrapper_streams(tmp_path):
    path = tmp_path / "claude.json"
    convs = [
        {
            "uuid": f"u{i}",
            "name": f"C{i}",
            "chat_messages": [{"sender": "human", "text": FILLER * 10}] * 10,
        }
        for i in range(60)
    ]
    path.write_text(json.dumps({"conversations": convs}), encoding="utf-8")
    size = path.stat().st_size
    summaries, peak = _peak(lambda: list_conversations(path))
    assert len(summaries) == 60
    assert peak < size / 4, f"peak {peak} bytes for a {size}-byte file"

"""Hostile input is bounded: no catastrophic regex, no unbounded memory, one clear line.

The slow cases run in a fresh interpreter killed after HANG seconds (a hang bound, not a speed
claim) and report their peak memory, which must stay under MEMORY_MB.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile import run_bounded

from hwreview.errors import HwReviewError, KeyFileError, TranscriptFormatError
from hwreview.keys.parser import check_key, load_key, parse_key
from hwreview.transcripts import iter_conversations
from hwreview.transcripts.detect import detect_format

HANG = 30.0
MEMORY_MB = 500
KEY = "# Problem 1: T\n## (a) Part\n### Question\nq\n### Answer key\nk\n"


def bounded(call: str, path: Path) -> str:
    """Run `call` (using PATH) in a fresh interpreter; return its one-line outcome.

    The child prints 'ok', or the HwReviewError's message; a traceback, a hang over HANG
    seconds or a peak RSS over MEMORY_MB fails the test.
    """
    code = f"""
import sys
from pathlib import Path
from hwreview.errors import HwReviewError
PATH = Path({str(path)!r})
try:
    from hwreview.keys.parser import load_key
    from hwreview.transcripts import iter_conversations
    {call}
    out = "ok"
except HwReviewError as exc:  # a key's errors come one per line: FILE:LINE: message
    out = "error: " + str(exc).splitlines()[0]
# VmHWM is this interpreter's own peak; ru_maxrss would also count the pytest process it was
# forked from (Linux keeps the pre-exec high-water mark), which a full run makes large.
with open("/proc/self/status", encoding="ascii") as status:
    hwm = next(line for line in status if line.startswith("VmHWM:"))
peak = int(hwm.split()[1]) // 1024
print(out); print(peak)
"""
    done = run_bounded(code, HANG)
    assert done.returncode == 0, done.stderr[-2000:]
    out, peak = done.stdout.rstrip("\n").rsplit("\n", 1)
    assert int(peak) < MEMORY_MB, f"peak memory {peak} MB"
    assert "\n" not in out, out
    return out


@pytest.mark.parametrize(
    "line",
    [
        "### Note" + " " * 2000 + "x",
        "# Title" + " " * 3000 + "x",
        "# Rubric" + " " * 3000 + "x",
        "## (a)" + " " * 3000 + "x",
        "- r1: -1" + " " * 3000 + "x" + " " * 3000 + "y",
        "<!--" * 20000,
    ],
    ids=["section", "title", "rubric", "part", "rubric-line", "comments"],
)
def test_key_heading_padded_with_spaces_parses_in_linear_time(tmp_path: Path, line: str) -> None:
    key = tmp_path / "k.md"
    key.write_text(line + "\n" + KEY + line + "\n", encoding="utf-8")
    out = bounded("load_key(PATH)", key)
    assert out == "ok" or out.startswith("error: "), out


def test_transcript_title_padded_with_spaces_imports_in_linear_time(tmp_path: Path) -> None:
    transcript = tmp_path / "t.md"
    transcript.write_text("# A" + " " * 5000 + "x\n## User\nq\n## Assistant\na\n", encoding="utf-8")
    assert bounded("list(iter_conversations(PATH))", transcript) == "ok"


def test_speaker_heading_padded_with_spaces_imports_in_linear_time(tmp_path: Path) -> None:
    transcript = tmp_path / "t.md"
    padded = "## User" + " " * 5000 + "x"
    transcript.write_text(f"{padded}\n## User\nq\n## Assistant\na\n{padded}\n", encoding="utf-8")
    assert bounded("list(iter_conversations(PATH))", transcript) == "ok"


@pytest.mark.parametrize("levels", [30_000, 100_000])
def test_deeply_nested_export_is_refused_in_bounded_memory(tmp_path: Path, levels: int) -> None:
    export = tmp_path / "conversations.json"
    export.write_text('[{"mapping": ' + "[" * levels + "]" * levels + "}]", encoding="utf-8")
    out = bounded("list(iter_conversations(PATH, 'chatgpt'))", export)
    assert "nested more than" in out
    out = bounded("list(iter_conversations(PATH))", export)
    assert out.startswith("error: ")


def test_key_of_millions_of_short_lines_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    key = tmp_path / "k.md"
    key.write_bytes(b"a\n" * 4_000_000)
    out = bounded("load_key(PATH)", key)
    assert "lines" in out or "larger than" in out


def test_key_larger_than_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    key = tmp_path / "k.md"
    key.write_bytes(b"x" * (19 * 2**20))
    assert "larger than" in bounded("load_key(PATH)", key)


def test_problem_number_of_5000_digits_is_one_clear_line() -> None:
    with pytest.raises(KeyFileError, match="too long"):
        parse_key("# Problem " + "9" * 5000 + ": T\n## (a) P\n### Answer key\nk\n")


def test_front_matter_nested_5000_deep_is_one_clear_line() -> None:
    front = "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n"
    with pytest.raises(KeyFileError, match="nested more than"):
        parse_key(front + KEY)


def test_front_matter_nested_in_a_transcript_is_one_clear_line(tmp_path: Path) -> None:
    transcript = tmp_path / "t.md"
    front = "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n"
    transcript.write_text(front + "## User\nq\n## Assistant\na\n", encoding="utf-8")
    with pytest.raises(TranscriptFormatError, match="nested more than"):
        list(iter_conversations(transcript))


def test_invalid_surrogate_bytes_in_json_are_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_bytes(b'{"a\xed\xa0\x80":1}')
    with pytest.raises(TranscriptFormatError, match="not UTF-8"):
        detect_format(bad)
    for fmt in ("chatgpt", "claude"):
        with pytest.raises(TranscriptFormatError, match="not UTF-8"):
            list(iter_conversations(bad, fmt))


def test_heading_text_keeps_its_meaning_after_the_linear_rewrite() -> None:
    text = "# My Set ##\n# Problem 01: Rates ##\n## (a): Speed   ##\n### Answer key:\nk\n"
    assignment = parse_key(text)
    assert assignment.title == "My Set"
    assert assignment.problems[0].number == "1"
    assert assignment.problems[0].title == "Rates"
    assert assignment.parts[0].title == "Speed"
    assert assignment.parts[0].answer_key == "k"


# ------------------------------------------------------------------ special files


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    """A named pipe nobody writes to: reading it would block forever."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe.md"
    os.mkfifo(path)
    return path


def test_fifo_key_is_refused_without_blocking(fifo: Path) -> None:
    with pytest.raises(HwReviewError, match="not a regular file"):
        check_key(fifo)


def test_fifo_transcript_is_refused_without_blocking(fifo: Path) -> None:
    with pytest.raises(HwReviewError, match="not a regular file"):
        list(iter_conversations(fifo))
    with pytest.raises(HwReviewError, match="not a regular file"):
        list(iter_conversations(fifo, "chatgpt"))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_as_key_or_transcript_is_refused() -> None:
    with pytest.raises(HwReviewError, match="not a regular file"):
        load_key("/dev/zero")
    with pytest.raises(HwReviewError, match="not a regular file"):
        list(iter_conversations("/dev/zero", "markdown"))


def test_json_nesting_within_the_limit_still_reads(tmp_path: Path) -> None:
    export = tmp_path / "conversations.json"
    mapping = {
        "root": {"id": "root", "message": None, "parent": None, "children": ["m1"]},
        "m1": {
            "id": "m1",
            "parent": "root",
            "children": [],
            "message": {
                "author": {"role": "user"},
                "content": {"content_type": "text", "parts": ["hi"]},
                "metadata": {"deep": [[[[[[[[1]]]]]]]]},
            },
        },
    }
    export.write_text(json.dumps([{"title": "t", "mapping": mapping, "current_node": "m1"}]))
    assert detect_format(export) == "chatgpt"
    conversations = list(iter_conversations(export))
    assert conversations[0].transcript.messages[0].text == "hi"


def test_judge_reply_with_a_padded_fence_is_read_in_linear_time(tmp_path: Path) -> None:
    reply = tmp_path / "reply.txt"
    reply.write_text("```" + " " * 200_000, encoding="utf-8")  # the pattern, past the reply cap
    code = (
        "from hwreview.llm_core.judge import _FENCE, load_reply_json; "
        "assert _FENCE.search(PATH.read_text(encoding='utf-8')) is None; "
        "load_reply_json(PATH.read_text(encoding='utf-8')[:19_000])"
    )
    assert bounded(code, reply).startswith("error: ")


@pytest.mark.parametrize("head", ["(a)", "Part a", "# Problem 1", "Summary"])
def test_answer_marker_padded_with_spaces_aligns_in_linear_time(tmp_path: Path, head: str) -> None:
    transcript = tmp_path / "t.md"
    padded = head + " " * 60_000 + "x"
    transcript.write_text(f"## User\nq\n## Assistant\n{padded}\nend\n", encoding="utf-8")
    key = Path(__file__).resolve().parents[2] / "src" / "hwreview" / "demo" / "demo.md"
    code = (
        "from hwreview.transcripts.align import align; "
        f"align(load_key({str(key)!r}), next(iter_conversations(PATH)).transcript)"
    )
    assert bounded(code, transcript) == "ok"


def test_note_of_thousands_of_backticks_renders_in_linear_time(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("x " + "`" * 20_000 + " <script>\n" + "`a" * 10_000, encoding="utf-8")
    code = (
        "from hwreview.report.text import blockquote, user_markdown; "
        "text = PATH.read_text(encoding='utf-8'); "
        "assert '<script>' not in user_markdown(text) + blockquote(text)"
    )
    assert bounded(code, note) == "ok"

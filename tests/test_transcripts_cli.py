"""`hwreview import`: writes hwreview.transcript/1 JSON, lists conversations, fails in one line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from hwreview.cli.importing import import_command
from hwreview.model import Transcript

FIX = Path(__file__).parent / "fixtures" / "transcripts"


def run(*args):
    return CliRunner().invoke(import_command, [str(a) for a in args])


def test_import_to_stdout():
    result = run("auto", FIX / "gemini-colon.txt")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "hwreview.transcript/1"
    assert data["source_format"] == "text"
    assert Transcript.from_json(data).messages[0].text == "Roll two dice. What is P(sum = 7)?"


def test_import_to_a_file(tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "t.json"
    result = run("chatgpt", FIX / "chatgpt-many.json", "--conversation", "conv-bbb", "-o", out)
    assert result.exit_code == 0, result.output
    t = Transcript.from_json(json.loads(out.read_text(encoding="utf-8")))
    assert t.title == "Circuit homework" and len(t.messages) == 4
    assert "wrote" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["t.json"]  # no temporary file left


def test_list():
    result = run("auto", FIX / "chatgpt-many.json", "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["#", "date", "messages", "title"]
    assert lines[2].split() == ["2", "2024-03-10", "4", "Circuit", "homework"]
    assert len(lines) == 4


def test_many_conversations_without_a_choice_lists_them_and_fails():
    result = run("claude", FIX / "claude-export.json")
    assert result.exit_code == 1
    assert "Pendulum help" in result.stderr and "Old chat" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert "--conversation" in result.stderr
    assert result.stdout == ""


def test_errors_are_one_line():
    for args in (
        ("auto", FIX / "missing.json"),
        ("auto", FIX / "chatgpt-truncated.json", "--conversation", "1"),
        ("markdown", FIX / "notes.txt"),
    ):
        result = run(*args)
        assert result.exit_code == 1
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("Error: ")
        assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error():
    result = run("docx", FIX / "notes.txt")
    assert result.exit_code == 2

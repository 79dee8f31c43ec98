"""The `hwreview` command line as a user types it: new, grade, notes, report, list, demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.model import Verdict
from hwreview.session.session import Session


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0, result.output
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
    return result


def new_demo(name: str = "hw3") -> None:
    run(
        "new", name, "--key", "keys/demo.md",
        "--transcript", "transcripts/one-shot.md", "--label", "one-shot",
        "--transcript", "transcripts/turn-by-turn.md",
        "--grader", "Test Grader",
    )  # fmt: skip


def test_new_reports_parts_found_per_transcript(hw_home: Path):
    result = run(
        "new", "hw3", "--key", "demo",
        "--transcript", "transcripts/one-shot.md", "--label", "one-shot",
        "--transcript", "transcripts/turn-by-turn.md",
    )  # fmt: skip
    assert "one-shot [demo-model-1]: 12 of 12 parts found" in result.output
    assert "turn-by-turn [demo-model-1]: 12 of 12 parts found" in result.output  # label from file
    with Session.open(hw_home, "hw3", read_only=True) as s:
        assert [t.label for t in s.transcripts] == ["one-shot", "turn-by-turn"]
        assert s.transcripts[0].transcript.strategy == "one-shot"
        assert s.key_path == "keys/demo.md"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--transcript", "transcripts/nope.md"], "nope.md"),
        (["--transcript", "transcripts/one-shot.md", "--label", "a", "--label", "b"], "--label"),
        (
            ["--transcript", "transcripts/one-shot.md", "--transcript", "transcripts/one-shot.md",
             "--label", "x", "--label", "x"],
            "labels must differ",
        ),
    ],
)  # fmt: skip
def test_new_with_bad_input_is_one_line_and_writes_nothing(hw_home: Path, args, message):
    result = run("new", "hw3", "--key", "keys/demo.md", *args, ok=False)
    assert message in result.output
    assert not (hw_home / "sessions" / "hw3.json").exists()


def test_new_with_a_broken_key_lists_its_problems(hw_home: Path):
    (hw_home / "keys" / "bad.md").write_text("# Problem 1: X\n## (a) A\nQ only\n")
    result = CliRunner().invoke(
        main, ["new", "x", "--key", "keys/bad.md", "--transcript", "transcripts/one-shot.md"]
    )
    assert result.exit_code == 1
    assert "keys/bad.md:2: part 1a has no answer key" in result.output
    assert not (hw_home / "sessions" / "x.json").exists()


def test_grade_uses_first_transcript_by_default_and_saves(hw_home: Path):
    new_demo()
    out = run("grade", "hw3", "3c", "incorrect", "--tag", "arithmetic", "--note", "10x off").output
    assert "3c (one-shot): incorrect, tags: arithmetic; saved (1/24 graded)" in out
    run("grade", "hw3", "2(d)", "partial", "--transcript", "turn-by-turn", "--points", "0.5")
    with Session.open(hw_home, "hw3", read_only=True) as s:
        g = s.grade("3c", "t1")
        assert (g.verdict, g.tags, g.note) == (Verdict.INCORRECT, ("arithmetic",), "10x off")
        assert s.grade("2d", "t2").points == 0.5
        assert s.grade("2d", "t1").verdict is Verdict.UNGRADED


@pytest.mark.parametrize(
    "args, message",
    [
        (["hw3", "9z", "correct"], "no part '9z'"),
        (["hw3", "1a", "excellent"], "unknown verdict 'excellent'"),
        (["hw3", "1a", "correct", "--transcript", "zero-shot"], "no transcript 'zero-shot'"),
        (["hw3", "1a", "correct", "--points", "5"], "worth 2 points"),
        (["hw3", "1a", "partial", "--tag", "arithmatic"], "unknown tag 'arithmatic'"),
        (["nosuch", "1a", "correct"], "no session named 'nosuch'"),
        (["../etc", "1a", "correct"], "bad session name"),
    ],
)
def test_grade_bad_input_is_one_clear_line(hw_home: Path, args, message):
    new_demo()
    before = (hw_home / "sessions" / "hw3.json").read_bytes()
    result = run("grade", *args, ok=False)
    assert message in result.output
    assert (hw_home / "sessions" / "hw3.json").read_bytes() == before


def test_notes_tags_list_and_report_files(hw_home: Path, tmp_path: Path):
    new_demo()
    run("tags", "hw3", "--add", "misread question")
    run("grade", "hw3", "1a", "partial", "--tag", "misread question")
    run(
        "notes", "hw3", "--findings", "- Strong on concepts.", "--conclusion", "Usable with checks."
    )
    listing = run("list").output
    assert "hw3" in listing and "1/24" in listing and "one-shot, turn-by-turn" in listing
    out = tmp_path / "r.json"
    run("report", "hw3", "-o", str(out))
    data = json.loads(out.read_text())
    assert data["session"]["findings"] == "- Strong on concepts."
    assert data["transcripts"][0]["parts"][0]["tags"] == ["misread question"]
    md = run("report", "hw3").output
    assert "## Key findings\n\n- Strong on concepts." in md
    assert "## Conclusion\n\nUsable with checks." in md
    run("report", "hw3", "-o", str(tmp_path / "missing" / "r.md"), ok=False)
    assert not (tmp_path / "missing").exists()


def test_demo_works_from_any_folder(tmp_path: Path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("HWREVIEW_HOME")
    result = run("demo", "--no-tui")
    assert result.output.startswith("# Homework 3: Adapting and Serving Transformers")
    assert (elsewhere / "sessions" / "demo.json").exists()
    with Session.open(elsewhere, "demo", read_only=True) as s:
        assert [t.label for t in s.transcripts] == ["one-shot", "turn-by-turn"]
        assert all(a.status == "found" for t in s.transcripts for a in t.alignments.values())
    run("demo", "--no-tui")  # a second run reuses the session


def test_demo_ships_with_a_plain_install(tmp_path: Path):
    """Build a wheel, install it without -e into a folder, run the demo from somewhere else."""
    repo = Path(__file__).resolve().parent.parent
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(wheels), str(repo)],
        check=True, timeout=300,
    )  # fmt: skip
    target = tmp_path / "site"
    wheel = next(wheels.glob("hwreview-*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True, timeout=300,
    )  # fmt: skip
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target), HWREVIEW_HOME=str(work))
    code = "import hwreview, sys; from hwreview.cli import main; print(hwreview.__file__); main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "demo", "--no-tui"],
        cwd=work, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(str(target))
    assert "## Problem 3: " in result.stdout
    assert (work / "sessions" / "demo.json").exists()


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "transcripts"


def test_new_reads_chat_exports_and_asks_which_conversation(hw_home: Path):
    export = str(FIXTURES / "chatgpt-many.json")
    result = CliRunner().invoke(main, ["new", "x", "--key", "keys/demo.md", "--transcript", export])
    assert result.exit_code == 1 and "--conversation" in result.output
    assert "Traceback" not in result.output
    assert not (hw_home / "sessions" / "x.json").exists()
    # not a demo conversation: refused as another homework, then added with --force
    args = ("new", "x", "--key", "keys/demo.md", "--transcript", export, "--conversation", "1")
    assert "does not look like an answer to this key" in run(*args, ok=False).output
    result = run(*args, "--force")
    assert "0 of 12 parts found" in result.output  # every part listed
    assert result.output.count("not found") == 12


def test_delete_asks_and_removes_session_and_backup(hw_home: Path):
    new_demo()
    run("grade", "hw3", "1a", "correct")
    from hwreview.session.drafts import Drafts

    Drafts(hw_home / "sessions" / "hw3.json").put("note:1a:t1", "half a note", "")
    result = CliRunner().invoke(main, ["delete", "hw3"], input="n\n")
    assert result.exit_code == 1 and (hw_home / "sessions" / "hw3.json").exists()
    run("delete", "hw3", "--yes")
    assert not list((hw_home / "sessions").glob("hw3.json*"))
    # a typed note of the deleted session is never offered to a new one of that name
    assert not list((hw_home / "sessions").glob(".hw3.drafts*"))
    run("delete", "hw3", "--yes", ok=False)


def test_key_reached_through_a_link_is_recorded_by_the_path_given(hw_home: Path):
    (hw_home / "keys" / "current.md").symlink_to(hw_home / "keys" / "demo.md")
    run("new", "x", "--key", "keys/current.md", "--transcript", "transcripts/one-shot.md")
    with Session.open(hw_home, "x", read_only=True) as s:
        assert s.key_path == "keys/current.md"
        assert not s.key_changed()

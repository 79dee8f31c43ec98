"""`hwreview stats` over sessions: graders who disagree, strategies, keys that differ."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.keys.parser import parse_key
from hwreview.session.session import NewTranscript, Session

ANA = ["C", "C", "C", "C", "C", "C", "P", "P", "I", "I", "C", "C"]
BEN = ["C", "C", "C", "C", "C", "P", "P", "I", "I", "I", "C", "P"]
WORDS = {"C": "correct", "P": "partial", "I": "incorrect"}


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0, result.output
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
    return result


def grade_all(session: Session, transcript: str, letters: list[str]) -> None:
    for part, letter in zip(session.assignment.parts, letters, strict=True):
        session.set_grade(part.id, transcript, verdict=WORDS[letter])


def test_two_graders_who_disagree(make_session):
    with make_session("ana", transcripts=2, grader="Ana") as a:
        grade_all(a, "t1", ANA)
        grade_all(a, "t2", ["C"] * 12)
    with make_session("ben", transcripts=2, grader="Ben") as b:
        grade_all(b, "t1", BEN)
        grade_all(b, "t2", ["C"] * 6 + ["I"] * 6)
    data = json.loads(run("stats", "ana", "ben", "--format", "json").output)
    (key,) = data["keys"]
    first = next(a for a in key["agreement"] if a["transcript"].startswith("run1"))
    assert first["graders"] == ["Ana", "Ben"]
    # By hand: 9 of 12 agree; margins Ana (C8 P2 I2), Ben (C6 P3 I3) give chance agreement
    # 60/144, so kappa = (0.75 - 60/144) / (1 - 60/144) = 4/7; with linear weights the three
    # one-step disagreements cost 0.125 against 60/144 expected: weighted kappa = 0.7.
    assert first["percent"] == 0.75
    assert first["cohen_kappa"] == pytest.approx(4 / 7, abs=1e-4)
    assert first["weighted_kappa"] == pytest.approx(0.7, abs=1e-4)
    assert first["krippendorff_alpha"] is None  # two graders: kappa is the measure
    assert [d["part"] for d in first["disagreements"]] == ["2b", "2d", "3d"]
    assert first["disagreements"][0]["verdicts"] == ["correct", "partial"]
    # The Markdown says the same, with the disagreement list.
    text = run("stats", "ana", "ben").output
    assert "### Graders' agreement" in text
    assert "| 0.57 | 0.70 | — |" in text
    assert "| 2d | Ana: ◐ partial; Ben: ✗ incorrect |" in text.replace("run1 (ana) ", "")


def test_three_graders_get_alpha(make_session):
    for name in ("g1", "g2", "g3"):
        with make_session(name, grader=name.upper()) as s:
            grade_all(s, "t1", ANA)
    data = json.loads(run("stats", "g1", "g2", "g3", "--format", "json").output)
    (agreement,) = data["keys"][0]["agreement"]
    assert agreement["krippendorff_alpha"] == 1.0 and agreement["disagreements"] == []
    assert agreement["cohen_kappa"] is None


def test_same_key_different_transcripts_by_strategy(make_session, hw_home: Path):
    with make_session("s1", transcripts=2) as s:
        grade_all(s, "t1", ANA)
        grade_all(s, "t2", BEN)
    data = json.loads(run("stats", "s1", "--format", "json").output)
    (key,) = data["keys"]
    rows = {(r["model"], r["strategy"]): r for r in key["strategies"]}
    assert rows["model-1", "one-shot"]["correct"] == 8
    assert rows["model-2", "one-shot"]["correct"] == 6
    assert rows["model-1", "one-shot"]["graded"] == 12
    difficulty = {d["part"]: (d["correct"], d["graded"]) for d in key["difficulty"]}
    assert difficulty["1a"] == (2, 2) and difficulty["2b"] == (1, 2) and difficulty["3a"] == (0, 2)
    csv_text = run("stats", "s1", "--format", "csv").output
    assert csv_text.splitlines()[0] == "section,key_sha256,subject,item,measure,value"
    assert "difficulty," in csv_text


def synthetic_transcript(assignment, model: str):
    """One assistant message answering every part, aligned exactly."""
    from hwreview.model import FOUND, Alignment, Message, Span, Transcript

    text, spans = "", {}
    for part in assignment.parts:
        start = len(text)
        text += f"({part.id}) The answer is {len(part.id)}.\n\n"
        spans[part.id] = Alignment(part.id, FOUND, Span(1, start, len(text) - 2))
    messages = (Message("user", "Answer everything."), Message("assistant", text))
    return Transcript(messages=messages, model=model, strategy="one-shot"), spans


def other_key_session(hw_home: Path, name: str) -> None:
    text = (hw_home / "keys" / "demo.md").read_text(encoding="utf-8")
    text = text.replace('title: "', 'title: "Other ', 1)
    (hw_home / "keys" / "other.md").write_text(text, encoding="utf-8")
    assignment = parse_key(text, source="keys/other.md")
    transcript, spans = synthetic_transcript(assignment, model="model-9")
    entry = NewTranscript(transcript, "run1", spans, "x.md")
    with Session.create(hw_home, name, Path("keys/other.md"), text, [entry]) as s:
        grade_all(s, "t1", ANA)
        s.set_grade("3a", "t1", tags=["arithmetic"])


def test_keys_that_differ_are_refused_or_grouped(make_session, hw_home: Path):
    with make_session("mine") as s:
        grade_all(s, "t1", BEN)
    other_key_session(hw_home, "theirs")
    result = run("stats", "mine", "theirs", "--one-key", ok=False)
    assert "different key" in result.output and "never mix" in result.output
    data = json.loads(run("stats", "mine", "theirs", "--format", "json").output)
    assert len(data["keys"]) == 2
    assert {k["sessions"] for k in data["keys"]} == {1}
    assert data["tags"]["model-9"] == {"arithmetic": 1}
    text = run("stats", "mine", "theirs").output
    assert "2 different answer keys" in text and "## Whole class: every key together" in text


def test_folder_argument_and_damaged_files(make_session, hw_home: Path, tmp_path: Path):
    with make_session("a") as s:
        grade_all(s, "t1", ANA)
    (hw_home / "sessions" / "junk.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["stats", str(hw_home / "sessions"), "-o", str(tmp_path / "s.md")]
    )
    assert result.exit_code == 0, result.output
    assert "skipped:" in result.output and "junk.json" in result.output
    written = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert written.startswith("# Statistics over 1 session\n")
    assert "junk.json" in written
    run("stats", "a", "-o", str(tmp_path / "s.md"), ok=False)  # exists: --force to replace
    run("stats", "a", "-o", str(tmp_path / "s.md"), "--force")
    assert (tmp_path / "s.md").read_text(encoding="utf-8").startswith("# Statistics over 1 session")
    run("stats", "a", "-o", str(hw_home / "sessions" / "a.json"), "--force", ok=False)
    run("stats", "nosuch", ok=False)


def test_hostile_labels_do_not_break_the_table(make_session):
    with make_session("a", grader="x | y <script>") as s:
        grade_all(s, "t1", ANA)
    with make_session("b", grader="z\x1b]0;pwned\x07") as s:
        grade_all(s, "t1", BEN)
    text = run("stats", "a", "b").output
    assert "<script>" not in text and "\x1b" not in text and "x \\| y" in text


def test_a_session_with_an_unknown_verdict_is_skipped_with_one_line(make_session, hw_home: Path):
    with make_session("good") as s:
        grade_all(s, "t1", ANA)
    with make_session("bad") as s:
        s.set_grade("1a", "t1", verdict="correct")
    path = hw_home / "sessions" / "bad.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"correct"', '"brilliant"'))
    result = CliRunner().invoke(main, ["stats", "good", "bad", "--format", "json"])
    assert result.exit_code == 0
    assert "unknown verdict 'brilliant'" in result.output


def test_first_try_counts_answers_given_after_a_follow_up(make_session, hw_home: Path):
    with make_session("s") as s:
        grade_all(s, "t1", ["C"] * 12)
    path = hw_home / "sessions" / "s.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    (doc,) = data["transcripts"].values()
    doc["alignments"]["1a"]["followup"] = True  # as the aligner stores it
    path.write_text(json.dumps(data), encoding="utf-8")
    out = json.loads(run("stats", "s", "--format", "json").output)
    (row,) = out["keys"][0]["strategies"]
    assert (row["correct"], row["first_try_correct"], row["first_try_graded"]) == (12, 11, 12)

"""Merging two graders' sessions, and settling what they disagree on, from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.session.data import NewTranscript
from hwreview.session.session import Session


def run(*args: str, ok: bool = True) -> str:
    result = CliRunner().invoke(main, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0, result.output
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
    return result.output


def two_graders(make_session) -> None:
    with make_session("ana", transcripts=2, grader="Ana") as a:
        a.add_tag("sign error")
        a.set_grade("1a", "t1", verdict="correct", note="clean")
        a.set_grade("1b", "t1", verdict="partial", tags=["sign error"], note="sign slip")
        a.set_grade("2a", "t2", verdict="incorrect")
        a.judgements.set_erratum("3a", "key uses 4N for the forward pass")
    with make_session("ben", transcripts=2, grader="Ben") as b:
        b.set_grade("1a", "t1", verdict="correct", note="fine")
        b.set_grade("1b", "t1", verdict="incorrect", tags=["arithmetic"], note="wrong sign")
        b.set_grade("3d", "t2", verdict="correct")


def test_merge_keeps_agreements_and_leaves_disagreements_to_settle(make_session, hw_home: Path):
    two_graders(make_session)
    out = run("merge", "ana", "ben", "-o", "both")
    assert out.splitlines()[0] == (
        "created both: 1 part(s) agreed, 2 graded by one grader only, "
        "1 disagreement(s) to settle, 20 graded by neither"
    )
    with Session.open(hw_home, "both", read_only=True) as s:
        assert s.grader == "Ana + Ben"
        assert [src["session"] for src in s.merge.sources()] == ["ana", "ben"]
        grades = s.grades()
        assert grades["1a", "t1"].verdict.value == "correct"
        assert grades["1a", "t1"].note == "clean\n\nfine"
        assert grades["2a", "t2"].verdict.value == "incorrect"  # only Ana graded it
        assert grades["3d", "t2"].verdict.value == "correct"  # only Ben
        assert ("1b", "t1") not in grades or not grades["1b", "t1"].verdict.graded
        (pending,) = [m for m in s.merge.disagreements() if m.pending]
        assert (pending.part_id, pending.a.verdict.value, pending.b.verdict.value) == (
            "1b", "partial", "incorrect",
        )  # fmt: skip
        assert s.judgements.errata()["3a"].note == "key uses 4N for the forward pass"
    # The sources are untouched.
    with Session.open(hw_home, "ana", read_only=True) as a:
        assert a.grade("1b", "t1").verdict.value == "partial"
    out = run("settle", "both", "1b", "b", "--transcript", "run1")
    assert out.strip() == "1b (run1): incorrect; saved (0 left to settle)"
    data = json.loads((hw_home / "sessions" / "both.json").read_text(encoding="utf-8"))
    settled = [d for d in data["merged"].values() if d["part"] == "1b"][0]
    assert settled["settled"] == "b" and settled["b"]["note"] == "wrong sign"
    graded = [d for d in data["grades"].values() if d["part"] == "1b" and d["transcript"] == "t1"]
    assert graded[0]["tags"] == ["arithmetic"] and graded[0]["note"] == "wrong sign"
    run("settle", "both", "1a", "a", ok=False)  # not a disagreement
    run("settle", "ana", "1b", "a", ok=False)  # not a merged session


def test_merge_refuses_different_keys_or_transcripts(make_session, hw_home: Path):
    make_session("one", transcripts=1).close()
    make_session("two", transcripts=2).close()
    run("merge", "one", "two", "-o", "x", ok=False)
    assert not (hw_home / "sessions" / "x.json").exists()
    make_session("three", transcripts=2).close()
    run("merge", "two", "three", "-o", "two", ok=False)  # would overwrite a session
    run("merge", "two", "nope", "-o", "y", ok=False)


def test_merge_refuses_sessions_of_different_keys(make_session, hw_home: Path):
    make_session("mine").close()
    text = (hw_home / "keys" / "demo.md").read_text(encoding="utf-8")
    other = text.replace("200 TB", "400 TB")  # one answer changed: another key
    (hw_home / "keys" / "other.md").write_text(other, encoding="utf-8")
    with Session.open(hw_home, "mine", read_only=True) as s:
        entries = [
            NewTranscript(t.transcript, t.label, dict(t.alignments), t.path) for t in s.transcripts
        ]
    Session.create(hw_home, "theirs", Path("keys/other.md"), other, entries).close()
    out = run("merge", "mine", "theirs", "-o", "x", ok=False)
    assert "different answer keys" in out
    assert not (hw_home / "sessions" / "x.json").exists()

"""Grading through the Session API: values, audit history, undo, tags, points, spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hwreview.errors import HwReviewError
from hwreview.model import Span, Verdict
from hwreview.session.session import SESSION_FORMAT, Session


def reopen(home: Path, name: str = "s") -> Session:
    return Session.open(home, name, read_only=True)


def test_new_session_holds_key_copy_transcripts_and_grader(make_session, hw_home: Path):
    make_session(grader="A. Grader", transcripts=2).close()
    data = json.loads((hw_home / "sessions" / "s.json").read_text())
    meta = next(iter(data["meta"].values()))
    assert meta["format"] == SESSION_FORMAT
    assert meta["grader"] == "A. Grader"
    assert meta["key"]["path"] == "keys/demo.md"
    assert len(meta["key"]["sha256"]) == 64
    assert "# Problem 1" in meta["key"]["text"]
    with reopen(hw_home) as s:
        assert [t.label for t in s.transcripts] == ["run1", "run2"]
        assert s.transcripts[1].model == "model-2"
        assert s.progress() == (0, 24)
        assert not s.key_changed()
    (hw_home / "keys" / "demo.md").write_text("changed", encoding="utf-8")
    with reopen(hw_home) as s:
        assert s.key_changed()


def test_grade_is_saved_with_history(make_session, hw_home: Path, frozen_time):
    with make_session() as s:
        s.set_grade("1a", "t1", verdict="correct")
        s.set_grade(
            "3c", "t1", verdict="incorrect", tags=["arithmetic"], note="off by 10", points=0
        )
        s.set_grade("3c", "t1", note="off by 10x")
    with reopen(hw_home) as s:
        g = s.grade("3c", "t1")
        assert (g.verdict, g.tags, g.note, g.points) == (
            Verdict.INCORRECT,
            ("arithmetic",),
            "off by 10x",
            0,
        )
        fields = [(c.part_id, c.field, c.old, c.new) for c in s.history()]
        assert fields == [
            ("1a", "verdict", "ungraded", "correct"),
            ("3c", "verdict", "ungraded", "incorrect"),
            ("3c", "points", None, 0),
            ("3c", "tags", [], ["arithmetic"]),
            ("3c", "note", "", "off by 10"),
            ("3c", "note", "off by 10", "off by 10x"),
        ]
        assert all(c.at.startswith("2026-03-02T09:") for c in s.history())
        assert s.progress() == (2, 12)
        assert s.position == ("3c", "t1")


def test_undo_reverts_whole_last_change_then_the_one_before(make_session, hw_home: Path):
    with make_session() as s:
        s.set_grade("1a", verdict="partial", tags=["units"], note="n")
        s.set_grade("1b", verdict="correct")
        assert s.undo().part_id == "1b"
        assert s.grade("1b", "t1").verdict is Verdict.UNGRADED
        s.undo()
        g = s.grade("1a", "t1")
        assert (g.verdict, g.tags, g.note) == (Verdict.UNGRADED, (), "")
        assert s.undo() is None
    with reopen(hw_home) as s:
        assert s.progress() == (0, 12)
        assert sum(1 for c in s.history() if c.undoes) == 4  # undo is audited too


def test_points_and_tags_are_checked(make_session):
    with make_session() as s:
        with pytest.raises(HwReviewError, match="worth 2 points"):
            s.set_grade("1a", verdict="partial", points=3)
        with pytest.raises(HwReviewError, match="unknown tag 'arithmatic'"):
            s.set_grade("1a", verdict="partial", tags=["arithmatic"])
        with pytest.raises(HwReviewError, match="unknown verdict"):
            s.set_grade("1a", verdict="great")
        with pytest.raises(HwReviewError, match="no part '9z'"):
            s.set_grade("9z", verdict="correct")
        assert s.history() == []
        assert s.add_tag("Off By One") == "off by one"
        s.set_grade("1a", verdict="partial", tags=["off by one"], points=1.5)
        assert s.grade("1a", "t1").points == 1.5
        with pytest.raises(HwReviewError, match="bad tag"):
            s.add_tag("../../x")


def test_manual_span_wins_and_is_undoable(make_session, hw_home: Path):
    with make_session() as s:
        before = s.transcript().answer("1b")
        s.set_alignment("t1", "1b", Span(1, 0, 10))
        assert s.transcript().alignments["1b"].manual
        assert s.transcript().answer("1b") == s.transcript().transcript.messages[1].text[:10]
        s.set_alignment("t1", "1c-i", None)
        assert s.transcript().alignments["1c-i"].status == "not found"
    with reopen(hw_home) as s:
        assert s.transcript().alignments["1b"].span == Span(1, 0, 10)
    with Session.open(hw_home, "s") as s:
        s.undo()
        s.undo()
        assert s.transcript().answer("1b") == before


def test_read_only_session_refuses_writes_and_changes_nothing(make_session, hw_home: Path):
    make_session().close()
    path = hw_home / "sessions" / "s.json"
    before = path.read_bytes()
    with reopen(hw_home) as s, pytest.raises(HwReviewError, match="read-only"):
        s.set_grade("1a", verdict="correct")
    assert path.read_bytes() == before


def test_creating_over_an_existing_session_is_refused(make_session):
    make_session().close()
    with pytest.raises(HwReviewError, match="already exists"):
        make_session()

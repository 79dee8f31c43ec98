"""Hand-edited and hostile session files: each fault is one clear line, never a traceback."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from hostile import TALLY, mutate, scale, synthetic_transcript, use_session, write_json

from hwreview.errors import HwReviewError, SessionBrokenError
from hwreview.keys.parser import load_key
from hwreview.services import read_row
from hwreview.session.session import NewTranscript, Session
from hwreview.session.storage import load_json_file

MUTATIONS = scale(60, 1500)


@pytest.fixture
def base(hw_home: Path) -> dict:
    """A small graded session's data, as saved."""
    key = hw_home / "keys" / "demo.md"
    assignment = load_key(key)
    transcript, spans = synthetic_transcript(assignment)
    entry = NewTranscript(transcript, "run1", spans, "run1.md")
    Session.create(hw_home, "base", Path("keys/demo.md"), key.read_text(), [entry]).close()
    with Session.open(hw_home, "base") as session:
        session.set_grade(assignment.parts[0].id, "t1", verdict="correct", note="fine")
    return load_json_file(hw_home / "sessions" / "base.json")  # transcripts read back inline


def first(table: dict) -> dict:
    """The first document of a table."""
    return next(iter(table.values()))


FAULTS = {
    "non_integer_doc_id": lambda d: d["grades"].update({"abc": d["grades"].pop("1")}),
    "format_version_of_5000_digits": lambda d: first(d["meta"]).update(
        format="hwreview.session/" + "9" * 5000
    ),
    "format_version_zero": lambda d: first(d["meta"]).update(format="hwreview.session/0"),
    "deep_nesting": lambda d: first(d["meta"]).update(grader="DEEP5000"),
    "span_past_the_end": lambda d: next(iter(first(d["transcripts"])["alignments"].values()))[
        "span"
    ].update(end=10**9),
    "span_past_the_messages": lambda d: next(iter(first(d["transcripts"])["alignments"].values()))[
        "span"
    ].update(message=99),
    "tags_of_wrong_type": lambda d: first(d["grades"]).update(tags="arithmetic"),
    "note_of_wrong_type": lambda d: first(d["grades"]).update(note=["x"]),
    "updated_of_wrong_type": lambda d: first(d["meta"]).update(updated=5),
    "grade_updated_of_wrong_type": lambda d: first(d["grades"]).update(updated={"a": 1}),
    "table_not_an_object": lambda d: d.update(grades=[1, 2]),
    "position_of_wrong_type": lambda d: first(d["meta"]).update(position={"part": {}}),
    "points_as_boolean": lambda d: first(d["grades"]).update(points=True),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_hand_edited_session_fault_gives_one_clear_line(
    hw_home: Path, base: dict, fault: str
) -> None:
    FAULTS[fault](base)
    path = hw_home / "sessions" / "edited.json"
    write_json(path, base)
    with pytest.raises(SessionBrokenError) as caught:
        Session.open(hw_home, "edited", read_only=True)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 400
    assert "edited.json" in message
    row = read_row(path)
    assert row.error and "\n" not in row.error


def test_not_a_session_message_mentions_the_backup(hw_home: Path, base: dict) -> None:
    path = hw_home / "sessions" / "edited.json"
    write_json(path, {"meta": {"1": {"format": "something else"}}})
    shutil.copy(hw_home / "sessions" / "base.json", hw_home / "sessions" / "edited.json.bak")
    with pytest.raises(SessionBrokenError, match=r"edited\.json\.bak"):
        Session.open(hw_home, "edited", read_only=True)


def test_random_hand_edits_never_raise_a_traceback(hw_home: Path, base: dict) -> None:
    rng = random.Random(20261202)
    outcomes = set()
    for _ in range(MUTATIONS):
        for stale in (hw_home / "sessions").glob("*m.json*"):
            stale.unlink()
        path = hw_home / "sessions" / "m.json"
        write_json(path, mutate(base, rng))
        outcomes.add(use_session(hw_home, "m", path) == "ok")
        TALLY["fuzz: session loader (hand edits)"] += 1
    assert outcomes == {True, False}  # some edits are harmless, some are refused


def test_fifo_as_session_file_is_listed_as_an_error_without_blocking(hw_home: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    (hw_home / "sessions").mkdir(exist_ok=True)
    path = hw_home / "sessions" / "x.json"
    os.mkfifo(path)
    assert "not a regular file" in read_row(path).error
    with pytest.raises(HwReviewError, match="not a regular file"):
        Session.open(hw_home, "x")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_session_whose_key_path_is_dev_zero_reads_nothing_from_it(
    hw_home: Path, base: dict
) -> None:
    first(base["meta"])["key"]["path"] = "/dev/zero"
    write_json(hw_home / "sessions" / "z.json", base)
    with Session.open(hw_home, "z", read_only=True) as session:
        assert session.key_changed() is False  # unreadable: not compared, not read

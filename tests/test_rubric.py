"""Rubric items: created, applied, edited once and re-scored everywhere, through CLI and Session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.errors import HwReviewError
from hwreview.model import Verdict
from hwreview.session.session import Session


def run(*args: str, ok: bool = True) -> str:
    result = CliRunner().invoke(main, list(args))
    assert (result.exit_code == 0) == ok, result.output
    return result.output


@pytest.fixture
def two_runs(hw_home: Path) -> Path:
    run(
        "new", "hw", "--key", "keys/demo.md",
        "--transcript", "transcripts/one-shot.md", "--label", "one-shot",
        "--transcript", "transcripts/turn-by-turn.md", "--label", "turns",
    )  # fmt: skip
    return hw_home


def saved(home: Path) -> dict:
    """The session file as it is on disk."""
    return json.loads((home / "sessions" / "hw.json").read_text(encoding="utf-8"))


def saved_grade(home: Path, part: str, transcript: str) -> dict:
    grades = saved(home)["grades"].values()
    return next(g for g in grades if g["part"] == part and g["transcript"] == transcript)


def test_an_item_edited_once_rescores_every_part_using_it(two_runs: Path):
    run("rubric", "hw", "add", "units", "--points", "-0.5", "--text", "Units missing")
    run("grade", "hw", "3b", "--rubric", "units")  # 1 point: 0.5 left
    run("grade", "hw", "3c", "--rubric", "units", "--transcript", "turns")  # 2 points: 1.5
    run("grade", "hw", "1a", "--rubric", "units", "--points", "2")  # points set by hand
    first = saved_grade(two_runs, "3b", "t1")
    assert (first["points"], first["verdict"]) == (0.5, "partial")
    assert saved_grade(two_runs, "3c", "t2")["points"] == 1.5

    out = run("rubric", "hw", "edit", "units", "--points", "-1")
    assert "re-scored 3b (one-shot): incorrect, 0 points" in out
    assert "re-scored 3c (turns): partial, 1 points" in out
    assert saved_grade(two_runs, "3b", "t1")["verdict"] == "incorrect"
    assert saved_grade(two_runs, "3b", "t1")["points"] == 0
    assert saved_grade(two_runs, "3c", "t2")["points"] == 1
    hand = saved_grade(two_runs, "1a", "t1")
    assert hand["points"] == 2 and hand["override"] is True  # left alone
    items = list(saved(two_runs)["rubric"].values())
    assert items == [
        {"id": "units", "text": "Units missing", "points": -1, "score": None, "part": "",
         "problem": "", "origin": "session"}
    ]  # fmt: skip
    # The edit is in the audit history, with the re-scored grades under the same action.
    history = list(saved(two_runs)["history"].values())
    edit = [h for h in history if h["field"] == "rubric-item"][-1]
    same = [h for h in history if h["action"] == edit["action"]]
    assert {(h["part"], h["field"]) for h in same} >= {("3b", "points"), ("3c", "points")}
    listing = run("rubric", "hw", "list")
    assert "units" in listing and "-1" in listing and "used 3×" in listing


def test_a_fixed_score_and_credit_items_make_partial_points(two_runs: Path):
    run(
        "rubric",
        "hw",
        "add",
        "wrong",
        "--points",
        "=0",
        "--text",
        "Wrong approach",
        "--problem",
        "3",
    )
    run(
        "rubric",
        "hw",
        "add",
        "method",
        "--points",
        "+1",
        "--text",
        "Right method",
        "--problem",
        "3",
    )
    out = run("grade", "hw", "3c", "--rubric", "wrong", "--rubric", "method")
    assert "3c (one-shot): partial" in out and "1 points" in out
    assert saved_grade(two_runs, "3c", "t1")["rubric"] == ["wrong", "method"]
    run("grade", "hw", "3c", "--clear-rubric")
    grade = saved_grade(two_runs, "3c", "t1")
    assert grade["rubric"] == [] and grade["points"] is None
    # An item of problem 3 is refused on problem 1, with the reason.
    assert "is for problem 3, not part 1a" in run(
        "grade", "hw", "1a", "--rubric", "wrong", ok=False
    )


def test_rubric_items_are_shown_in_every_report_format(two_runs: Path):
    run(
        "rubric",
        "hw",
        "add",
        "units",
        "--points",
        "-0.5",
        "--text",
        "Units | missing",
        "--part",
        "3b",
    )
    run("grade", "hw", "3b", "--rubric", "units", "--note", "No TB")
    markdown = run("report", "hw")
    assert "- **(b)** rubric: Units | missing (-0.5)" in markdown
    assert "**Rubric:** Units | missing (-0.5)" in markdown  # in the error analysis too
    assert "| Points | 0.5 of 1 | 50.0% |" in markdown
    data = json.loads(run("report", "hw", "--format", "json"))
    assert data["rubric"][0]["id"] == "units"
    part = next(p for p in data["transcripts"][0]["parts"] if p["id"] == "3b")
    assert part["rubric"] == ["units"] and part["points"] == 0.5


def test_undo_of_an_item_edit_puts_the_scores_back(hw_home: Path, make_session):
    with make_session("s") as s:
        s.rubric.add("slip", "-1", "A slip", part="1a")
        s.set_grade("1a", "t1", rubric=["slip"])
        assert s.grade("1a", "t1").points == 1
        s.rubric.edit("slip", "-2")
        assert (s.grade("1a", "t1").points, s.grade("1a", "t1").verdict) == (0, Verdict.INCORRECT)
        s.undo()
        assert s.rubric.item("slip").points == -1
        assert (s.grade("1a", "t1").points, s.grade("1a", "t1").verdict) == (1, Verdict.PARTIAL)
    with Session.open(hw_home, "s", read_only=True) as again:
        assert again.grade("1a", "t1").points == 1


@pytest.mark.parametrize(
    "effect, message",
    [("two", "bad rubric points"), ("=-1", "a score of 0 or more"), ("inf", "finite")],
)
def test_bad_items_are_refused_with_one_line(make_session, effect, message):
    with make_session("s") as s, pytest.raises(HwReviewError, match=message):
        s.rubric.add("x", effect, "text")


def test_an_item_id_must_be_new_and_well_formed(make_session):
    with make_session("s") as s:
        s.rubric.add("x", "-1", "text")
        with pytest.raises(HwReviewError, match="exists already"):
            s.rubric.add("X", "-1", "text")
        with pytest.raises(HwReviewError, match="bad rubric item id"):
            s.rubric.add("no spaces", "-1", "text")


RUBRIC_KEY = """---
title: Rubric demo
---

# Rubric

- `shown-work`: +0.5 Shows the working

# Problem 1: Sums

## Rubric

- wrong: =0 Wrong approach
- slip: -1 Arithmetic slip

## (a) Add
<!-- points: 2 -->

### Question
What is 2 + 2?

### Answer key
4.

### Rubric
- no-units: -0.5 Units missing

## (b) Double
<!-- points: 1 -->

### Question
Double 3.

### Answer key
6.
"""


def test_items_written_in_the_key_apply_to_their_part_problem_or_every_part(hw_home: Path):
    from hwreview.keys.parser import parse_key

    assignment = parse_key(RUBRIC_KEY, "k.md")
    by_id = {i.id: i for i in assignment.rubric}
    assert set(by_id) == {"shown-work", "wrong", "slip", "no-units"}
    assert by_id["no-units"].part == "1a" and by_id["no-units"].points == -0.5
    assert by_id["wrong"].problem == "1" and by_id["wrong"].score == 0
    assert by_id["shown-work"].scope == "every part"
    assert "Units missing" not in assignment.part("1a").answer_key  # not part of the key text
    (hw_home / "keys" / "r.md").write_text(RUBRIC_KEY, encoding="utf-8")
    run("new", "r", "--key", "keys/r.md", "--transcript", "transcripts/one-shot.md")
    run("grade", "r", "1a", "--rubric", "wrong", "--rubric", "shown-work")
    assert "1a (one-shot): partial, rubric: wrong, shown-work, 0.5 points" in run(
        "grade", "r", "1a", "--rubric", "wrong", "--rubric", "shown-work", "--note", "x"
    )
    out = run("rubric", "r", "edit", "shown-work", "--points", "+1")  # a key item, edited
    assert "re-scored 1a (one-shot): partial, 1 points" in out
    assert "(key)" in run("rubric", "r", "list")
    assert "is for part 1a, not part 1b" in run(
        "grade", "r", "1b", "--rubric", "no-units", ok=False
    )


@pytest.mark.parametrize(
    "line, message",
    [
        ("- units -1 Missing units", "bad rubric line"),
        ("- units: minus one Missing", "bad rubric line"),
        ("- Units: -1 Capital id", "bad rubric line"),
    ],
)
def test_a_bad_rubric_line_in_a_key_is_reported_with_its_line(line, message):
    from hwreview.errors import KeyFileError
    from hwreview.keys.parser import parse_key

    text = RUBRIC_KEY.replace("- slip: -1 Arithmetic slip", line)
    with pytest.raises(KeyFileError, match=message) as info:
        parse_key(text, "k.md")
    assert info.value.problems[0].line == text.splitlines().index(line) + 1


def test_a_rubric_item_id_is_used_once_in_a_key():
    from hwreview.errors import KeyFileError
    from hwreview.keys.parser import parse_key

    text = RUBRIC_KEY.replace("- no-units: -0.5", "- slip: -0.5")
    with pytest.raises(KeyFileError, match="duplicate rubric item slip"):
        parse_key(text, "k.md")

"""Alignment checkable from outside: `hwreview align --format json` and the JSON report's fields."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.session.session import Session

REDONE = """## User

Problem 1 (a): With a very small rank, why does fine-tuning plateau?

## Assistant

Because the learning rate is too small for the adapter to move.

## User

That's wrong, try again.

## Assistant

The update AB has rank at most k, so the adapter cannot express a change spread over more
directions: the loss plateaus above full fine-tuning. That is underfitting from capacity.

## User

Problem 1 (b): why set B = 0 and A random?

## Assistant

Setting B = 0 makes AB = 0, so training starts exactly at the pretrained weights.
"""


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def make_session(home: Path) -> None:
    (home / "transcripts" / "redone.md").write_text(REDONE, encoding="utf-8")
    run("new", "hw", "--key", "keys/demo.md", "--transcript", "transcripts/redone.md")


def test_align_json_gives_each_part_its_answer_attempts_and_status(hw_home: Path):
    make_session(hw_home)
    data = json.loads(run("align", "hw", "--format", "json"))
    parts = {p["id"]: p for p in data["transcripts"][0]["parts"]}
    first = parts["1a"]
    assert first["status"] == "uncertain" and "answered in 2 turns" in first["reason"]
    assert first["answer"].startswith("The update AB has rank at most k")
    assert first["followup"] is True and first["first_try"] is False
    assert [a["answer"][:11] for a in first["attempts"]] == ["Because the", "The update "]
    assert first["span"]["message"] == first["attempts"][-1]["message"]
    assert parts["1b"]["answer"].startswith("Setting B = 0")
    assert parts["1b"]["first_try"] is True and parts["1b"]["attempts"] == []
    assert parts["3d"]["status"] == "not found" and parts["3d"]["answer"] == ""


def test_align_text_names_attempts_and_the_json_report_carries_the_same(hw_home: Path):
    make_session(hw_home)
    text = run("align", "hw")
    assert "1a       uncertain" in text and "2 attempts" in text
    report = json.loads(run("report", "hw", "--format", "json"))
    part = report["transcripts"][0]["parts"][0]
    assert part["id"] == "1a" and part["alignment"] == "uncertain"
    assert part["answer"].startswith("The update AB")
    assert len(part["attempts"]) == 2 and part["first_try"] is False


def test_the_attempts_survive_a_span_set_by_hand(hw_home: Path):
    make_session(hw_home)
    with Session.open(hw_home, "hw") as session:
        info = session.transcripts[0]
        first = info.alignments["1a"].attempts[0]
        session.set_alignment(info.id, "1a", first)
    with Session.open(hw_home, "hw", read_only=True) as session:
        alignment = session.transcripts[0].alignments["1a"]
        assert alignment.manual and alignment.span == first
        assert len(alignment.attempts) == 2 and alignment.first_try


CHEMISTRY = """## User

Chem 101: how many moles are in 36 g of water, and what is the pH of 0.01 M hydrochloric acid?

## Assistant

(a) Water has a molar mass of about 18 grams per mole, so 36 grams is two moles.

(b) Hydrochloric acid dissociates completely, so the hydrogen ion concentration is 0.01 molar
and the pH is two.
"""


def test_new_refuses_another_homework_in_one_line_unless_forced(hw_home: Path):
    (hw_home / "transcripts" / "chem.md").write_text(CHEMISTRY, encoding="utf-8")
    args = ["new", "chem", "--key", "keys/demo.md", "--transcript", "transcripts/chem.md"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    lines = refused.output.strip().splitlines()
    assert len(lines) == 1
    assert "chem.md does not look like an answer to this key: best match" in lines[0]
    assert "--force" in lines[0]
    assert not (hw_home / "sessions" / "chem.json").exists()
    assert "created" in run(*args, "--force")
    # the demo's own transcripts are never refused
    run("new", "demo2", "--key", "keys/demo.md", "--transcript", "transcripts/one-shot.md")

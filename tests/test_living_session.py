"""Living sessions: a transcript added later, a corrected key pulled in; all audited, backed up."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from hwreview.cli.commands import main


def run(*args: str, ok: bool = True) -> str:
    result = CliRunner().invoke(main, list(args))
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def saved(home: Path, name: str = "hw") -> dict:
    return json.loads((home / "sessions" / f"{name}.json").read_text(encoding="utf-8"))


def grades(home: Path) -> dict[tuple[str, str], dict]:
    return {(g["part"], g["transcript"]): g for g in saved(home)["grades"].values()}


def test_a_transcript_added_later_is_aligned_and_gradable(hw_home: Path):
    run("new", "hw", "--key", "keys/demo.md", "--transcript", "transcripts/one-shot.md")
    run("grade", "hw", "1a", "correct")
    out = run("add-transcript", "hw", "transcripts/turn-by-turn.md", "--label", "turns")
    assert "added turns (t2): 12 of 12 parts found; saved" in out
    data = saved(hw_home)
    docs = {d["id"]: d for d in data["transcripts"].values()}
    assert docs["t2"]["label"] == "turns"
    assert docs["t2"]["alignments"]["3c"]["status"] == "found"
    assert grades(hw_home)[("1a", "t1")]["verdict"] == "correct"  # nothing else touched
    history = list(data["history"].values())
    assert history[-1]["field"] == "transcript-added" and history[-1]["new"]["label"] == "turns"
    backups = list((hw_home / "sessions").glob("hw.json.add-transcript-*.bak"))
    assert len(backups) == 1
    assert len(json.loads(backups[0].read_text(encoding="utf-8"))["transcripts"]) == 1
    run("grade", "hw", "3c", "incorrect", "--transcript", "turns")
    assert grades(hw_home)[("3c", "t2")]["verdict"] == "incorrect"
    # A label already in use is refused with one line, and nothing is written.
    out = run("add-transcript", "hw", "transcripts/one-shot.md", "--label", "turns", ok=False)
    assert "has a transcript labelled 'turns'" in out
    assert len(saved(hw_home)["transcripts"]) == 2


def test_rekey_keeps_rechecks_and_drops(hw_home: Path):
    run(
        "new", "hw", "--key", "keys/demo.md",
        "--transcript", "transcripts/one-shot.md", "--label", "one-shot",
    )  # fmt: skip
    for part, verdict in (
        ("1a", "correct"),
        ("2a", "correct"),
        ("3c", "incorrect"),
        ("3d", "correct"),
    ):
        run("grade", "hw", part, verdict)
    run("grade", "hw", "3c", "--note", "off by 10")
    key = hw_home / "keys" / "demo.md"
    text = key.read_text(encoding="utf-8")
    # The corrected key: 2a's answer key changes, 3d is removed, a new part 3e appears.
    text = text.replace("it is a bigram model", "it is a bigram model (a lookup table)", 1)
    start = text.index("## (d) Accelerators")
    text = text[:start] + (
        "## (e) Energy\n<!-- points: 1 -->\n\n### Question\nHow much energy?\n\n"
        "### Answer key\nAbout 1 GWh.\n"
    )
    key.write_text(text, encoding="utf-8")
    out = run("rekey", "hw")
    assert "kept: 10 part(s) unchanged" in out
    assert "2a: answer key changed" in out
    assert "new parts (ungraded): 3e" in out
    assert "dropped (no longer in the key): 3d" in out
    assert "3d (one-shot): correct removed" in out
    g = grades(hw_home)
    assert g[("1a", "t1")]["verdict"] == "correct" and not g[("1a", "t1")].get("recheck")
    assert g[("3c", "t1")]["note"] == "off by 10"
    assert g[("2a", "t1")]["verdict"] == "correct" and g[("2a", "t1")]["recheck"] == "answer key"
    assert ("3d", "t1") not in g
    data = saved(hw_home)
    meta = next(iter(data["meta"].values()))
    assert meta["key"]["text"] == text
    alignments = next(iter(data["transcripts"].values()))["alignments"]
    assert "3e" in alignments and "3d" not in alignments
    fields = [h["field"] for h in data["history"].values()]
    assert {"key", "grade-dropped", "recheck-marked"} <= set(fields)
    assert list((hw_home / "sessions").glob("hw.json.rekey-*.bak"))
    # Grading the part again clears the mark; undo does not revert the re-key itself.
    run("grade", "hw", "2a", "partial", "--points", "1")
    assert grades(hw_home)[("2a", "t1")]["recheck"] == ""
    assert "3e" in run("report", "hw")
    assert "nothing to do" in run("rekey", "hw")


def test_rekey_with_a_broken_key_changes_nothing(hw_home: Path):
    run("new", "hw", "--key", "keys/demo.md", "--transcript", "transcripts/one-shot.md")
    before = (hw_home / "sessions" / "hw.json").read_bytes()
    (hw_home / "keys" / "bad.md").write_text(
        "# Problem 1: x\n\n## (a) y\nno key\n", encoding="utf-8"
    )
    out = run("rekey", "hw", "--key", "keys/bad.md", ok=False)
    assert "has no answer key" in out
    assert (hw_home / "sessions" / "hw.json").read_bytes() == before
    assert not list((hw_home / "sessions").glob("*.bak"))

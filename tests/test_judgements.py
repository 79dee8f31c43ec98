"""Preferences and errata: stored in the session with audit entries, from the CLI and the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.errors import HwReviewError
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


def saved(hw_home: Path, name: str) -> dict:
    return json.loads((hw_home / "sessions" / f"{name}.json").read_text(encoding="utf-8"))


def test_prefer_from_the_cli_is_saved_with_an_audit_entry(make_session, hw_home: Path):
    make_session("s", transcripts=2).close()
    out = run(
        "prefer", "s", "2C", "B", "--reason", "B derives the variance of AB; A only asserts it",
        "--aspect", "rigour", "--aspect", "completeness",
    )  # fmt: skip
    assert out.strip() == "2c (run1 vs run2): run2 better; saved"
    data = saved(hw_home, "s")
    (pref,) = data["preferences"].values()
    assert pref["part"] == "2c" and (pref["first"], pref["second"]) == ("t1", "t2")
    assert pref["choice"] == "second"
    assert pref["aspects"] == ["rigour", "completeness"]
    last = list(data["history"].values())[-1]
    assert (last["field"], last["part"], last["old"]) == ("preference", "2c", None)
    # A label works as the choice, and a second call replaces rather than adds.
    run("prefer", "s", "2c", "run1", "--reason", "shorter")
    (pref,) = saved(hw_home, "s")["preferences"].values()
    assert (pref["choice"], pref["reason"], pref["aspects"]) == ("first", "shorter", [])
    run("prefer", "s", "2c", "x", "--clear")
    assert saved(hw_home, "s")["preferences"] == {}


def test_prefer_refuses_what_it_cannot_record(make_session):
    make_session("one").close()
    make_session("two", transcripts=2).close()
    run("prefer", "one", "1a", "A", ok=False)  # a single transcript
    run("prefer", "two", "9z", "A", ok=False)
    run("prefer", "two", "1a", "maybe", ok=False)
    run("prefer", "two", "1a", "A", "--aspect", "beauty", ok=False)
    run("prefer", "two", "1a", "A", "--between", "run1", "run1", ok=False)


def test_preference_pair_in_either_order_is_one_record(make_session):
    with make_session("s", transcripts=3) as session:
        session.judgements.set_preference("1a", "A", first="run2", second="run3")
        session.judgements.set_preference("1a", "run3", first="run3", second="run2")
        prefs = session.judgements.preferences()
        assert list(prefs) == [("1a", "t2", "t3")]
        assert prefs["1a", "t2", "t3"].choice == "second"
        assert session.judgements.preference("1a", "t3", "t2").choice == "first"
        assert session.snapshot().preference("1a", "t3", "t2").winner() == "t3"


def test_undo_reverts_preferences_and_errata(make_session):
    with make_session("s", transcripts=2) as session:
        session.set_grade("1a", "t1", verdict="correct")
        session.judgements.set_preference("1a", "tie", "same result")
        session.judgements.set_preference("1a", "A", "cleaner")
        session.judgements.set_erratum(
            "2b", "the key answers for a smaller model", kind="incomplete"
        )
        assert session.undo().field == "erratum"
        assert session.judgements.errata() == {}
        assert session.undo().field == "preference"
        assert session.judgements.preference("1a", "t1", "t2").choice == "tie"
        assert session.undo().field == "preference"
        assert session.judgements.preferences() == {}
        assert session.undo().field == "verdict"
    with Session.open(session.path.parent.parent, "s", read_only=True) as again:
        assert again.judgements.preferences() == {} and again.judgements.errata() == {}


def test_erratum_cli_and_check_session(make_session, hw_home: Path):
    make_session("s").close()
    run("erratum", "s", "3b", ok=False)  # no note
    out = run(
        "erratum", "s", "3B", "--note",
        "The official solution answers for a different model size than the question asks",
    )  # fmt: skip
    assert out.strip() == "3b: key flagged as wrong; saved"
    (item,) = saved(hw_home, "s")["errata"].values()
    assert item["part"] == "3b" and item["kind"] == "wrong"
    out = run("check", "--session", "s")
    lines = out.strip().splitlines()
    assert lines[0] == "session 's': 1 part(s) of the key flagged"
    assert lines[1].startswith("keys/demo.md:") and "3b (wrong): The official solution" in lines[1]
    run("erratum", "s", "3b", "--clear")
    assert "no part's key is flagged" in run("check", "--session", "s")
    run("check", ok=False)
    run("check", "--session", "missing", ok=False)


def test_errata_note_with_terminal_escapes_is_cleaned(make_session):
    with make_session("s") as session:
        session.judgements.set_erratum("1a", "bad\x1b]52;c;aGk=\x07 key")
    out = run("check", "--session", "s")
    assert "\x1b" not in out and "\x07" not in out


def test_session_without_the_new_tables_still_opens(make_session, hw_home: Path):
    make_session("old").close()
    data = saved(hw_home, "old")
    assert "preferences" not in data and "errata" not in data  # older files have none
    with Session.open(hw_home, "old", read_only=True) as session:
        snap = session.snapshot()
        assert snap.preferences == {} and snap.errata == {}


def test_a_damaged_preference_is_one_line(make_session, hw_home: Path):
    make_session("s", transcripts=2).close()
    path = hw_home / "sessions" / "s.json"
    data = saved(hw_home, "s")
    data["preferences"] = {"1": {"part": "1a", "first": "t1", "second": "t2", "choice": "huh"}}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(HwReviewError, match="damaged"):
        Session.open(hw_home, "s", read_only=True)

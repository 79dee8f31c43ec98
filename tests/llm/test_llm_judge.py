"""Judge suggestions and the span helper through litellm, against the fake server."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from fake_server import FakeLLM
from llm_helpers import PLANTED

from hwreview.cli.commands import main
from hwreview.model import Verdict
from hwreview.session.session import Session


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert PLANTED not in result.output
    return result.exit_code, result.output


def test_suggestions_are_stored_apart_hidden_until_graded_and_reported(
    hw_home: Path, fake: FakeLLM, make_session
) -> None:
    make_session("s", transcripts=2).close()
    code, output = run("suggest", "s", "--model", "openai/judge", "--api-base", fake.base)
    assert code == 0, output
    assert "stored 24 suggestions from openai/judge" in output and "hidden" in output
    assert fake.requests[-1]["max_tokens"] == 1000  # a JSON reply is bounded
    with Session.open(hw_home, "s", read_only=True) as session:
        assert len(session.suggestions.verdicts()) == 24
        assert not session.grades()  # nothing the grader owns was touched
        assert session.suggestions.visible("1a", "t1") is None
        stored = session.suggestions.verdicts()["1a", "t1"]
        assert (stored.model, stored.verdict, stored.points) == ("openai/judge", "correct", 1.0)
    code, output = run("suggest", "s", "--show")
    assert "24 more hidden" in output and "1a run1" not in output

    run("grade", "s", "1a", "correct")
    run("grade", "s", "1b", "incorrect")
    code, output = run("suggest", "s", "--show")
    assert "1a run1: correct 1 pts (openai/judge)" in output and "22 more hidden" in output

    report = run("report", "s")[1]
    assert "## Judge vs grader" in report
    assert "On the 2 graded parts with a suggestion from openai/judge" in report
    assert "agreed with the grader on 50%" in report
    data = json.loads(run("report", "s", "--format", "json")[1])
    assert data["judge"]["pairs"] == 2
    assert data["judge"]["confusion"]["incorrect"]["correct"] == 1

    run("suggest", "s", "--no-blind")
    with Session.open(hw_home, "s", read_only=True) as session:
        assert session.suggestions.visible("2a", "t2") is not None
        assert session.grade("2a", "t2").verdict is Verdict.UNGRADED


def test_malformed_judge_json_is_retried_then_reported(
    hw_home: Path, fake: FakeLLM, make_session
) -> None:
    make_session("m").close()
    args = ("--model", "openai/judge", "--api-base", fake.base, "--parts", "1a")
    fake.script("judge", "not json at all", '{"verdict": "brilliant"}')
    code, output = run("suggest", "m", *args)
    assert code == 0 and "stored 1 suggestion" in output

    deep = "{" + '"a": {' * 50 + "}" * 51
    fake.script(
        "judge",
        '{"verdict": "correct", "tags": ["made-up"]}',
        deep,
        '```json\n{"verdict": "correct",}\n```',
    )
    code, output = run("suggest", "m", *args, "--parts", "1b")
    assert code == 1
    assert "not suggested: 1b (run1): the model's JSON does not parse" in output
    assert "(after 3 tries)" in output and "Traceback" not in output
    with Session.open(hw_home, "m", read_only=True) as session:
        assert set(session.suggestions.verdicts()) == {("1a", "t1")}


def test_span_helper_proposes_verbatim_quotes_and_rejects_wrong_ones(
    hw_home: Path, fake: FakeLLM, make_session
) -> None:
    make_session("p").close()
    with Session.open(hw_home, "p", read_only=True) as session:
        before = session.transcripts[0].alignments["2a"]
    args = ("--model", "openai/spans", "--api-base", fake.base)
    fake.script(
        "spans", *[json.dumps({"start": "The answer to 9z is", "end": "The answer to 2a"})] * 3
    )
    code, output = run("align", "p", *args, "--parts", "2a")
    assert code == 1 and "not proposed: 2a (run1): the start quote" in output
    assert "is not in the transcript (after 3 tries)" in output

    code, output = run("align", "p", *args, "--parts", "2a")
    assert code == 0 and "2a (run1): proposed" in output
    with Session.open(hw_home, "p", read_only=True) as session:
        assert session.transcripts[0].alignments["2a"] == before  # proposed, not applied
        candidate = session.suggestions.span_candidates()["2a", "t1"]
    code, output = run("align", "p", "--accept", "2a")
    assert code == 0
    with Session.open(hw_home, "p", read_only=True) as session:
        alignment = session.transcripts[0].alignments["2a"]
        assert alignment.manual and alignment.span == candidate.span
        assert not session.suggestions.span_candidates()


def test_pairwise_suggestions_wait_for_the_graders_own_preference(
    hw_home: Path, fake: FakeLLM, make_session
) -> None:
    make_session("w", transcripts=2).close()
    args = ("--model", "openai/judge", "--api-base", fake.base, "--parts", "1a,1b")
    code, output = run("suggest", "w", *args, "--pairwise")
    assert code == 0 and "stored 2 pairwise suggestions" in output
    assert "better" not in run("suggest", "w", "--show")[1]
    assert run("prefer", "w", "1a", "a")[0] == 0  # the grader's own preference first
    shown = run("suggest", "w", "--show")[1]
    assert "1a better: run2 [rigour, clarity] (openai/judge) More steps." in shown
    assert "1b better" not in shown
    with Session.open(hw_home, "w", read_only=True) as session:
        assert (
            session.judgements.preference("1a", "t1", "t2").choice == "first"
        )  # the judge changed nothing


def test_an_interrupted_suggest_keeps_what_was_judged_and_resumes(
    hw_home: Path, fake: FakeLLM, make_session
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    make_session("slow", transcripts=2).close()
    args = ["suggest", "slow", "--model", "openai/slowjudge", "--api-base", fake.base]
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "hwreview"), *args, "--concurrency", "1"],
        env=dict(os.environ, HWREVIEW_HOME=str(hw_home)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )

    def stored() -> int:
        with Session.open(hw_home, "slow", read_only=True) as session:
            return len(session.suggestions.verdicts())

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and stored() < 3:
            time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=30)
    assert PLANTED.encode() not in stdout + stderr
    kept = stored()
    assert 3 <= kept < 24  # every answer judged before the kill is on disk

    asked_before = fake.counts["slowjudge"]
    with fake.fast():  # slow only to kill the first run midway
        code, output = run(*args)
        assert code == 0, output
        assert f"stored {24 - kept} suggestions" in output
        assert f"{kept} answers already judged by openai/slowjudge were not asked again" in output
        assert fake.counts["slowjudge"] - asked_before == 24 - kept
        assert stored() == 24

        code, output = run(*args, "--parts", "1a", "--again")
    assert code == 0 and "stored 2 suggestions" in output and "already judged" not in output

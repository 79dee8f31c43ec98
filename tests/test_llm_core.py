"""The pure half of the model features: prompts, checks, quotes, policies, settings (no litellm)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hwreview.errors import HwReviewError, ModelReplyError
from hwreview.keys.parser import load_key
from hwreview.llm_core.judge import load_reply_json, parse_judgement
from hwreview.llm_core.policy import RetryPolicy, classify, explain, redact
from hwreview.llm_core.prompts import check_strategy, part_heading, plan
from hwreview.llm_core.runfile import job_paths
from hwreview.llm_core.settings import resolve
from hwreview.llm_core.spans import locate
from hwreview.model import Message, Transcript, check_run


@pytest.fixture
def demo(hw_home: Path):
    return load_key(hw_home / "keys" / "demo.md")


def test_plans_ask_every_part_once_in_key_order(demo) -> None:
    ids = [p.id for p in demo.parts]
    one = plan(demo, "one-shot")
    assert len(one) == 1 and list(one[0].parts) == ids
    assert all(f"## Part {part_heading(p)}" in one[0].text for p in demo.parts)
    turns = plan(demo, "turn-by-turn")
    assert [t.parts for t in turns] == [(i,) for i in ids]
    # the problem's context comes with its first part only
    assert "frozen" in turns[0].text and "frozen" not in turns[1].text
    # no part tagged easy: hybrid is turn by turn
    assert [t.parts for t in plan(demo, "hybrid")] == [t.parts for t in turns]
    assert part_heading(demo.part("1c-ii")) == "1(c)(ii)"
    assert check_strategy("Turn_By_Turn") == "turn-by-turn"
    with pytest.raises(HwReviewError, match="use one-shot, turn-by-turn, hybrid"):
        check_strategy("all-at-once")


def test_judge_replies_are_checked_never_guessed(demo) -> None:
    part = demo.part("1a")  # 2 points
    verdicts, tags = ["correct", "partial", "incorrect"], ["arithmetic", "conceptual"]
    reply = '```json\n{"verdict": "Partial", "tags": ["conceptual"], "points": 1, "rationale": "ok"}\n```'
    assert parse_judgement(reply, part, verdicts, tags) == ("partial", ("conceptual",), 1.0, "ok")
    for bad, message in (
        ('{"verdict": "great"}', "not one of"),
        ('{"verdict": "correct", "tags": ["made-up"]}', "unknown tag"),
        ('{"verdict": "correct", "points": 3}', "outside 0..2"),
        ('{"verdict": "correct", "points": NaN}', "outside|does not parse"),
        ('{"verdict": "correct",}', "does not parse"),
        ("I think it is correct.", "did not reply with a JSON object"),
        ("{" + '"a":[' * 30 + "]" * 30 + "}", "nested too deeply"),
        ("x" * 30_000, "longer than"),
    ):
        with pytest.raises(ModelReplyError, match=message):
            parse_judgement(bad, part, verdicts, tags)
    assert load_reply_json('{"a": "{not a brace}"}') == {"a": "{not a brace}"}


def test_quotes_must_be_verbatim_and_ordered() -> None:
    transcript = Transcript(
        messages=(
            Message("user", "Answer (a)."),
            Message("assistant", "First, the rank is at most k. So it underfits."),
            Message("assistant", "Also: raising k fixes it. That is all."),
        )
    )
    span = locate(transcript, "the rank is at most k", "raising k fixes it.")
    assert (span.message, span.end_message) == (1, 2)
    assert transcript.text_of(span).startswith("the rank is at most k")
    assert locate(transcript, "", "") is None
    with pytest.raises(ModelReplyError, match="start quote"):
        locate(transcript, "the rank is at most K", "fixes it.")  # case differs: not verbatim
    with pytest.raises(ModelReplyError, match="end quote"):
        locate(transcript, "raising k fixes it", "the rank is at most k")  # end before start
    with pytest.raises(ModelReplyError, match="too short"):
        locate(transcript, "First", "all.")
    with pytest.raises(ModelReplyError, match="start quote"):
        locate(transcript, "Answer (a).", "Answer (a).")  # the user's words are not an answer


def test_retry_policy_and_one_line_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    assert classify(429, "rate") == classify(503, "x") == classify(None, "timeout") == "retry"
    assert classify(401, "auth") == classify(404, "model") == classify(400, "x") == "fail"
    policy = RetryPolicy(attempts=5, base=1.0, cap=4.0)
    assert 0.5 <= policy.delay(1) <= 1.0 and 2.0 <= policy.delay(4) <= 4.0
    assert policy.delay(3, retry_after=0.25) == 0.25
    monkeypatch.setenv("SOME_PROVIDER_API_KEY", "abcd-1234-secret-value")
    line = explain(401, "auth", "m", "http://h") + " abcd-1234-secret-value sk-live-1234567890ab"
    assert "secret" not in redact(line) and "sk-live" not in redact(line)
    assert "\n" not in explain(None, "connection", "m", None)


def test_settings_from_flags_env_then_toml(hw_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HWREVIEW_MODEL", raising=False)
    monkeypatch.delenv("HWREVIEW_API_BASE", raising=False)
    (hw_home / "hwreview.toml").write_text(
        '[llm]\nmodel = "ollama/qwen3"\napi_base = "http://127.0.0.1:11434"\ntemperature = 0.3\n',
        encoding="utf-8",
    )
    assert resolve(hw_home).model == "ollama/qwen3" and resolve(hw_home).temperature == 0.3
    monkeypatch.setenv("HWREVIEW_MODEL", "openai/from-env")
    assert resolve(hw_home).model == "openai/from-env"
    assert resolve(hw_home, model="openai/flag").model == "openai/flag"
    (hw_home / "hwreview.toml").write_text('[llm]\napi_key = "sk-x"\n', encoding="utf-8")
    with pytest.raises(HwReviewError, match="only from the environment"):
        resolve(hw_home)
    (hw_home / "hwreview.toml").write_text("[llm\n", encoding="utf-8")
    with pytest.raises(HwReviewError, match="bad TOML"):
        resolve(hw_home)


def test_run_records_are_bounded_and_outputs_named(tmp_path: Path) -> None:
    assert check_run({"usage": {"total_tokens": 3}, "cost": None}) == {
        "usage": {"total_tokens": 3},
        "cost": None,
    }
    nested: dict = {}
    deep = nested
    for _ in range(6):
        deep["x"] = {}
        deep = deep["x"]
    with pytest.raises(HwReviewError, match="too deeply"):
        check_run(nested)
    with pytest.raises(HwReviewError, match="must be an object"):
        check_run([1])
    bad = {
        "format": "hwreview.transcript/1",
        "messages": [{"role": "user", "text": "x", "parts": [1]}],
    }
    with pytest.raises(HwReviewError, match="part ids"):
        Transcript.from_json(json.loads(json.dumps(bad)))
    jobs = job_paths(tmp_path / "out.json", ["openai/a", "b"], ["one-shot"], 2)
    assert [j.path.name for j in jobs][:2] == [
        "out-openai-a-one-shot-r1.json",
        "out-openai-a-one-shot-r2.json",
    ]
    assert job_paths(tmp_path / "out.json", ["m"], ["hybrid"], 1)[0].path.name == "out.json"


def test_a_run_file_rewritten_per_turn_reads_back_whole_and_resumes(tmp_path: Path) -> None:
    from hwreview.llm_core.runfile import RunRecord, open_record
    from hwreview.transcripts import native

    def fresh() -> RunRecord:
        return RunRecord(tmp_path / "run.json", 'A "title" é', "m", "turn-by-turn", {}, "k", 3)

    record = open_record(fresh())
    tricky = 'line\nbreak, "quotes", \\ back\u2028slash ] }'
    record.add_turn([Message("user", "## Part 1(a)", parts=("1a",))], {}, None)
    record.add_turn([Message("assistant", tricky, finish="length")], {"prompt_tokens": 5}, 0.25)
    on_disk = native.read(record.path).transcript
    assert on_disk == record.transcript() and on_disk.messages[1].text == tricky
    again = open_record(fresh())  # resumed from the file: the next turn is appended to it
    again.add_turn([Message("user", "## Part 1(b)", parts=("1b",))], {"prompt_tokens": 1}, None)
    final = native.read(record.path).transcript
    assert [m.text for m in final.messages] == ["## Part 1(a)", tricky, "## Part 1(b)"]
    assert final.run["usage"]["prompt_tokens"] == 6 and final.run["cost"] == 0.25

"""`hwreview collect` through the real litellm client against a local fake server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_server import FakeLLM
from llm_helpers import PLANTED, easy_key

from hwreview.cli.commands import main
from hwreview.model import FOUND, NOT_FOUND
from hwreview.session.session import Session
from hwreview.transcripts import load_transcript

DEMO_PARTS = 12


def collect(
    fake: FakeLLM, *args: str, model: str = "student", timeout: float = 20
) -> tuple[int, str]:
    """Run `hwreview collect` in-process; (exit code, stdout + stderr)."""
    result = CliRunner().invoke(
        main,
        [
            "collect",
            *args,
            "--model",
            f"openai/{model}",
            "--api-base",
            fake.base,
            "--timeout",
            str(timeout),
            "--retries",
            "1",
        ],
        catch_exceptions=False,
    )
    assert PLANTED not in result.output
    return result.exit_code, result.output


def new_session(home: Path, name: str, key: str, *files: Path) -> Session:
    args = ["new", name, "--key", key]
    for file in files:
        args += ["--transcript", str(file)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return Session.open(home, name, read_only=True)


@pytest.mark.parametrize(
    ("strategy", "turns"), [("one-shot", 1), ("turn-by-turn", DEMO_PARTS), ("hybrid", 10)]
)
def test_each_strategy_records_which_turn_asked_which_part(
    hw_home: Path, fake: FakeLLM, strategy: str, turns: int
) -> None:
    key = easy_key(hw_home)
    out = hw_home / f"{strategy}.json"
    code, output = collect(
        fake, "keys/easy.md", "--strategy", strategy, "-o", str(out), model="thinker"
    )
    assert code == 0, output
    assert f"wrote {out}" in output and f"{DEMO_PARTS}/{DEMO_PARTS} parts" in output

    transcript = load_transcript(out)
    users = [m for m in transcript.messages if m.role == "user"]
    assert len(users) == turns
    asked = [p for m in users for p in m.parts]
    assert sorted(asked) == sorted(p.id for p in _parts(key))
    if strategy == "hybrid":
        together = [m.parts for m in users if len(m.parts) > 1]
        assert together == [("1a", "1b"), ("3b", "3d")]
    # reasoning is its own message, never inside the answer
    reasoning = [m for m in transcript.messages if m.kind == "reasoning"]
    assert len(reasoning) == turns
    assert all("step by step" not in m.text for m in transcript.messages if m.kind == "answer")
    run = transcript.run
    assert transcript.model == "openai/thinker" and transcript.strategy == strategy
    assert run["complete"] is True and run["usage"]["total_tokens"] > 0
    assert run["parameters"]["max_tokens"] is None

    with new_session(hw_home, strategy, "keys/easy.md", out) as session:
        info = session.transcripts[0]
        for part in session.assignment.parts:
            alignment = info.alignments[part.id]
            assert alignment.status == FOUND, part.id
            label = part.problem + "".join(f"({x})" for x in part.id[1:].lstrip("-").split("-"))
            assert f"The answer to {label} is" in info.answer(part.id)


def _parts(key: Path):
    from hwreview.keys.parser import load_key

    return load_key(key).parts


def test_plain_replies_and_the_demo_key_by_name(hw_home: Path, fake: FakeLLM) -> None:
    out = hw_home / "plain.json"
    code, output = collect(
        fake,
        "demo",
        "--strategy",
        "one-shot",
        "--no-stream",
        "--max-tokens",
        "500",
        "--temperature",
        "0.2",
        "-o",
        str(out),
    )
    assert code == 0, output
    request = fake.requests[-1]
    assert not request.get("stream") and request["max_tokens"] == 500
    assert request["temperature"] == 0.2
    transcript = load_transcript(out)
    assert transcript.run["parameters"]["temperature"] == 0.2
    assert transcript.run["usage"]["prompt_tokens"] == 10


def test_cut_off_and_empty_replies_are_recorded_and_shown(hw_home: Path, fake: FakeLLM) -> None:
    cut, empty, joined = hw_home / "cut.json", hw_home / "empty.json", hw_home / "joined.json"
    assert collect(fake, "demo", "--strategy", "one-shot", "-o", str(cut), model="short")[0] == 0
    code, output = collect(fake, "demo", "--strategy", "one-shot", "-o", str(empty), model="mute")
    assert code == 0 and "1 empty or cut-off replies" in output
    code, _ = collect(
        fake,
        "demo",
        "--strategy",
        "one-shot",
        "--continue-truncated",
        "-o",
        str(joined),
        model="short",
    )
    assert code == 0
    cut_t, empty_t, joined_t = (load_transcript(p) for p in (cut, empty, joined))
    assert [m.finish for m in cut_t.messages if m.role == "assistant"] == ["length"]
    assert cut_t.reply_finish("1a") == "length" and empty_t.reply_finish("1a") == "empty"
    assert [m.finish for m in joined_t.messages if m.role == "assistant"] == ["length", "stop"]
    assert joined_t.reply_finish("3d") == ""

    with new_session(hw_home, "cut", "demo", cut, empty, joined) as session:
        first, second, third = session.transcripts
        assert all(a.status == NOT_FOUND for a in second.alignments.values())
        assert first.transcript.reply_finish("2c") == "length"
        assert any(
            "that completes the answer" in third.answer(p.id) for p in session.assignment.parts
        )
    for label in ("cut", "empty"):
        graded = CliRunner().invoke(
            main, ["grade", "cut", "1a", "incorrect", "--transcript", label]
        )
        assert graded.exit_code == 0, graded.output
    report = CliRunner().invoke(main, ["report", "cut"]).output
    assert "(the model's reply was cut off at the token limit)" in report
    data = json.loads(CliRunner().invoke(main, ["report", "cut", "--format", "json"]).output)
    assert data["transcripts"][0]["parts"][0]["reply"] == "length"
    assert data["transcripts"][1]["parts"][0]["reply"] == "empty"


def test_rate_limit_is_retried_and_failures_are_one_line(hw_home: Path, fake: FakeLLM) -> None:
    out = hw_home / "flaky.json"
    code, output = collect(fake, "demo", "--strategy", "one-shot", "-o", str(out), model="flaky")
    assert code == 0, output
    assert fake.counts["flaky"] == 2  # a 429, then the answer

    for model, message in (
        ("broken", "kept failing with a server error (500)"),
        ("sleepy", "did not answer in time"),
    ):
        code, output = collect(
            fake, "demo", "-o", str(hw_home / f"{model}.json"), model=model, timeout=0.5
        )
        assert code == 1
        assert message in output and "Traceback" not in output
        assert "run the same command again to resume" in output
        assert not (hw_home / f"{model}.json").exists()  # no turn finished, nothing written

    result = CliRunner().invoke(
        main,
        [
            "collect",
            "demo",
            "--model",
            "openai/student",
            "--api-base",
            "http://127.0.0.1:9/v1",
            "--retries",
            "0",
            "--timeout",
            "1",
            "-o",
            str(hw_home / "x.json"),
        ],
    )
    assert result.exit_code == 1 and "cannot reach the server" in result.output
    code, output = collect(fake, "demo", "-o", str(hw_home / "m.json"), model="missing")
    assert code == 1 and "unknown model 'openai/missing'" in output
    result = CliRunner().invoke(
        main,
        ["collect", "demo", "--model", "nosuchprovider/x", "--api-base", fake.base,
         "-o", str(hw_home / "x.json")],
    )  # fmt: skip
    assert result.exit_code == 1 and "unknown model 'nosuchprovider/x'" in result.output
    result = CliRunner().invoke(main, ["collect", "demo", "-o", str(hw_home / "x.json")])
    assert result.exit_code == 1 and "no model: pass --model" in result.output


def test_refused_key_never_shows_the_key(hw_home: Path, fake: FakeLLM) -> None:
    code, output = collect(fake, "demo", "-o", str(hw_home / "locked.json"), model="locked")
    assert code == 1 and "refused the API key" in output
    assert PLANTED not in output
    assert any(PLANTED in v for h in fake.headers for v in h.values())  # it was sent


def test_an_interrupted_run_resumes_with_the_same_command(hw_home: Path, fake: FakeLLM) -> None:
    out = hw_home / "resumed.json"
    args = [
        "collect",
        "demo",
        "--strategy",
        "turn-by-turn",
        "--model",
        "openai/slow",
        "--api-base",
        fake.base,
        "--timeout",
        "5",
        "-o",
        str(out),
    ]
    env = dict(os.environ, HWREVIEW_HOME=str(hw_home))
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "hwreview"), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _turns_on_disk(out) < 3:
            time.sleep(0.05)
        assert _turns_on_disk(out) >= 3
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=30)
    assert PLANTED.encode() not in stdout + stderr
    done_before = _turns_on_disk(out)
    assert done_before < DEMO_PARTS
    assert load_transcript(out).run["complete"] is False

    with fake.fast():  # slow only to kill the first run midway
        code, output = collect(
            fake, "demo", "--strategy", "turn-by-turn", "-o", str(out), model="slow"
        )
    assert code == 0, output
    transcript = load_transcript(out)
    assert transcript.run["complete"] is True
    asked = [p for m in transcript.messages if m.role == "user" for p in m.parts]
    assert len(asked) == DEMO_PARTS == len(set(asked))
    # each part was asked once, except at most the one in flight when the process died
    assert sum(fake.asked_parts("slow").values()) <= DEMO_PARTS + 1
    # a finished run is not asked again
    before = fake.counts["slow"]
    assert collect(fake, "demo", "--strategy", "turn-by-turn", "-o", str(out), model="slow")[0] == 0
    assert fake.counts["slow"] == before


def test_a_different_run_never_overwrites_a_file(hw_home: Path, fake: FakeLLM) -> None:
    out = hw_home / "taken.json"
    out.write_text("my notes", encoding="utf-8")
    code, output = collect(fake, "demo", "-o", str(out))
    assert code == 1 and "is not a collected transcript" in output
    assert out.read_text(encoding="utf-8") == "my notes"
    other = hw_home / "other.json"
    assert collect(fake, "demo", "--strategy", "one-shot", "-o", str(other))[0] == 0
    code, output = collect(fake, "demo", "--strategy", "turn-by-turn", "-o", str(other))
    assert code == 1 and "holds a different collection" in output


def test_several_models_and_repeats_run_concurrently(hw_home: Path, fake: FakeLLM) -> None:
    out = hw_home / "grid.json"
    result = CliRunner().invoke(
        main,
        [
            "collect",
            "demo",
            "--model",
            "openai/student",
            "--model",
            "openai/thinker",
            "--strategy",
            "one-shot",
            "--strategy",
            "hybrid",
            "--repeat",
            "2",
            "--concurrency",
            "8",
            "--api-base",
            fake.base,
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in hw_home.glob("grid-*.json"))
    assert len(files) == 8 and "grid-openai-thinker-hybrid-r2.json" in files
    assert f"{8 * DEMO_PARTS}/{8 * DEMO_PARTS} parts" in result.output


def _turns_on_disk(path: Path) -> int:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return sum(1 for m in data["messages"] if m["role"] == "user" and m.get("parts"))

"""The make llm-demo flow against a real local model (llama-server on 127.0.0.1:8088).

Skipped unless that server is up (`make llm-demo` starts one; or run llama-server yourself)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.session.session import Session
from hwreview.transcripts import load_transcript

BASE = "http://127.0.0.1:8088/v1"


def _up() -> bool:
    try:
        with urllib.request.urlopen(BASE.removesuffix("/v1") + "/health", timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


pytestmark = [
    pytest.mark.realmodel,
    pytest.mark.skipif(not _up(), reason="no llama-server on 127.0.0.1:8088 (make llm-demo)"),
]


def test_a_real_model_answers_both_ways_and_is_judged(hw_home: Path) -> None:
    common = ["--model", "openai/gemma3-270m", "--api-base", BASE, "--timeout", "600"]
    for strategy in ("one-shot", "turn-by-turn"):
        result = CliRunner().invoke(
            main,
            ["collect", "demo", *common, "--max-tokens", "64", "--strategy", strategy,
             "-o", str(hw_home / f"{strategy}.json")],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        transcript = load_transcript(hw_home / f"{strategy}.json")
        assert transcript.run["complete"] is True
        assert transcript.run["usage"]["completion_tokens"] > 0
        replies = [m for m in transcript.messages if m.role == "assistant" and m.kind == "answer"]
        assert replies and any(m.text.strip() for m in replies)
    result = CliRunner().invoke(
        main,
        ["new", "real", "--key", "demo", "--transcript", str(hw_home / "one-shot.json"),
         "--transcript", str(hw_home / "turn-by-turn.json")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["suggest", "real", *common, "--parts", "1a"])
    # a 270M model may fail the JSON form: then it is reported per part, never guessed
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    with Session.open(hw_home, "real", read_only=True) as session:
        assert len(session.transcripts) == 2
        for suggestion in session.suggestions.verdicts().values():
            assert suggestion.verdict in {"correct", "partial", "incorrect", "omitted", "ambiguous"}

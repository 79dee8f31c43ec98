"""What `hwreview collect` adds on top of the model server's own time, at concurrency 1 and 8.

The server is the tests' fake OpenAI-compatible server on 127.0.0.1, in its own process,
replying after a fixed delay (a fast model: real ones take seconds); requests go through the
real litellm client. For each run it prints
the wall time, the ideal time (the server's own busy time divided among the conversations that
can run at once) and hwreview's overhead over that ideal: streaming, litellm, our retries
wrapper, and writing the transcript file after every turn. Target: under 10%.

    .venv/bin/python benchmarks/collect.py
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "llm"))

from hwreview.keys.parser import parse_key  # noqa: E402
from hwreview.llm.client import CallSettings  # noqa: E402
from hwreview.llm.collect import CollectRequest, collect_all  # noqa: E402
from hwreview.llm.loader import load_litellm  # noqa: E402
from hwreview.llm_core.progress import CollectProgress  # noqa: E402
from hwreview.llm_core.prompts import DEFAULT_SYSTEM  # noqa: E402
from hwreview.llm_core.runfile import job_paths  # noqa: E402

DELAY = 0.3  # seconds the fake model takes per reply


def server_seconds(base: str) -> float:
    """The fake server's own busy time so far (summed over its requests)."""
    with urllib.request.urlopen(base + "/stats", timeout=10) as reply:
        return float(json.load(reply)["server_seconds"])


def bare(base: str, requests: int) -> tuple[float, float]:
    """Baseline: the same streamed requests sent with httpx alone (no litellm, no files)."""
    import httpx

    body = {
        "model": "slow",
        "stream": True,
        "messages": [{"role": "user", "content": "## Part 1(a)"}],
    }

    async def go() -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            for _ in range(requests):
                async with client.stream("POST", base + "/chat/completions", json=body) as reply:
                    async for _line in reply.aiter_lines():
                        pass

    before = server_seconds(base)
    started = time.perf_counter()
    asyncio.run(go())
    return time.perf_counter() - started, server_seconds(base) - before


def run(base: str, key_text: str, conversations: int, concurrency: int) -> tuple[float, float]:
    """(wall seconds, server seconds) for `conversations` turn-by-turn runs of the demo key."""
    assignment = parse_key(key_text, source="demo.md")
    settings = CallSettings(api_base=base, timeout=30)
    request = CollectRequest(assignment, key_text, settings, DEFAULT_SYSTEM, concurrency)
    with tempfile.TemporaryDirectory() as folder:
        jobs = job_paths(
            Path(folder) / "out.json", ["openai/slow"], ["turn-by-turn"], conversations
        )
        before = server_seconds(base)
        started = time.perf_counter()
        outcomes = asyncio.run(collect_all(request, jobs, CollectProgress()))
        wall = time.perf_counter() - started
    assert not any(o.error for o in outcomes), [o.error for o in outcomes]
    return wall, server_seconds(base) - before


def main() -> None:
    """Warm up (litellm's import, the first connection), then measure both concurrencies."""
    os.environ.setdefault("OPENAI_API_KEY", "benchmark-key-not-secret")
    key_text = (REPO / "src" / "hwreview" / "demo" / "demo.md").read_text(encoding="utf-8")
    load_litellm()
    server = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "llm" / "fake_server.py"), str(DELAY)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        base = server.stdout.readline().strip()
        run(base, key_text, 1, 1)
        print(f"fake model: {DELAY * 1000:.0f} ms per reply; demo key turn by turn (12 turns)")
        print(
            f"{'concurrency':>11} {'conversations':>13} {'wall s':>8} {'ideal s':>8} {'overhead':>9}"
        )
        wall, busy = bare(base, 24)
        print(
            f"{'bare httpx':>11} {'24 requests':>13} {wall:>8.2f} {busy:>8.2f} {wall / busy - 1:>8.1%}"
        )
        for concurrency, conversations in ((1, 2), (8, 8)):
            wall, busy = run(base, key_text, conversations, concurrency)
            ideal = busy / min(concurrency, conversations)
            print(
                f"{concurrency:>11} {conversations:>13} {wall:>8.2f} {ideal:>8.2f} "
                f"{wall / ideal - 1:>8.1%}"
            )
    finally:
        server.communicate(timeout=10)  # closing stdin stops it


if __name__ == "__main__":
    main()

"""What `hwreview collect` adds on top of the model server's own time, at concurrency 1 and 8.

By default the server is the tests' fake OpenAI-compatible server on 127.0.0.1, in its own
process, replying after a fixed delay (a fast model: real ones take seconds); with `--api-base`
it is a real llama.cpp `llama-server` started with `--metrics` (`make llm-demo` starts one), whose
own time per request (prompt processing plus generation, from its /metrics) is what a user
waits for. Requests go through the real litellm client and the command's own progress bar code;
every turn is written durably. For each run it prints the wall time, the ideal time (the
server's own busy time divided among the requests it can serve at once), hwreview's overhead
over that ideal, and this process's CPU time per turn. Target: under 10%.

    .venv/bin/python benchmarks/collect.py                  # the fake server
    .venv/bin/python benchmarks/collect.py --profile        # + where the client's CPU goes
    .venv/bin/python benchmarks/collect.py --api-base http://127.0.0.1:8088/v1 \\
        --model openai/gemma3-270m --max-tokens 16          # a real llama-server
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

from hwreview.cli.collect import _run_with_bar  # noqa: E402
from hwreview.keys.parser import parse_key  # noqa: E402
from hwreview.llm.client import CallSettings  # noqa: E402
from hwreview.llm.collect import CollectRequest  # noqa: E402
from hwreview.llm.loader import load_litellm  # noqa: E402
from hwreview.llm_core.progress import CollectProgress  # noqa: E402
from hwreview.llm_core.prompts import DEFAULT_SYSTEM  # noqa: E402
from hwreview.llm_core.runfile import RunRecord, job_paths  # noqa: E402

DELAY = 0.3  # seconds the fake model takes per reply
SAVING = [0.0]  # wall seconds spent in the durable per-turn write (fsync included)


def _timed_save(save):  # type: ignore[no-untyped-def]
    def timed(self: RunRecord) -> None:
        started = time.perf_counter()
        try:
            save(self)
        finally:
            SAVING[0] += time.perf_counter() - started

    return timed


RunRecord.save = _timed_save(RunRecord.save)  # type: ignore[method-assign]


class FakeServer:
    """The fake server: its busy time is the sum of its requests' durations."""

    model = "openai/slow"
    slots = 64  # a thread per request

    def __init__(self, base: str) -> None:
        self.base = base

    def busy(self) -> float:
        """Seconds the server has spent on requests so far."""
        with urllib.request.urlopen(self.base + "/stats", timeout=10) as reply:
            return float(json.load(reply)["server_seconds"])


class LlamaServer:
    """A llama-server with --metrics: busy time is prompt processing plus generation."""

    def __init__(self, base: str, model: str) -> None:
        self.base = base
        self.model = model
        root = base.removesuffix("/v1")
        with urllib.request.urlopen(root + "/props", timeout=10) as reply:
            self.slots = int(json.load(reply).get("total_slots") or 1)
        self.metrics = root + "/metrics"

    def busy(self) -> float:
        """Seconds llama-server has spent processing prompts and generating tokens so far."""
        try:
            with urllib.request.urlopen(self.metrics, timeout=10) as reply:
                text = reply.read().decode()
        except OSError as exc:
            raise SystemExit(f"{self.metrics}: {exc} (start llama-server with --metrics)") from None
        names = ("prompt_seconds_total", "tokens_predicted_seconds_total")
        values = re.findall(r"^llamacpp:(\w+) ([0-9.eE+-]+)$", text, re.M)
        return sum(float(v) for k, v in values if k in names)


def run(
    server: FakeServer | LlamaServer,
    key_text: str,
    conversations: int,
    concurrency: int,
    max_tokens: int | None,
) -> tuple[float, float, float, int, float]:
    """(wall s, server busy s, client CPU s, turns, saving s) for turn-by-turn demo runs."""
    assignment = parse_key(key_text, source="demo.md")
    settings = CallSettings(api_base=server.base, timeout=600, max_tokens=max_tokens)
    request = CollectRequest(assignment, key_text, settings, DEFAULT_SYSTEM, concurrency)
    with tempfile.TemporaryDirectory() as folder:
        jobs = job_paths(Path(folder) / "out.json", [server.model], ["turn-by-turn"], conversations)
        before = server.busy()
        SAVING[0] = 0.0
        cpu = time.process_time()
        started = time.perf_counter()
        outcomes = _run_with_bar(request, jobs, CollectProgress())
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
    assert not any(o.error for o in outcomes), [o.error for o in outcomes]
    turns = sum(o.record.done for o in outcomes if o.record is not None)
    return wall, server.busy() - before, cpu, turns, SAVING[0]


def bare(server: FakeServer, requests: int) -> tuple[float, float, float]:
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
                async with client.stream("POST", server.base + "/chat/completions", json=body) as r:
                    async for _line in r.aiter_lines():
                        pass

    before = server.busy()
    cpu = time.process_time()
    started = time.perf_counter()
    asyncio.run(go())
    wall = time.perf_counter() - started
    return wall, server.busy() - before, time.process_time() - cpu


def where(profile: cProfile.Profile) -> None:
    """The client's own CPU time by package (cProfile's tottime, so the parts add up)."""
    stats = pstats.Stats(profile)
    by: Counter[str] = Counter()
    builtin: Counter[str] = Counter()
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        if filename == "~" and "epoll" not in name:
            builtin[name] += own
        if "/hwreview/" in filename:
            key = "hwreview " + filename.split("/hwreview/", 1)[1]
        elif "site-packages/" in filename:
            key = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        elif "epoll" in name:
            key = "(idle: waiting for the network)"
        elif filename == "~":
            key = "builtins (sockets, isinstance, ...)"
        else:
            key = "python: " + Path(filename).name
        by[key.removesuffix(".py")] += own
    total = sum(by.values())
    print(f"client CPU by package (cProfile, {total:.2f} s in all):")
    ours = sum(seconds for key, seconds in by.items() if key.startswith("hwreview"))
    for key, seconds in [*by.most_common(8), ("hwreview (all modules)", ours)]:
        print(f"  {seconds / total:6.1%}  {seconds:6.2f} s  {key}")
    print("  the builtins: " + ", ".join(f"{n} {t:.2f} s" for n, t in builtin.most_common(4)))


def main() -> None:
    """Warm up (litellm's import, the first connection), then measure both concurrencies."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--api-base", help="a llama-server started with --metrics")
    parser.add_argument("--model", default="openai/gemma3-270m", help="with --api-base")
    parser.add_argument("--max-tokens", type=int, default=None, help="tokens per reply")
    parser.add_argument("--profile", action="store_true", help="profile the concurrency-8 run")
    parser.add_argument(
        "--runs", default="1x2,8x8", help="CONCURRENCYxCONVERSATIONS,... (default 1x2,8x8)"
    )
    args = parser.parse_args()
    os.environ.setdefault("OPENAI_API_KEY", "benchmark-key-not-secret")
    key_text = (REPO / "src" / "hwreview" / "demo" / "demo.md").read_text(encoding="utf-8")
    load_litellm()
    runs = [tuple(int(n) for n in item.split("x")) for item in args.runs.split(",")]
    fake = None
    if args.api_base:
        server: FakeServer | LlamaServer = LlamaServer(args.api_base, args.model)
    else:
        fake = subprocess.Popen(
            [sys.executable, str(REPO / "tests" / "llm" / "fake_server.py"), str(DELAY)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert fake.stdout is not None
        server = FakeServer(fake.stdout.readline().strip())
    try:
        run(server, key_text, 1, 1, args.max_tokens)  # warm up
        if isinstance(server, FakeServer):
            print(f"fake model: {DELAY * 1000:.0f} ms per reply; demo key turn by turn (12 turns)")
        else:
            print(f"{server.model} at {server.base} ({server.slots} slots); demo key turn by turn")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        head = ("run", "wall s", "ideal s", "overhead", "CPU ms/turn", "save ms/turn")
        print(f"{head[0]:>22} {head[1]:>8} {head[2]:>8} {head[3]:>9} {head[4]:>12} {head[5]:>13}")
        if isinstance(server, FakeServer):
            wall, busy, cpu = bare(server, 24)
            name = "bare httpx, 24 req."
            print(
                f"{name:>22} {wall:>8.2f} {busy:>8.2f} {wall / busy - 1:>8.1%} {cpu / 24e-3:>12.1f}"
            )
        for concurrency, conversations in runs:
            profile = cProfile.Profile() if args.profile and concurrency > 1 else None
            if profile is not None:
                profile.enable()
            wall, busy, cpu, turns, saving = run(
                server, key_text, conversations, concurrency, args.max_tokens
            )
            if profile is not None:
                profile.disable()
            ideal = busy / min(concurrency, conversations, server.slots)
            name = f"c={concurrency}, {conversations} conv., {turns} turns"
            print(
                f"{name:>22} {wall:>8.2f} {ideal:>8.2f} {wall / ideal - 1:>8.1%} "
                f"{cpu / turns * 1e3:>12.1f} {saving / turns * 1e3:>13.1f}"
            )
            if profile is not None:
                where(profile)
    finally:
        if fake is not None:
            fake.communicate(timeout=10)  # closing stdin stops it


if __name__ == "__main__":
    main()

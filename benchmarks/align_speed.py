"""Time aligning a 340 KB transcript: the new aligner against the old one, in the same run.

    .venv/bin/python benchmarks/align_speed.py

Builds deterministic transcripts of about 34 KB and 340 KB against the demo key (turn by turn,
LaTeX-heavy answers with lists, code and numbered steps, follow-ups and 'continue'), writes
them to a temporary folder and aligns each 5 times with the current code and with the aligners
of START_COMMIT and OLD_COMMIT (git archives), each in a fresh interpreter; prints the median
and the slowest.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from alignment import OLD_COMMIT, ROOT, START_COMMIT, export_commit  # noqa: E402

KEY = ROOT / "src" / "hwreview" / "demo" / "demo.md"
RUNS = 5
TIMER = """
import json, sys, time
from hwreview.keys.parser import load_key
from hwreview.transcripts import load_transcript
from hwreview.transcripts.align import align
key = load_key(sys.argv[1]); transcript = load_transcript(sys.argv[2], "markdown")
times = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter(); align(key, transcript); times.append(time.perf_counter() - start)
print(json.dumps(times))
"""

PARAGRAPH = (
    "The update $\\Delta W = AB$ has rank at most $k$, so with $m = l = {n}$ the adapter trains "
    "$k(m + l) = {p}$ parameters against $ml$; the gradient is $\\partial L / \\partial A = G "
    "B^\\top$ with shape $m \\times k$. "
)


def answer(rng: random.Random, size: int) -> str:
    """An answer of about `size` characters: prose with math, a list, steps and a code block."""
    pieces: list[str] = []
    while sum(map(len, pieces)) < size:
        kind = rng.random()
        n = rng.randint(64, 8192)
        if kind < 0.6:
            pieces.append(PARAGRAPH.format(n=n, p=n * 16) * rng.randint(1, 4))
        elif kind < 0.75:
            pieces.append("\n".join(f"{i}. Step {i}: $x_{i} = {i * n}$." for i in range(1, 6)))
        elif kind < 0.85:
            pieces.append("- (i) a first case\n- (ii) a second case, with $\\sqrt{n}$")
        else:
            pieces.append("```python\nflops = 6 * N * D  # (a) not a label\nprint(flops)\n```")
    return "\n\n".join(pieces)


def transcript(target: int, seed: int) -> str:
    """A turn-by-turn chat over the demo key's parts, repeated until `target` characters."""
    rng = random.Random(seed)
    parts = ["1(a)", "1(b)", "1(c)(i)", "1(c)(ii)", "2(a)", "2(b)", "2(c)", "2(d)"]
    parts += ["3(a)", "3(b)", "3(c)", "3(d)"]
    out: list[str] = ["---\nmodel: bench\n---\n"]
    size = 0
    while size < target:
        for label in parts:
            ask = f"Problem {label[0]} {label[1:]}: please answer this part."
            if rng.random() < 0.1:
                ask = "continue"
            elif rng.random() < 0.1:
                ask = "That's wrong, try again."
            reply = answer(rng, rng.randint(800, 3000))
            turn = f"## User\n\n{ask}\n\n## Assistant\n\n{reply}\n"
            out.append(turn)
            size += len(turn)
            if size >= target:
                break
    return "\n".join(out)


def timed(pythonpath: Path, path: Path) -> list[float]:
    """Alignment times, in seconds, with the hwreview under `pythonpath`."""
    env = dict(os.environ, PYTHONPATH=str(pythonpath), LITELLM_LOCAL_MODEL_COST_MAP="True")
    done = subprocess.run(
        [sys.executable, "-c", TIMER, str(KEY), str(path), str(RUNS)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    """Print the median and slowest alignment time per size: new, session start and old
    (`--start COMMIT` picks another start than START_COMMIT)."""
    args = sys.argv[1:]
    start_commit = args[args.index("--start") + 1] if "--start" in args else START_COMMIT
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "old").mkdir()
        (folder / "start").mkdir()
        old = export_commit(OLD_COMMIT, folder / "old")
        start = export_commit(start_commit, folder / "start")
        print("| transcript | aligner | median | slowest |")
        print("|---|---|---:|---:|")
        for size in (34_000, 340_000):
            path = folder / f"chat-{size}.md"
            path.write_text(transcript(size, seed=size), encoding="utf-8")
            kb = path.stat().st_size / 1000
            aligners = (
                ("new", ROOT / "src"),
                (f"start ({start_commit})", start),
                (f"old ({OLD_COMMIT})", old),
            )
            for name, where in aligners:
                times = sorted(timed(where, path))
                median = times[len(times) // 2]
                print(
                    f"| {kb:.0f} KB | {name} | {median * 1000:.0f} ms | {times[-1] * 1000:.0f} ms |"
                )


if __name__ == "__main__":
    main()

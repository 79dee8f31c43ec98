"""Benchmark: cold start of `hwreview open demo` to the first painted review screen,
against a bare Textual app with one Static. Each start is a fresh interpreter.

First, the import time alone: `import hwreview.cli.commands, hwreview.tui.app` (what every
`hwreview` command and the terminal UI import before doing anything) against `import
textual.app`, each in a fresh interpreter, interleaved.

Run: .venv/bin/python benchmarks/startup.py [--runs N]

Both apps run headless at 160x50 (the same App.run, with `headless=True` forced); the time is
wall clock from just before the process is spawned to the first screen update (App._display)
of the target screen, as reported by the child. Also prints the child's peak RSS and the
heavy modules it imported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import sys, time
TARGET = sys.argv[1]
from textual.app import App

_run = App.run
def run(self, *args, **kwargs):
    kwargs["headless"] = True
    kwargs["size"] = (160, 50)
    return _run(self, *args, **kwargs)
App.run = run

_display = App._display
def display(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and not getattr(self, "_bench_done", False) and (
        TARGET == "*" or type(screen).__name__ == TARGET
    ):
        self._bench_done = True
        import json, resource
        heavy = [m for m in ("litellm", "openai", "tiktoken", "httpx") if m in sys.modules]
        print("BENCH " + json.dumps({
            "painted": time.time(),
            "screen": type(screen).__name__,
            "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "modules": len(sys.modules),
            "heavy": heavy,
        }), flush=True)
        self.exit()
App._display = display

if sys.argv[2] == "bare":
    from textual.widgets import Static
    class Bare(App):
        def compose(self):
            yield Static("Hello from a bare Textual app")
    Bare().run()
else:
    from hwreview.cli.commands import main
    sys.argv = ["hwreview", *sys.argv[3:]]
    main()
"""


def _start(target: str, kind: str, args: list[str], env: dict[str, str]) -> dict:
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, target, kind, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    for line in out.stdout.splitlines():
        if line.startswith("BENCH "):
            result = json.loads(line[6:])
            result["ms"] = (result["painted"] - t0) * 1000
            return result
    raise RuntimeError(f"{kind}: no paint reported\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")


IMPORTS = {
    "import textual.app": "import textual.app",
    "import the CLI and the app": "import hwreview.cli.commands, hwreview.tui.app",
}


def _import_ms(statement: str, env: dict[str, str]) -> float:
    """Milliseconds `statement` takes in a fresh interpreter (timed inside it)."""
    code = (
        "import time; t = time.perf_counter(); " + statement + "; "
        "print((time.perf_counter() - t) * 1000)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return float(out.stdout.strip())


def imports(runs: int, env: dict[str, str]) -> None:
    """Print the import time of the CLI and the app against Textual's own, interleaved."""
    times: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for _ in range(runs):
        for name, statement in IMPORTS.items():
            times[name].append(_import_ms(statement, env))
    print(f"{'imports (fresh interpreter)':<38} {'runs':>4} {'median ms':>10} {'min ms':>8}")
    medians = []
    for name, values in times.items():
        medians.append(statistics.median(values))
        print(f"{name:<38} {runs:>4} {medians[-1]:10.0f} {min(values):8.0f}")
    print(f"ratio CLI + app / textual.app: {medians[1] / medians[0]:.2f}x (target <= 1.3x)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description="hwreview cold start vs a bare Textual app")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HWREVIEW_HOME": home, "TEXTUAL_ANIMATIONS": "none"}
        env.pop("LITELLM_LOCAL_MODEL_COST_MAP", None)
        imports(args.runs * 2, env)
        subprocess.run(
            [sys.executable, "-m", "hwreview.cli", "demo", "--no-tui"],
            env=env,
            capture_output=True,
            check=False,
        )
        if not list(Path(home).rglob("*demo*")):
            subprocess.run(
                [str(Path(sys.executable).parent / "hwreview"), "demo", "--no-tui"],
                env=env,
                capture_output=True,
                check=True,
            )
        plans = [
            ("bare Textual app (one Static)", "*", "bare", []),
            ("hwreview open demo -> ReviewScreen", "ReviewScreen", "hwreview", ["open", "demo"]),
        ]
        _start("*", "bare", [], env)  # warm the OS file cache once, not counted
        results: dict[str, list[dict]] = {name: [] for name, *_ in plans}
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            for name, target, kind, argv in plans:
                results[name].append(_start(target, kind, argv, env))

    print(f"{'app':<38} {'runs':>4} {'median ms':>10} {'min ms':>8} {'max RSS MiB':>12}  heavy")
    medians = {}
    for name, runs in results.items():
        times = [r["ms"] for r in runs]
        medians[name] = statistics.median(times)
        rss = max(r["maxrss_mib"] for r in runs)
        heavy = sorted({m for r in runs for m in r["heavy"]}) or "-"
        print(
            f"{name:<38} {len(runs):>4} {medians[name]:10.0f} {min(times):8.0f} {rss:12.0f}  "
            f"{heavy}"
        )
    bare, hw = medians.values()
    print(f"ratio hwreview / bare: {hw / bare:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()

"""Benchmark: switching the document shown by DocView vs Textual's Markdown and a Rich Static.

Run: .venv/bin/python benchmarks/view_switch.py [--quick]

Prints, in one run: (1) keypress-to-settled-screen times for next-part switching at 160x50
for three documents sizes (~7 KB, ~68 KB, ~340 KB) and three widgets, (2) time to the first
screen of the 340 KB document, (3) cold start of `hwreview open demo` vs a bare Textual app
(via benchmarks/startup.py), (4) peak memory of this process.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (160, 50)

# ---------------------------------------------------------------- documents

_WORDS = [
    "the",
    "gradient",
    "of",
    "loss",
    "with",
    "respect",
    "to",
    "matrix",
    "is",
    "computed",
    "by",
    "chain",
    "rule",
    "so",
    "we",
    "obtain",
    "a",
    "low",
    "rank",
    "update",
    "where",
    "each",
    "column",
    "spans",
    "subspace",
    "and",
    "therefore",
    "singular",
    "values",
    "decay",
    "quickly",
    "which",
    "means",
    "approximation",
    "error",
    "bounded",
    "by",
    "tail",
    "energy",
    "of",
    "spectrum",
    "note",
    "that",
    "this",
    "holds",
    "for",
    "any",
    "orthogonal",
    "projection",
    "onto",
    "span",
    "of",
    "top",
    "vectors",
]
_MATH = [
    r"$\frac{\partial L}{\partial A} = G B^\top$",
    r"$S_{ij} = \sum_{k=1}^{r} U_{ik} \sigma_k V_{jk}$",
    r"$r \ll \min(m, n)$",
    r"$\operatorname{rank}(W) \le r$",
    r"$W \in \mathbb{R}^{m \times n}$",
    r"$\|A - A_k\|_F^2 = \sum_{i>k} \sigma_i^2$",
    r"$\alpha = 10{,}000$",
    r"$x \cdot y = \text{cost}$",
]
_CODE = [
    "import numpy as np\n\ndef low_rank(a, r):\n    u, s, vt = np.linalg.svd(a, full_matrices=False)\n"
    "    return (u[:, :r] * s[:r]) @ vt[:r]\n",
    "for epoch in range(10):\n    loss = model(x).sub(y).pow(2).mean()\n    loss.backward()\n"
    "    opt.step()\n    opt.zero_grad()\n",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.35:
        math = rng.choice(_MATH)
        if rng.random() < 0.5:  # vary the spans, so the LaTeX cache does not make them free
            k = rng.randint(2, 99)
            math = rng.choice(
                [
                    f"$x_{{{k}}}^2 + y_{k} \\le {k}$",
                    f"$\\frac{{{k}}}{{n^{{{k % 9}}}}}$",
                    f"$\\sigma_{{{k}}} \\approx {k}.{k % 7}$",
                ]
            )
        words.insert(rng.randint(1, len(words) - 1), math)
    if rng.random() < 0.15:
        words.insert(rng.randint(1, len(words) - 1), f"`{rng.choice(_WORDS)}_{rng.randint(1, 9)}`")
    if rng.random() < 0.15:
        i = rng.randint(0, len(words) - 1)
        words[i] = f"**{words[i]}**"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _block(rng: random.Random, n: int) -> str:
    kind = rng.random()
    if n % 12 == 0:
        return f"## Problem {n // 12 + 1}({'abcd'[n % 4]})"
    if kind < 0.45:
        return " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
    if kind < 0.58:
        return "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 5)))
    if kind < 0.66:
        return "\n".join(f"{i}. {_sentence(rng)}" for i in range(1, rng.randint(3, 6)))
    if kind < 0.76:
        return f"```python\n{rng.choice(_CODE)}```"
    if kind < 0.84:
        rows = "\n".join(
            f"| {r} | {rng.randint(1, 99)}.{rng.randint(0, 9)} | {rng.choice(_WORDS)} |"
            for r in range(1, rng.randint(3, 7))
        )
        return f"| rank | error | note |\n|---:|---:|---|\n{rows}"
    if kind < 0.92:
        return "$$\n" + rng.choice(_MATH).strip("$") + "\n$$"
    return "> " + _sentence(rng)


def make_document(size: int, seed: int = 0) -> str:
    """A deterministic homework-answer-like Markdown document of about `size` bytes."""
    rng = random.Random(seed)
    blocks, total, n = [f"# Answer (seed {seed})"], 0, 1
    while total < size:
        block = _block(rng, n)
        blocks.append(block)
        total += len(block.encode()) + 2
        n += 1
    return "\n\n".join(blocks) + "\n"


# ---------------------------------------------------------------- the switching harness


def _make_app(kind: str, docs: list[str], prefetch: bool):
    from rich.markdown import Markdown as RichMarkdown
    from textual import events
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.widgets import Markdown, Static

    from hwreview.render.latex import latex_to_unicode
    from hwreview.render.sanitize import clean_text
    from hwreview.tui.widgets.doc_view import DocView

    class SwitchApp(App):
        CSS = "#box { height: 1fr; }"
        BINDINGS = [("n", "next", "Next part")]

        def __init__(self) -> None:
            super().__init__()
            self.index = -1
            self.handled: float | None = None
            self.displays: list[float] = []

        def compose(self):
            if kind == "docview":
                yield DocView(id="view")
            else:
                with VerticalScroll(id="box"):
                    yield Markdown(id="view") if kind == "markdown" else Static(id="view")

        async def action_next(self) -> None:
            self.index += 1
            text = docs[self.index % len(docs)]
            view = self.query_one("#view")
            if kind == "docview":
                view.show(f"doc{self.index}", text)
                if prefetch:
                    view.prefetch(f"doc{self.index + 1}", docs[(self.index + 1) % len(docs)])
            elif kind == "markdown":
                await view.update(latex_to_unicode(clean_text(text)))
            else:
                view.update(RichMarkdown(latex_to_unicode(clean_text(text))))
            self.handled = time.perf_counter()

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if renderable is not None:
                # Headless apps skip encoding the update for the terminal: do it, as a real
                # terminal session would, so the time includes it.
                renderable.render_segments(self.console)
                self.displays.append(time.perf_counter())

        def press_next(self) -> None:
            self._driver.send_message(events.Key("n", "n"))

    return SwitchApp()


async def _settled(app, t0: float, count: int, timeout: float) -> float:
    """Wait for the first screen paint after the key was handled; return seconds since t0."""
    while True:
        if app.handled is not None:
            after = [t for t in app.displays[count:] if t >= app.handled]
            if after:
                return after[0] - t0
        if time.perf_counter() - t0 > timeout:
            return float("nan")
        await asyncio.sleep(0.0002)


async def _idle_view(app, kind: str) -> None:
    """Let background rendering finish, so each switch starts from a quiet app."""
    if kind == "docview":
        view = app.query_one("#view")
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline and not view.idle:
            await asyncio.sleep(0.005)
    await asyncio.sleep(0.03)


async def measure_switches(
    kind: str, docs: list[str], runs: int, prefetch: bool = False
) -> list[float]:
    """Keypress-to-settled-screen times (ms) for `runs` next-part switches."""
    app = _make_app(kind, docs, prefetch)
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # One warm-up switch (imports, first Pygments lexer...), not counted.
        for i in range(runs + 1):
            count, app.handled = len(app.displays), None
            t0 = time.perf_counter()
            app.press_next()
            elapsed = await _settled(app, t0, count, timeout=600)
            if i:
                times.append(elapsed * 1000)
            await _idle_view(app, kind)
    return times


async def first_screen(doc: str) -> tuple[float, float]:
    """(first screen, fully rendered) ms when a fresh DocView opens `doc`."""
    from textual.app import App

    from hwreview.tui.widgets.doc_view import DocView

    done: dict[str, float] = {}

    class OpenApp(App):
        def compose(self):
            yield DocView(id="view")

        def on_doc_view_rendered(self, _message) -> None:
            done.setdefault("full", time.perf_counter())

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if "t0" in done and "first" not in done:
                done["first"] = time.perf_counter()

    app = OpenApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(DocView)
        done["t0"] = time.perf_counter()
        view.show("big", doc)
        while "first" not in done or "full" not in done:
            await asyncio.sleep(0.001)
    return (done["first"] - done["t0"]) * 1000, (done["full"] - done["t0"]) * 1000


def doc_memory(doc: str, width: int = SIZE[0] - 2) -> tuple[float, int]:
    """(MiB, lines) that DocView's cache holds for `doc` fully rendered (tracemalloc)."""
    import tracemalloc

    from hwreview.tui.widgets.line_cache import RenderedDoc
    from hwreview.tui.widgets.md_lines import RenderStyle

    tracemalloc.start()
    rendered = RenderedDoc("mem", doc, width, RenderStyle("bench"), False)
    for index in range(len(rendered.chunks)):
        rendered.render(index)
    rendered.layout()
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current / 2**20, rendered.height


def _stats(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="switches per row (default 30)")
    parser.add_argument(
        "--markdown-runs",
        default="5,3,1",
        help="switches for the Markdown widget at 7/68/340 KB (it is slow)",
    )
    parser.add_argument("--skip-startup", action="store_true", help="skip the cold-start part")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after imports, as an app could do at start-up",
    )
    args = parser.parse_args()
    if args.gc_freeze:
        import textual.widgets  # noqa: F401

        import hwreview.tui.widgets.doc_view  # noqa: F401 - import what the app imports

        gc.collect()
        gc.freeze()
    md_runs = [int(x) for x in args.markdown_runs.split(",")]

    sizes = [("7 KB", 7_000), ("68 KB", 68_000), ("340 KB", 340_000)]
    print(
        f"Next-part switching at {SIZE[0]}x{SIZE[1]}: keypress -> first paint of the new "
        "document (ms)"
    )
    header = f"{'doc':>7} {'widget':<26} {'runs':>4} {'median':>9} {'p95':>9} {'vs DocView':>11}"
    print(header)
    rows: dict[tuple[str, str], tuple[float, float]] = {}
    for (label, size), md_n in zip(sizes, md_runs, strict=True):
        n_docs = args.runs + 2
        docs = [make_document(size, seed) for seed in range(n_docs)]
        plan = [
            ("docview", "DocView (cold)", args.runs, False),
            ("docview", "DocView (prefetched)", args.runs, True),
            (
                "static",
                "Static(rich Markdown)",
                min(args.runs, 30 if size < 100_000 else 10),
                False,
            ),
            ("markdown", "textual Markdown widget", md_n, False),
        ]
        for kind, name, runs, prefetch in plan:
            if runs <= 0:
                continue
            times = asyncio.run(measure_switches(kind, docs, runs, prefetch))
            med, p95 = _stats(times)
            rows[(label, name)] = (med, p95)
            base = rows.get((label, "DocView (cold)"), (med, p95))[0]
            ratio = f"{med / base:10.1f}x" if name != "DocView (cold)" else f"{'1.0x':>11}"
            print(f"{label:>7} {name:<26} {runs:>4} {med:9.1f} {p95:9.1f} {ratio}", flush=True)
            gc.collect()
    print("(Markdown widget and Static rows use fewer runs where marked: they take seconds each.)")

    big = make_document(340_000, 999)
    first, full = asyncio.run(first_screen(big))
    print(
        f"\nOpening the 340 KB document in a fresh DocView: first screen {first:.1f} ms, "
        f"fully rendered (background) {full:.0f} ms"
    )

    if not args.skip_startup:
        print("\nCold start (benchmarks/startup.py):", flush=True)
        subprocess.run([sys.executable, str(HERE / "startup.py")], check=False)

    mib, lines = doc_memory(big)
    print(f"\nDocView cache for the 340 KB document: {lines} lines, {mib:.1f} MiB (tracemalloc)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"Peak memory of this benchmark process (ru_maxrss, all widgets and documents): "
        f"{rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()

"""Benchmark: next-part switching on the real review screen, vs Static(rich Markdown) and Markdown.

Run: .venv/bin/python benchmarks/review_switch.py [--sizes 7,68,340] [--profile 7]

Issue 5 asks for the keypress-to-settled-screen time of next-part switching *in hwreview*.
`view_switch.py` measures the DocView widget alone; this script measures the whole review
screen: a session is built in a temporary HWREVIEW_HOME through the public API (one transcript,
33 parts, each answer a ~7 KB / ~68 KB / ~340 KB document from view_switch's generator,
aligned by exact spans), opened with `make_app(root, name)` under `run_test(size=(160, 50))`,
and `n` is pressed from the first part to the last.

Timing is view_switch's: the key goes straight to the driver, and the time runs until the first
screen update (`App._display`, plus encoding it for the terminal) after the `next_part` action
returned. Also printed: the end of the screen-update tick that made that update (the review
screen repaints the whole screen a second time in the same tick), and the time until the
action returned. The first press is a warm-up, not counted. Two modes:

- reading: between presses wait until every document view of the screen is idle (the screen
  prefetches the next and previous parts while the grader reads) and count 5 s of reading for
  the time tracker, as a grader reading the part would;
- rapid: press again as soon as the previous switch's tick ended (another session, other
  documents, so nothing is cached from the reading pass).

Baselines: view_switch's own harness (`measure_switches`) with Static(rich Markdown) and
Textual's Markdown widget, in this process, on the same answer documents as the reading pass.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from grade_latency import make_key  # noqa: E402
from view_switch import SIZE, _settled, _stats, make_document, measure_switches  # noqa: E402

from hwreview.keys.parser import parse_key  # noqa: E402
from hwreview.model import FOUND, Alignment, Message, Span, Transcript  # noqa: E402
from hwreview.session.session import NewTranscript, Session  # noqa: E402

PROBLEMS, PARTS_PER_PROBLEM = 3, 11  # 33 parts: 32 presses, 1 warm-up, 31 timed
READING_SECONDS = 5.0


def build_session(root: Path, name: str, size: int, seed0: int) -> tuple[list[str], Path]:
    """A one-transcript session whose answer to part i is make_document(size, seed0 + i)."""
    key_text = make_key(PROBLEMS, PARTS_PER_PROBLEM)
    (root / "keys").mkdir(parents=True, exist_ok=True)
    (root / "keys" / "bench.md").write_text(key_text, encoding="utf-8")
    assignment = parse_key(key_text, "keys/bench.md")
    docs, pieces, spans, offset = [], [], {}, 0
    for index, part in enumerate(assignment.parts):
        answer = make_document(size, seed0 + index)
        docs.append(answer)
        spans[part.id] = Alignment(part.id, FOUND, Span(1, offset, offset + len(answer)))
        pieces.append(answer)
        offset += len(answer) + 2
    transcript = Transcript(
        (Message("user", "Answer all parts."), Message("assistant", "\n\n".join(pieces))),
        model="bench-model",
    )
    entry = NewTranscript(transcript, "run1", spans, "run1.md")
    with Session.create(root, name, Path("keys/bench.md"), key_text, [entry]) as session:
        path = session.path
        for part, doc in zip(assignment.parts, docs, strict=True):  # the spans are exact
            assert session.transcripts[0].answer(part.id) == doc
    return docs, path


async def _views_idle(screen) -> None:
    """Wait until every document view of the review screen has nothing left to render."""
    from hwreview.tui.widgets.part_view import PartView

    views = screen.query_one(PartView).doc_views()
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline and not all(view.idle for view in views):
        await asyncio.sleep(0.005)
    await asyncio.sleep(0.03)


class Result(NamedTuple):
    """Milliseconds per timed switch, and the session-file writes of the whole pass."""

    first_paint: list[float]  # view_switch's measure: first screen update after the handler
    tick_end: list[float]  # end of the screen-update tick that made that first update
    handler: list[float]  # keypress until the next_part action returned
    writes: int


async def measure_review(
    root: Path, name: str, rapid: bool, profiler: cProfile.Profile | None = None
) -> Result:
    """Time `n` pressed from the first part to the last on the review screen of `name`."""
    from textual import events

    from hwreview.tui.app import make_app
    from hwreview.tui.screens.review import ReviewScreen

    app = make_app(root, name)
    app.handled, app.displays = None, []  # what view_switch._settled reads
    display = app._display

    def timed_display(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None:
            renderable.render_segments(app.console)  # as a real terminal would (see view_switch)
            app.displays.append(time.perf_counter())

    app._display = timed_display  # Screen calls app._display(...)
    app.ticks = []
    result = Result([], [], [], 0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen), screen
        next_part = screen.action_next_part

        def timed_next_part() -> None:
            next_part()
            app.handled = time.perf_counter()

        screen.action_next_part = timed_next_part  # found by name, like any action
        # The screen's update timer paints in ticks; a tick may update the terminal more than
        # once (a partial update, then a full one when the screen itself was refreshed).
        timer = screen._update_timer
        tick = timer._callback

        def timed_tick() -> None:
            tick()
            app.ticks.append(time.perf_counter())

        timer._callback = timed_tick
        order = [p.id for p in screen.assignment.parts]
        assert screen.part_id == order[0]
        writes0 = screen.session.store.storage.writes
        await _views_idle(screen)
        for i in range(len(order) - 1):
            if not rapid:
                screen.clock.started -= READING_SECONDS  # the grader read the part for a while
            count, app.handled = len(app.displays), None
            if profiler is not None and i:
                profiler.enable()
            t0 = time.perf_counter()
            app._driver.send_message(events.Key("n", "n"))
            elapsed = await _settled(app, t0, count, timeout=600)
            if profiler is not None:
                profiler.disable()
            assert screen.part_id == order[i + 1], (screen.part_id, order[i + 1])
            first = t0 + elapsed
            ends = [t for t in app.ticks if t >= first]
            if i:
                result.first_paint.append(elapsed * 1000)
                result.tick_end.append(((ends[0] if ends else first) - t0) * 1000)
                result.handler.append((app.handled - t0) * 1000)
            if not rapid:
                await _views_idle(screen)
        writes = screen.session.store.storage.writes - writes0
        await _views_idle(screen)
    return result._replace(writes=writes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="7,68,340", help="answer sizes in KB (default 7,68,340)")
    parser.add_argument(
        "--markdown-runs",
        default="5,3,1",
        help="switches for the Markdown widget per size (it is slow; as view_switch)",
    )
    parser.add_argument("--static-runs", default="30,30,10", help="Static(rich Markdown) switches")
    parser.add_argument(
        "--profile",
        metavar="KB",
        type=int,
        help="instead: cProfile the UI thread during the timed switches (reading mode) at KB",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    md_runs = dict(zip([7, 68, 340], [int(x) for x in args.markdown_runs.split(",")], strict=True))
    st_runs = dict(zip([7, 68, 340], [int(x) for x in args.static_runs.split(",")], strict=True))

    with tempfile.TemporaryDirectory(prefix="hwreview-bench-") as tmp:
        root = Path(tmp)
        os.environ["HWREVIEW_HOME"] = str(root)
        if args.profile:
            build_session(root, "profile", args.profile * 1000, 0)
            profiler = cProfile.Profile()
            result = asyncio.run(measure_review(root, "profile", False, profiler))
            med, p95 = _stats(result.first_paint)
            print(f"{args.profile} KB, reading, under cProfile: median {med:.1f} p95 {p95:.1f} ms")
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
            stats.print_stats(
                r"hwreview|textual/(screen|_compositor|_styles_cache|widgets)|json|posix", 30
            )
            print(out.getvalue())
            return

        print(
            f"Next-part switching at {SIZE[0]}x{SIZE[1]}, ms: keypress -> first screen update "
            f"after the handler (median, p95; view_switch's measure), -> end of that update "
            f"tick (tick med/p95), -> handler returned (handler); review screen = ReviewScreen, "
            f"1 transcript, {PROBLEMS * PARTS_PER_PROBLEM} parts; {os.cpu_count()} cores"
        )
        head = (
            f"{'doc':>7} {'what':<36} {'runs':>4} {'median':>8} {'p95':>8} {'tick med':>9} "
            f"{'tick p95':>9} {'handler':>8} {'÷reading':>9} {'÷rapid':>8}"
        )
        print(head)
        print("-" * len(head))
        notes = []
        for kb in sizes:
            label = f"{kb} KB"
            docs, path = build_session(root, f"reading{kb}", kb * 1000, 0)
            build_session(root, f"rapid{kb}", kb * 1000, 1000)
            medians: dict[str, float] = {}
            writes = []
            for mode, rapid in (("reading", False), ("rapid", True)):
                gc.collect()
                result = asyncio.run(measure_review(root, f"{mode}{kb}", rapid))
                med, p95 = _stats(result.first_paint)
                tick_med, tick_p95 = _stats(result.tick_end)
                medians[mode] = med
                writes.append(result.writes)
                print(
                    f"{label:>7} {'review screen, ' + mode:<36} {len(result.first_paint):>4} "
                    f"{med:8.1f} {p95:8.1f} {tick_med:9.1f} {tick_p95:9.1f} "
                    f"{statistics.median(result.handler):8.1f}",
                    flush=True,
                )
            for kind, name, runs in (
                ("static", "Static(rich Markdown) [view_switch]", st_runs.get(kb, 10)),
                ("markdown", "Markdown widget [view_switch]", md_runs.get(kb, 1)),
            ):
                if runs <= 0:
                    continue
                gc.collect()
                med, p95 = _stats(asyncio.run(measure_switches(kind, docs, runs)))
                print(
                    f"{label:>7} {name:<36} {runs:>4} {med:8.1f} {p95:8.1f} {'':>9} {'':>9} "
                    f"{'':>8} {med / medians['reading']:8.1f}x "
                    f"{med / medians['rapid']:7.1f}x",
                    flush=True,
                )
            notes.append(
                f"{label}: session file {path.stat().st_size / 2**20:.1f} MiB, written durably "
                f"{writes[0]} / {writes[1]} times in the reading / rapid pass (32 presses each)"
            )
    print(
        "÷reading, ÷rapid = baseline median / review-screen median (first screen update).\n"
        "Baselines: view_switch.measure_switches on the reading pass's answer documents, full "
        "width (the review screen's answer pane is narrower)."
    )
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()

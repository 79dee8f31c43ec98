"""Benchmark: where a part switch's CPU goes on the review screen, widget by widget (in-process).

Run: .venv/bin/python benchmarks/switch_cpu.py [--size 160x50] [--presses 20]

terminal_switch.py measures a switch in a real terminal, where wall-clock times on a shared
machine are mostly waiting for a core. This script runs the same session (33 parts of ~10 KB,
review_switch.build_session) under `run_test` and measures CPU time of the UI thread
(`time.thread_time`, which a loaded machine does not inflate much) for each press of `n`:

- the `n` action (the key handler: showing the part, prefetching its neighbours);
- the screen update that paints it (Textual's compositor refresh), and the bytes it would
  write to the terminal (its segments encoded as the terminal driver does);
- inside that update, the CPU each widget's `render_lines` took (Textual's StylesCache).

Between presses it waits until every document view is idle, as a grader reading would.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


async def measure(width: int, height: int, presses: int) -> None:
    """Press `n` `presses` times (after two warm-up presses) and print the CPU figures."""
    from review_switch import _views_idle, build_session
    from textual._compositor import CompositorUpdate
    from textual._styles_cache import StylesCache
    from textual.app import App
    from textual.screen import Screen

    root = Path(tempfile.mkdtemp(prefix="hwreview-cpu-"))
    os.environ["HWREVIEW_HOME"] = str(root)
    build_session(root, "bench", 10_000, 0)
    from hwreview.tui.app import make_app
    from hwreview.tui.screens.review import ReviewScreen

    on = [False]
    update_cpu: list[float] = []
    action_cpu: list[float] = []
    sizes: list[int] = []
    widgets: dict[str, float] = defaultdict(float)

    def timed(method, record):
        def wrapper(self, *args):
            start = time.thread_time()
            try:
                return method(self, *args)
            finally:
                if on[0]:
                    record(self, args, (time.thread_time() - start) * 1000)

        return wrapper

    def widget_name(widget) -> str:
        name = widget.id or f"in {getattr(widget.parent, 'id', None)}"
        return f"{type(widget).__name__}#{name}"

    Screen._compositor_refresh = timed(
        Screen._compositor_refresh, lambda s, a, ms: update_cpu.append(ms)
    )
    ReviewScreen.action_next_part = timed(
        ReviewScreen.action_next_part, lambda s, a, ms: action_cpu.append(ms)
    )
    StylesCache.render_widget = timed(
        StylesCache.render_widget,
        lambda s, a, ms: widgets.__setitem__(widget_name(a[0]), widgets[widget_name(a[0])] + ms),
    )
    display = App._display

    def encoded(self, screen, renderable) -> None:
        # Headless, Textual does not encode the update; a terminal does (inside the refresh).
        if on[0] and isinstance(renderable, CompositorUpdate):
            sizes.append(len(renderable.render_segments(self.console).encode()))
        display(self, screen, renderable)

    App._display = encoded
    app = make_app(root, "bench")
    per_switch: list[float] = []
    async with app.run_test(size=(width, height)) as pilot:
        for _ in range(400):
            await pilot.pause(0.05)
            if isinstance(app.screen, ReviewScreen) and app.screen.query("PartView"):
                break
        await _views_idle(app.screen)
        for index in range(presses + 2):
            before = len(update_cpu)
            on[0] = index >= 2
            await pilot.press("n")
            await pilot.pause(0.05)
            on[0] = False
            if index >= 2:
                per_switch.append(sum(update_cpu[before:]))
            await _views_idle(app.screen)
            await pilot.pause(0.1)
    print(
        f"{width}x{height}, {presses} presses of n, CPU ms of the UI thread (median / min):\n"
        f"  n action {statistics.median(action_cpu):.2f} / {min(action_cpu):.2f}; "
        f"screen update {statistics.median(per_switch):.2f} / {min(per_switch):.2f}, "
        f"{statistics.median(sizes) / 1024:.1f} KiB to write\n"
        "  inside the update, per switch (render_lines of each widget):"
    )
    for name, total in sorted(widgets.items(), key=lambda item: -item[1])[:12]:
        print(f"    {total / presses:6.2f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="160x50")
    parser.add_argument("--presses", type=int, default=20)
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    asyncio.run(measure(width, height, args.presses))


if __name__ == "__main__":
    main()

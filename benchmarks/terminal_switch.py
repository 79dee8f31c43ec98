"""Benchmark: next-part switching in a real terminal (tmux), hwreview against two same-run baselines.

Run: .venv/bin/python benchmarks/terminal_switch.py [--sizes 160x50,80x24] [--presses 30]
     [--trace] [--profile FILE]

Each app runs inside a detached tmux session of the given size (TERM=xterm-256color), exactly as
a grader would run it. The harness talks to the tmux server through one control-mode client
(`tmux -C`), so sending a key and capturing the pane are round trips on an open pipe, not a
process spawn each. For every press of `n` it:

1. sends `n` (send-keys) and starts the clock;
2. polls `capture-pane -p -e` (text and colours) until the pane shows the new part's marker
   and then stays unchanged for 250 ms;
3. records, as the switch time, the moment of the first capture equal to that final screen
   ("settled"), and the first capture showing the marker at all ("first").

Between presses it waits 0.6 s, as a grader reading the part would (hwreview renders the
neighbouring parts in the background meanwhile). The first two presses are warm-up.

The three apps, in one run, on the same documents (one per part: ~10 KB answers cut from a
~340 KB generated transcript, view_switch.make_document):

- **label floor**: a Textual app whose `n` changes the text of one Label (the least a Textual
  app can do for a key: the cost of the terminal round trip, Textual's event loop and a repaint);
- **Static(Markdown)**: a Textual app with a `Static` in a `VerticalScroll` whose `n` shows the
  next document as `rich.markdown.Markdown` (the simplest Markdown viewer);
- **hwreview**: `hwreview open bench` on a session whose transcript holds those documents as the
  answers of 33 parts (review_switch.build_session).

`--trace` also runs hwreview once more with the key arrival and every write to the terminal
timestamped inside the app, to show where a switch's time goes (key delivery, the app's work
before its first write, the writes, and the terminal). `--profile FILE` runs hwreview under
cProfile from the first `n` on and prints the top of it (the UI thread).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PART_SIZE = 10_000
STABLE_S = 0.25
READ_S = 0.6
WARMUP = 2
PRISTINE: list[Path] = []  # (a copy of the session file, the session file)


# ---------------------------------------------------------------- the apps under test (children)


def _child_floor(docs: list[str]) -> None:
    from textual.app import App
    from textual.widgets import Label

    class Floor(App):
        BINDINGS = [("n", "next", "Next")]

        def __init__(self) -> None:
            super().__init__()
            self.index = 0

        def compose(self):
            yield Label(_marker(0), id="label")

        def action_next(self) -> None:
            self.index = (self.index + 1) % len(docs)
            self.query_one(Label).update(_marker(self.index))

    Floor().run()


def _child_static(docs: list[str]) -> None:
    from rich.markdown import Markdown
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.widgets import Static

    from hwreview.render.latex import latex_to_unicode
    from hwreview.render.sanitize import clean_text

    class Viewer(App):
        CSS = "#box { height: 1fr; }"
        BINDINGS = [("n", "next", "Next")]

        def __init__(self) -> None:
            super().__init__()
            self.index = 0

        def compose(self):
            with VerticalScroll(id="box"):
                yield Static(self._doc(0), id="view")

        def _doc(self, index: int) -> Markdown:
            return Markdown(latex_to_unicode(clean_text(docs[index])))

        def action_next(self) -> None:
            self.index = (self.index + 1) % len(docs)
            self.query_one("#view", Static).update(self._doc(self.index))

    Viewer().run()


def _child_hwreview(argv: list[str], trace: str | None, profile: str | None) -> None:
    """hwreview's own CLI, optionally timestamping keys and terminal writes, or profiled."""
    if trace:
        from textual.drivers.linux_driver import LinuxDriver

        out = open(trace, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
        write = LinuxDriver.write

        def timed_write(self, data: str) -> None:
            write(self, data)
            out.write(f"W {time.time():.6f} {len(data)}\n")

        LinuxDriver.write = timed_write
        from textual.app import App

        on_event = App.on_event

        async def timed_event(self, event):
            if type(event).__name__ == "Key":
                out.write(f"K {time.time():.6f} {event.key}\n")
                out.flush()
            return await on_event(self, event)

        App.on_event = timed_event
        from textual.screen import Screen

        from hwreview.tui.screens.review import ReviewScreen

        def stamp(cls, name: str, tag: str) -> None:
            original = getattr(cls, name)

            def stamped(self, *args, **kwargs):
                out.write(f"{tag}0 {time.time():.6f} -\n")
                try:
                    return original(self, *args, **kwargs)
                finally:
                    out.write(f"{tag}1 {time.time():.6f} -\n")

            setattr(cls, name, stamped)

        stamp(ReviewScreen, "action_next_part", "A")
        stamp(Screen, "_on_timer_update", "U")
        stamp(Screen, "_refresh_layout", "L")
    if profile:
        import atexit
        import cProfile

        from hwreview.tui.screens.review import ReviewScreen

        profiler = cProfile.Profile()
        action = ReviewScreen.action_next_part

        def profiled(self) -> None:
            profiler.enable()  # from the first `n` on (the UI thread only)
            action(self)

        ReviewScreen.action_next_part = profiled
        atexit.register(profiler.dump_stats, profile)
    from hwreview.cli.commands import main

    sys.argv = ["hwreview", *argv]
    main()


def _marker(index: int) -> str:
    """What the pane shows once part `index` is up (each document starts with this heading)."""
    return f"Answer (seed {index})"


# ---------------------------------------------------------------- tmux through a control client


class Tmux:
    """A private tmux server; one control-mode client sends keys and captures the pane."""

    def __init__(self, socket: str) -> None:
        self.base = [shutil.which("tmux") or "tmux", "-L", socket, "-f", "/dev/null"]
        self.ctl: subprocess.Popen[str] | None = None

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """One tmux command as its own process (setup only)."""
        return subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=10)

    def start(self, command: str, width: int, height: int) -> None:
        """Start `command` in session `hw` of the given size, and the control client."""
        for _attempt in range(5):  # a server that is still exiting refuses new sessions
            self.run("kill-server")
            time.sleep(0.2)
            made = self.run(
                "new-session", "-d", "-x", str(width), "-y", str(height), "-s", "hw", command
            )
            if not made.returncode:
                break
        else:
            raise RuntimeError(made.stderr)
        self.run("new-session", "-d", "-x", "80", "-y", "24", "-s", "ctl", "sleep 3600")
        self.run("set-option", "-g", "window-size", "manual")  # hw keeps its size
        self.ctl = subprocess.Popen(
            [*self.base, "-C", "attach", "-t", "ctl"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        size = self.command("display-message -p -t hw '#{window_width}x#{window_height}'")
        if size.strip() != f"{width}x{height}":
            raise RuntimeError(f"the pane is {size.strip()}, not {width}x{height}")

    def command(self, line: str) -> str:
        """Run one command through the control client and return its output."""
        assert self.ctl is not None and self.ctl.stdin and self.ctl.stdout
        self.ctl.stdin.write(line + "\n")
        self.ctl.stdin.flush()
        out: list[str] = []
        inside = False
        while True:
            got = self.ctl.stdout.readline()
            if not got:
                raise RuntimeError("the tmux control client went away")
            if got.startswith("%begin") and got.split()[-1] == "1":  # flag 1: our command
                inside, out = True, []
            elif got.startswith(("%end", "%error")) and inside:
                if got.startswith("%error"):
                    raise RuntimeError(f"tmux: {line}: {''.join(out)}")
                return "".join(out)
            elif inside:
                out.append(got)

    def screen(self) -> str:
        """The pane now, with colours."""
        return self.command("capture-pane -p -e -t hw")

    def stop(self) -> None:
        """Quit the app (ctrl+q, so it can save and write a profile), then kill the server."""
        if self.ctl is not None:
            with contextlib.suppress(RuntimeError):  # the app may be gone already
                self.command("send-keys -t hw C-q")
            deadline = time.monotonic() + 10
            while (
                time.monotonic() < deadline and self.run("has-session", "-t", "hw").returncode == 0
            ):
                time.sleep(0.1)
        if self.ctl is not None:
            self.ctl.kill()
            self.ctl.wait(timeout=5)
            self.ctl = None
        self.run("kill-server")


def _wait_for(tmux: Tmux, text: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux.screen()
        if text in _plain(screen):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{text!r} never appeared; the screen was:\n{_plain(screen)}")


def _plain(screen: str) -> str:
    """The pane's text without colour escapes."""
    import re

    return re.sub(r"\x1b\[[0-9;:]*m", "", screen)


def measure(
    tmux: Tmux, command: str, size: tuple[int, int], presses: int
) -> tuple[list[float], list[float], list[float]]:
    """(settled ms, first ms, key-sent wall clocks) for `presses` timed presses of `n`."""
    if PRISTINE:  # hwreview saved its position on quit: start every run at the first part
        shutil.copyfile(PRISTINE[0], PRISTINE[1])
    tmux.start(command, *size)
    settled, first, sent = [], [], []
    try:
        _wait_for(tmux, _marker(0))
        time.sleep(1.0)  # let start-up work (the neighbours' prefetch) finish
        for index in range(1, presses + WARMUP + 1):
            marker = _marker(index)
            t0 = time.perf_counter()
            wall = time.time()
            tmux.command("send-keys -t hw n")
            shots: list[tuple[float, str]] = []
            last_change = t0
            while True:
                now = time.perf_counter()
                shot = tmux.screen()
                if not shots or shot != shots[-1][1]:
                    last_change = now
                shots.append((now, shot))
                shown = marker in _plain(shot)
                if shown and now - last_change >= STABLE_S:
                    break
                if now - t0 > 20:
                    raise RuntimeError(f"part {index} never settled:\n{_plain(shot)}")
            t_settled = last_change  # the first capture of the final screen
            t_first = next(t for t, s in shots if marker in _plain(s))
            if index > WARMUP:
                settled.append((t_settled - t0) * 1000)
                first.append((t_first - t0) * 1000)
                sent.append(wall)
            time.sleep(READ_S)
    finally:
        tmux.stop()
    return settled, first, sent


def _stats(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ]


def _trace_report(path: Path, sent: list[float]) -> None:
    """Per switch: key delivered, first write, last write of the burst, bytes written."""
    events = []
    for line in path.read_text().splitlines():
        kind, stamp, rest = line.split(" ", 2)
        events.append((kind, float(stamp), rest))
    keys = [t for kind, t, rest in events if kind == "K" and rest == "n"]
    marks: dict[str, list[float]] = {}
    for kind, t, _rest in events:
        if kind not in ("K", "W"):
            marks.setdefault(kind, []).append(t)

    def after(kind: str, t: float) -> float:
        return next((m for m in marks.get(kind, []) if m >= t), float("nan"))

    writes = [(t, int(rest)) for kind, t, rest in events if kind == "W"]
    rows = []
    for t0 in sent:
        key = next((k for k in keys if k >= t0), None)
        if key is None:
            continue
        burst = [(t, n) for t, n in writes if key <= t <= key + 0.5]
        if not burst:
            continue
        write = burst[0][0]
        update = max((m for m in marks.get("U0", []) if m <= write), default=float("nan"))
        rows.append(
            (
                (key - t0) * 1000,
                (burst[0][0] - key) * 1000,
                (burst[-1][0] - key) * 1000,
                len(burst),
                sum(n for _, n in burst),
                (after("A0", key) - key) * 1000,
                (after("A1", key) - key) * 1000,
                (update - key) * 1000,
                (after("U1", update) - key) * 1000,
                sum(1 for m in marks.get("L0", []) if key <= m <= write),
            )
        )
    if not rows:
        print("  (no trace rows)")
        return
    cols = list(zip(*rows, strict=True))
    print(
        f"  inside hwreview (median of {len(rows)}): key delivered {statistics.median(cols[0]):.1f}"
        f" ms after send-keys; first write {statistics.median(cols[1]):.1f} ms after the key; "
        f"last write {statistics.median(cols[2]):.1f} ms; {statistics.median(cols[3]):.0f} "
        f"writes, {statistics.median(cols[4]) / 1024:.1f} KiB\n"
        f"  action ran {statistics.median(cols[5]):.1f}-{statistics.median(cols[6]):.1f} ms after "
        f"the key; the screen update that wrote ran {statistics.median(cols[7]):.1f}-"
        f"{statistics.median(cols[8]):.1f} ms; layouts before the write: "
        f"{statistics.median(cols[9]):.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="160x50,80x24")
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--only", default="floor,static,hwreview", help="which apps to run")
    parser.add_argument("--trace", action="store_true", help="also time inside hwreview")
    parser.add_argument("--profile", metavar="FILE", help="cProfile hwreview (UI thread)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--docs", help=argparse.SUPPRESS)
    parser.add_argument("--child-trace", help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()

    if args.child:
        docs = json.loads(Path(args.docs).read_text()) if args.docs else []
        if args.child == "floor":
            _child_floor(docs)
        elif args.child == "static":
            _child_static(docs)
        else:
            _child_hwreview(rest, args.child_trace, args.child_profile)
        return

    if shutil.which("tmux") is None:
        sys.exit("tmux is not installed")
    from review_switch import PARTS_PER_PROBLEM, PROBLEMS, build_session

    sizes = [tuple(int(x) for x in s.split("x")) for s in args.sizes.split(",")]
    needed = args.presses + WARMUP + 1
    if needed > PROBLEMS * PARTS_PER_PROBLEM:
        sys.exit(f"at most {PROBLEMS * PARTS_PER_PROBLEM - WARMUP - 1} presses")
    only = args.only.split(",")
    me = shlex.quote(sys.executable) + " " + shlex.quote(str(Path(__file__).resolve()))
    tmux = Tmux(f"hwreview-bench-{os.getpid()}")
    with tempfile.TemporaryDirectory(prefix="hwreview-term-") as tmp:
        root = Path(tmp)
        os.environ["HWREVIEW_HOME"] = str(root)
        docs, path = build_session(root, "bench", PART_SIZE, 0)
        transcript_kb = sum(len(d.encode()) for d in docs) / 1000
        PRISTINE.extend([root / "pristine.json", path])
        shutil.copyfile(path, PRISTINE[0])
        docs_file = root / "docs.json"
        docs_file.write_text(json.dumps(docs))
        env = f"env HWREVIEW_HOME={shlex.quote(str(root))} TERM=xterm-256color COLORTERM=truecolor "
        plans = {
            "floor": ("label floor (one Label)", f"--child floor --docs {docs_file}"),
            "static": ("Static(rich Markdown)", f"--child static --docs {docs_file}"),
            "hwreview": ("hwreview review screen", "--child hwreview open bench"),
        }
        print(
            f"Next part in a real terminal (tmux {subprocess.run(['tmux', '-V'], capture_output=True, text=True).stdout.strip()}),"
            f" {len(docs)} parts of ~{PART_SIZE // 1000} KB from a {transcript_kb:.0f} KB "
            f"transcript; {args.presses} presses per row after {WARMUP} warm-up; "
            f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
        )
        print("ms from send-keys to the settled screen (to the first screen showing the new part)")
        head = f"{'size':>7} {'app':<26} {'median':>8} {'p95':>8} {'first med':>10} {'× floor':>8} {'÷ static':>9}"
        print(head)
        print("-" * len(head))
        for width, height in sizes:
            medians: dict[str, float] = {}
            for name in only:
                label, child = plans[name]
                settled, first, _sent = measure(
                    tmux, env + me + " " + child, (width, height), args.presses
                )
                med, p95 = _stats(settled)
                medians[name] = med
                floor = medians.get("floor")
                static = medians.get("static")
                print(
                    f"{width}x{height:<4} {label:<26} {med:8.1f} {p95:8.1f} "
                    f"{statistics.median(first):10.1f} "
                    f"{(f'{med / floor:7.2f}x' if floor else ''):>8} "
                    f"{(f'{static / med:8.2f}x' if static and name != 'static' else ''):>9}",
                    flush=True,
                )
            if "floor" in medians and "hwreview" in medians:
                print(
                    f"{'':>7} hwreview - floor = {medians['hwreview'] - medians['floor']:.1f} ms "
                    f"(goal <= 16.7, one frame)"
                    + (
                        f"; Static / hwreview = {medians['static'] / medians['hwreview']:.2f}x"
                        " (goal >= 5x)"
                        if "static" in medians
                        else ""
                    )
                )
            if args.trace:
                trace = root / f"trace-{width}x{height}.txt"
                _s, _f, sent = measure(
                    tmux,
                    env + me + f" --child hwreview --child-trace {trace} open bench",
                    (width, height),
                    args.presses,
                )
                _trace_report(trace, sent)
        if args.profile:
            width, height = sizes[0]
            measure(
                tmux,
                env
                + me
                + f" --child hwreview --child-profile {shlex.quote(args.profile)} open bench",
                (width, height),
                args.presses,
            )
            import pstats

            time.sleep(0.5)
            stats = pstats.Stats(args.profile)
            stats.sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()

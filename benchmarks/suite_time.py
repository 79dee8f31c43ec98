"""Time the suite as `make test` runs it against the suite issue 8 was filed on, back to back.

    .venv/bin/python benchmarks/suite_time.py --old /path/to/checkout-of-274047c

The old checkout needs its own `.venv` (`make .venv/.installed-test` there). Three runs, one
after the other on the same machine, each timed for wall and CPU (user + sys with children):

- **filed**: the old checkout's suite, run as its Makefile ran it (`pytest`, one at a time);
- **same tests**: this checkout's tests that carry the name of a test of the filed suite
  (tests moved between files in the package move, so they are matched by name), run as
  `make test` runs them (`pytest -n auto --dist worksteal`);
- **whole suite**: this checkout's whole suite as `make test` runs it.

It prints the three and the ratios to the filed suite. The comparison that says whether the
house made the suite slower is "same tests"; "whole suite" also holds every test later issues
added.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
_COUNTS = re.compile(r"(\d+) passed(?:, (\d+) skipped)?(?:, (\d+) failed)?")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def collect(root: Path) -> list[str]:
    """The node ids of every test under root, as its own pytest collects them."""
    out = subprocess.run(
        [
            str(root / ".venv/bin/python"),
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [line.strip() for line in out.splitlines() if "::" in line]


def run(root: Path, args: list[str]) -> tuple[float, float, str]:
    """Run pytest under root with args; wall seconds, CPU seconds and the outcome line."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="")
    cpu, wall = _cpu(), time.monotonic()
    done = subprocess.run(
        [str(root / ".venv/bin/python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall, cpu = time.monotonic() - wall, _cpu() - cpu
    counts = _COUNTS.search(done.stdout.splitlines()[-1] if done.stdout else "")
    return wall, cpu, counts.group(0) if counts else done.stdout[-200:]


def main() -> None:
    """Run the three suites back to back and print a table with ratios to the filed one."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", type=Path, required=True, help="checkout of the filed suite")
    options = parser.parse_args()
    old = options.old.resolve()
    names = {node.split("::")[-1].split("[")[0] for node in collect(old)}
    same = [node for node in collect(HERE) if node.split("::")[-1].split("[")[0] in names]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(same) + "\n")
    xdist = ["-n", "auto", "--dist", "worksteal"]
    rows = [
        ("filed (old checkout, `pytest`)", run(old, [])),
        ("same tests (`make test`'s way)", run(HERE, [*xdist, f"@{handle.name}"])),
        ("whole suite (`make test`'s way)", run(HERE, xdist)),
    ]
    Path(handle.name).unlink()
    base_wall, base_cpu = rows[0][1][0], rows[0][1][1]
    print(f"load {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, {len(names)} filed test names")
    print("| run | tests | wall | × filed | CPU | × filed |")
    print("|---|---|---:|---:|---:|---:|")
    for label, (wall, cpu, outcome) in rows:
        print(
            f"| {label} | {outcome} | {wall:.0f} s | {wall / base_wall:.2f} | {cpu:.0f} s "
            f"| {cpu / base_cpu:.2f} |"
        )


if __name__ == "__main__":
    main()

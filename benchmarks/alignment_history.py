"""Every fresh set, aligned again by the aligner that had not seen it: the pooled rate, from git.

    .venv/bin/python benchmarks/alignment_history.py            # final15 to LAST_SCORED
    .venv/bin/python benchmarks/alignment_history.py --from final26

Each blind set of the corpus was merged unopened (`corpus: merge … (finalN)` commits) and
scored once. This script finds, for each set already scored, its first merge commit and
exports the aligner of that merge's first parent (the code just before the set arrived: it
had never seen the set), aligns the set with it through the same harness as
benchmarks/alignment.py, and prints per set and pooled: parts, parts right, wrong spans marked
`found`, with 95% Wilson intervals, and how likely a set of 850 parts is to have no wrong
`found` at the pooled rate. It reproduces the table "Every fresh set since the sixth session"
in benchmarks/README.md from the history instead of by hand (a set scored later in its session
than its merge, after more tuning, may differ by a part or two). Sets not yet scored are never
opened: LAST_SCORED names the last one, and is moved on when a set is scored.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from alignment import CORPUS, HALVES, ROOT, Tally, export_commit, find_cases, run_aligner, score  # noqa: E402

from hwreview.stats import wilson_interval  # noqa: E402

FIRST = "final15"  # the first set written to the blind protocol of the sixth session
LAST_SCORED = "final34"  # the last set scored: later ones are not opened here
SET_SIZE = 850  # parts in a typical fresh set of four writers


def fresh_sets(first: str, last: str) -> list[str]:
    """The set names from `first` to `last` in their numbered order."""
    number = {name: int(name[len("final") :]) for name in HALVES if name[len("final") :].isdigit()}
    return sorted(
        (n for n in number if number[first] <= number[n] <= number[last]), key=number.__getitem__
    )


def merge_commits() -> list[str]:
    """Every merge commit of the history, newest first, as 'hash subject' (read once)."""
    return subprocess.run(
        ["git", "-C", str(ROOT), "log", "--merges", "--format=%H %s"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()


def merged_before(name: str, merges: list[str]) -> str:
    """The commit just before `name` was merged: the first parent of its earliest merge."""
    mine = [line.split()[0] for line in merges if f"({name})" in line or f" {name})" in line]
    if not mine:
        raise SystemExit(f"no merge commit names {name}")
    return f"{mine[-1]}^1"


def interval(hits: int, total: int) -> str:
    """A share with its 95% Wilson interval, in percent."""
    low, high = wilson_interval(hits, total)
    return f"{hits / total:.2%} ({low:.2%} to {high:.2%})"


def main(argv: list[str] | None = None) -> int:
    """Align each scored fresh set with the aligner before it and print the pooled rates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="first", default=FIRST, choices=sorted(HALVES))
    parser.add_argument("--through", default=LAST_SCORED, choices=sorted(HALVES))
    args = parser.parse_args(argv)
    pooled = Tally()
    print("| set | aligner | parts | right | wrong `found` |")
    print("|---|---|---:|---:|---:|")
    merges = merge_commits()
    for name in fresh_sets(args.first, args.through):
        cases = find_cases(CORPUS, name)
        commit = merged_before(name, merges)
        with tempfile.TemporaryDirectory() as tmp:
            results = run_aligner(cases, export_commit(commit, Path(tmp)))
        tally = Tally()
        for case, result in zip(cases, results, strict=True):
            tally.merge(score(case, result)[0])
        pooled.merge(tally)
        right, found = tally.counts["right"], tally.counts["wrong-found"]
        print(
            f"| {name} | {commit[:7]}^1 | {tally.total} | {right} ({tally.share:.1%}) | {found} |"
        )
    total, found = pooled.total, pooled.counts["wrong-found"]
    if not total:
        print("no parts")
        return 1
    print(f"| **pooled** | | {total} | {pooled.counts['right']} | {found} |\n")
    print(f"right: {interval(pooled.counts['right'], total)}")
    print(
        f"wrong span marked `found`: {interval(found, total)}, one in {total / max(found, 1):.0f}"
    )
    chance = math.exp(-SET_SIZE * found / total)
    print(f"a set of {SET_SIZE} parts with no wrong `found` at this rate: {chance:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

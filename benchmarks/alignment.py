"""Score alignment on the frozen outside corpus: new aligner against an old commit, per style.

    .venv/bin/python benchmarks/alignment.py --half seen --wrong     # tuning material: a-* to l-*
    .venv/bin/python benchmarks/alignment.py --half final5          # once, after the freeze (spent)

Halves (tests/alignment_corpus/README.md): `tune` and `test` (files a-*, b-*), `final`
(c-*, d-*) and `final2` (e-*, f-*) are spent, tuning material; `tune3` (i-*, j-*) is a blind set
written for tuning; `final3` (g-*, h-*), `final4` (k-*, l-*) and `final5` (m-*, n-*) were
blind sets, each scored once after a freeze and now spent (a new blind half is needed for
the next honest score). The files of the halves not asked for are never opened: they are
skipped by name before anything is read.

Each transcript X under CORPUS/transcripts has X.expect.json beside it (see the corpus README).
A part is RIGHT when its graded span contains the expected start and end phrases and no other
part's start phrase (a part expected `missing` is right when not found); WRONG-FOUND when a wrong
span is marked `found`; WRONG-UNCERTAIN when a wrong span is marked `uncertain`; MISSING when it
is expected but not found. A transcript that does not belong to the key is right when refused.
Every aligner runs in a subprocess through benchmarks/align_runner.py, the earlier ones from a
`git archive` of START_COMMIT (the scored aligner before it was generalised) and OLD_COMMIT
(the cascade of rules before issue 11), so they are measured by the same harness.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from hwreview.transcripts.katex_copy import undouble

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "alignment_corpus"
RUNNER = Path(__file__).resolve().parent / "align_runner.py"
OLD_COMMIT = "73ffd49"  # the cascade of rules before issue 11
START_COMMIT = "ee38e36"  # the scored aligner as it was before it was generalised (2026-12-02)
STATUSES = ("right", "wrong-found", "wrong-uncertain", "missing")
# which `half` values each --half takes, and the file-name prefixes that hold them
HALVES = {
    "tune": ({"tune"}, ("a-", "b-")),
    "test": ({"test"}, ("a-", "b-")),
    "seen": (
        {"tune", "test", "final", "final2", "tune3", "final3", "final4", "final5", "final6"}
        | {"final7", "final8", "final9", "final10", "final11", "final12", "final13", "final14"}
        | {"final15", "final16", "final17", "final18", "final19", "final20", "final21"}
        | {"final22", "final23", "final24", "final25", "final26", "final27", "final28", "final29"}
        | {"final30", "final31", "final32", "final33", "final34"},
        ("a-", "b-", "c-", "d-", "e-", "f-", "g-", "h-", "i-", "j-", "k-", "l-", "m-", "n-")
        + ("o-", "p-", "q-", "r-", "s-", "t-", "u-", "v-", "w-", "x-", "y-", "z-")
        + ("aa-", "ab-", "ac-", "ad-", "ae-", "af-", "ag-", "ah-", "ai-", "aj-")
        + ("ak-", "al-", "am-", "an-", "ao-", "ap-", "aq-", "ar-", "as-", "at-", "au-", "av-")
        + ("aw-", "ax-", "ay-", "az-", "ba-", "bb-", "bc-", "bd-", "be-", "bf-", "bg-", "bh-")
        + ("bi-", "bj-", "bk-", "bl-", "bq-", "br-", "bs-", "bt-", "bu-", "bv-", "bw-", "bx-")
        + ("by-", "bz-", "ca-", "cb-", "bm-", "bn-", "bo-", "bp-", "cc-", "cd-", "ce-", "cf-")
        + ("cg-", "ch-", "ci-", "cj-", "ck-", "cl-", "cm-", "cn-")
        + ("co-", "cp-", "cq-", "cr-", "cs-", "ct-", "cu-", "cv-"),
    ),
    "final": ({"final"}, ("c-", "d-")),
    "final2": ({"final2"}, ("e-", "f-")),
    "tune3": ({"tune3"}, ("i-", "j-")),
    "final3": ({"final3"}, ("g-", "h-")),
    "final4": ({"final4"}, ("k-", "l-")),
    "final5": ({"final5"}, ("m-", "n-")),
    "final6": ({"final6"}, ("o-", "p-")),
    "final7": ({"final7"}, ("q-", "r-")),
    "final8": ({"final8"}, ("s-", "t-")),
    "final9": ({"final9"}, ("u-", "v-")),
    "final10": ({"final10"}, ("w-", "x-")),
    "final11": ({"final11"}, ("y-", "z-")),
    "final12": ({"final12"}, ("aa-", "ab-")),
    "final13": ({"final13"}, ("ac-", "ad-")),
    "final14": ({"final14"}, ("ae-", "af-")),
    "final15": ({"final15"}, ("ag-", "ah-")),
    "final16": ({"final16"}, ("ai-", "aj-")),
    "final17": ({"final17"}, ("ak-", "al-")),
    "final18": ({"final18"}, ("am-", "an-")),
    "final19": ({"final19"}, ("ao-", "ap-")),
    "final20": ({"final20"}, ("aq-", "ar-")),
    "final21": ({"final21"}, ("as-", "at-", "au-", "av-")),
    "final22": ({"final22"}, ("aw-", "ax-", "ay-", "az-")),
    "final23": ({"final23"}, ("ba-", "bb-", "bc-", "bd-")),
    "final24": ({"final24"}, ("be-", "bf-", "bg-", "bh-")),
    "final25": ({"final25"}, ("bi-", "bj-", "bk-", "bl-")),
    "final26": ({"final26"}, ("bm-", "bn-", "bo-", "bp-")),
    "final27": ({"final27"}, ("bq-", "br-", "bs-", "bt-")),
    "final28": ({"final28"}, ("bu-", "bv-", "bw-", "bx-")),
    "final29": ({"final29"}, ("by-", "bz-", "ca-", "cb-")),
    "final30": ({"final30"}, ("cc-", "cd-", "ce-", "cf-")),
    "final31": ({"final31"}, ("cg-", "ch-", "ci-", "cj-")),
    "final32": ({"final32"}, ("ck-", "cl-", "cm-", "cn-")),
    "final33": ({"final33"}, ("co-", "cp-", "cq-", "cr-")),
    "final34": ({"final34"}, ("cs-", "ct-", "cu-", "cv-")),
}
_WS = re.compile(r"\s+")


@dataclass
class Case:
    """One transcript of the corpus and what is expected of it."""

    name: str
    transcript: Path
    key: Path
    expect: dict

    @property
    def style(self) -> str:
        """The style the writer gave the transcript (turn-problem, one-turn, ...)."""
        return str(self.expect.get("style") or "?")

    @property
    def half(self) -> str:
        """'tune', 'test' or 'final'."""
        return str(self.expect.get("half") or "?")


@dataclass
class Tally:
    """Counts of part outcomes."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    first_try: list[int] = field(default_factory=lambda: [0, 0])  # right, parts with followups
    sure: list[int] = field(default_factory=lambda: [0, 0])  # right and `found`, right answered

    def add(self, outcome: str) -> None:
        """Count one outcome."""
        self.counts[outcome] += 1

    @property
    def total(self) -> int:
        """Every counted part."""
        return sum(self.counts.values())

    @property
    def share(self) -> float:
        """The share of parts right."""
        return self.counts["right"] / self.total if self.total else 0.0

    def merge(self, other: Tally) -> None:
        """Add another tally's counts."""
        for name, n in other.counts.items():
            self.counts[name] += n
        self.sure = [a + b for a, b in zip(self.sure, other.sure, strict=True)]


def squash(text: str) -> str:
    """Whitespace collapsed, so a phrase matches across a hard line wrap."""
    return _WS.sub(" ", text).strip()


def holds(span: str, phrase: str) -> bool:
    """The squashed span holds the phrase, as written or with its copied math kept once: a
    writer copied the phrase from what the importer showed then ('nn intervals'), and a later
    importer may undo more KaTeX doubling ('n intervals')."""
    return squash(phrase) in span or squash(undouble(phrase)) in span


def find_cases(folder: Path, half: str) -> list[Case]:
    """Every transcript with an expect file whose half is one `half` stands for ('all': any)."""
    halves, prefixes = HALVES.get(half, (set(), ("",)))
    cases = []
    for expect_path in sorted((folder / "transcripts").glob("*.expect.json")):
        if not expect_path.name.startswith(prefixes):
            continue  # another half's file: not even opened
        expect = json.loads(expect_path.read_text(encoding="utf-8"))
        if half != "all" and expect.get("half") not in halves:
            continue  # never even parse the transcript of the other half
        base = expect_path.name[: -len(".expect.json")]
        transcript = expect_path.with_name(base)
        if not transcript.is_file():
            matches = [
                p
                for p in expect_path.parent.glob(base + ".*")
                if not p.name.endswith(".expect.json")
            ]
            if len(matches) != 1:
                raise SystemExit(f"{expect_path}: no single transcript beside it ({matches})")
            transcript = matches[0]
        key = folder / expect["key"]
        cases.append(Case(transcript.name, transcript, key, expect))
    return cases


def outcome(part: dict, result: dict | None, others: list[str]) -> str:
    """The outcome of one part: right, wrong-found, wrong-uncertain or missing."""
    status = (result or {}).get("status", "not found")
    text = (result or {}).get("text")
    if part.get("missing"):
        if status == "not found" or not text:
            return "right"
        return "wrong-found" if status == "found" else "wrong-uncertain"
    if status == "not found" or not text:
        return "missing"
    span = squash(text)
    right = (
        holds(span, part["start"])
        and holds(span, part["end"])
        and not any(squash(o) in span for o in others)
    )
    if right:
        return "right"
    return "wrong-found" if status == "found" else "wrong-uncertain"


def score(case: Case, result: dict) -> tuple[Tally, list[str]]:
    """Score one transcript's alignment; also describe each wrong part."""
    tally = Tally()
    wrong: list[str] = []
    if "error" in result:
        n = max(len(case.expect.get("parts", {})), 1)
        tally.counts["missing"] += n
        return tally, [f"{case.name}: aligner failed: {result['error']}"]
    if case.expect.get("belongs") is False:
        if result.get("refused"):
            tally.add("right")
        else:
            found = any(p.get("status") == "found" for p in result["parts"].values())
            tally.add("wrong-found" if found else "wrong-uncertain")
            wrong.append(f"{case.name}: does not belong to the key but was accepted")
        return tally, wrong
    if result.get("refused"):
        wrong.append(f"{case.name}: refused although it belongs to the key")
    # a part expected missing is written {"missing": true}, or just "missing"
    parts = {
        pid: {"missing": True} if p == "missing" else p
        for pid, p in case.expect.get("parts", {}).items()
    }
    starts = {pid: p["start"] for pid, p in parts.items() if not p.get("missing")}
    for pid, part in parts.items():
        got = None if result.get("refused") else result["parts"].get(pid)
        others = [s for other, s in starts.items() if other != pid]
        result_outcome = outcome(part, got, others)
        tally.add(result_outcome)
        if result_outcome == "right" and not part.get("missing"):
            tally.sure[1] += 1
            tally.sure[0] += (got or {}).get("status") == "found"
        if part.get("followup") and not part.get("missing"):
            tally.first_try[1] += 1
            attempts = (got or {}).get("attempts") or []
            if len(attempts) > 1 and all(
                squash(a["start"]) in squash(t)
                for a, t in zip(part.get("attempts", [])[:1], attempts[:1], strict=False)
            ):
                tally.first_try[0] += 1
        if result_outcome != "right":
            text = squash((got or {}).get("text") or "")
            shown = text[:70] + (" … " + text[-40:] if len(text) > 110 else text[70:110])
            wrong.append(
                f"{case.name} {pid}: {result_outcome} ({(got or {}).get('status', 'absent')}) "
                f"want {part.get('start', 'missing')!r}…{part.get('end', '')!r} got {shown!r}"
            )
    return tally, wrong


def run_aligner(cases: list[Case], pythonpath: Path, timeout: float = 600) -> list[dict]:
    """Align every case with the hwreview found under `pythonpath`, in one subprocess."""
    jobs = [
        {
            "key": str(c.key),
            "transcript": str(c.transcript),
            "format": c.expect.get("format", "auto"),
        }
        for c in cases
    ]
    env = dict(os.environ, PYTHONPATH=str(pythonpath), LITELLM_LOCAL_MODEL_COST_MAP="True")
    done = subprocess.run(
        [sys.executable, str(RUNNER)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"aligner under {pythonpath} failed:\n{done.stderr[-2000:]}")
    data = json.loads(done.stdout)
    where = Path(data["hwreview"]).resolve()
    if pythonpath.resolve() not in where.parents:
        raise SystemExit(f"expected hwreview from {pythonpath}, ran {where}")
    return data["results"]


def export_commit(commit: str, into: Path) -> Path:
    """Export `commit`'s src/ with git archive into `into`; returns the src folder."""
    archive = into / "old.tar"
    subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), commit, "src"],
        check=True,
        timeout=120,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def tabulate(cases: list[Case], results: dict[str, list[dict]]) -> tuple[str, dict, list[str]]:
    """A Markdown table per style (and in total) for each aligner; and the wrong parts."""
    by_style: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    wrong: dict[str, list[str]] = defaultdict(list)
    for name, outs in results.items():
        for case, result in zip(cases, outs, strict=True):
            tally, bad = score(case, result)
            by_style[case.style][name].merge(tally)
            by_style["**all**"][name].merge(tally)
            if tally.first_try[1]:
                ft = by_style["**all**"][name].first_try
                ft[0] += tally.first_try[0]
                ft[1] += tally.first_try[1]
            wrong[name] += bad
    names = list(results)
    head = "| style | parts | " + " | ".join(
        f"{n} right | {n} wrong found | {n} wrong uncertain | {n} missing" for n in names
    )
    lines = [head + " |", "|---|---:|" + "---:|" * (4 * len(names))]
    styles = sorted(s for s in by_style if s != "**all**") + ["**all**"]
    for style in styles:
        row = by_style[style]
        total = row[names[0]].total
        cells = []
        for n in names:
            t = row[n]
            cells += [
                f"{t.counts['right']} ({t.share:.0%})",
                str(t.counts["wrong-found"]),
                str(t.counts["wrong-uncertain"]),
                str(t.counts["missing"]),
            ]
        lines.append(f"| {style} | {total} | " + " | ".join(cells) + " |")
    return "\n".join(lines), by_style, [f"[{n}] {w}" for n in names for w in wrong[n]]


def main(argv: list[str] | None = None) -> int:
    """Score the chosen half of the corpus with the new and the old aligner."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=(*HALVES, "all"), required=True)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--old", default=OLD_COMMIT, help="the commit of the old aligner")
    parser.add_argument("--start", default=START_COMMIT, help="an intermediate commit")
    parser.add_argument("--no-old", action="store_true", help="score the new aligner only")
    parser.add_argument("--wrong", action="store_true", help="list every wrong part")
    args = parser.parse_args(argv)
    cases = find_cases(args.corpus, args.half)
    if not cases:
        print(f"no {args.half} transcripts under {args.corpus}")
        return 1
    results = {"new": run_aligner(cases, ROOT / "src")}
    if not args.no_old:
        for name, commit in (("start", args.start), ("old", args.old)):
            with tempfile.TemporaryDirectory() as tmp:
                results[name] = run_aligner(cases, export_commit(commit, Path(tmp)))
    table, by_style, wrong = tabulate(cases, results)
    keys = {c.key.name for c in cases}
    print(f"half {args.half}: {len(cases)} transcripts over {len(keys)} keys\n")
    print(table)
    slowest = max(r.get("seconds", 0.0) for r in results["new"])
    print(f"\nslowest new alignment of one transcript: {slowest * 1000:.0f} ms")
    ft = by_style["**all**"]["new"].first_try
    if ft[1]:
        print(f"new: first attempt kept as an attempt for {ft[0]}/{ft[1]} parts with follow-ups")
    for name in results:
        sure, answered = by_style["**all**"][name].sure
        if answered:
            print(
                f"{name}: {sure} of the {answered} right answered parts marked `found` "
                f"({sure / answered:.1%}), the rest `uncertain` with the right span"
            )
    if args.wrong:
        print()
        print("\n".join(wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main())

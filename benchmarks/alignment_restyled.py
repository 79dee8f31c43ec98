"""Confidence under restyled labels: the seen halves with every reply's part labels rewritten.

    .venv/bin/python benchmarks/alignment_restyled.py [--wrong]

Every transcript of the seen halves is aligned again after rewriting the part label at the start
of each reply line in another common style — `Part C(ii):`, `c.ii.`, `**(c)(ii)**`, `2c(ii)`,
`Q2 c)`, `2. (c)(ii)`, `c(ii):` — the shapes of a model or a student that labels parts its own way. Parts are scored as
in benchmarks/alignment.py. A label the aligner does not read costs parts; what must not happen
is a wrong span marked `found`. Only the seen halves are read. (An expectation whose first
phrase holds the label itself cannot match once the label is rewritten: check such parts by
hand in the list.)
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from alignment import CORPUS, find_cases  # noqa: E402
from corpus_rewrite import tally_rewritten  # noqa: E402

from hwreview.transcripts.markers import parse_head  # noqa: E402

_SEPARATOR = re.compile(r"^[ \t]*+(?:[:.)\-–—](?=\s))?[ \t]*+")


def _subs(labels: tuple[str, ...]) -> str:
    return "".join(f"({x})" for x in labels[1:])


STYLES: dict[str, Callable[[str | None, tuple[str, ...]], str]] = {
    "Part C(ii):": lambda p, ls: f"Part {ls[0].upper()}{_subs(ls)}:",
    "c.ii.": lambda p, ls: ".".join(ls) + ".",
    "**(c)(ii)**": lambda p, ls: f"**({ls[0]}){_subs(ls)}**",
    "2c(ii)": lambda p, ls: f"{p or ''}{ls[0]}{_subs(ls)}" if p else f"({ls[0]}){_subs(ls)}",
    "Q2 c)": lambda p, ls: (f"Q{p} " if p else "") + f"{ls[0]}){''.join(x + ')' for x in ls[1:])}",
    "2. (c)(ii)": lambda p, ls: (f"{p}. " if p else "") + f"({ls[0]}){_subs(ls)}",
    "c(ii):": lambda p, ls: f"{ls[0]}{_subs(ls)}:",
}


def restyle(text: str, style: Callable[[str | None, tuple[str, ...]], str]) -> str:
    """The text with the part labels at the start of its lines written in another style: the
    labels in the message's most common style (others are often prose, '(a) gives ...')."""
    heads = [parse_head(line) for line in text.split("\n")]
    styles = Counter(h[4] for h in heads if h is not None and h[0] == "part")
    main = styles.most_common(1)[0][0] if styles else None
    lines = []
    for line, head in zip(text.split("\n"), heads, strict=True):
        if head is not None and head[0] == "part" and not head[6] and head[4] == main:
            _, problem, labels, _, decoration, length, _ = head
            rest = _SEPARATOR.sub("", line[length:], count=1)
            emph = str(decoration[3])
            if emph and rest.startswith(emph):  # the label's closing emphasis
                rest = _SEPARATOR.sub("", rest[len(emph) :], count=1)
            line = style(problem, labels) + " " + rest
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print, per style, the parts right, wrong and found, wrong and uncertain, missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", action="store_true", help="list the wrong parts marked found")
    parser.add_argument(
        "--requests", action="store_true", help="rewrite the labels of the requests too"
    )
    args = parser.parse_args(argv)
    roles = ("assistant", "user") if args.requests else ("assistant",)
    cases = [c for c in find_cases(CORPUS, "seen") if c.expect.get("belongs") is not False]
    where = "requests and replies" if args.requests else "replies"
    print(
        f"| labels in {where} rewritten as | parts | right | wrong found | wrong uncertain | missing |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    wrong_found: list[str] = []
    for name, style in STYLES.items():
        counts, bad = tally_rewritten(
            cases, lambda _key, style=style: lambda text: restyle(text, style), roles
        )
        wrong_found += [f"[{name}] {b}" for b in bad if "wrong-found" in b]
        total = sum(counts.values())
        print(
            f"| `{name}` | {total} | {counts['right']} | {counts['wrong-found']} | "
            f"{counts['wrong-uncertain']} | {counts['missing']} |"
        )
    if wrong_found and args.wrong:
        print("\n" + "\n".join(w[:300] for w in wrong_found))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Confidence under stress: the seen halves of the corpus with their labels taken away, and more.

    .venv/bin/python benchmarks/alignment_perturbed.py

Every transcript of the seen halves is aligned again after removing the label at the start of
every line of the replies, or of the replies and the requests (a model that writes labels the
reader does not know); with each reply label replaced by the part's title from the key (a
model heading its answers by topic) or by its question restated (`Q: ...?`); after removing
the replies' blank lines (PDF text); and with a pleasantry and a sign-off around every reply.
Parts are scored as in benchmarks/alignment.py. Fewer parts may be right; what this measures
is whether the wrong ones are marked `uncertain` rather than `found`. Only the seen halves are
read.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from alignment import CORPUS, find_cases  # noqa: E402
from corpus_rewrite import tally_rewritten  # noqa: E402

from hwreview.model import Assignment, part_id  # noqa: E402
from hwreview.transcripts.markers import parse_head  # noqa: E402

_BLANK = re.compile(r"\n[ \t]*\n")


def join_paragraphs(text: str) -> str:
    """The text with its blank lines removed (PDF text, some page copies)."""
    return _BLANK.sub("\n", text)


def courtesies(text: str) -> str:
    """The text between an opening pleasantry and a sign-off, each a paragraph of its own."""
    return f"Great question! Happy to help.\n\n{text}\n\nHope this helps! Let me know if not."


def retitle(text: str, titles: dict[str, str]) -> str:
    """The text with each part label at a line start (outside tables) replaced by a line
    holding the part's title or question from the key (`**Solving a recurrence**`, `Q: ...?`):
    a model that heads its answers by topic, or restates each question."""
    lines, problem = [], None
    for line in text.split("\n"):
        head = parse_head(line)
        if head is not None and head[0] == "problem":
            problem = head[1]
        if head is not None and head[0] == "part" and not head[6] and line.lstrip()[:1] != "|":
            pid = part_id(head[1] or problem, list(head[2])) if (head[1] or problem) else ""
            if titles.get(pid):
                rest = _SEPARATOR.sub("", line[head[5] :], count=1)
                emph = str(head[4][3])
                if emph and rest.startswith(emph):
                    rest = _SEPARATOR.sub("", rest[len(emph) :], count=1)
                line = f"{titles[pid]}\n\n{rest}"
        lines.append(line)
    return "\n".join(lines)


_SEPARATOR = re.compile(r"^[ \t]*+(?:[:.)](?=\s))?[ \t]*+")
Change = Callable[[str, dict[str, dict[str, str]]], str]
# name: (what is done to a message's text given the key's titles, whose messages)
PERTURBATIONS: dict[str, tuple[Change, tuple[str, ...]]] = {
    "labels removed from replies": (lambda t, _: unlabel(t), ("assistant",)),
    "labels removed from replies and requests": (lambda t, _: unlabel(t), ("assistant", "user")),
    "labels in replies replaced by the parts' titles": (
        lambda t, h: retitle(t, h["titles"]),
        ("assistant",),
    ),
    "labels in replies replaced by the parts' questions": (
        lambda t, h: retitle(t, h["questions"]),
        ("assistant",),
    ),
    "blank lines removed from replies": (lambda t, _: join_paragraphs(t), ("assistant",)),
    "courtesies around every reply": (lambda t, _: courtesies(t), ("assistant",)),
}


def unlabel(text: str) -> str:
    """The text with the part label or numbered item at the start of each line removed."""
    lines = []
    for line in text.split("\n"):
        head = parse_head(line)
        if head is not None and head[0] in ("part", "item"):
            line = line[head[5] :].lstrip(" *_:.)-")
        lines.append(line)
    return "\n".join(lines)


def _rewrite(change: Callable[[str, dict], str], key: Assignment) -> Callable[[str], str]:
    """`change` with the key's part titles and questions, as its second argument."""
    headings = {
        "titles": {p.id: f"**{p.title}**" for p in key.parts if p.title},
        "questions": {p.id: f"Q: {p.question.split('?')[0][:150]}?" for p in key.parts},
    }
    return lambda text: change(text, headings)


def main() -> int:
    """Print, per perturbation, the parts right, wrong and found, wrong and uncertain, missing."""
    cases = [c for c in find_cases(CORPUS, "seen") if c.expect.get("belongs") is not False]
    print("| seen transcripts with | parts | right | wrong found | wrong uncertain | missing |")
    print("|---|---:|---:|---:|---:|---:|")
    wrong_found: list[str] = []
    for name, (change, roles) in PERTURBATIONS.items():
        counts, bad = tally_rewritten(
            cases, lambda key, change=change: _rewrite(change, key), roles
        )
        wrong_found += [f"[{name}] {b}" for b in bad if "wrong-found" in b]
        total = sum(counts.values())
        print(
            f"| {name} | {total} | {counts['right']} | {counts['wrong-found']} | "
            f"{counts['wrong-uncertain']} | {counts['missing']} |"
        )
    if wrong_found:
        print("\n" + "\n".join(w[:200] for w in wrong_found))
    return 0


if __name__ == "__main__":
    sys.exit(main())

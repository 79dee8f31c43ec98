"""Headings that name parts: a part's title repeated ('**Solving a recurrence**'),
'Question 8 – ...' over a key whose one problem numbers its parts, points the model letters
inside a numbered answer, and a list under a heading naming a part with sub-parts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from hwreview.model import Part
from hwreview.transcripts.align.segments import Unit
from hwreview.transcripts.labels import KeyIndex

_NOT_WORD = re.compile(r"[^\w]+")
MIN_TITLE = 4  # characters: a shorter title ('Sum') names nothing on its own


def _norm(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


class Titles:
    """The parts whose title no other part shares, by their normalised title."""

    def __init__(self, parts: Iterable[Part]):
        parts = list(parts)
        counts = Counter(_norm(p.title) for p in parts)
        self.by_title = {
            _norm(p.title): p.id
            for p in parts
            if len(_norm(p.title)) >= MIN_TITLE and counts[_norm(p.title)] == 1
        }

    def exactly(self, line: str) -> bool:
        """Whether a line is a part's title and nothing else ('Received power')."""
        return _norm(line) in self.by_title

    def named(self, heading: str) -> str | None:
        """The part a heading line names by repeating its title, whole, or None."""
        text = _norm(heading)
        if text in self.by_title:
            return self.by_title[text]
        found = [
            pid
            for title, pid in self.by_title.items()
            if len(title.split()) >= 2 and f" {title} " in f" {text} "
        ]
        return found[0] if len(found) == 1 else None


TITLE_LINE = 60
_RUN_IN = re.compile(r"[ \t]*+(?:[—–:-][ \t]*+)?([^.?!:\n]{1,40}):[ \t]")


_BOLD_RUN_IN = re.compile(r"[^*_\n]{0,40}?(?:\*\*|__)")


def _run_in(rest: str, bold: bool = False) -> bool:
    """The rest of a heading's line opens with a short title and a colon, then the answer; or
    a bold label closes soon ('**Question 5, corrected.** 0.040 kg ...')."""
    return bool(_RUN_IN.match(rest) or (bold and _BOLD_RUN_IN.match(rest)))


def numbered_questions(units: list[Unit], key: KeyIndex) -> list[Unit]:
    """'Question 8 – ...' headings where the key has no problem 8 but one problem numbers its
    parts up to it: the reply numbers parts as questions, 'Question 1' among them."""
    heads = [u.marker for u in units if u.marker is not None and u.marker.kind == "problem"]
    owners = {
        pr
        for m in heads
        if not m.more and m.problem not in key.problems
        for pr, tops in key.tops.items()
        if m.problem in tops
    }
    if len(owners) != 1:
        return units
    tops = key.tops[owners.pop()]
    styles = {m.style for m in heads if m.problem not in key.problems}
    out = []
    for unit in units:
        m = unit.marker
        if (
            m is not None
            and m.kind == "problem"
            and not m.more
            and m.style in styles
            and m.style[-1:] != ("number",)  # "**2. Hypotheses**": read as numbered already
            and (
                m.line_end - m.end <= TITLE_LINE
                or _run_in(unit.text[m.end - unit.start :], bool(m.style[3]))
            )
            # a title, or a short one before the answer ('Question 4 – Line length: The ...');
            # a restated question is read as such
            and m.problem in tops
        ):
            unit = replace(unit, marker=replace(m, kind="part", problem=None, labels=(m.problem,)))
        out.append(unit)
    return out


_POINTS = ("abcdefgh", ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii"))


def _next_point(label: str) -> str:
    """The label of the model's next point after `label` ('b' after 'a', 'iii' after 'ii')."""
    for points in _POINTS:
        if label in points and points.index(label) + 1 < len(points):
            return points[points.index(label) + 1]
    return ""


def numbered_with_letters(units: list[Unit], key: KeyIndex) -> list[Unit]:
    """Points the model letters inside a numbered part's answer, which has no parts of its own:
    '4. (a) Salt strengthens ... (b) Salt slows ...' where the key has no problem 4 but one
    problem numbers its parts up to 4 is part (4), not (a) of a problem 4; and '(i) ... (ii)
    ...' opening again under 'Q1.4 — Salt' are its points, not parts (1) and (2)."""
    out = []
    following: tuple[str, ...] = ()  # what the model's next point may be: '(b)' after '4. (a)'
    for unit in units:
        m = unit.marker
        if (
            following
            and m is not None
            and m.kind == "part"
            and m.problem is None
            and len(m.labels) == 1
            and m.labels[0] in following
            and not m.more
        ):
            out.append(replace(unit, marker=None))  # a point of the numbered answer
            following = (_next_point(m.labels[0]),)
            continue
        following = ()
        if m is not None and m.kind == "part" and len(m.labels) == 1 and not m.more:
            label = m.labels[0]
            if m.problem is not None and m.problem.isdigit() and m.problem not in key.problems:
                owners = [pr for pr, tops in key.tops.items() if m.problem in tops]
                if len(owners) == 1 and not key.children(owners[0], m.problem):
                    marker = replace(m, kind="item", problem=None, labels=(), number=int(m.problem))
                    unit = replace(unit, marker=marker)
                    following = (_next_point(label),)
            elif (
                m.problem in key.problems
                and label.isdigit()
                and m.problem in key.numbered
                and not key.children(m.problem or "", label)
            ):  # 'Q1.4 — Salt': its points may follow, lettered from (a) or (i)
                following = ("a", "i")
        out.append(unit)
    return out


_BULLET = re.compile(r"^[ \t]{0,3}[-*•][ \t]++\S", re.M)


def listed_children(units: list[Unit], key: KeyIndex) -> list[Unit]:
    """'**Sprinkler uniformity (Problem 2c)**' over a list of as many bullets as 2(c) has
    sub-parts: one bullet each, in order ('- Definition: ...' is (c)(i))."""
    out: list[Unit] = []
    for unit in units:
        m = unit.marker
        kids = (
            key.children(m.problem, m.labels[0])
            if m is not None
            and m.kind == "part"
            and m.problem in key.problems
            and len(m.labels) == 1
            and not m.more
            else []
        )
        starts = [b.start() for b in _BULLET.finditer(unit.text)] if kids else []
        first_line = unit.text.find("\n")
        if (
            m is None
            or len(kids) < 2
            or len(starts) != len(kids)
            or not 0 <= first_line < starts[0]
            or unit.text[first_line : starts[0]].strip()  # only the heading above the list
        ):
            out.append(unit)
            continue
        out.append(replace(unit, end=unit.start + first_line, text=unit.text[:first_line]))
        for k, (start, kid) in enumerate(zip(starts, kids, strict=True)):
            stop = starts[k + 1] if k + 1 < len(starts) else len(unit.text)
            body = unit.text[start:stop].rstrip()
            pos = unit.start + start
            line_end = unit.text.find("\n", start)
            marker = replace(
                m,
                pos=pos,
                labels=(m.labels[0], kid.rsplit("-", 1)[-1]),
                line_end=unit.start + (line_end if line_end >= 0 else len(unit.text)),
                end=pos,
            )
            out.append(Unit(unit.turn, pos, pos + len(body), body, marker=marker))
    return out

"""How a reply's segments sit among each other: numbered steps, bare headings, preambles."""

from __future__ import annotations

from collections import Counter

from hwreview.transcripts.align.segments import Unit
from hwreview.transcripts.markers import Marker

RULES = ("---", "***", "___", "- - -", "* * *")


def shape(unit: Unit) -> tuple[object, ...]:
    """How a numbered item is written: its decoration and whether the number is in brackets."""
    marker = unit.marker
    assert marker is not None
    return (*marker.style, unit.text.lstrip(" \t-*+#>_|")[:1] == "(")


def step_items(units: list[Unit]) -> set[int]:
    """The numbered items of a reply written unlike its own numbered labels, restarting their
    count under one of them ('### (9) Crowding out' over '1. ... 2. ...'): steps of that answer,
    not the numbered parts 1 and 2."""
    items = [i for i, u in enumerate(units) if u.marker is not None and u.marker.kind == "item"]
    shapes = Counter(shape(units[i]) for i in items)
    if len(shapes) < 2:
        return set()
    main, count = shapes.most_common(1)[0]
    if count < 2:
        return set()
    out: set[int] = set()
    last = 0  # the number of the reply's own label above
    for i in items:
        marker = units[i].marker
        assert marker is not None
        if shape(units[i]) == main:
            last = marker.number
        elif last and marker.number <= last:
            out.add(i)
    return out


def bare_heading(unit: Unit, marker: Marker) -> bool:
    """A segment that is only its label and a short title (its answer starts at the next label)."""
    rest = unit.text[max(0, marker.end - unit.start) :].strip(" \t\n*_:#—–-")
    if len(rest) >= 50 or "\n" in rest or rest.endswith(".") or "`" in rest:
        return False  # a sentence, or code: an answer ("(4) `ababab`"), not a title
    return not any(c.isdigit() or c in "=$\\^" for c in rest) and len(rest.split()) <= 6


def opens_parts(units: list[Unit], i: int) -> bool:
    """A problem heading followed at once by a part label: its text is the problem's preamble."""
    after = units[i + 1].marker if i + 1 < len(units) else None
    return after is not None and after.kind == "part"


def labelled_next(units: list[Unit], i: int) -> bool:
    """The next segment of the reply opens with a label of its own."""
    after = units[i + 1].marker if i + 1 < len(units) else None
    here = units[i].marker
    if after is not None and here is not None and here.kind == after.kind == "item":
        # "- **(4)**" then "- **(5)**": siblings, not a heading; "**(7)** Three reasons:" over
        # "1. ...": a list that starts its count again is the answer
        return after.style != here.style and after.number > here.number
    if after is not None and here is not None and here.kind == "part" and after.kind == "item":
        return False  # "(c) There are two bugs:" over "1. ...": the list is its answer
    return after is not None and after.kind in ("part", "item")


def intro(body: str) -> bool:
    """A short line that introduces what follows: 'Here is the reasoning:', 'Both parts:'."""
    body = body.strip()
    return len(body) <= 120 and body.endswith(":") and "\n" not in body


def preamble(
    units: list[Unit], i: int, before_labels: bool, last_label: int, several: bool = True
) -> bool:
    """Text that introduces or closes the answers rather than answering: an opening before the
    first label, 'Both parts:', a problem's setup under its heading, remarks after a rule. In a
    reply to a request for one part, a line introducing a list ('Two reasons:') starts the
    answer: the list is that part's answer, not several answers."""
    marker = units[i].marker
    if (marker is None or marker.kind == "item") and before_labels:
        return True
    if marker is None:
        after = units[i + 1].marker if i + 1 < len(units) else None
        listed = after is not None and after.kind == "item" and not several
        if intro(units[i].text) and labelled_next(units, i) and not listed:
            return True
        return i > last_label >= 0 and units[i].text.startswith(RULES)
    return marker.kind == "problem" and opens_parts(units, i)

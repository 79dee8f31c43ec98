"""A printed page as plain data: lines with their boxes and fonts, filled rectangles.

Coordinates are points from the page's top-left. Shared by the layout reader (pdf_layout.py)
and the rules telling the speakers apart (pdf_speakers.py), and testable without a PDF library.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

LIST_START = re.compile(r"^\s*(?:[-•◦▪*]\s|\d{1,3}[.)]\s|\(?[a-z]\)\s)")
BAND = 8.0  # points per bucket of the row index
MAX_BANDS = 128  # a box taller than this many bands is indexed by its top part only


@dataclass(frozen=True)
class Line:
    """One printed line: its text, box (points from the top-left), type size and whether mono."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    mono: bool = False
    font: str = ""


@dataclass(frozen=True)
class Fill:
    """A filled, coloured rectangle: a message bubble, a code block, a chip or a bullet."""

    x0: float
    x1: float
    top: float
    bottom: float
    color: tuple[int, int, int]

    def holds(self, line: Line) -> bool:
        """True when the line's centre lies inside the rectangle."""
        cx = (line.x0 + line.x1) / 2
        cy = (line.top + line.bottom) / 2
        return self.x0 <= cx <= self.x1 and self.top <= cy <= self.bottom


@dataclass
class Page:
    """One page's lines in reading order and its filled rectangles."""

    width: float
    height: float
    lines: list[Line]
    fills: list[Fill] = field(default_factory=list)


@dataclass
class Placed:
    """A line in the reading of the whole document: its page, speaker and text column."""

    line: Line
    page: int
    role: str = "assistant"
    kind: str = "answer"
    bubble: int = -1  # index of the user bubble holding the line
    fence: str = ""  # the language a code block starting at this line is in
    left: float = 0.0  # edges of the text column the line belongs to
    right: float = 0.0


class Rows:
    """The lines of one page bucketed by height, to find the lines beside one in O(1)."""

    def __init__(self, items: list[Placed]) -> None:
        self.buckets: dict[int, list[Placed]] = defaultdict(list)
        for item in items:
            for bucket in bands(item.line.top, item.line.bottom):
                if len(self.buckets[bucket]) < 64:  # a hostile pile of lines at one height
                    self.buckets[bucket].append(item)

    def near(self, line: Line) -> list[Placed]:
        """Lines whose height range meets this line's bucket range."""
        found: list[Placed] = []
        for bucket in bands(line.top, line.bottom):
            found += self.buckets.get(bucket, [])
        return found


def bands(top: float, bottom: float) -> range:
    """The row-index buckets a box from `top` to `bottom` falls in (a bounded number)."""
    first = int(top // BAND)
    return range(first, min(int(bottom // BAND), first + MAX_BANDS) + 1)


def paragraph_gap(a: Line, b: Line) -> bool:
    """True when the space between two lines is a paragraph break (or b jumps back up)."""
    gap = b.top - a.bottom
    return gap > 0.9 * max(a.size, b.size, 1.0) or gap < -3 * max(a.size, 1.0)


def is_code_header(text: str) -> bool:
    """'python Copy Edit': the bar above a code block."""
    words = text.split()
    buttons = {"Copy", "Edit", "Download", "Run", "content_copy", "code"}
    return 2 <= len(words) <= 4 and all(w in buttons for w in words[1:])


def column(page: Page) -> tuple[float, float] | None:
    """The left and right edges of the page's text."""
    if not page.lines:
        return None
    return min(line.x0 for line in page.lines), max(line.x1 for line in page.lines)

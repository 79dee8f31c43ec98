"""A heading that repeats a part's title ('**Solving a recurrence**') names that part."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from hwreview.model import Part

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

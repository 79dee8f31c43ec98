"""TF-IDF similarity between a message and the key's questions, for turns without labels."""

from __future__ import annotations

import math
import re
from collections import Counter

from ..model import Assignment

_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_TOKEN = re.compile(r"[a-z][a-z0-9]+|\d+(?:[.,]\d+)*")
_STOP_TEXT = """a an and are as at be by can do does for from give has have how if in into is it its
    of on or our say show so that the their then there these this those to use using was we
    what when where which while who why will with would you your part problem question each
    than not all any one two how much many also just only first then now here let"""
STOPWORDS = frozenset(_STOP_TEXT.split())


def tokens(text: str) -> list[str]:
    """Lower-case content words and numbers of a text, LaTeX commands removed."""
    words = _TOKEN.findall(_LATEX_COMMAND.sub(" ", text.lower()))
    return [w.rstrip("s") if len(w) > 3 else w for w in words if w not in STOPWORDS]


class Similarity:
    """Cosine similarity of TF-IDF vectors against each part's title and question."""

    def __init__(self, assignment: Assignment, answers: bool = False):
        docs = {}
        for problem in assignment.problems:
            for part in problem.parts:
                text = part.answer_key if answers else f"{part.title}\n{part.question}"
                docs[part.id] = Counter(tokens(text))
        n = max(len(docs), 1)
        df: Counter[str] = Counter()
        for counts in docs.values():
            df.update(counts.keys())
        self.idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        self.default_idf = math.log(n + 1)
        self.vectors = {pid: self._vector(c) for pid, c in docs.items()}

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        vec = {w: (1 + math.log(c)) * self.idf.get(w, self.default_idf) for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}

    def scores(self, text: str) -> dict[str, float]:
        """Each part id's similarity to `text`, from 0 to 1."""
        query = self._vector(Counter(w for w in tokens(text) if w in self.idf))
        return {
            pid: sum(weight * vec.get(w, 0.0) for w, weight in query.items())
            for pid, vec in self.vectors.items()
        }

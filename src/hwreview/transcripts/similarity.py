"""TF-IDF similarity between a message and the key's questions, for turns without labels."""

from __future__ import annotations

import math
import re
from collections import Counter

from hwreview.model import Assignment

_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_TOKEN = re.compile(r"[a-z][a-z0-9]+|\d+(?:[.,]\d+)*")
# a thousands separator between digits: "235,146", "235{,}146", "235\,146" all read 235146
_THOUSANDS = re.compile(r"(?<=\d)(?:,|\{,\}|\\,)(?=\d{3}(?!\d))")
_STOP_TEXT = """a an and are as at be by can do does for from give has have how if in into is it its
    of on or our say show so that the their then there these this those to use using was we
    what when where which while who why will with would you your part problem question each
    than not all any one two how much many also just only first then now here let"""
STOPWORDS = frozenset(_STOP_TEXT.split())


def tokens(text: str) -> list[str]:
    """Lower-case content words and numbers of a text, LaTeX commands removed."""
    words = _TOKEN.findall(_LATEX_COMMAND.sub(" ", _THOUSANDS.sub("", text.lower())))
    return [w.rstrip("s") if len(w) > 3 else w for w in words if w not in STOPWORDS]


class Similarity:
    """Cosine similarity of TF-IDF vectors against each part's title and question."""

    def __init__(self, assignment: Assignment, answers: bool = False):
        docs = {}
        for problem in assignment.problems:
            for part in problem.parts:
                if answers:
                    text = f"{part.key_result or ''}\n{part.answer_key}"
                else:
                    text = f"{part.title}\n{part.question}"
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
        return self.scores_of(tokens(text))

    def scores_of(self, words: list[str]) -> dict[str, float]:
        """Each part id's similarity to a text already split by `tokens`."""
        query = self._vector(Counter(w for w in words if w in self.idf))
        return {
            pid: sum(weight * vec.get(w, 0.0) for w, weight in query.items())
            for pid, vec in self.vectors.items()
        }


MIN_SIMILARITY = 0.12
SURE_SIMILARITY = 0.3
ANSWERED_WEIGHT = 0.6  # a part answered already is less likely to be asked again
_CLAUSE_SPLIT = re.compile(
    r"(?<=[?!])\s+|(?<=\.)\s+(?=[A-Z])|\n\s*|;\s+|(?P<joined>,?\s+(?:and|or|also|then)\s+"
    r"(?=(?:what|how|which|why|when|where|is|are|does|do|can|could|would|will|find|compute|"
    r"calculate|estimate|derive|explain|show|give|state|determine|say|describe|prove|justify|"
    r"sketch)\b))",
    re.I,
)
_ASKING = re.compile(
    r"^\W*(?:(?:and|so|also|then|now|ok(?:ay)?|next)\W+)*(?:what|how|which|why|when|where|"
    r"find|compute|calculate|estimate|derive|explain|show|give|state|determine|is|are|does|do|"
    r"can|could|write|say|describe|prove|list|name|identify|discuss|justify|sketch|evaluate|"
    r"solve|work out)\b",
    re.I,
)


def question_clauses(text: str) -> list[tuple[str, str]]:
    """Each question or instruction of a message, alone and with the statements before it."""
    out: list[tuple[str, str]] = []
    start = pos = 0
    for cut in [*_CLAUSE_SPLIT.finditer(text), None]:
        end = cut.start() if cut else len(text)
        clause = text[pos:end].strip()
        # "A Huffman code for it, and explain why ...": what comes before the joined
        # question is asked too
        joined = cut is not None and cut.group("joined") is not None
        if clause and (clause.endswith("?") or _ASKING.match(clause) or joined):
            out.append((clause, text[start:end].strip()))
            start = end
        pos = cut.end() if cut else end
    return out


def coverage(sim: Similarity, text: str) -> float:
    """The share of a text's content words that the key's questions use (square-rooted)."""
    words = tokens(text)
    if not words:
        return 0.0
    return math.sqrt(sum(1 for w in words if w in sim.idf) / len(words))


def match_questions(
    sim: Similarity, text: str, order: dict[str, int], answered: set[str]
) -> tuple[list[str], bool, int]:
    """The parts a message without labels asks for, matching each of its questions; whether
    sure; and how many of its questions matched different parts (two questions, two answers;
    none when the message asks no question of its own)."""
    chosen: list[str] = []
    tops: set[str] = set()
    sure = True
    clauses = question_clauses(text)
    for clause, block in clauses or [(text, text)]:
        if len({w for w in tokens(clause) if w in sim.idf}) < 3:
            clause = block
        scores = sim.scores(clause)
        weight = coverage(sim, clause)
        for pid in scores:
            scores[pid] *= weight * (ANSWERED_WEIGHT if pid in answered else 1.0)
        ranked = sorted(scores, key=lambda pid: (-scores[pid], order[pid]))
        if not ranked or scores[ranked[0]] < MIN_SIMILARITY:
            continue
        best = scores[ranked[0]]
        tops.add(ranked[0])
        close = [pid for pid in ranked if scores[pid] >= max(MIN_SIMILARITY, 0.6 * best)]
        sure = sure and len(close) == 1 and best >= SURE_SIMILARITY
        chosen += [pid for pid in close if pid not in chosen]
    chosen.sort(key=order.__getitem__)
    # no question in it ("Problem 1 please."): it asks for no one question in particular
    return chosen, sure and len(chosen) == 1, len(tops) if clauses else 0

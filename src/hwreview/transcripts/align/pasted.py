"""Find the student's pasted homework at the start of a reply: page copies that mark only where
the user's message starts give its later paragraphs (every question with its label) to the
assistant; those lines are the request, never an answer."""

from __future__ import annotations

import re

from hwreview.model import Assignment
from hwreview.transcripts.align.lines import MAX_LINE
from hwreview.transcripts.markers import Head, in_reply_only, parse_head
from hwreview.transcripts.similarity import STOPWORDS

MAX_SCAN = 12_000  # a pasted homework sits in this much of a reply's start
MIN_LABELLED = 2  # pasted question lines, with a label, needed before a paste is believed
IN_KEY = 0.75  # share of a line's words that must be the key's question words
MAX_OTHER = 1  # words of a line found in the key's answers but not in its questions
_WORD = re.compile(r"[^\W\d_]{4,}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LEAD_NUMBER = re.compile(r"^[ \t]*+\d{1,2}[.)]?[ \t]++(?=[^\W\d_])")  # a problem's number
_NAMED = re.compile(r"\b(?:problem|question|exercise|part|section|q)[ \t]*\d+", re.I)


def _label(line: str) -> Head | None:
    """The part label a line opens with ('(b)', 'b:', '2c)'), in any style the reader knows."""
    head = parse_head(line[:MAX_LINE])
    if head is None or head[0] not in ("part", "item") or in_reply_only(head[4]):
        return None
    return head


def _label_end(line: str) -> int:
    """Where the part label a line opens with ends; 0 without one."""
    head = _label(line)
    return 0 if head is None else head[5]


def _order(head: Head) -> tuple[object, ...]:
    """Where a label stands: (kind, problem, number, labels)."""
    return (head[0], head[1] or "", head[3], head[2])


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


class Paste:
    """The key's question words, to find a reply that opens with the pasted homework."""

    def __init__(self, assignment: Assignment):
        self.asked: set[str] = set()
        answers: set[str] = set()
        for problem in assignment.problems:
            self.asked |= _words(f"{problem.title} {problem.context}")
            for part in problem.parts:
                self.asked |= _words(f"{part.title} {part.question}")
                answers |= _words(part.answer_key)
        self.answer_only = answers - self.asked
        self.numbers: set[str] = set()
        for problem in assignment.problems:
            self.numbers.update(_NUMBER.findall(problem.context))
            for part in problem.parts:
                self.numbers.update(_NUMBER.findall(f"{part.title} {part.question}"))

    def _pasted(self, line: str) -> bool:
        words = _words(line)
        if not words:
            return False
        rest = _LEAD_NUMBER.sub("", line[_label_end(line) :], count=1)  # "2 Tevani words: ..."
        if any(n not in self.numbers for n in _NUMBER.findall(_NAMED.sub("", rest))):
            return False  # an answer brings its own numbers; a pasted question copies them
        inside = len(words & self.asked)
        return inside >= IN_KEY * len(words) and len(words & self.answer_only) <= MAX_OTHER

    def only_questions(self, text: str) -> bool:
        """Every line of the text copies the key's questions ('(b) Show that ...'): a pasted
        question, never an answer."""
        lines = [line.strip() for line in text[:MAX_SCAN].splitlines() if line.strip()]
        return bool(lines) and all(self._pasted(line) for line in lines)

    def prefix(self, reply: str, user: str) -> int:
        """Where the reply proper starts: after a leading run of lines that copy the key's
        questions (at least two with a label, none of them already in the user's message);
        0 when the reply does not open with a pasted homework."""
        pos = 0
        end = 0
        labelled = 0
        head = reply[:MAX_SCAN]
        flat_user = " ".join(user.split()).lower()
        repeated = 0
        last: tuple[object, ...] | None = None
        for line in head.splitlines(keepends=True):
            stripped = line.strip()
            if not stripped:
                pos += len(line)
                continue
            if not self._pasted(stripped):
                break
            if label := _label(stripped):
                labelled += 1
                end = pos + len(line.rstrip())
                repeated += " ".join(stripped.split()).lower()[:80] in flat_user
                last = _order(label)
            pos += len(line)
        if labelled < MIN_LABELLED or repeated * 2 >= labelled:
            return 0
        for line in head[end:].splitlines()[1:]:
            if label := _label(line.strip()):
                # '**(3) ...**' after '**(1) ...**' and '**(2) ...**' with their answers: the
                # model restating each question as it answers, not a homework pasted before
                following = _order(label)
                if last is not None and following[:2] == last[:2] and following[2:] > last[2:]:
                    return 0
                break
        return end


__all__ = ["Paste"]

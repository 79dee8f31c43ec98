"""Find, for each part of the key, the span of the transcript that answers it.

The transcript is cut into candidate segments (segments.py), every (part, segment) pair is
scored from all the evidence (asked.py, scores.py), one assignment is chosen for the whole
transcript by dynamic programming (assignment.py), and each part's status, attempts and
alternatives are read from it (decide.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hwreview.model import NOT_FOUND, Alignment, Assignment, Transcript
from hwreview.transcripts.align.asked import Ask, read_ask
from hwreview.transcripts.align.assignment import Costs, Grid
from hwreview.transcripts.align.decide import Reading, decide
from hwreview.transcripts.align.scores import LABEL_BARE, Evidence, Scorer
from hwreview.transcripts.align.segments import Reply, Unit, turns_of, units_of
from hwreview.transcripts.labels import KeyIndex
from hwreview.transcripts.similarity import STOPWORDS, Similarity, question_clauses

IN_REPLY = Costs()
UNLABELLED = Costs(forward=-1.5, back=-5.0)  # answers change where labels are, not in between
# a reply of plain paragraphs to a request for several parts: answers change at paragraphs, in
# order, and a part asked for is rarely left out
PARAGRAPH = Costs(forward=-0.5, skip=-1.5, back=-5.0)
NEW_QUESTION = Costs(stay=-2.5, reenter=-2.5, back=-2.0)  # a new request: on to its part
AGAIN = Costs(stay=-0.5, reenter=-0.5, back=-2.0)  # "that's wrong", "you skipped (b)"
CARRY_ON = Costs(stay=0.0, reenter=-1.0, forward=-2.0, back=-3.0)  # "continue": the same answer


def _costs(ask: Ask) -> Costs:
    """How a turn's first segment is reached, from what its user message says."""
    if ask.carry_on or (ask.how == "" and ask.followup and not ask.redo):
        return CARRY_ON
    if ask.how == "" and (ask.redo or ask.missing or ask.followup):
        return AGAIN
    if ask.how == "" and not ask.similarity:
        return CARRY_ON
    return NEW_QUESTION


def _asked(ask: Ask, parts: int, answered: bool) -> int:
    """How many parts a turn's reply may answer, for cutting a reply in prose at paragraphs:
    those its request names; before anything is asked or answered, a request that names
    nothing ('can you do my homework?', a file attached) may be answered by the whole key."""
    if ask.several:
        return len(ask.parts)
    return parts if not answered and not ask.how else 0


def read(assignment: Assignment, transcript: Transcript) -> Reading:
    """Segments, evidence and the best assignment of one transcript against one key."""
    key = KeyIndex(assignment)
    questions = Similarity(assignment)
    scorer = Scorer(key, questions, Similarity(assignment, answers=True))
    units: list[Unit] = []
    evidence: list[Evidence] = []
    costs: list[Costs] = []
    asks: list[Ask] = []
    replies: list[Reply] = []
    seen: set[str] = set()  # parts asked by name or labelled in a reply so far
    replied: set[str] = set()  # parts labelled in a reply so far
    previous: list[str] = []
    for number, turn in enumerate(turns_of(transcript)):
        user = transcript.messages[turn.user].text if turn.user is not None else ""
        ask = read_ask(user, key, questions, seen, previous, replied)
        reply = Reply(transcript, turn.replies)
        asks.append(ask)
        replies.append(reply)
        if ask.parts:
            previous = ask.parts
        if ask.how in ("label", "problem"):
            seen.update(ask.parts)
        own = units_of(reply, number, _asked(ask, len(key.ids), bool(seen)))
        scored = scorer.reply(own, ask)
        for i, (unit, ev) in enumerate(zip(own, scored, strict=True)):
            units.append(unit)
            evidence.append(ev)
            labelled = any(score > 0 for score in ev.label.values())
            if i == 0:
                costs.append(_costs(ask))
            else:
                costs.append(IN_REPLY if labelled else PARAGRAPH if unit.paragraph else UNLABELLED)
            replied.update(p for p, s in ev.label.items() if s >= LABEL_BARE)
            seen.update(replied)
    emissions = [([ev.parts[pid] for pid in key.ids], ev.none) for ev in evidence]
    grid = Grid(len(key.ids), emissions, costs)
    reading = Reading(list(key.ids), units, evidence, asks, replies, grid, dict(key.problem_of))
    reading.text = scorer.text
    return reading


def align(assignment: Assignment, transcript: Transcript) -> dict[str, Alignment]:
    """Align every part of the key with the transcript: found, uncertain or not found."""
    reading = read(assignment, transcript)
    if not reading.units:
        return {pid: Alignment(pid, NOT_FOUND) for pid in reading.ids}
    return decide(reading)


@dataclass(frozen=True)
class Fit:
    """Whether a transcript answers this key: parts matched by their content, and the share of
    the transcript's words that the key uses."""

    belongs: bool
    matched: int
    total: int
    vocabulary: float


MATCH_SIMILARITY = 0.12  # a part counts as matched when its answer or request is this similar
# Most parts matched by content is the evidence a transcript belongs. Fewer parts matched (a
# chat that answers only some parts, or one the aligner could not cut well) still belong when
# the transcript's words are mostly the key's; another homework on a neighbouring subject shares
# words too, and some of its parts can match by chance: measured on all 109 transcripts of the
# outside corpus, other homeworks share at most 31% of their words with the key (matching up to
# 5 of 15 parts), answers to the key at least 40% (matching as few as 1 of 14 parts when the
# reply could not be cut). So fewer than half the parts matched needs 40% of the words.
STRONG_VOCABULARY = 0.4  # with this share of the key's words, one matched part is enough
MIN_WORDS = 15  # below this, a transcript is too short to judge by its words
_WORD = re.compile(r"[a-z]{4,}")


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


def belonging(
    assignment: Assignment, transcript: Transcript, alignments: dict[str, Alignment]
) -> Fit:
    """Judge from content, not labels, whether the transcript answers this key at all."""
    questions = Similarity(assignment)
    answers = Similarity(assignment, answers=True)
    matched = 0
    for part in assignment.parts:
        alignment = alignments.get(part.id)
        if alignment is None or alignment.span is None:
            continue
        text = transcript.text_of(alignment.span)[:6000]
        user = _user_before(transcript, alignment.span.message)[:6000]
        best = max(
            questions.scores(text)[part.id],
            answers.scores(text)[part.id],
            questions.scores(user)[part.id] if user else 0.0,
        )
        matched += best >= MATCH_SIMILARITY
    key_words: set[str] = set()
    for problem in assignment.problems:
        key_words |= _words(f"{problem.title} {problem.context}")
        for p in problem.parts:
            key_words |= _words(f"{p.title} {p.question} {p.answer_key}")
    said: set[str] = set()
    for message in transcript.messages:
        if message.kind == "answer":
            said |= _words(message.text[:20_000])
    vocabulary = len(said & key_words) / len(said) if said else 0.0
    total = len(assignment.parts)
    if len(said) < MIN_WORDS:
        belongs = matched > 0
    else:
        belongs = (
            matched * 2 >= total
            or (vocabulary >= STRONG_VOCABULARY and matched >= 1)
            # the key's own questions asked, the replies empty or cut off
            or (
                vocabulary >= STRONG_VOCABULARY and _asked_parts(questions, transcript) * 2 >= total
            )
        )
    return Fit(belongs, matched, total, vocabulary)


ASKED_SIMILARITY = 0.3  # a question of the transcript asks a part when it is this similar


def _asked_parts(questions: Similarity, transcript: Transcript) -> int:
    """How many parts some question of a user message asks (a pasted or paraphrased question)."""
    best: dict[str, float] = {}
    for message in transcript.messages:
        if message.role != "user" or message.kind != "answer":
            continue
        text = message.text[:20_000]
        for clause, _ in question_clauses(text) or [(text, text)]:
            for pid, score in questions.scores(clause).items():
                best[pid] = max(best.get(pid, 0.0), score)
    return sum(1 for score in best.values() if score >= ASKED_SIMILARITY)


def _user_before(transcript: Transcript, index: int) -> str:
    for message in reversed(transcript.messages[:index]):
        if message.role == "user" and message.kind == "answer":
            return message.text
    return ""


__all__ = ["Fit", "align", "belonging", "read"]

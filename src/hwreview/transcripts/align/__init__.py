"""Find, for each part of the key, the span of the transcript that answers it.

The transcript is cut into candidate segments (segments.py), every (part, segment) pair is
scored from all the evidence (asked.py, scores.py), one assignment is chosen for the whole
transcript by dynamic programming (assignment.py), and each part's status, attempts and
alternatives are read from it (decide.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from hwreview.model import FOUND, NOT_FOUND, UNCERTAIN, Alignment, Assignment, Transcript
from hwreview.transcripts.align.asked import Ask, read_ask
from hwreview.transcripts.align.assignment import Costs, Grid
from hwreview.transcripts.align.courtesy import courtesy_reply
from hwreview.transcripts.align.decide import Reading, decide
from hwreview.transcripts.align.pasted import Paste
from hwreview.transcripts.align.scores import LABEL_BARE, Evidence, Scorer
from hwreview.transcripts.align.segments import Reply, Unit, rejoin, turns_of, units_of
from hwreview.transcripts.align.titles import (
    listed_children,
    numbered_questions,
    numbered_with_letters,
)
from hwreview.transcripts.labels import KeyIndex
from hwreview.transcripts.line_labels import forget_lines
from hwreview.transcripts.similarity import STOPWORDS, Similarity

IN_REPLY = Costs()
NEW_PROBLEM = Costs(back=-1.0)  # "# Problem 1" after problem 3's answer: the reply goes back
UNLABELLED = Costs(forward=-1.5, back=-5.0)  # answers change where labels are, not in between
# a reply of plain paragraphs to a request for several parts: answers change at paragraphs, in
# order, and a part asked for is rarely left out
PARAGRAPH = Costs(forward=-0.5, skip=-1.5, back=-5.0)
NEW_QUESTION = Costs(stay=-2.5, reenter=-2.5, back=-2.0)  # a new request: on to its part
AGAIN = Costs(stay=-0.5, reenter=-0.5, back=-2.0)  # "that's wrong", "you skipped (b)"
CARRY_ON = Costs(stay=0.0, reenter=0.0, forward=-2.0, back=-3.0)  # "continue": the same answer
# a paragraph whose words point clearly to one part, in a reply with few labels: the model
# answers in an order of its own (topics grouped), so going back costs less
LOOSE = Costs(skip=0.0, back=-2.0)


def _costs(ask: Ask) -> Costs:
    """How a turn's first segment is reached, from what its user message says."""
    if ask.carry_on or (ask.how == "" and ask.followup and not ask.redo):
        return CARRY_ON
    if ask.how == "" and (ask.redo or ask.missing or ask.followup):
        return AGAIN
    if ask.how == "" and not ask.similarity:
        return CARRY_ON
    return NEW_QUESTION


def _courtesy_before(units: list[Unit], i: int, text: str) -> bool:
    """Only courtesy paragraphs come before segment i of a reply ('Great question!' on a line
    of its own): the turn's request leads to segment i. (An apology sentence running into the
    answer's first line, 'Sorry about that. 192.168.10.130 is ...', does not.)"""
    return all(
        u.closing and "\n" in text[u.end : units[j + 1].start] for j, u in enumerate(units[:i])
    )


LOOSE_TEXT = 2.0  # a loose paragraph's text must point to its part at least this much
LOOSE_MARGIN = 1.5  # ... and this much more than to any other part


def _loose_kept(units: list[Unit], scored: list[Evidence], ask: Ask) -> list[bool]:
    """Which segments stand as they were cut: a loose paragraph (of a reply whose few labels
    leave most parts asked unlabelled) only when its words point clearly to one of those
    parts; otherwise it goes on the answer before it ('Step by step:' under '(a)')."""
    named = {pid for ev in scored for pid, score in ev.label.items() if score >= LABEL_BARE}
    keep = []
    for unit, ev in zip(units, scored, strict=True):
        if not unit.loose:
            keep.append(True)
            continue
        ranked = sorted(ev.text.items(), key=lambda kv: -kv[1])
        best, score = ranked[0] if ranked else ("", 0.0)
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        keep.append(
            (best in ask.parts or not ask.parts)  # asked for, or the request named none
            and best not in named
            and score >= LOOSE_TEXT
            and score - second >= LOOSE_MARGIN
        )
    return keep


def _problem_heading(unit: Unit, key: KeyIndex) -> bool:
    """The segment opens with a heading naming one of the key's problems."""
    return (
        unit.marker is not None
        and unit.marker.kind == "problem"
        and unit.marker.problem in key.problems
    )


def _problem_of(unit: Unit) -> str:
    """The problem a segment's marker names ('' without one)."""
    return (unit.marker.problem or "") if unit.marker is not None else ""


def _asks_nothing(ask: Ask) -> bool:
    """The user's message names no part and asks for no more of an answer."""
    return not (ask.parts or ask.how or ask.carry_on or ask.missing or ask.redo)


def _asked(ask: Ask, parts: int, answered: bool) -> int:
    """How many parts a turn's reply may answer, for cutting a reply in prose at paragraphs:
    those its request names; before anything is asked or answered, a request that names
    nothing ('can you do my homework?', a file attached) may be answered by the whole key."""
    if ask.several:
        return len(ask.parts)
    return parts if not answered and not ask.how else 0


def read(assignment: Assignment, transcript: Transcript) -> Reading:
    """Segments, evidence and the best assignment of one transcript against one key."""
    forget_lines()
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
    paste = Paste(assignment)
    for number, turn in enumerate(turns_of(transcript)):
        user = transcript.messages[turn.user].text if turn.user is not None else ""
        reply = Reply(transcript, turn.replies)
        # the rest of a pasted homework that the import gave to the assistant (or all of it,
        # when the import found no user message) is the user's request: read with it, and
        # blanked (offsets kept) out of the reply
        if cut := paste.prefix(reply.text, user):
            user = f"{user}\n\n{reply.text[:cut]}".strip()
            reply.text = re.sub(r"[^\n]", " ", reply.text[:cut]) + reply.text[cut:]
        ask = read_ask(user, key, questions, seen, previous, replied)
        asks.append(ask)
        replies.append(reply)
        if ask.parts:
            previous = ask.parts
        if ask.how in ("label", "problem"):
            seen.update(ask.parts)
        single = ask.how in ("label", "similar") and len(ask.parts) == 1
        own = units_of(
            reply, number, _asked(ask, len(key.ids), bool(seen)), single, titled=scorer.titled
        )
        own = listed_children(numbered_with_letters(numbered_questions(own, key), key), key)
        if ask.declined or ask.recap or (_asks_nothing(ask) and courtesy_reply(reply.text)):
            # "thanks, I'll do the rest myself" / "Sounds good! Good luck!" / a summary asked for
            for unit in own:
                unit.closing = True
        scored = scorer.reply(own, ask)
        if any(u.loose for u in own):
            keep = _loose_kept(own, scored, ask)
            if not all(keep):
                # rejoined, a list under its heading is one unit again: split it once more
                own = listed_children(rejoin(reply.text, own, keep), key)
                scored = scorer.reply(own, ask)
        order = [key.problems.index(_problem_of(u)) for u in own if _problem_heading(u, key)]
        backwards = any(b < a for a, b in zip(order, order[1:], strict=False))
        reordered = any(u.loose for u in own)  # topics in the model's own order, few labels
        for i, (unit, ev) in enumerate(zip(own, scored, strict=True)):
            units.append(unit)
            evidence.append(ev)
            labelled = any(score > 0 for score in ev.label.values())
            if i == 0 or _courtesy_before(own, i, reply.text):
                costs.append(_costs(ask))
            else:
                before = own[i - 1].marker
                heading = backwards and (
                    (unit.marker is not None and unit.marker.kind == "problem")
                    or (before is not None and before.kind == "problem")
                )  # at or under a problem heading of a reply that goes back in key order
                costs.append(
                    NEW_PROBLEM
                    if heading
                    else (LOOSE if reordered else IN_REPLY)
                    if labelled
                    else LOOSE
                    if unit.loose
                    else PARAGRAPH
                    if unit.paragraph
                    else UNLABELLED
                )
            replied.update(p for p, s in ev.label.items() if s >= LABEL_BARE)
            seen.update(replied)
    emissions = [([ev.parts[pid] for pid in key.ids], ev.none) for ev in evidence]
    grid = Grid(len(key.ids), emissions, costs)
    reading = Reading(list(key.ids), units, evidence, asks, replies, grid, dict(key.problem_of))
    reading.text = scorer.text
    reading.paste = paste
    return reading


def align(assignment: Assignment, transcript: Transcript) -> dict[str, Alignment]:
    """Align every part of the key with the transcript: found, uncertain or not found."""
    reading = read(assignment, transcript)
    if not reading.units:
        return {pid: Alignment(pid, NOT_FOUND) for pid in reading.ids}
    aligned = decide(reading)
    if echo(assignment, transcript) < SURE_ECHO:
        return {
            pid: replace(a, status=UNCERTAIN, reason=FAINT_ECHO) if a.status == FOUND else a
            for pid, a in aligned.items()
        }
    return aligned


# How much of the key a chat repeats, its share of the key's own words plus part of its share
# of the key's figures, tells an answer to the key from another homework on its subject better
# than either alone. Measured on the 1,765 transcripts of the seen corpus: answers to the key
# score at least 0.42 (the own alignment set too), other homeworks at most 0.42 and the three
# the belonging check accepts at most 0.38, as were the six it accepted in fresh sets (0.22 to
# 0.38). Below SURE_ECHO no span is `found`: such a chat may answer another homework,
# and the grader checks it part by part.
FIGURE_WEIGHT = 0.4
SURE_ECHO = 0.4
FEW_FIGURES_ECHO = 0.1  # a key with few figures: its words alone, with this added
# a chat of fewer own words is not judged (the other homeworks accepted had 55 to 131)
ECHO_WORDS = 50
FAINT_ECHO = (
    "the chat repeats few of the key's words and figures: another homework, or a few parts?"
)


class _Echo(NamedTuple):
    """The key's own words and figures, and those of the chat's answers."""

    key_words: set[str]
    key_figures: set[str]
    used: set[str]
    figures: set[str]


def _echo_of(assignment: Assignment, transcript: Transcript) -> _Echo:
    key_words: set[str] = set()
    for problem in assignment.problems:
        key_words |= _words(f"{problem.title} {problem.context}")
        for p in problem.parts:
            key_words |= _words(f"{p.title} {p.question} {p.answer_key}")
    used: set[str] = set()
    figures: set[str] = set()
    for message in transcript.messages:
        if message.kind == "answer":
            used |= _words(message.text[:20_000])
            figures |= _figures(message.text[:20_000])
    key_figures = _figures(
        " ".join(
            [f"{p.question} {p.answer_key}" for p in assignment.parts]
            + [problem.context for problem in assignment.problems]
        )
    )
    return _Echo(key_words, key_figures, used, figures)


def echo(assignment: Assignment, transcript: Transcript) -> float:
    """How much of the key the chat's answers repeat: its share of the key's words, plus
    FIGURE_WEIGHT times its share of the key's figures (FEW_FIGURES_ECHO for a key with few)."""
    seen = _echo_of(assignment, transcript)
    if not seen.key_words or len(seen.used) < ECHO_WORDS:
        return 1.0  # nothing to judge by, or a short chat that may answer a few parts
    words = len(seen.used & seen.key_words) / len(seen.key_words)
    if len(seen.key_figures) < MIN_FIGURES:
        return words + FEW_FIGURES_ECHO
    return words + FIGURE_WEIGHT * len(seen.key_figures & seen.figures) / len(seen.key_figures)


@dataclass(frozen=True)
class Fit:
    """Whether a transcript answers this key: parts whose aligned answer uses that part's own
    words, and the share of the key's words that the transcript uses."""

    belongs: bool
    matched: int
    total: int
    vocabulary: float  # the share of the key's own words found in the transcript


# Whether a transcript answers the key is read from the key's words, not the transcript's: an
# answer to the key repeats the key's own terms, numbers and names (measured on the 198
# transcripts of the outside corpus: answers use at least 46% of their key's words, other
# homeworks at most 23%, however many of their parts the aligner matched by shared subject
# words). A chat that answers only some parts uses less of the key: it belongs when the spans
# the aligner found mostly carry their own part's words (other homeworks: none of them does).
KEY_COVERAGE = 0.35  # a transcript using this share of the key's words answers it
PART_COVERAGE = 0.4  # a span answers its part when it holds this share of its part's words
MIN_PART_WORDS = 3  # a part with fewer own words cannot be judged by them
ENOUGH_PART_WORDS = 6  # ... and this many of a long answer key's words are enough
MIN_WORDS = 15  # below this, a transcript is too short to judge by its words
MIN_KEY_WORDS = 20  # below this, a key is too small to judge a transcript by its words
OWN_SHARE = 0.5  # a transcript half of whose words are the key's (other homeworks: 31% at most)
MATCH_SIMILARITY = 0.12  # a short transcript's part counts as matched when this similar
_WORD = re.compile(r"[a-z]{4,}")


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


def belonging(
    assignment: Assignment, transcript: Transcript, alignments: dict[str, Alignment]
) -> Fit:
    """Judge from the key's own words, not labels, whether the transcript answers this key."""
    key_words, key_figures, used, figures = _echo_of(assignment, transcript)
    # the key's own figures (L1 = 1.0 m, 1024 lines, 84.26°) come back in an answer to it; a
    # homework on the same topic has other ones (at most 29% of a key's, in the corpus)
    same_figures = len(key_figures) >= MIN_FIGURES and (
        len(key_figures & figures) >= FIGURE_SHARE * len(key_figures)
    )
    # ... and an answer to it repeats some of the figures of the parts it answers: a chat that
    # repeats almost none is another homework on the subject, however many spans carry the
    # parts' words (ay-cost-06, bw-fatigue-07 repeat none; the answers in the corpus at least
    # 18%)
    spanned_figures = _figures(
        " ".join(
            f"{p.question} {p.answer_key}"
            for p in assignment.parts
            if (a := alignments.get(p.id)) is not None and a.span is not None
        )
    )  # a chat answering some parts repeats those parts' figures only
    other_figures = len(spanned_figures) >= MIN_SPANNED_FIGURES and (
        len(spanned_figures & figures) < FIGURE_FLOOR * len(spanned_figures)
    )
    coverage = len(used & key_words) / len(key_words) if key_words else 0.0
    matched = spanned = 0
    for part in assignment.parts:
        alignment = alignments.get(part.id)
        if alignment is None or alignment.span is None:
            continue
        own = _words(part.answer_key)
        if len(own) < MIN_PART_WORDS:
            own |= _words(f"{part.title} {part.question}")
        if len(own) < MIN_PART_WORDS:
            continue
        spanned += 1
        span = _words(transcript.text_of(alignment.span)[:6000])
        # the question pasted above counts too: answers written in formulas carry few words
        # (a neighbouring homework pasting its own questions in the key's terms gets through
        # here: ay-cost-06, a known miss)
        user = _words(_user_before(transcript, alignment.span.message)[:6000])
        need = max(MIN_PART_WORDS, min(PART_COVERAGE * len(own), ENOUGH_PART_WORDS))
        matched += len(own & (span | user)) >= need
    total = len(assignment.parts)
    if len(key_words) < MIN_KEY_WORDS:  # a key too small to judge by its words
        similar = _similar_parts(assignment, transcript, alignments)
        belongs = similar * 2 >= total or (len(used) < MIN_WORDS and similar > 0)
        matched = max(matched, similar)
    elif len(used) < MIN_WORDS:
        belongs = coverage >= KEY_COVERAGE or _similar_parts(assignment, transcript, alignments) > 0
    else:
        belongs = (
            coverage >= KEY_COVERAGE
            or same_figures
            # half the spans hold their part's answer words; one such span alone, only when
            # it is the chat's only span and the chat also uses a fair share of the key's
            # words (a neighbouring homework can echo one answer: Li-ion cells against a
            # corrosion key, an LP dual against a convex-duality key beside an unmatched span)
            or (
                matched * 2 >= spanned
                and (matched >= 2 or (matched == 1 == spanned and coverage >= KEY_COVERAGE / 2))
                and not other_figures
            )
            # a short chat about a few parts: most of its own words are the key's
            or (
                len(used & key_words) >= OWN_SHARE * len(used)
                and _similar_parts(assignment, transcript, alignments) > 0
            )
        )
    return Fit(belongs, matched, total, coverage)


def _figures(text: str) -> set[str]:
    """The numbers of two digits or more in a text ('1.0', '84.26', '1,024' as '1024')."""
    return {n.replace(",", "") for n in _FIGURE.findall(text) if sum(c.isdigit() for c in n) >= 2}


_FIGURE = re.compile(r"(?<![\w.])\d{1,7}(?:[.,]\d{1,7})?(?!\w)")
MIN_FIGURES = 10  # a key with fewer figures than this is not judged by them
FIGURE_SHARE = 0.5  # an answer repeats at least this share of its key's figures (others: 29%)
FIGURE_FLOOR = 0.15  # ... and another homework may repeat fewer than this share
MIN_SPANNED_FIGURES = 5  # figures of the parts a chat was given spans for, to judge by them


def _similar_parts(
    assignment: Assignment, transcript: Transcript, alignments: dict[str, Alignment]
) -> int:
    """How many parts' spans or requests resemble the part (for a transcript or a key too short
    to judge by words)."""
    questions = Similarity(assignment)
    answers = Similarity(assignment, answers=True)
    similar = 0
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
        similar += best >= MATCH_SIMILARITY
    return similar


def _user_before(transcript: Transcript, index: int) -> str:
    for message in reversed(transcript.messages[:index]):
        if message.role == "user" and message.kind == "answer":
            return message.text
    return ""


__all__ = ["Fit", "align", "belonging", "echo", "read"]

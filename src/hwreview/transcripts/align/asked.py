"""What a user message asks for: parts named by labels, whole problems, or questions pasted in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from hwreview.transcripts.labels import Context, Expectation, KeyIndex, Resolved, resolve
from hwreview.transcripts.line_labels import find_markers, find_references
from hwreview.transcripts.markers import Marker
from hwreview.transcripts.similarity import Similarity, coverage, match_questions

LEAD_QUESTION = 40  # text before a request's first label this long may ask a part itself
MAX_USER = 20_000  # a pasted whole homework is read in full; beyond this only its start

MISSING = re.compile(
    r"\b(?:miss(?:ed|ing)?|skip(?:ped)?|forg[eo]t(?:ten)?|left out|omitted|did ?n[o']t (?:answer|do)|"
    r"have ?n[o']t answered)\b",
    re.I,
)
# "thanks, I think I've got 3(b) myself", "I'll do (c) on my own": the part named is not asked
DECLINE = re.compile(
    r"\b(?:(?:got|do|try|handle|manage|finish|work\s+out|figure\s+out)\b[^.?!\n]{0,40}?"
    r"\b(?:myself|on\s+my\s+own|by\s+myself)|no\s+need\s+(?:to\s+(?:do|answer)|for))\b",
    re.I,
)
MAX_DECLINE = 200  # a longer message may decline one part and ask for another
# "can u give me a short summary table of everything", "recap all the final answers": a
# restatement of answers given, no new attempt at any
RECAP = re.compile(
    r"\b(?:summar(?:y|i[sz]e)|recap|overview|cheat[ -]?sheet)\b[^.?!\n]{0,60}?"
    r"\b(?:everything|all\b|each\b|every\b|per\b|(?:the |my |your )?(?:final )?(?:answers|results|"
    r"solutions)\b|them\b|so far)",
    re.I,
)
REDO = re.compile(
    r"\b(?:redo|again|wrong|incorrect|mistake|error|revisit|revise|fix|correct|reconsider|"
    r"regenerate|another attempt|not right|doesn(?:'|’)?t look right|"
    r"(?:don(?:'|’)?t|do not) think (?:that |this |it |your |the )?\(?\w{0,4}\)? ?(?:is|was|'s) right|"
    r"shouldn(?:'|’)?t (?:it|the|that|this|you)|double[- ]?check|re-?check|"
    r"can(?:'|’)?t be right|cannot be right|which (?:one )?is (?:right|correct)|"
    r"should (?:be|have been|read) [^?!\n]{1,60}? not)\b",  # "... should be 4, not 2"
    re.I,
)
# a question about the answer rather than a request for a new one
CLARIFY = re.compile(
    r"\b(?:check|more detail|elaborate|expand|explain|why|clarify|sure|how come)\b", re.I
)
CONTINUE = re.compile(
    r"^\W*(?:please\s+)?(?:continue|go on|keep going|carry on|go ahead|finish|more|next|"
    r"you (?:were )?cut off|you stopped)\b[^\n]{0,60}$",
    re.I,
)
MAX_ABOUT = 300  # a follow-up about one earlier answer is at most this long
_REQUEST = re.compile(
    r"\b(?:answer|solve|do|now|next|try|with|on to|start|tackle|here is|here's|this is|about|"
    r"from|then)\W*"
    r"(?:the\s+|with\s+)?$",
    re.I,
)
# "next one: print(7 / 2)", "next question: ...": a new question, not "go on"
_NEXT_QUESTION = re.compile(
    r"\W*next\b(?:[ \t]+(?:one|question|part|problem))?[ \t]*[:.\-–—]?[ \t]*[^\s.!]{2}", re.I
)
_FOLLOWUP = re.compile(
    r"^\W*(?:why|how come|wait|but|hm+|huh|so|i don(?:'|’)?t (?:get|understand|see)|"
    r"what do you mean|(?:can|could) you (?:explain|clarify)|are you sure|is that right|"
    r"(?:is|are|does|do|should|would|could)n(?:'|’)?t)\b|\b(?:you|your|you(?:'|’)re)\b",
    re.I,
)
# "(5)" opening a sentence after the message's own "(4) ...": find_references skips bare numbers
_SENTENCE_NUMBER = re.compile(r"(?:[.?!;,]|,?[ \t]++and)[ \t]++(\((\d{1,2})\))[ \t]")
# "you skipped b": a bare letter after a word for missing
_MISSING_LETTER = re.compile(
    r"\b(?:miss(?:ed)?|skip(?:ped)?|forg[eo]t|left out|omitted)\s+(?:(?:part|question)\s+)?"
    r"(?P<label>[a-z])\b(?![\'’])",
    re.I,
)
# a label that opens a later sentence of the message asks for it too: "... ? And (c), ..."
_LIST_JOINER = re.compile(r"[ \t]*+(?:,|&|\+|/|and|plus)?[ \t]*+(?:and[ \t]++)?", re.I)
_SENTENCE_START = re.compile(r"[.?!;]\s+(?:(?:and|also|then|now|plus|next)[\s,]+)?$", re.I)
_JOINER = re.compile(r"[\s,;&/+]*(?:(?:and|or|plus|then)[\s,]*)*", re.I)  # "(d) and then (b)"


@dataclass
class Ask:
    """What one user message asks for, and how we know."""

    parts: list[str] = field(default_factory=list)
    how: str = ""  # "label", "problem", "similar" or "" (nothing asked)
    sure: bool = False
    similarity: dict[str, float] = field(default_factory=dict)  # to each part's question
    redo: bool = False  # "that's wrong, try again", "are you sure?"
    missing: bool = False  # "you skipped (b)"
    carry_on: bool = False  # "continue"
    followup: bool = False  # a short question about the previous answer
    several: bool = False  # it asks for several parts by name, or in several questions
    bare: bool = False  # its labels name no problem ("(b) is wrong"): the problem is a guess
    declined: bool = False  # "I've got 3(b) myself": the reply only says good luck
    recap: bool = False  # "a short summary table of everything": answers restated, none new


def read_ask(
    text: str,
    key: KeyIndex,
    sim: Similarity,
    answered: set[str],
    previous: list[str],
    labelled: set[str] | None = None,
) -> Ask:
    """Read a user message against the key, given the parts answered or asked before it,
    those asked just before, and those a reply labelled (None: as answered)."""
    text = text[:MAX_USER]
    ask = Ask()
    if not text.strip():
        return ask
    if len(text) <= MAX_DECLINE and DECLINE.search(text) and "?" not in text:
        ask.declined = True
        return ask
    if (
        len(text) <= MAX_DECLINE
        and answered
        and RECAP.search(text)
        and not (REDO.search(text) or MISSING.search(text) or find_references(text))
    ):  # (not "summarise it all, and do problem 3 too", nor "... you skipped (c)")
        ask.recap = True
        return ask
    ask.missing = bool(MISSING.search(text))
    challenged = bool(REDO.search(" ".join(text.split())))  # "can't\nbe right" as typed
    ask.redo = challenged and not ask.missing
    again = ask.redo or (bool(CLARIFY.search(text)) and not ask.missing)
    ask.carry_on = bool(CONTINUE.match(text.strip())) and not _NEXT_QUESTION.match(text)
    ask.followup = len(text.strip()) <= 200 and bool(_FOLLOWUP.search(text))
    scores = sim.scores(text)
    weight = coverage(sim, text)
    ask.similarity = {pid: s * weight for pid, s in scores.items()}
    found = find_references(text)
    refs = [m for m, back in found if not back]
    # a correction beside a skipped part: "In 1(c) you got a minus sign, that can't be
    # right. Also you didn't do 3(b)."
    corrects = ask.missing and challenged
    if len(text) <= MAX_ABOUT and ((not refs and ask.redo) or corrects):
        # "Wait, in (b)(ii) you wrote 84.26°. Which is right?": a short challenge to an
        # earlier answer names that part, even after 'in'
        refs = [m for m, _ in found]
    if (
        ask.followup
        and refs
        and all(m.kind == "part" and m.problem is None for m in refs)
        and not any(_REQUEST.search(text[max(0, m.pos - 30) : m.pos]) for m in refs)
    ):
        # "For (c), can you be more specific ...": a question to the model about a label of
        # the problem at hand, answered or not (not "now (c)", a request for the next one)
        again = True
    # "(a) through (b) of problem 2" names the problem of those parts, not an earlier one
    owners = [m for m, _ in found if m.kind == "problem" and _PARTS_OF.search(text, 0, m.pos)]
    for bare in _MISSING_LETTER.finditer(text):
        pos, label = bare.start("label"), bare.group("label").lower()
        if label != "a" or bare.group(0).lower().endswith(("part a", "question a")):
            refs.append(Marker(pos, "part", None, (label,), 0, (), len(text), pos + 1))
    markers = _numbered_problems(text, find_markers(text, loose=True), refs, key)
    if markers and markers[0].kind == "part" and not text[: markers[0].pos].strip():
        # A message that opens with its label: later mentions are context, except a list
        # joined to the label ("Problem 1 (a) and (b)").
        refs = [r for r in refs if not any(m.pos <= r.pos < m.end for m in markers)]
        group = markers + _joined(text, markers[0], refs)
        group += [r for r in refs if r not in group and _SENTENCE_START.search(text, 0, r.pos)]
        group += _in_sequence(markers[0], [r for r in refs if r not in group])
    else:
        group = markers + [r for r in refs if not any(m.pos <= r.pos < m.end for m in markers)]
    if markers and markers[0].kind == "item" and not text[: markers[0].pos].strip():
        group += _numbered_after(text, markers[0], group)
    group += [m for m in owners if m not in group]
    group.sort(key=lambda m: m.pos)
    if any(m.kind in ("part", "item") for m in group):
        ctx = Context()
        if previous:
            ctx.problem = key.problem_of[previous[-1]]
            ctx.pointer = key.order[previous[-1]]
        after = {m.problem or "" for m in group if m.kind == "problem"}
        first = next((m for m in group if m.kind == "part"), None)
        if (
            len(after) == 1
            and first is not None
            and first.problem is None
            and all(m.pos > first.pos for m in group if m.kind == "problem")
            and (problem := after.pop()) in key.problems
        ):  # "parts (a) through (b) of problem 2": the problem named after its parts
            ctx.problem, ctx.heading = problem, True
            ctx.pointer = min(key.order[p] for p in key.ids if key.problem_of[p] == problem) - 1
            group = [m for m in group if m.kind != "problem"]  # it pins the labels around it
        avoid = frozenset() if again else frozenset(answered)
        if ask.missing:  # "you skipped (b)(ii)": asked before, but no reply labelled it
            avoid = frozenset(answered if labelled is None else labelled)
            if corrects:  # the part corrected, named in full, is asked again
                avoid -= {
                    key.make_id(m.problem, m.labels)
                    for m in group
                    if m.kind == "part" and m.problem is not None
                }
        resolved = resolve(group, key, Expectation(), ctx, avoid, pin=False)
        # a numbered item names a part only where parts are numbered: elsewhere "1." is a list
        numeric = key.numbered
        resolved = [
            r
            for r in resolved
            if r.marker.kind != "item" or (r.target is not None and r.target.problem in numeric)
        ]
        ids = _ids(resolved, key)
        lead = min((r.marker.pos for r in resolved if r.target is not None), default=0)
        if (
            ids
            and len(text[:lead].strip()) >= LEAD_QUESTION
            and not any(m.pos < lead for m, _ in found)
        ):
            # "Compute the transform of the pulse. (c) Use Parseval ...": the question pasted
            # before the first label asks a part too; words that name a part themselves ("in
            # 1(b) you lost a factor: E isn't 1 here ... redo 1(b)") are about that part
            chosen, sure, _ = match_questions(sim, text[:lead], key.order, set())
            if sure and chosen:
                ids = sorted({*ids, *chosen}, key=key.order.__getitem__)
        ids = _pasted_problems(ids, group, key, text)
        if ids:
            # "Problem 1 (1) to (3), and problem 2 (a)", "Q1 (1), (2)": the numbers after the
            # first label name more of that numbered problem's parts
            named = [m.problem for m in group if m.problem and m.kind in ("part", "problem")]
            more = _numbered_parts(text, key, named) if named else []
            if not more and len(key.numbered) == 1 and not key.numbered & set(named):
                # "(1) MSY stock (2) yield ... (10) golden rule. Problem 2: (a) ... (b) ...":
                # a run of three numbers or more names the key's one numbered problem's parts
                more = _numbered_parts(text, key, list(key.numbered), 3)
            ids = sorted({*ids, *more}, key=key.order.__getitem__)
            ask.parts, ask.how, ask.sure = ids, "label", True
            ask.several = len(ids) >= 2
            ask.bare = all(m.kind == "part" and m.problem is None for m in group)
            return ask
    named = [p for m in group if m.kind == "problem" for p in (m.problem or "", *m.more)]
    context = named or [key.problem_of[p] for p in previous[-1:]]
    # before anything is asked, a list '(1) ... (2) ... (3) ...' names a numbered problem's parts
    candidates = context or list(key.problems)
    # a correction names parts in any order ("you skipped (6). also (4) looks too high"), and
    # after lettered parts its numbers name the key's one numbered problem ("You skipped (9),
    # (10) and problem 2", "redo 4 5 and 9"); a question ("what was the 20° heel for in
    # (10)?") asks for no new answer
    fixing = bool(context) and (ask.missing or challenged)
    if fixing and len(key.numbered) == 1:
        candidates = [*candidates, *key.numbered]
    ids = _numbered_parts(text, key, candidates, 1 if context else 3, fixing)
    if ids and named and key.problem_of[ids[0]] not in named:
        ids += [p for p in key.ids if key.problem_of[p] in named]
    if ids:  # "Answer (1) to (5) of problem 1", "now (6)-(10)"
        every = [pid for pid in key.ids if key.problem_of[pid] == key.problem_of[ids[0]]]
        # "(1) ... (2) ... (11) ..." pasted: every part of the problem, as a whole problem is
        whole = set(ids) >= set(every)
        ask.parts, ask.how, ask.sure = (
            every if whole else ids,
            "problem" if whole else "label",
            True,
        )
        ask.several = len(ask.parts) >= 2
        return ask
    problems: list[str | None] = []
    before: Marker | None = None  # the problem asked just before, to join a list to it
    for m in (m for m in group if m.kind == "problem"):
        # "Problem 1 and problem 2, please": a problem joined to one asked is asked too
        joined = before is not None and _LIST_JOINER.fullmatch(text, before.end, m.pos)
        if _requested(text, m, markers) or joined:
            problems += (m.problem, *m.more)
            before = m
        else:
            before = None
    ids = [pid for pid in key.ids if key.problem_of[pid] in problems]
    if ids:
        ask.parts, ask.how, ask.sure = ids, "problem", True
        # "Problem 1, next question: <one question>" asks one part of the problem; "Problem 2"
        # alone, or with several questions pasted, asks for several
        _, _, questions = match_questions(sim, text, key.order, set())
        ask.several = len(ids) >= 2 and (questions != 1 or len(set(problems)) >= 2)
        return ask
    if _WHOLE.search(text) and not again:
        # "queueing homework, all three problems: ..." with no labels: every part not answered
        ids = [pid for pid in key.ids if pid not in answered] or list(key.ids)
        ask.parts, ask.how, ask.sure, ask.several = ids, "problem", True, len(ids) >= 2
        return ask
    chosen, sure, questions = match_questions(sim, text, key.order, set() if again else answered)
    if chosen and not sure and previous and ask.followup:
        return ask  # a question about the last answer that matches no part clearly
    if chosen:
        ask.parts, ask.how, ask.sure = chosen, "similar", sure
        ask.several = questions >= 2 or (len(chosen) >= 2 and not again)
    return ask


_INLINE_ATOM = re.compile(r"(?<![\w(])\(?([a-z])\)(?=[ \t])")


def _pasted_problems(ids: list[str], markers: list[Marker], key: KeyIndex, text: str) -> list[str]:
    """A message that names two problems or more asks every part of a problem named without
    labels ('Problem 1, key terms: ...', 'problem 1 and problem 2 (a)') and each letter
    written inline after a line's first label ('Problem 3: a) ... b) ...'), besides the labels
    it names."""
    heads = [m for m in markers if m.problem in key.problems and m.kind in ("problem", "part")]
    if len({m.problem for m in heads}) < 2:
        return ids
    out = set(ids)
    for m in heads:
        problem = m.problem or ""
        if m.kind == "problem" and not any(key.problem_of[p] == problem for p in ids):
            out.update(p for p in key.ids if key.problem_of[p] == problem)
        elif m.kind == "part" and len(m.labels) == 1 and len(m.labels[0]) == 1:
            expected = m.labels[0]
            for atom in _INLINE_ATOM.finditer(text, m.end, m.line_end):
                if ord(atom.group(1)) != ord(expected) + 1:
                    continue
                expected = atom.group(1)
                pid = key.make_id(problem, [expected])
                out.update([pid] if pid in key.order else key.children(problem, expected))
    return sorted(out, key=key.order.__getitem__)


_PARTS_OF = re.compile(r"(?:\([a-z]{1,4}\)|\bparts?\s+[a-z])\s+(?:of|from|in)\s+$", re.I)


def _item_shape(text: str, marker: Marker) -> tuple[object, ...]:
    """How a numbered item is written: its decoration and whether the number is in brackets."""
    return (*marker.style, text[marker.pos : marker.pos + 12].lstrip(" \t-*+#>_")[:1] == "(")


def _numbered_problems(
    text: str, markers: list[Marker], refs: list[Marker], key: KeyIndex
) -> list[Marker]:
    """A numbered list of problems (`1) ... (a) ... (b)`): items followed by part labels; other
    items are kept as they are (numbered parts, or nothing)."""
    out = []
    for m in markers:
        if m.kind == "item":
            # parts under it: part labels, or items written another way ('1.' over '(1)')
            shape = _item_shape(text, m)
            after = min(
                [
                    x.pos
                    for x in markers
                    if x.kind == "item" and x.pos > m.pos and _item_shape(text, x) == shape
                ]
                + [1 << 60]
            )
            labels = [
                x.pos
                for x in markers + refs
                if x.kind == "part" or (x.kind == "item" and _item_shape(text, x) != shape)
            ]
            if str(m.number) in key.problems and any(m.pos < p < after for p in labels):
                out.append(replace(m, kind="problem", problem=str(m.number)))
            else:
                out.append(m)  # "(3) Solve ..." pasted: a numbered part, if its problem has them
            continue
        out.append(m)
    return out


NUMBER_REF = re.compile(
    r"(?<![\w)\\])\((\d{1,2})\)(?:[ \t]*+(?:-|–|to|through)[ \t]*+\((\d{1,2})\))?", re.I
)


def _numbered_parts(
    text: str, key: KeyIndex, problems: list[str], least: int = 1, bare: bool = False
) -> list[str]:
    """Parts named by number ('(2)', '(1) to (5)', '(6)-(10)') of the first of `problems` whose
    parts are numbered, when at least `least` numbers are written; with `bare` (a message
    correcting or asking for skipped parts), in any order, and also plain numbers right after
    a verb of redoing or skipping ('you skipped 7', 'redo 4 5 and 9')."""
    problem = next((p for p in problems if p in key.numbered), None)
    if problem is None:
        return []
    ids: list[str] = []
    refs = [(int(m.group(1)), int(m.group(2) or m.group(1))) for m in NUMBER_REF.finditer(text)]
    for m in _WORD_NUMBER_REF.finditer(text):  # "parts 1 through 3", "questions 2 and 3"
        refs.append((int(m.group(1)), int(m.group(2) or m.group(1))))
        pos = m.end()
        while listed := _LISTED_NUMBER.match(text, pos):
            refs.append((int(listed.group(1)), int(listed.group(1))))
            pos = listed.end()
    refs = list(dict.fromkeys(refs))  # "your (3) is wrong, redo (3) and (4)": (3) once
    if sum(max(1, high - low + 1) for low, high in refs) < least and not bare:
        return []
    lows = [low for low, _ in refs]
    if not bare and any(b <= a for a, b in zip(lows, lows[1:], strict=False)):
        return []  # '(4), (1), (2), (1)': numbers in a question (weights), not parts asked
    if bare:  # "you skipped 7 ... redo 4 5 and 9": named after their verbs, in any order
        for m in _VERB_NUMBERS.finditer(text):
            refs += [(int(n), int(n)) for n in re.findall(r"\d{1,2}", m.group(1))]
    for low, high in refs:
        for n in range(low, max(low, high) + 1):
            pid = key.make_id(problem, [str(n)])
            if pid in key.order and pid not in ids:
                ids.append(pid)
    return sorted(ids, key=key.order.__getitem__)


_WORD_NUMBER_REF = re.compile(
    r"\b(?:parts?|questions?|items?|nos?\.|numbers?)[ \t]++(\d{1,2})\b"
    r"(?:[ \t]*+(?:-|–|to|through|thru)[ \t]*+(\d{1,2})\b)?",
    re.I,
)


def numbers_named(text: str) -> list[str]:
    """The part numbers a text names in passing: '(5)', 'item 10', 'parts 2 and 3' (each once)."""
    found = [m.group(1) for m in NUMBER_REF.finditer(text)]
    for m in _WORD_NUMBER_REF.finditer(text):
        found.append(m.group(1))
        pos = m.end()
        while listed := _LISTED_NUMBER.match(text, pos):
            found.append(listed.group(1))
            pos = listed.end()
    return list(dict.fromkeys(str(int(n)) for n in found))


_LISTED_NUMBER = re.compile(r"[ \t]*+(?:,|and|&)[ \t]*+(\d{1,2})\b")
# "you skipped 7", "redo 4 5 and 9 with IBW": numbers that end where a word (not a unit) starts
_VERB_NUMBERS = re.compile(
    r"\b(?:skipped|missed|forgot|redo|re-do|redid|fix|(?:re|double[- ]?)?check)[ \t]++"
    r"(\d{1,2}(?:(?:[ \t]*+(?:,|and|&)[ \t]*+|[ \t]++)\d{1,2}\b)*+)"
    r"(?=[ \t]*+(?:[.,;!?]|$|with\b|and\b|too\b|again\b|please\b))",
    re.I,
)


def _requested(text: str, marker: Marker, line_markers: list[Marker]) -> bool:
    """A problem named at a line start, after a request word ('now', 'solve', 'do'), after
    an opening 'and' ('and problem 3 — ...'), or opening a sentence that asks for it
    ('... attached. Problem 1 please.')."""
    return (
        marker in line_markers
        or bool(_REQUEST.search(text[max(0, marker.pos - 30) : marker.pos]))
        or bool(_JOINED_ON.fullmatch(text[: marker.pos]))
        or (
            bool(_SENTENCE_END.search(text[max(0, marker.pos - 3) : marker.pos]))
            and bool(_PLEASE.match(text, marker.end))
        )
    )


_SENTENCE_END = re.compile(r"[.!?][ \t]++$")
# "and problem 3 — ...", "ok, also problem 4": a message that opens by adding a problem
_JOINED_ON = re.compile(r"\W*+(?:(?:ok(?:ay)?|great|thanks|cool)\W++)?(?:and|also|plus)\W*+", re.I)
# a request for the whole homework in words: "all three problems", "the whole problem set"
_WHOLE = re.compile(
    r"\b(?:all|every|each)(?:[ \t]++(?:of[ \t]++)?(?:the|these|this|my|two|three|four|five|six|"
    r"\d{1,2}))?[ \t]++(?:problems|questions|exercises)\b|"
    r"\b(?:whole|entire|full)[ \t]++(?:homework|assignment|problem[ \t]++set|sheet|worksheet)\b",
    re.I,
)
_PLEASE = re.compile(r"[ \t,]*+(?:please|pls|now|next|too|as well|first)\b", re.I)


_ROMAN_ORDER = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")


def _next_label(before: tuple[str, ...], after: tuple[str, ...]) -> bool:
    """`after` is the label right after `before`: (a) → (b) or (b)(i); (b)(i) → (b)(ii)."""
    if not before or not after:
        return False
    if (
        len(before[0]) == len(after[0]) == 1
        and ord(after[0]) == ord(before[0]) + 1
        and after[1:] in ((), ("i",))
    ):
        return True
    if len(before) == 2 and len(after) == 2 and before[0] == after[0]:
        here, there = before[1], after[1]
        if here in _ROMAN_ORDER and there in _ROMAN_ORDER:
            return _ROMAN_ORDER.index(there) == _ROMAN_ORDER.index(here) + 1
    return False


def _in_sequence(first: Marker, refs: list[Marker]) -> list[Marker]:
    """Labels that go on in order from a message's opening label ('problem 3. (a) is ...
    (b)(i) what ... (b)(ii) how ... (c) ...'): a pasted list of questions, each asked."""
    out: list[Marker] = []
    last = first
    for ref in sorted(refs, key=lambda r: r.pos):
        if ref.kind != "part" or ref.pos < last.pos or ref.problem not in (None, first.problem):
            continue
        if _next_label(last.labels, ref.labels):
            out.append(ref)
            last = ref
    return out


def _numbered_after(text: str, first: Marker, group: list[Marker]) -> list[Marker]:
    """Numbers opening later sentences or clauses that go on from a message's opening number
    ('(4) ... with (i) NaOEt and (ii) KOtBu. (5) 3-Methyl-2-butanol ...', '(4) hull speed, and
    (5) lift and drag'): the next questions asked."""
    out: list[Marker] = []
    last = first.number
    for m in _SENTENCE_NUMBER.finditer(text, first.end):
        pos = m.start(1)
        if int(m.group(2)) != last + 1 or any(g.pos == pos for g in group):
            continue
        out.append(replace(first, pos=pos, number=last + 1, end=m.end(1)))
        last += 1
    return out


def _joined(text: str, first: Marker, refs: list[Marker]) -> list[Marker]:
    """References chained right after an opening label by commas, 'and', '&' or '/'."""
    out: list[Marker] = []
    end = first.end
    for ref in sorted(refs, key=lambda r: r.pos):
        if ref.pos < end:
            continue
        if ref.pos - end > 40 or not _JOINER.fullmatch(text[end : ref.pos]):
            break
        out.append(ref)
        end = ref.end
    return out


def _ids(resolved: list[Resolved], key: KeyIndex) -> list[str]:
    ids: list[str] = []
    for r in resolved:
        if r.target is None or r.duplicate or r.target.kind == "problem":
            continue
        for pid in (*key.target_ids(r.target), *r.extra):
            if pid not in ids:
                ids.append(pid)
    return ids

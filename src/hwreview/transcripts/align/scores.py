"""Score every (part, segment) pair from all the evidence: labels, the question asked, the text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from hwreview.transcripts.align.asked import Ask
from hwreview.transcripts.align.layout import (
    bare_heading,
    labelled_next,
    opens_parts,
    preamble,
    step_items,
)
from hwreview.transcripts.align.segments import RESTATED, Unit
from hwreview.transcripts.align.titles import Titles
from hwreview.transcripts.labels import Context, KeyIndex, start_context
from hwreview.transcripts.markers import Marker
from hwreview.transcripts.similarity import Similarity, tokens

# Weights, in log-odds-like points. Labels are the strongest evidence; none decides alone.
LABEL_FULL = 6.0  # "2(c)(ii)", "Problem 2 (c)": problem and part named
LABEL_BARE = 4.5  # "(c)" read in the context of a heading or the parts asked
LABEL_PARENT = 3.5  # "(c)" over sub-parts (i), (ii): each child
LABEL_ITEM = 1.5  # "2." as the second part of the problem in context
LABEL_ITEM_HEADED = 3.5  # "2." under "## Problem 1", in a reply without part labels
LABEL_ITEM_NUMERIC = 4.5  # "(2)" when the key's parts are numbered
HEADING_PROBLEM = 1.0  # under "## Problem 2", problem 2's parts
OTHER_PROBLEM = -1.5  # under "## Problem 2", a bare label of another problem
ASK_LABEL = 2.5  # the user named the part
NOT_ASKED = -1.0  # the user named other parts
ASK_PROBLEM = 1.0  # the user named the whole problem
ASK_SIMILAR = 2.5  # the user's question matches the part's
USER_SIMILARITY = 6.0  # times the similarity of the user message to the part's question
TEXT_QUESTION = 5.0  # times the similarity of the segment to the part's title and question
TEXT_ANSWER = 5.0  # times its similarity to the part's answer key
CLOSING = 3.0  # a summary, sign-off or pleasantry is nobody's answer
PREAMBLE = 2.0  # text before the first label of a labelled reply
ANSWERING = -2.0  # in a reply to a request, a segment is more likely an answer than not
BARE_HEADING = 4.0  # a problem heading with nothing under it before the next label
IN_TURN_ORDER = 2.5  # the k-th of k paragraphs answering k parts asked: the k-th part
OTHER_LABEL = 0.4  # per point of a segment's own label, off every other part
MINOR_STYLE = 0.5  # a label in another style than most of the reply's labels
STEP = 0.1  # a numbered step inside an answer labelled by number: hardly a label
RESTATED_SIMILAR = 0.5  # a restated question ("Q: ...") this similar to a part's names it
RESTATED_MARGIN = 0.2  # ... when no other part's question is within this
MAX_RESTATED = 400
ROMAN = re.compile(r"[ivx]+")
TEXT_SAMPLE = 3000  # characters of a segment compared with the key


@dataclass
class Evidence:
    """The scores of one segment: per part, for 'no part', and what the label said."""

    parts: dict[str, float]
    none: float
    label: dict[str, float] = field(default_factory=dict)  # the label's share of the scores
    text: dict[str, float] = field(default_factory=dict)  # the text's share
    named: tuple[str, ...] = ()  # parts the segment's marker names together ("(a) and (b)")


class Scorer:
    """Builds the evidence for every segment of a transcript against one key."""

    def __init__(self, key: KeyIndex, questions: Similarity, answers: Similarity):
        self.key = key
        self.questions = questions
        self.answers = answers
        self.numeric = {problem: problem in key.numbered for problem in key.tops}
        self.titles = Titles(key.parts)

    def label(
        self,
        marker: Marker,
        problem: str | None,
        parent: str | None,
        item: float = LABEL_ITEM,
        pinned: bool = True,
        by_part: frozenset[str] = frozenset(),
    ) -> dict[str, float]:
        """The parts a segment's opening label may name, with how strongly (`by_part`: the
        problems the reply numbers part by part, sub-parts included)."""
        key = self.key
        out: dict[str, float] = {}
        if marker.kind == "problem":
            for number in (marker.problem, *marker.more):
                for pid in key.ids:
                    if key.problem_of[pid] == number:
                        out[pid] = HEADING_PROBLEM
            return out
        ctx = Context(problem=problem, parent=parent)
        if marker.kind == "item":  # "(2)", or "(1)-(3)" for several at once
            numbers = [marker.number, *(int(n) for n in marker.more if n.isdigit())]
            numeric_problems = [p for p, yes in self.numeric.items() if yes]
            if (
                marker.style[-1:] == ("part",)
                and not self.numeric.get(problem or "")
                and len(numeric_problems) == 1
            ):
                # "Item 3." names a numbered part: in the one problem whose parts are numbered
                problem = ctx.problem = numeric_problems[0]
            for ordinal in numbers:
                one = replace(marker, number=ordinal, more=())
                for target, _ in key.candidates(one, ctx):
                    # numbered parts: strong, unless the context is another problem (steps)
                    # (steps inside labelled parts, or under another problem, stay weak)
                    numeric = self.numeric.get(target.problem, False) and (
                        target.problem == problem or (not problem and item >= LABEL_ITEM)
                    )
                    for pid in key.target_ids(target):
                        out[pid] = LABEL_ITEM_NUMERIC if numeric else item
            if (
                not out
                and (marker.style[-1:] == ("tail",) or marker.style[3:4] in (("**",), ("__",)))
                and problem
                and not self.numeric.get(problem)
                and len(numeric_problems) == 1
            ):
                # "Design risk (10):" or "**(7)**" after "(2a)": no seventh part in problem 2,
                # but the one problem whose parts are numbered has one (a plain numbered step
                # is no title)
                ctx.problem = numeric_problems[0]
                for ordinal in numbers:
                    one = replace(marker, number=ordinal, more=())
                    for target, _ in key.candidates(one, ctx):
                        for pid in key.target_ids(target):
                            out[pid] = LABEL_BARE
            return out
        options = key.candidates(marker, ctx)
        numbered = bool(problem) and self.numeric.get(problem or "", False)
        where = marker.problem or problem
        if (
            not options
            and where
            and len(marker.labels) == 2
            and marker.labels[0].isdigit()
            and (marker.labels[1].isdigit() or ROMAN.fullmatch(marker.labels[1]))
            and not self.numeric.get(where, False)
        ):
            # "2.3.1" or "Q2.3 (ii)" where problem 2's parts are letters: its third part's
            # first (second) sub-part
            tops = key.tops.get(where, [])
            top_n = int(marker.labels[0])
            sub = marker.labels[1]
            sub_n = int(sub) if sub.isdigit() else _roman(sub)
            if 1 <= top_n <= len(tops):
                children = key.children(where, tops[top_n - 1])
                if 1 <= sub_n <= len(children):
                    out[children[sub_n - 1]] = LABEL_BARE
            return out
        if (
            not options
            and (marker.problem is not None or numbered)
            and len(marker.labels) == 1
            and (ROMAN.fullmatch(marker.labels[0]) or marker.labels[0].isdigit())
        ):
            # "Q2.ii", "2.3" where problem 2's parts are letters: the numerals count them;
            # "ii." under the heading of a problem whose parts are numbered: its part 2
            label = marker.labels[0]
            ordinal = int(label) if label.isdigit() else _roman(label)
            if ordinal and (marker.problem or problem) in by_part:
                # "III.4" where problem 3 has five parts but three top labels: the fourth part
                leaves = [p for p in key.ids if key.problem_of[p] == (marker.problem or problem)]
                if ordinal <= len(leaves):
                    out[leaves[ordinal - 1]] = LABEL_BARE
                return out
            if ordinal:
                ctx.problem = marker.problem or problem
                as_item = replace(marker, kind="item", labels=(), number=ordinal)
                for target, _ in key.candidates(as_item, ctx):
                    for pid in key.target_ids(target):
                        out[pid] = LABEL_BARE
                return out
        for target, in_context in options:
            if target.kind == "parent":
                children = key.target_ids(target)
                for i, pid in enumerate(children):
                    out[pid] = max(out.get(pid, -9.0), LABEL_PARENT + (0.5 if i == 0 else 0))
                continue
            score = LABEL_FULL if marker.problem else LABEL_BARE
            if in_context:
                score += 1.0
            if problem and pinned and not marker.problem:  # under a heading or a request
                score += HEADING_PROBLEM if target.problem == problem else OTHER_PROBLEM
            out[target.id] = max(out.get(target.id, -9.0), score)
            for extra in marker.more:  # "(a) and (b)", or "c/ii" in "(c)(i) and (ii)"
                pid = key.make_id(target.problem, extra.split("/"))
                if pid in key.order:
                    out[pid] = max(out.get(pid, -9.0), score)
        return out

    def titled(self, title: str, whole: bool) -> bool:
        """Whether a bold run-in title repeats a part's title ('**Minimum distance.**'), or,
        `whole`, a line is a part's title and nothing else ('Received power')."""
        return self.titles.exactly(title) if whole else self.titles.named(title) is not None

    def _named(self, unit: Unit) -> str | None:
        """The part an unlabelled segment names by its heading or bold run-in title: the part's
        title, or its question restated ('Q: What is the spring constant ...?')."""
        if unit.heading:
            return self.titles.named(unit.heading)
        if unit.run_in and (named := self.titles.named(unit.run_in)):
            return named
        line = unit.text.split("\n", 1)[0][:MAX_RESTATED]
        if not RESTATED.match(line):
            return None
        scores = sorted(self.questions.scores(line).items(), key=lambda x: -x[1])
        best, second = scores[0][1], scores[1][1] if len(scores) > 1 else 0.0
        return (
            scores[0][0] if best >= RESTATED_SIMILAR and best - second >= RESTATED_MARGIN else None
        )

    def together(self, marker: Marker, label: dict[str, float]) -> tuple[str, ...]:
        """The parts one label names at once: "(a) and (b)", or "(c)" over (i) and (ii)."""
        if marker.kind == "item" and (marker.more or marker.style[-1:] == ("section",)):
            # "(1)-(3)", or the section "B2." over (b)(i) and (b)(ii)
            return tuple(sorted(label, key=self.key.order.__getitem__)) if len(label) > 1 else ()
        if marker.kind != "part" or not label:
            return ()
        best = top(label)
        problem = self.key.problem_of[best]
        if marker.more:
            ids = [best] + [self.key.make_id(problem, x.split("/")) for x in marker.more]
            return tuple(pid for pid in ids if pid in self.key.order)
        if len(marker.labels) == 1:
            children = self.key.children(problem, marker.labels[0])
            if best in children:
                return tuple(children)
        return ()

    def text(self, body: str) -> dict[str, float]:
        """How much a segment's text looks like each part's question and answer key."""
        sample = body[:TEXT_SAMPLE]
        words = tokens(sample)
        known = sum(1 for w in words if w in self.questions.idf or w in self.answers.idf)
        weight = min(1.0, known / 12.0)
        q = self.questions.scores_of(words)
        a = self.answers.scores_of(words)
        return {pid: weight * (TEXT_QUESTION * q[pid] + TEXT_ANSWER * a[pid]) for pid in q}

    def asked(self, ask: Ask) -> dict[str, float]:
        """What the user message of a segment's turn says about each part."""
        if not ask.how:  # nothing asked ('continue', 'why?'): the words say nothing of which part
            return dict.fromkeys(self.key.ids, 0.0)
        out = {pid: USER_SIMILARITY * ask.similarity.get(pid, 0.0) for pid in self.key.ids}
        if ask.how == "label":
            chosen = set(ask.parts)
            scale = 1.0 if len(chosen) <= 2 else 0.5  # a pasted homework names many labels
            # one part asked by name: other labels in the reply are most likely its own steps
            other = NOT_ASKED * (4.0 if len(chosen) == 1 else 1.0)
            for pid in out:
                out[pid] += scale * (ASK_LABEL if pid in chosen else other)
        elif ask.how == "problem":
            for pid in ask.parts:
                out[pid] += ASK_PROBLEM
        elif ask.how == "similar":
            for pid in ask.parts:
                out[pid] += ASK_SIMILAR if ask.sure else ASK_SIMILAR * 0.6
        # relative to the part asked most: a request says which part, not whether a
        # segment answers anything (that is for the 'no part' state to weigh)
        top = max(out.values(), default=0.0)
        return {pid: score - top for pid, score in out.items()}

    def reply(self, units: list[Unit], ask: Ask) -> list[Evidence]:
        """The evidence for each segment of one reply, reading labels in their context."""
        asked = self.asked(ask)
        start = start_context(self.key, ask.parts) if ask.how == "label" else Context()
        problem, parent = start.problem, start.parent
        pinned = True  # the problem comes from the request or a heading, not from a label
        if ask.parts and len({self.key.problem_of[p] for p in ask.parts}) == 1:
            problem = self.key.problem_of[ask.parts[0]]
        labelled = (
            sum(
                1
                for u in units
                if u.marker is not None
                and u.marker.kind == "part"
                and (u.marker.problem is not None or not ROMAN.fullmatch(u.marker.labels[-1]))
            )
            >= 2
        )
        styles = Counter(u.marker.style for u in units if u.marker and u.marker.kind == "part")
        main = styles.most_common(1)[0] if styles else None
        steps = step_items(units)
        seen_label = False
        part_seen = False  # a part label has come: numbered items after it are its steps
        # a reply whose answers open with their parts' titles ("**Spring constant**"): numbered
        # items under such a heading are that answer's steps
        titled = False
        headed = False  # a problem heading of this reply sets the problem
        done: set[str] = set()  # parts labelled so far in this reply
        not_one = not (ask.how == "label" and len(ask.parts) == 1)  # one: an opening is its answer
        single = ask.how in ("label", "similar") and len(ask.parts) == 1
        asked_problems = {self.key.problem_of[p] for p in ask.parts}
        last_label = max(
            (i for i, u in enumerate(units) if u.marker and u.marker.kind == "part"), default=-1
        )
        flat = _numbered_through(units, ask, asked_problems, self.key)
        lettered = _lettered_sections(units, asked_problems, self.key, ask.parts)
        headings = _parts_as_problems(units, ask, asked_problems, self.key)
        groups = group_titles(units)
        read_as = _markers_as_read(units, asked_problems, lettered, headings, groups, self.key)
        by_part = _numbered_past_tops(units, self.key)
        sections = _one_section_each(units, ask)
        out: list[Evidence] = []
        owner = ""  # the part the last clear label named: steps below it lean to it
        under_part = False  # the last heading above is a part's, not a problem's
        for i, unit in enumerate(units):
            marker = read_as[i]
            label: dict[str, float] = {}
            if (
                headed
                and problem
                and all(pid in done for pid in self.key.ids if self.key.problem_of[pid] == problem)
            ):
                problem, headed = None, False  # every part under the heading is done: walk on
            if marker is not None:
                item = LABEL_ITEM
                worded = marker.kind == "item" and marker.style[-1:] == ("part",)
                if worded:
                    item = LABEL_ITEM_HEADED  # "Item 3.", "Part 3": a named number, not a step
                elif labelled and part_seen:
                    item = LABEL_ITEM * MINOR_STYLE * 0.5  # numbered steps inside labelled parts
                elif headed or len(asked_problems) == 1:
                    item = LABEL_ITEM_HEADED
                label = self.label(marker, problem, parent, item, pinned, by_part)
                # "1. **Primal feasibility:** ..." under "### (c) KKT conditions" where no
                # problem numbers its parts: a list inside that answer
                if marker.kind in ("part", "problem"):
                    under_part = marker.kind == "part"
                listed = (
                    marker.kind == "item"
                    and under_part  # below "### (c)", not below "## Problem 3"
                    and not marker.style[2]  # a plain "1." opening a list line: not "### 1."
                    and not marker.style[3]  # or "**1.**" (the reply's own numbering)
                    and bool(owner)
                    and not self.key.numbered
                    and i not in flat
                )
                if not worded and (i in steps or listed or (marker.kind == "item" and titled)):
                    # "1. ... 2. ..." inside "### (9)" or under "**Solving a recurrence**":
                    # that answer's steps, which lean to the part above them
                    label = {pid: score * STEP for pid, score in label.items()}
                    if (i in steps or listed) and owner:
                        label[owner] = max(label.get(owner, 0.0), LABEL_ITEM)
                elif label and max(label.values()) >= LABEL_BARE:
                    owner = top(label)
                if marker.style[-1:] == ("section",):
                    label = lettered[i]  # "B3." is the third part of the second problem
                elif marker.style[-1:] == ("step",):
                    label = {}  # "Step 2:" names no part, unless the steps run through those asked
                if i in flat:  # "1." to "9." over the nine parts asked: the n-th asked
                    label = {flat[i]: max([LABEL_ITEM_HEADED, *label.values()])}
                if max(label.values(), default=0.0) >= LABEL_BARE:
                    seen_label = True  # the reply's labels have begun ("### (1)" too)
                if (
                    main is not None
                    and marker.kind == "part"
                    and main[1] >= 2
                    and styles[marker.style] < main[1]
                    and len(marker.labels) == 1
                    and marker.problem is None
                    and not (
                        marker.style[-1:] == ("tail",)
                        and not any(
                            u.marker is not None and u.marker.style == main[0]
                            for u in _same_problem(units, i)
                        )
                    )
                ):
                    # (a title naming its part, '*Flaps (a).*', where the reply's own style is
                    # used only under other problems, is that problem's own style)
                    # a label written unlike the reply's own labels is likely prose: "(b) is ...",
                    # and surely so when the reply's own style names that label further down
                    # ("(ii) apply ..." inside "### 2(c)(i)", above "### 2(c)(ii)"); a bare
                    # roman numeral in another style is otherwise a sub-part under its parent
                    again = any(
                        u.marker is not None
                        and u.marker.style == main[0]
                        and u.marker.labels[-1:] == marker.labels
                        for u in _within_problem(units, i)
                    )
                    if again or not ROMAN.fullmatch(marker.labels[0]):
                        weight = 0.0 if again else MINOR_STYLE
                        label = {pid: score * weight for pid, score in label.items()}
                if marker.kind == "problem" and marker.problem in self.key.problems:
                    problem, parent, headed, pinned = marker.problem, None, True, True
                elif marker.kind == "item" and problem:
                    tops = self.key.tops.get(problem, [])
                    if 1 <= marker.number <= len(tops):
                        top_label = tops[marker.number - 1]
                        if self.key.children(problem, top_label):
                            parent = top_label  # "3." over (i) and (ii) is part (c)
                elif marker.kind == "part":
                    seen_label = part_seen = True
                    if label and max(label.values()) > 0:
                        found = self.key.problem_of[top(label)]  # the label's own problem
                        if (
                            problem
                            and any(
                                score > 0 and self.key.problem_of[pid] == problem
                                for pid, score in label.items()
                            )
                            and not marker.problem
                        ):
                            found = problem  # a bare "(c)" under problem 1 stays in problem 1
                        pinned = pinned and found == problem
                        problem = found
                    if len(marker.labels) == 1 and problem:
                        own = marker.labels[0]
                        tops = self.key.tops.get(problem, [])
                        if own.isdigit() and own not in tops and 1 <= int(own) <= len(tops):
                            own = tops[int(own) - 1]  # "Problem 2, part 2" over (i): part (b)
                        has_children = bool(self.key.children(problem, own))
                        parent = own if has_children else parent
                    elif (
                        len(marker.labels) == 2
                        and problem
                        and self.key.children(problem, marker.labels[0])
                    ):
                        parent = marker.labels[0]  # "(c)(i)": a bare "(ii)" after it is (c)(ii)
            if marker is None and not unit.closing and (titled_part := self._named(unit)):
                label = {titled_part: LABEL_BARE}  # "**Solving a recurrence**": its title
                problem, parent = self.key.problem_of[titled_part], None  # and its problem
                titled = True
            elif marker is not None and marker.kind != "item":
                titled = False  # a label of its own: the titled answer is over
            bare = (
                marker is not None
                and bare_heading(unit, marker)
                and (
                    i in headings
                    or labelled_next(units, i)
                    or (
                        marker.kind == "problem"
                        and (bool(marker.style[2]) or marker.style[-1:] == ("tail",))
                        and i + 1 < len(units)
                    )
                )
            )  # "(c)" over "(i)"; "# Problem 3 — oral dosing" over its paragraphs
            if bare:  # "(c)" over "(i)", "## Problem 2" over "(a)": the answer starts below
                label = {pid: score * 0.3 for pid, score in label.items()}
            elif marker is not None and marker.kind == "problem" and opens_parts(units, i):
                label = {}  # a problem's setup: its heading only sets the context
            text = self.text(unit.text)
            # the request speaks for where answers start, not for every line of a long one
            # (each paragraph of a reply in prose may start an answer)
            opening = (
                marker is not None or unit.paragraph or not any(not x.closing for x in units[:i])
            )
            parts = {
                pid: (asked[pid] if opening else 0.0) + text[pid] + label.get(pid, 0.0)
                for pid in self.key.ids
            }
            strongest = max(label.values(), default=0.0)
            if marker is not None and marker.kind in ("part", "item") and strongest >= LABEL_BARE:
                # a segment that names its part is hardly another part's answer, however alike
                for pid in parts:
                    if label.get(pid, 0.0) <= 0.0:
                        parts[pid] -= OTHER_LABEL * strongest
            none = ANSWERING * (2.0 if ask.sure and not labelled else 1.0) if ask.how else 0.0
            if unit.closing:
                none = CLOSING
                if marker is not None:  # "For (b) I'd like to check ... first?": its label asks
                    parts = {pid: score - label.get(pid, 0.0) for pid, score in parts.items()}
            elif i == 0 and ask.carry_on and unit.text[:1].islower():
                none = ANSWERING  # after "continue", a reply opening mid-sentence goes on
            elif max(label.values(), default=0.0) < LABEL_BARE and preamble(
                units, i, labelled and not seen_label and not_one, last_label, not single
            ):
                none = max(none, PREAMBLE)
            if bare or i in groups:
                none = max(none, BARE_HEADING)
            if label and marker is not None and marker.kind == "part":
                done.add(top(label))
            named = self.together(marker, label) if marker is not None and not bare else ()
            if i in sections:  # two questions, two paragraphs: one each, in order
                unit.ordered = True
                for pid in ask.parts:
                    parts[pid] += IN_TURN_ORDER if pid == sections[i] else -IN_TURN_ORDER
            out.append(Evidence(parts, none, label, text, named))
        return out


def _same_problem(units: list[Unit], i: int) -> list[Unit]:
    """The other segments between the problem headings around the i-th."""
    start = next(
        (j + 1 for j in range(i - 1, -1, -1) if (m := units[j].marker) and m.kind == "problem"),
        0,
    )
    return units[start:i] + _within_problem(units, i)


def _within_problem(units: list[Unit], i: int) -> list[Unit]:
    """The segments after the i-th up to the next problem heading ('**Problem 2**')."""
    out = []
    for unit in units[i + 1 :]:
        if unit.marker is not None and unit.marker.kind == "problem":
            break
        out.append(unit)
    return out


def top(scores: dict[str, float]) -> str:
    """The key with the highest score."""
    return max(scores, key=lambda k: scores[k])


_ROMAN_NUMERAL = re.compile(r"x{0,3}(?:ix|iv|v?i{0,3})")
_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10}


def _roman(text: str) -> int:
    """The value of a well-formed roman numeral up to xxxix (either case), 0 when not one."""
    text = text.lower()
    if not text or not _ROMAN_NUMERAL.fullmatch(text):
        return 0
    values = [_ROMAN_DIGITS[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _one_section_each(units: list[Unit], ask: Ask) -> dict[int, str]:
    """A reply in paragraphs, without labels, with exactly as many as the parts asked: the
    k-th paragraph is most likely the k-th part's answer (by the segment's index)."""
    if not ask.several or len(ask.parts) < 2 or any(u.marker is not None for u in units):
        return {}
    answers = [i for i, u in enumerate(units) if not u.closing]
    if len(answers) != len(ask.parts) or not all(units[i].paragraph for i in answers[1:]):
        return {}
    return dict(zip(answers, ask.parts, strict=True))


def _markers_as_read(
    units: list[Unit],
    asked: set[str],
    lettered: dict[int, dict[str, float]],
    headings: dict[int, str],
    groups: set[int],
    key: KeyIndex,
) -> list[Marker | None]:
    """Each segment's marker as the reply's own layout says to read it: 'Part 1:' headings, one
    per problem asked, are problem headings, sections that fit no problems asked are titles,
    '## Part A' over sections 'A.1', 'A.2' heads their problem, the model's group headings
    (`groups`) are titles, and '**1. Zero-layer
    transformer**' in a reply to one problem numbers its parts, as does '**7) Collection**'
    where the key has no problem 7 and one problem numbers its parts."""
    numbered = [u.marker for u in units if u.marker and u.marker.style[-1:] == ("number",)]
    sections = {  # the section letter -> the problem its sections answer
        m.labels[0]: key.problem_of[top(lettered[j])]
        for j, u in enumerate(units)
        if (m := u.marker) is not None and lettered.get(j)
    }
    out: list[Marker | None] = []
    own_tags = _own_tags(units, key)
    for i, unit in enumerate(units):
        marker = unit.marker
        if marker is not None and marker.style[-1:] == ("tag",) and own_tags:
            marker = None  # "III-1 · Block exit" where the key has no problem 3: its own scheme
        elif marker is not None and i in headings:
            marker = replace(marker, kind="problem", problem=headings[i], number=0)
        elif marker is not None and marker.style[-1:] == ("section",) and i not in lettered:
            marker = None  # read as a title, if it is one
        elif marker is not None and _part_word(marker) and marker.labels[0] in sections:
            # "## Part A" over "A.1", "A.2": the heading of the problem those sections answer
            problem = sections[marker.labels[0]]
            marker = replace(marker, kind="problem", problem=problem, labels=(), number=0)
        elif i in groups:
            marker = None  # "Part C: Geometry" over "(3) ...", "(4) ...": the model's own group
        elif (
            marker is not None
            and marker in numbered
            and (
                (len(asked) == 1 and (len(numbered) > 1 or marker.problem not in asked))
                or (len(key.numbered) == 1 and marker.problem not in key.problems)
            )
        ):
            marker = replace(marker, kind="item", problem=None, number=int(marker.problem or 0))
        out.append(marker)
    return out


def _own_tags(units: list[Unit], key: KeyIndex) -> bool:
    """The reply's compound tags ('I-6 ·', 'II-1 ·', 'III-2 ·') number the model's own groups,
    not the key's problems and parts: one names a problem the key lacks, or a part past the
    count of its problem's parts."""
    for unit in units:
        m = unit.marker
        if m is None or m.style[-1:] != ("tag",) or not m.labels:
            continue
        tops = key.tops.get(m.problem or "")
        if tops is None:
            return True
        atom = m.labels[0]
        ordinal = int(atom) if atom.isdigit() else _roman(atom) if ROMAN.fullmatch(atom) else 0
        leaves = sum(1 for pid in key.ids if key.problem_of[pid] == m.problem)
        if atom not in tops and ordinal > max(len(tops), leaves):  # 'II.iii' may count leaves
            return True
    return False


def _part_word(marker: Marker) -> bool:
    """A label written 'Part C' (or '## Part A'), one letter and no problem: a part of the key
    or the model's own group of answers, as the reply's layout says."""
    return (
        marker.kind == "part"
        and marker.style[-1:] == ("part",)
        and marker.problem is None
        and len(marker.labels) == 1
    )


def group_titles(units: list[Unit]) -> set[int]:
    """The model's own group headings over numbered answers ('Part C: Geometry and
    magnification' over '(3) Angle of view', '(4) ...'): titles, not the label (c)."""
    out = set()
    for i, unit in enumerate(units[:-1]):
        marker, after = unit.marker, units[i + 1].marker
        if (
            marker is not None
            and _part_word(marker)
            and bare_heading(unit, marker)
            and units[i + 1].turn == unit.turn
            and after is not None
            and after.kind == "item"
        ):
            out.add(i)
    return out


def _parts_as_problems(
    units: list[Unit], ask: Ask, asked: set[str], key: KeyIndex
) -> dict[int, str]:
    """Headings 'Part 1: Individual trees', 'Part 2: Plot sampling' ... over a request for
    several problems, one heading a problem and each a bare title: the problems asked, in
    order, not their parts."""
    found = [
        (i, u.marker)
        for i, u in enumerate(units)
        if u.marker is not None and u.marker.kind == "item" and u.marker.style[-1:] == ("part",)
    ]
    problems = [p for p in key.problems if p in asked]
    if (
        len(problems) < 2
        or len(ask.parts) <= len(problems)
        or [m.number for _, m in found] != list(range(1, len(problems) + 1))
        or not all(bare_heading(units[i], m) for i, m in found)
    ):
        return {}
    return {i: problems[m.number - 1] for i, m in found}


def _lettered_sections(
    units: list[Unit], asked: set[str], key: KeyIndex, parts: Sequence[str] = ()
) -> dict[int, dict[str, float]]:
    """A reply in sections of its own, lettered by problem and numbered by part ('A1.', 'A2.',
    'B1.' ... over problems 1 and 2 asked; 'T1 ·' to 'T10 ·' over one problem of ten numbered
    parts): the n-th part of the k-th problem asked, when every section fits one; sections
    lettered by the model's own grouping ('A.1'-'A.5', 'B.1'-'B.4', 'C.1'-'C.3' over twelve
    parts of two problems), as many as the `parts` asked and in reading order: the n-th of
    them; else none."""
    found = [
        (i, u.marker.labels[0], u.marker.number)
        for i, u in enumerate(units)
        if u.marker is not None and u.marker.style[-1:] == ("section",) and u.marker.labels
    ]
    letters = sorted({letter for _, letter, _ in found})
    problems = [p for p in key.problems if p in asked] or list(key.problems)
    if len(found) < 2:
        return {}
    if len(letters) != len(problems):
        ordered = sorted(parts, key=key.order.__getitem__)
        if len(found) == len(ordered) >= 3 and [(x, n) for _, x, n in found] == sorted(
            (x, n) for _, x, n in found
        ):
            return {
                i: {pid: LABEL_BARE * 0.5} for (i, _, _), pid in zip(found, ordered, strict=True)
            }
        return {}
    out: dict[int, dict[str, float]] = {}
    for i, letter, number in found:
        problem = problems[letters.index(letter)]
        tops = key.tops.get(problem, [])
        if number > len(tops):
            return {}  # "T12" with ten parts: not this key's parts
        pid = key.make_id(problem, [tops[number - 1]])
        if pid in key.order:
            out[i] = {pid: LABEL_BARE}
        else:
            out[i] = {child: LABEL_PARENT for child in key.children(problem, tops[number - 1])}
    return out


def _numbered_past_tops(units: list[Unit], key: KeyIndex) -> frozenset[str]:
    """Problems whose parts a reply numbers past their top labels ('III.4', 'III.5' over (a),
    (b)(i)-(iii), (c)): it counts every part, sub-parts included."""
    out: set[str] = set()
    for unit in units:
        m = unit.marker
        if (
            m is not None
            and m.kind == "part"
            and m.problem in key.tops
            and len(m.labels) == 1
            and m.labels[0].isdigit()
            and m.labels[0] not in key.tops[m.problem]
            and int(m.labels[0]) > len(key.tops[m.problem])
        ):
            out.add(m.problem)
    return frozenset(out)


def _numbered_through(
    units: list[Unit], ask: Ask, problems: set[str], key: KeyIndex
) -> dict[int, str]:
    """A reply to a request for parts of several problems, or for parts of one problem other
    than its first few, whose numbered items run 1, 2, ... exactly as many as the parts asked
    ('I numbered these 1-4; they are your (1), (2), (4) and (11)'), or whose problem headings
    do so past the key's problems ('Exercise 1' to 'Exercise 7' over seven parts of three):
    item n is the n-th part asked, by the segment's index."""
    counted = [
        (i, int(u.marker.problem or 0))
        for i, u in enumerate(units)
        if u.marker is not None and u.marker.kind == "problem" and not u.marker.more
    ]
    if (
        ask.how in ("label", "problem")
        and len(counted) == len(ask.parts) > len(key.problems)
        and [n for _, n in counted] == list(range(1, len(ask.parts) + 1))
        and all(u.marker is None or u.marker.kind == "problem" for u in units)
    ):
        # "Exercise 1 — ..." to "Exercise 7 — ..." over seven parts of three problems: the
        # model numbered the tasks in the order asked
        return {i: ask.parts[n - 1] for i, n in counted}
    if ask.how != "label" or len(ask.parts) < 3:
        return {}
    if len(problems) < 2:
        (problem,) = problems
        first = [pid for pid in key.ids if key.problem_of[pid] == problem][: len(ask.parts)]
        if sorted(ask.parts, key=key.order.__getitem__) == first:
            return {}  # the problem's first parts: numbers 1, 2, ... are their own
    if any(u.marker is not None and u.marker.kind != "item" for u in units):
        return {}  # the reply has labels or headings of its own
    numbered = [(i, u.marker.number) for i, u in enumerate(units) if u.marker is not None]
    if [n for _, n in numbered] != list(range(1, len(ask.parts) + 1)):
        return {}
    return {i: ask.parts[n - 1] for i, n in numbered}

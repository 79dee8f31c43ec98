"""Why a chosen span may still be wrong: the pieces, edges and paragraphs that put it in doubt."""

from __future__ import annotations

import dataclasses
import math
import re
from typing import TYPE_CHECKING, Any

from hwreview.model import FOUND, UNCERTAIN, Alignment, Candidate, part_id
from hwreview.transcripts.align.asked import NUMBER_REF, numbers_named
from hwreview.transcripts.align.layout import bare_heading
from hwreview.transcripts.align.lines import MAX_LINE
from hwreview.transcripts.align.scores import LABEL_BARE
from hwreview.transcripts.align.segments import RESTATED
from hwreview.transcripts.line_labels import find_references

if TYPE_CHECKING:
    from hwreview.transcripts.align.decide import Reading, Run

MARGIN = 3.0  # `found` needs the chosen assignment to beat every other by this much
CLEARER = 1.0  # a piece looks more like another part when it scores this much more for it


def in_doubt(alignment: Alignment, reason: str, **changes: Any) -> Alignment:
    """The alignment made `uncertain`, saying why (and with any other field changed)."""
    return dataclasses.replace(alignment, status=UNCERTAIN, reason=reason, **changes)


def weakest_piece(reading: Reading, state: int, run: Run) -> tuple[float, tuple[int, int]]:
    """The smallest margin by which a later segment of a run belongs to its part rather than to
    another part, over the segments that look more like another part; with that segment and
    the other part."""
    grid = reading.grid
    k = len(reading.ids)
    weakest, where = float("inf"), (run.first, state)
    for u in range(run.first + 1, run.last + 1):
        scores = reading.evidence[u].parts
        own = scores[reading.ids[state]]
        if all(scores[pid] < own + CLEARER for pid in reading.ids):
            continue  # no part is clearly likelier for the piece than its own
        marginals = [grid.marginal(u, s) if s != state else -math.inf for s in range(k)]
        rival = max(range(k), key=marginals.__getitem__)  # no part: it only lengthens the span
        margin = grid.best - grid.marginal(u, rival)
        if margin < weakest:
            weakest, where = margin, (u, rival)
    return weakest, where


def loose_edge(reading: Reading, state: int, run: Run) -> bool:
    """A neighbouring paragraph of the same reply in prose that could belong to this part's
    answer almost as well as to where it went (the answer's edges are unclear)."""
    grid, units = reading.grid, reading.units
    for u in (run.first - 1, run.last + 1):
        if not 0 <= u < len(units) or units[u].turn != units[run.first].turn:
            continue
        if units[u].marker is not None or units[u].closing or not units[u].prose:
            continue  # only paragraphs of a reply in prose: labels and headings set edges
        if grid.best - grid.marginal(u, state) < MARGIN:
            return True
    return False


PASSING = 2.0  # a paragraph whose text favours another part by this much puts a span in doubt
PASSING_MIN = 2.5  # ... when it looks like that part at least this much
_PARAGRAPH = re.compile(r"\n[ \t]*\n(?=[ \t]*\S)")


def answered_in_passing(reading: Reading, out: dict[str, Alignment]) -> None:
    """A `found` span holding a paragraph that reads like another part still without a sure
    answer (the model answered it in passing, inside this part's section) becomes uncertain."""
    if reading.text is None:
        return
    unsure = {pid for pid, a in out.items() if a.status != FOUND}
    if not unsure:
        return
    for pid, alignment in out.items():
        if alignment.status != FOUND or not reading.runs.get(pid):
            continue
        run = reading.runs[pid][-1]
        for u in range(run.first, run.last + 1):
            text = reading.units[u].text
            cuts = [m.end() for m in _PARAGRAPH.finditer(text)]
            if reading.units[u].marker is None:
                cuts.insert(0, 0)  # no label: the first paragraph is as open as the others
            ends = [*cuts[1:], len(text)] if cuts else []
            for start, end in zip(cuts, ends, strict=True):
                scores = reading.text(text[start:end])
                rival = max(unsure, key=scores.__getitem__)
                if scores[rival] >= PASSING_MIN and scores[rival] - scores[pid] >= PASSING:
                    out[pid] = in_doubt(
                        alignment, f"a paragraph inside it reads like {rival}: answered in passing?"
                    )
                    break
            if out[pid].status != FOUND:
                break


WEAK = 1.0  # a paragraph scoring below this for its part holds nothing that names it


def weak_paragraphs(reading: Reading, out: dict[str, Alignment]) -> None:
    """A `found` span of a reply in prose that takes in a paragraph with little evidence for
    its part, while some part has no answer at all, becomes uncertain: that paragraph may be
    the missing answer (where answers change in prose is read from the text alone)."""
    if all(a.span is not None for a in out.values()):
        return
    missing = [pid for pid, a in out.items() if a.span is None]
    for pid, alignment in out.items():
        if alignment.status != FOUND or not reading.runs.get(pid):
            continue
        run = reading.runs[pid][-1]
        for u in range(run.first + 1, run.last + 1):
            unit = reading.units[u]
            if unit.marker is None and unit.prose and reading.evidence[u].parts[pid] < WEAK:
                out[pid] = in_doubt(
                    alignment, f"a paragraph of it may answer {missing[0]}, which has no answer"
                )
                break


def _carried_on(reading: Reading, last: int) -> list[int]:
    """The segments after a span's last one that may go on with its answer: the rest of its
    reply, and the next reply when its request only says 'continue' or asks about the answer."""
    units = reading.units
    turn = units[last].turn
    out = [u for u in range(last + 1, len(units)) if units[u].turn == turn][:1]
    following = [u for u in range(last + 1, len(units)) if units[u].turn == turn + 1]
    if following and turn + 1 < len(reading.asks):
        ask = reading.asks[turn + 1]
        if ask.carry_on or (ask.how == "" and ask.followup and not ask.redo):
            out += following
    return out


def left_out_beside(reading: Reading, out: dict[str, Alignment]) -> None:
    """A `found` span of a reply that answers only its part, with a piece of that reply just
    before or after it given to no part (neither a courtesy nor a heading over other parts),
    or a piece of the next reply when that only says 'continue' or asks about the answer,
    becomes uncertain: that piece may be the answer's first or last lines ('Two reasons:')."""
    k = len(reading.ids)
    path, units = reading.grid.path, reading.units
    for state, pid in enumerate(reading.ids):
        alignment = out[pid]
        if alignment.status != FOUND or not reading.runs.get(pid):
            continue
        run = reading.runs[pid][-1]
        turn = units[run.last].turn
        if any(
            path[u] < k and path[u] != state for u in range(len(units)) if units[u].turn == turn
        ):
            continue  # the reply answers other parts too: its labels set the edges
        before = [run.first - 1] if run.first and units[run.first - 1].turn == turn else []
        for u in (*before, *_carried_on(reading, run.last)):
            if path[u] < k or units[u].closing:
                continue
            out[pid] = in_doubt(
                alignment,
                "where the answer starts or ends is unclear: a piece beside it was left out",
            )
            break


# set-up under a bold head that defines what the answers use: "**Decision variables:** let x
# be ..."; a bare "Let C be the event ..." above "**Q2(a)**" stays out (the project's own set)
_SET_UP = re.compile(
    r"\s*+\*\*[^*\n]{1,40}\*\*[ \t]*+(?:let|define|denote)[ \t]++"
    r"(?!us\b|me\b)[^\s,.]{1,20}[ \t]++(?:be\b|=|denote\b)",
    re.I,
)


def preamble_left_out(reading: Reading, out: dict[str, Alignment]) -> None:
    """A `found` span opening at the first label of its reply, with a piece of substance just
    before that label given to no part ('**Decision variables:** let x be ...' above '(a) LP
    model'), takes that set-up in and becomes uncertain: it may start this answer. Only a
    definition under a bold head counts: lead-ins ('Let's go in order.') are nobody's."""
    k = len(reading.ids)
    path, units = reading.grid.path, reading.units
    for pid in reading.ids:
        alignment = out[pid]
        if alignment.status != FOUND or not reading.runs.get(pid):
            continue
        first = reading.runs[pid][-1].first
        turn = units[first].turn
        if units[first].marker is None or not first or units[first - 1].turn != turn:
            continue
        if any(units[u].marker is not None for u in range(first) if units[u].turn == turn):
            continue  # not the reply's first label
        before = units[first - 1]
        if path[first - 1] < k or before.closing or before.marker is not None:
            continue
        ask = reading.asks[turn] if turn < len(reading.asks) else None
        if ask is not None and ask.parts and pid not in ask.parts:
            continue
        if not _SET_UP.match(before.text[:MAX_LINE]):
            continue
        run = reading.runs[pid][-1]
        span = reading.replies[turn].span(before.start, units[run.last].end)
        out[pid] = in_doubt(
            alignment,
            "it starts with the set-up written before its label: check where it starts",
            span=span or alignment.span,
        )


def _heads_a_run(reading: Reading, u: int, last: int, state: int) -> bool:
    """Segment u's label is written like the label opening the next segment after the span,
    which another part took ('Part 1:' inside 2c's span, then 'Part 2:' for 1-2): u likely
    starts that run of answers."""
    units, path = reading.units, reading.grid.path
    after = last + 1
    if after >= len(units) or units[after].turn != units[u].turn:
        return False
    here, there = units[u].marker, units[after].marker
    if here is None or there is None or here.style != there.style or here.kind != there.kind:
        return False
    return path[after] < len(reading.ids) and path[after] != state


def other_label_inside(reading: Reading, out: dict[str, Alignment]) -> None:
    """A `found` span holding a later piece whose own label names another part rather than
    this one, or is written like the span's own label ('(ii)' after '(i)'), becomes uncertain:
    the answer may end at that label."""
    state_of = {pid: i for i, pid in enumerate(reading.ids)}
    for pid, alignment in out.items():
        if alignment.status != FOUND or not reading.runs.get(pid):
            continue
        run = reading.runs[pid][-1]
        ask = reading.asks[reading.units[run.first].turn]
        if ask.how in ("label", "similar") and ask.parts == [pid]:
            continue  # one part asked: labels in its reply are its own steps, "(i) ... (ii)"
        opener = reading.units[run.first].marker
        for u in range(run.first + 1, run.last + 1):
            label = reading.evidence[u].label
            marker = reading.units[u].marker
            own = bool(label) and max(label, key=label.__getitem__) == pid
            if not own and RESTATED.match(reading.units[u].text[:MAX_LINE]):
                out[pid] = in_doubt(
                    alignment, "a question restated inside it may start another answer"
                )
                break
            if marker is not None and not own and _heads_a_run(reading, u, run.last, state_of[pid]):
                out[pid] = in_doubt(
                    alignment, "a label inside it is written like the next answers' labels"
                )
                break
            if marker is None or marker.kind != "part":
                continue  # numbered items inside an answer are often its steps
            if (
                opener is not None
                and opener.kind == "part"
                and (marker.style, len(marker.labels)) == (opener.style, len(opener.labels))
                and marker.labels != opener.labels
            ):  # "- (i) ..." then "- (ii) ...": a sibling label, read or not
                out[pid] = in_doubt(
                    alignment, "a label like its own opens a later piece: the answer may end there"
                )
                break
            if not label:
                continue
            other = max(label, key=label.__getitem__)
            if other != pid and label[other] >= LABEL_BARE and label[other] > label.get(pid, 0.0):
                out[pid] = in_doubt(
                    alignment, f"a label inside it names {other}: the answer may end there"
                )
                break


def names_a_later_part(reading: Reading, out: dict[str, Alignment]) -> None:
    """A `found` span of a numbered part whose text, after its first line, names a later part
    of its problem ('(The change to IBW also moves item 10 slightly: ...)' inside (7)) may hold
    that part's amended answer: uncertain. A part named before it ('from (5)') is a source."""
    for pid, alignment in out.items():
        runs = reading.runs.get(pid)
        problem = reading.problem_of(pid)
        own = _labels_of(reading, pid)
        if alignment.status != FOUND or not runs or not own.isdigit():
            continue
        text = "\n".join(reading.units[u].text for u in range(runs[-1].first, runs[-1].last + 1))
        body = text.split("\n", 1)[1] if "\n" in text else ""
        later = [
            n
            for n in numbers_named(body[:MAX_SPOKEN])
            if int(n) > int(own) and part_id(problem, [n]) in out
        ]
        if later:
            out[pid] = in_doubt(
                alignment, f"it speaks of part {later[0]}: it may hold that part's answer too"
            )


def ends_on_a_colon(reading: Reading, out: dict[str, Alignment]) -> None:
    """A `found` span whose last line ends with a colon ('Four subnets need 2 extra bits:')
    stops where its answer was about to go on: uncertain."""
    for pid, alignment in out.items():
        if alignment.status != FOUND or not reading.runs.get(pid):
            continue
        if reading.units[reading.runs[pid][-1].last].text.rstrip().endswith(":"):
            out[pid] = in_doubt(alignment, "it ends on a colon: the answer may go on after it")


def only_a_heading(reading: Reading, out: dict[str, Alignment]) -> None:
    """A `found` span that is one labelled line and nothing after it ('### (c) KKT conditions
    at x* = (1, 2)') is a heading whose answer went elsewhere: uncertain."""
    for pid, alignment in out.items():
        runs = reading.runs.get(pid)
        if alignment.status != FOUND or not runs or runs[-1].first != runs[-1].last:
            continue
        unit = reading.units[runs[-1].first]
        text, marker = unit.text.strip(), unit.marker
        heading = (
            marker is not None
            and "\n" not in text
            and (
                bool(marker.style[2])  # "### (c) KKT conditions at $x^*$"
                or (  # "**(c) Title**", bold as a whole (not "**(a)** t = 1.2 **ms**")
                    text.startswith(("**", "__"))
                    and text.endswith(text[:2])
                    and text[:2] not in text[2:-2]
                )
                or bare_heading(unit, marker)
            )
        )
        if heading:
            out[pid] = in_doubt(alignment, "it is only a heading: its answer may follow it")


def corrected_elsewhere(reading: Reading, out: dict[str, Alignment]) -> None:
    """A correction that names a bare label ('(b) is wrong', no problem) was read as one
    problem's part by context, a guess; when its reply then went to no part or to no sure one,
    every other part with that label whose `found` span comes before it may be the one
    corrected: uncertain."""
    key_labels = {pid: _labels_of(reading, pid) for pid in reading.ids}
    k, path = len(reading.ids), reading.grid.path
    for turn, ask in enumerate(reading.asks):
        if not (ask.redo or ask.missing) or not ask.bare or ask.how != "label":
            continue
        placed = {
            reading.ids[path[u]]
            for u, x in enumerate(reading.units)
            if x.turn == turn and path[u] < k
        }
        if any(out[p].status == FOUND for p in placed):
            continue  # its reply was placed surely: the guess held
        named = {key_labels[pid] for pid in ask.parts}
        for pid, alignment in out.items():
            if (
                alignment.status == FOUND
                and pid not in ask.parts
                and key_labels[pid] in named
                and reading.runs.get(pid)
                and reading.units[reading.runs[pid][-1].last].turn < turn
            ):
                out[pid] = in_doubt(
                    alignment,
                    "a later correction names its label without a problem: it may be this part",
                )


def _labels_of(reading: Reading, pid: str) -> str:
    """A part id without its problem: '2b-i' -> 'b-i'."""
    problem = reading.problem_of(pid)
    return pid[len(problem) :].lstrip("-") if pid.startswith(problem) else pid


MAX_SPOKEN = 20_000  # characters of a reply read for parts named in passing


def spoken_of_later(reading: Reading, out: dict[str, Alignment]) -> None:
    """A reply that answers a part again ('double check (c)(i)') and speaks of another part
    too ('... so the answer to (c)(ii) becomes: not ambiguous') may have changed that part's
    answer, which is graded from before: its `found` span becomes uncertain."""
    key_labels = {pid: _labels_of(reading, pid) for pid in reading.ids}
    for turn, ask in enumerate(reading.asks):
        again = [
            pid
            for pid in ask.parts
            if any(reading.units[run.first].turn < turn for run in reading.runs.get(pid, ()))
        ]
        if ask.how != "label" or not (ask.redo or again):
            continue
        reply = reading.replies[turn].text
        spoken = [
            ("-".join(marker.labels), marker.problem)
            for marker, _ in find_references(reply)
            if marker.kind == "part"
        ]
        # "my Greenwood numbers in (5) were wrong too", "this also moves item 10": a numbered
        # part named in passing
        spoken += [(n, None) for n in numbers_named(reply[:MAX_SPOKEN])]
        for named, problem in spoken:
            for pid, alignment in out.items():
                runs = reading.runs.get(pid)
                if (
                    alignment.status == FOUND
                    and pid not in ask.parts
                    and key_labels[pid] == named
                    and (problem is None or reading.problem_of(pid) == problem)
                    and runs
                    and reading.units[runs[-1].last].turn < turn
                ):
                    out[pid] = in_doubt(
                        alignment,
                        f"the reply in turn {turn + 1} speaks of it again: did it change?",
                    )


AGAIN_CLOSE = 0.5  # a later segment this close to its best part may be that part's new answer


def answered_again_later(reading: Reading, out: dict[str, Alignment]) -> None:
    """A segment of a later reply that was given to no part or to another, but whose text fits
    this part as well as any ('You're right, the first image is 15 cm behind lens 2 ...'), may
    be a corrected answer: the `found` span, graded from before it, becomes uncertain, and that
    segment the first alternative (not when the segment surely answers the part its turn asked
    for by name: a later answer that reuses this one's numbers)."""
    path, k = reading.grid.path, len(reading.ids)
    for state, pid in enumerate(reading.ids):
        alignment, runs = out[pid], reading.runs.get(pid)
        if alignment.status != FOUND or not runs:
            continue
        last_turn = reading.units[runs[-1].last].turn
        for u, unit in enumerate(reading.units):
            if unit.turn <= last_turn or unit.closing or path[u] == state:
                continue
            ask, went = reading.asks[unit.turn], path[u]
            if (
                went < k
                and ask.how == "label"
                and reading.ids[went] in ask.parts
                and out[reading.ids[went]].status == FOUND
            ):
                continue  # surely the part its turn asked for by name: not a correction
            scores = reading.evidence[u].parts
            mine = scores.get(pid, -math.inf)
            others = max((s for q, s in scores.items() if q != pid), default=-math.inf)
            if mine <= max(reading.evidence[u].none, 0.0) or mine < others - AGAIN_CLOSE:
                continue
            out[pid] = _later_piece(
                reading,
                alignment,
                u,
                f"turn {unit.turn + 1} may answer it again",
                "a later answer?",
            )
            break


# "from (5)", "using 3(a)", "as in 1(a)", "From the solution in 3(a):": a part's answer used
# as a source by a later one, not changed by it
_SOURCE = re.compile(
    r"(?:\((?:part|question|item|see|cf\.?)?[ \t]*+$"  # "(part (c)(i))": a citation
    r"|\b(?:(?:from|using|uses?|used|via|by|with|as|recall|see|per|(?:found|got|computed|obtained|"
    r"derived|shown|proved|proven)[ \t]++in)|(?:from|using|as|recall|see)\b[^.\n]{0,30}\bin)"
    r"[ \t]*+(?:(?:part|question|item|problem|step)[ \t]*+)?$)",
    re.I,
)
# "your question skipped (c), so I haven't answered it": a part said to be left alone
_LEFT_ALONE = re.compile(
    r"\b(?:skipped|skip|left out|omitted|haven(?:'|’)t|have not|didn(?:'|’)t|did not|not (?:yet )?answered)\b",
    re.I,
)
MAX_NAMED_LATER = 4_000  # characters of each later segment read for a part named again


def _sentence_at(text: str, pos: int) -> str:
    """The sentence of text around pos (at most a line)."""
    start = max(text.rfind("\n", 0, pos), *(text.rfind(c, 0, pos) for c in ".!?"))
    ends = [e for e in (text.find(c, pos) for c in ".!?\n") if e >= 0]
    return text[start + 1 : min(ends, default=len(text))]


def named_in_a_later_reply(reading: Reading, out: dict[str, Alignment]) -> None:
    """A `found` span whose part a later reply names again, other than as a source ('This
    also changes (8): ...', 'Note that my numbers in (5) were off'), may have been changed
    there while the first answer is graded: uncertain. A summary after the answers, or a
    later turn that asks for the part again (its own attempt), does not count."""
    key_labels = {pid: _labels_of(reading, pid) for pid in reading.ids}
    owners: dict[str, int] = {}
    for label in key_labels.values():
        owners[label] = owners.get(label, 0) + 1
    found = [pid for pid, a in out.items() if a.status == FOUND and reading.runs.get(pid)]
    if not found:
        return
    first_turn = min(reading.units[reading.runs[pid][-1].last].turn for pid in found)
    mentions = {  # each later segment's parts named other than as a source, read once
        u: _named_again(reading, u, key_labels, owners)
        for u, unit in enumerate(reading.units)
        if unit.turn > first_turn and not unit.closing
    }
    for pid in found:
        last_turn = reading.units[reading.runs[pid][-1].last].turn
        for u, named in mentions.items():
            unit = reading.units[u]
            if unit.turn > last_turn and pid in named and pid not in reading.asks[unit.turn].parts:
                out[pid] = in_doubt(
                    out[pid],
                    f"the reply in turn {unit.turn + 1} speaks of it again: did it change?",
                )
                break


def _named_again(
    reading: Reading, u: int, key_labels: dict[str, str], owners: dict[str, int]
) -> set[str]:
    """The parts segment u names other than as a source or as left alone; a bare '(a)' names
    the part of the problem its turn asks about or the segment answers."""
    unit = reading.units[u]
    here = {reading.problem_of(p) for p in reading.asks[unit.turn].parts}
    if reading.grid.path[u] < len(reading.ids):
        here.add(reading.problem_of(reading.ids[reading.grid.path[u]]))
    text = unit.text[:MAX_NAMED_LATER]
    places: list[tuple[int, str, str | None]] = [
        (m.pos, "-".join(m.labels), m.problem) for m, _ in find_references(text) if m.kind == "part"
    ]
    places += [(m.start(), str(int(m[1])), None) for m in NUMBER_REF.finditer(text)]
    named: set[str] = set()
    for pos, label, problem in places:
        if _SOURCE.search(text[max(0, pos - 40) : pos]) or _LEFT_ALONE.search(
            _sentence_at(text, pos)
        ):
            continue
        for pid, own in key_labels.items():
            if own != label:
                continue
            of = reading.problem_of(pid)
            if problem == of or (problem is None and (owners[own] == 1 or of in here)):
                named.add(pid)
    return named


CORRECTED_CLEAR = 1.5  # a piece's text favours one part over every other by this much


def corrected_by_text(reading: Reading, out: dict[str, Alignment]) -> None:
    """A piece of the reply to a correcting message ('that's wrong', 'you skipped (b)') whose
    text reads most like a part answered earlier and `found`, but went to another part or to
    none, may be that part's corrected answer, whatever the message seemed to ask: the part
    becomes uncertain, with the piece as its first alternative."""
    path = reading.grid.path
    for u, unit in enumerate(reading.units):
        ask, text = reading.asks[unit.turn], reading.evidence[u].text
        if not (ask.redo or ask.missing) or unit.closing or not text:
            continue
        best = max(text, key=text.__getitem__)
        if any(text[best] - v < CORRECTED_CLEAR for p, v in text.items() if p != best):
            continue
        alignment, runs = out[best], reading.runs.get(best)
        if alignment.status != FOUND or not runs or path[u] == reading.ids.index(best):
            continue
        if reading.units[runs[-1].last].turn >= unit.turn:
            continue
        out[best] = _later_piece(
            reading,
            alignment,
            u,
            f"turn {unit.turn + 1} corrects an answer and reads like this one",
            "a corrected answer?",
        )


def _later_piece(reading: Reading, alignment: Alignment, u: int, why: str, note: str) -> Alignment:
    """The alignment put in doubt by segment u of a later reply, offered as its first
    alternative; the reason says where that segment went."""
    unit, k = reading.units[u], len(reading.ids)
    went = reading.grid.path[u]
    span = reading.replies[unit.turn].span(unit.start, unit.end)
    given = "no part" if went >= k else reading.ids[went]
    return in_doubt(
        alignment,
        f"{why} (it went to {given})",
        alternatives=((Candidate(span, note),) if span else ()) + alignment.alternatives,
    )


LONGER = 2.5  # a span this many times its reply's median answer runs on past its own


def swallows_the_rest(reading: Reading, out: dict[str, Alignment]) -> None:
    """A `found` span that runs from a reply's last label to its end over several paragraphs,
    while a later part its turn asked for has no answer at all, may hold that part's answer
    unlabelled ('[10/10] Delay ...' then 'Window design, step A: ...' for 2(a)): uncertain."""
    units = reading.units
    for pid, alignment in out.items():
        runs = reading.runs.get(pid)
        if alignment.status != FOUND or not runs:
            continue
        run = runs[-1]
        turn = units[run.first].turn
        later = [u for u in range(run.last + 1, len(units)) if units[u].turn == turn]
        if any(units[u].marker is not None for u in later):
            continue  # not the reply's last label
        ask = reading.asks[turn]
        order = reading.ids.index(pid)
        waiting = [p for p in ask.parts if reading.ids.index(p) > order and out[p].span is None]
        if not waiting:
            continue
        size = units[run.last].end - units[run.first].start
        siblings = sorted(
            units[r.last].end - units[r.first].start
            for other, rs in reading.runs.items()
            if other != pid
            for r in rs
            if units[r.first].turn == turn
        )
        if len(siblings) < 2 or size <= LONGER * siblings[len(siblings) // 2]:
            continue  # no longer than the reply's other answers

        out[pid] = in_doubt(
            alignment,
            f"it runs to the reply's end and {waiting[0]}, asked with it, has no answer: is it inside?",
        )


def titled_by_a_line(reading: Reading, out: dict[str, Alignment]) -> None:
    """A span named only by a plain line repeating its part's title ('Effective aperture' in
    PDF text) is never `found`: the next part's answer may open with a line the key words
    otherwise ('Diameter' where it says 'Dish diameter') and run on inside it."""
    for pid, alignment in out.items():
        runs = reading.runs.get(pid)
        if alignment.status != FOUND or not runs:
            continue
        first = reading.units[runs[-1].first]
        if first.marker is None and first.run_in == first.text.strip().split("\n", 1)[0]:
            out[pid] = in_doubt(
                alignment, "only a line repeating its title names it: where does it end?"
            )

"""From the best assignment to each part's alignment: attempts, status, alternatives and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from hwreview.model import FOUND, NOT_FOUND, UNCERTAIN, Alignment, Candidate, Span
from hwreview.transcripts.align.asked import Ask
from hwreview.transcripts.align.assignment import Grid
from hwreview.transcripts.align.doubts import (
    MARGIN,
    answered_again_later,
    answered_in_passing,
    corrected_by_text,
    corrected_elsewhere,
    ends_on_a_colon,
    in_doubt,
    left_out_beside,
    loose_edge,
    named_in_a_later_reply,
    names_a_later_part,
    only_a_heading,
    other_label_inside,
    preamble_left_out,
    spoken_of_later,
    swallows_the_rest,
    titled_by_a_line,
    weak_paragraphs,
    weakest_piece,
)
from hwreview.transcripts.align.pasted import Paste
from hwreview.transcripts.align.scores import LABEL_ITEM_HEADED, Evidence, top
from hwreview.transcripts.align.segments import Reply, Unit

CLOSE = 9.0  # candidates scoring within this of the best are kept as alternatives
MAX_ALTERNATIVES = 3
LEFT_OUT = 3.0  # what leaving a part unanswered costs, for the confidence of a segment


@dataclass
class Run:
    """Consecutive segments of one turn given to the same part."""

    turn: int
    first: int  # unit indices (global)
    last: int
    merged_from: int | None = None  # the first unit of an earlier turn continued here


@dataclass
class Reading:
    """Everything the decision needs about one transcript."""

    ids: list[str]
    units: list[Unit]
    evidence: list[Evidence]
    asks: list[Ask]  # per turn
    replies: list[Reply]  # per turn
    grid: Grid
    problems: dict[str, str] = field(default_factory=dict)  # part id -> problem number
    runs: dict[str, list[Run]] = field(default_factory=dict)
    text: Callable[[str], dict[str, float]] | None = None  # a piece of text's score per part
    paste: Paste | None = None  # the key's question words, to tell a pasted question

    def problem_of(self, pid: str) -> str:
        """The problem a part belongs to."""
        return self.problems.get(pid, "")


def find_runs(reading: Reading) -> dict[str, list[Run]]:
    """The runs of each part along the best path; 'continue' joins a run across turns."""
    k = len(reading.ids)
    runs: dict[str, list[Run]] = {pid: [] for pid in reading.ids}
    previous = -1
    for u, state in enumerate(reading.grid.path):
        unit = reading.units[u]
        if state >= k:
            previous = state
            continue
        pid = reading.ids[state]
        own = runs[pid]
        if previous == state and own and own[-1].last == u - 1:
            if own[-1].turn == unit.turn:
                own[-1].last = u
            elif _continues(reading.asks[unit.turn]):
                before = own.pop()
                origin = before.first if before.merged_from is None else before.merged_from
                own.append(Run(unit.turn, u, u, merged_from=origin))
            else:
                own.append(Run(unit.turn, u, u))
        elif own and own[-1].turn == unit.turn:
            if _weight(reading, state, u, u) > _weight(reading, state, own[-1].first, own[-1].last):
                own[-1] = Run(unit.turn, u, u)  # back in the same reply: keep the stronger piece
            else:
                previous = -1
                continue
        else:
            own.append(Run(unit.turn, u, u))
        previous = state
    return runs


def _weight(reading: Reading, state: int, first: int, last: int) -> float:
    """The summed evidence for a part over segments first..last."""
    pid = reading.ids[state]
    return sum(reading.evidence[u].parts[pid] for u in range(first, last + 1))


def _continues(ask: Ask) -> bool:
    """'continue', or a question about the answer just given: the same answer goes on."""
    return ask.carry_on or (ask.how == "" and ask.followup and not ask.redo)


def span_of(reading: Reading, run: Run) -> Span | None:
    """The transcript span a run covers (from an earlier turn when it was continued)."""
    units = reading.units
    last = units[run.last]
    end = reading.replies[last.turn].span(units[run.first].start, last.end)
    if run.merged_from is None or end is None:
        return end
    first = units[run.merged_from]
    start = reading.replies[first.turn].span(first.start, first.end)
    if start is None:
        return end
    return Span(start.message, start.start, end.end, end_message=end.end_message)


def _block(reading: Reading, u: int) -> tuple[int, int]:
    """The run of same-state segments of one turn around segment u."""
    path, units = reading.grid.path, reading.units
    first = last = u
    while first > 0 and path[first - 1] == path[u] and units[first - 1].turn == units[u].turn:
        first -= 1
    while (
        last + 1 < len(path) and path[last + 1] == path[u] and units[last + 1].turn == units[u].turn
    ):
        last += 1
    return first, last


def _apart(reading: Reading, state: int, u: int, near: dict[int, tuple[int, int]]) -> bool:
    """True when segment u is a different place from the part's own runs, not an extension of
    one: in another turn, or with another part's segment between them. `near` holds the
    first and last segment of the part's runs per turn."""
    turn = reading.units[u].turn
    if turn not in near:
        return True
    first, last = near[turn]
    lo, hi = (u, first) if u < first else (last, u)
    path, k = reading.grid.path, len(reading.ids)
    return any(path[x] < k and path[x] != state for x in range(lo + 1, hi))


def _opens(unit: Unit) -> bool:
    """A segment where an answer can begin: the start of a reply, or a label."""
    if unit.closing:
        return False
    return unit.first or (unit.marker is not None and unit.marker.kind != "problem")


def _name(reading: Reading, state: int) -> str:
    return reading.ids[state] if state < len(reading.ids) else "no part"


def _why(reading: Reading, pid: str, u: int, rival: int, end: bool = False) -> str:
    """Why the chosen segment is in doubt, from the evidence that pulls the other way."""
    ev = reading.evidence[u]
    other = _name(reading, rival)
    if end:
        return f"where the answer ends is unclear: a later piece may be {other}"
    label = top(ev.label) if ev.label else None
    text = top(ev.text) if ev.text else None
    if other == "no part":
        return f"the segment may not answer {pid} at all"
    if label and text and label != text and {label, text} == {pid, other}:
        return f"two candidates: the label says {label}, the text looks like {text}"
    if label is None and reading.asks[reading.units[u].turn].how == "":
        return f"no label and no question asked: matched by its text; {other} scores close"
    return f"{other} fits this segment almost as well"


def decide(reading: Reading) -> dict[str, Alignment]:
    """Each part's alignment from the best path and the max-marginals."""
    grid = reading.grid
    k = len(reading.ids)
    runs = reading.runs = find_runs(reading)
    out: dict[str, Alignment] = {}
    for state, pid in enumerate(reading.ids):
        attempts: list[tuple[Run, Span]] = []
        for run in runs[pid]:
            span = span_of(reading, run)
            if span is not None:
                attempts.append((run, span))
        inside = {u for run, _ in attempts for u in range(run.first, run.last + 1)}
        near: dict[int, tuple[int, int]] = {}
        for x in sorted(inside):
            turn = reading.units[x].turn
            near[turn] = (near[turn][0], x) if turn in near else (x, x)
        ranked = sorted(
            (
                (grid.marginal(u, state), u)
                for u in range(len(reading.units))
                if u not in inside
                and _opens(reading.units[u])
                and _apart(reading, state, u, near)
                and grid.marginal(u, state) > grid.best - CLOSE
            ),
            reverse=True,
        )
        alternatives: list[Candidate] = []
        blocks: set[tuple[int, int]] = set()
        for score, u in ranked:
            block = _block(reading, u)
            if block in blocks or len(alternatives) >= MAX_ALTERNATIVES:
                continue
            blocks.add(block)
            unit = reading.units[u]
            span = reading.replies[unit.turn].span(
                reading.units[block[0]].start, reading.units[block[1]].end
            )
            if span is not None:
                gap = grid.best - score
                alternatives.append(Candidate(span, f"scores {gap:.1f} below the chosen one"))
        if not attempts:
            out[pid] = Alignment(pid, NOT_FOUND, alternatives=tuple(alternatives))
            continue
        run, span = attempts[-1]
        u0 = run.first if run.merged_from is None else run.merged_from
        rivals = [s for s in range(2 * k + 1) if s != state]
        rival = max(rivals, key=lambda s: grid.marginal(u0, s))
        margin_elsewhere = grid.best - ranked[0][0] if ranked else float("inf")
        # if u0 were something else, the part would have to go elsewhere or be left out
        margin_here = grid.best - grid.marginal(u0, rival)
        # every further segment of the span must be as clearly this part's: a span that takes
        # in a piece another part or 'no part' nearly claims has a doubtful end
        inner, inner_rival = weakest_piece(reading, state, run)
        reason = ""
        if margin_here < MARGIN:
            reason = _why(reading, pid, u0, rival)
        elif inner < MARGIN:
            reason = _why(reading, pid, inner_rival[0], inner_rival[1], end=True)
        elif loose_edge(reading, state, run):
            reason = "where the answer starts or ends is unclear: a paragraph beside it may be part of it"
        elif margin_elsewhere < -1:
            where = reading.units[ranked[0][1]]
            reason = f"another segment (turn {where.turn + 1}) fits {pid} almost as well"
        elif reading.units[u0].sentences:
            reason = (
                "prose without blank lines, cut at its sentences: check where it starts and ends"
            )
        elif len(attempts) > 1:
            reason = f"answered in {len(attempts)} turns: the last is graded, o shows the others"
        elif reading.units[u0].ordered and not _anchored(reading, pid, u0):
            reason = "no label: placed by its paragraph's place among the parts asked"
        elif margin_here < 2 * MARGIN and not any(
            _anchored(reading, pid, r.first if r.merged_from is None else r.merged_from)
            for r, _ in attempts
        ):
            reason = "matched by its text only: no label and no question names it"
        followup = len(attempts) > 1 or reading.asks[run.turn].missing
        out[pid] = Alignment(
            pid,
            UNCERTAIN if reason else FOUND,
            span,
            attempts=tuple(s for _, s in attempts) if len(attempts) > 1 else (),
            followup=followup,
            alternatives=tuple(alternatives),
            reason=reason,
        )
    _share(reading, out)
    answered_in_passing(reading, out)
    weak_paragraphs(reading, out)
    left_out_beside(reading, out)
    other_label_inside(reading, out)
    preamble_left_out(reading, out)
    ends_on_a_colon(reading, out)
    only_a_heading(reading, out)
    names_a_later_part(reading, out)
    corrected_elsewhere(reading, out)
    spoken_of_later(reading, out)
    answered_again_later(reading, out)
    named_in_a_later_reply(reading, out)
    corrected_by_text(reading, out)
    swallows_the_rest(reading, out)
    titled_by_a_line(reading, out)
    _only_the_question(reading, out)
    return out


def _only_the_question(reading: Reading, out: dict[str, Alignment]) -> None:
    """A span that only copies the key's questions is a pasted question, not a sure answer."""
    if reading.paste is None:
        return
    for pid, alignment in out.items():
        runs = reading.runs.get(pid)
        if alignment.status != FOUND or not runs:
            continue
        run = runs[-1]
        text = "\n".join(u.text for u in reading.units[run.first : run.last + 1])
        if reading.paste.only_questions(text):
            out[pid] = in_doubt(
                alignment,
                "it only repeats the question: is this the request rather than an answer?",
            )


def _heading_above(reading: Reading, u: int) -> str | None:
    """The problem named by the nearest problem heading above segment u in its reply."""
    turn = reading.units[u].turn
    for x in range(u, -1, -1):
        unit = reading.units[x]
        if unit.turn != turn:
            return None
        if unit.marker is not None and unit.marker.kind == "problem":
            return unit.marker.problem
    return None


def _anchored(reading: Reading, pid: str, u: int) -> bool:
    """True when a label or the user's request points at the part, not only the text."""
    ev = reading.evidence[u]
    ask = reading.asks[reading.units[u].turn]
    if ev.label.get(pid, 0.0) >= LABEL_ITEM_HEADED:  # a label, or "2." under its problem
        return True
    marker = reading.units[u].marker
    if len(ask.parts) > 1 and (marker is None or marker.kind == "problem"):
        return False  # the request names several parts, not which unlabelled piece is which
    if ask.how in ("label", "similar") and pid in ask.parts and ask.sure:
        return True
    # a one-part request matched by its words, answered by a reply without labels
    return ask.how == "similar" and ask.parts == [pid]


def _share(reading: Reading, out: dict[str, Alignment]) -> None:
    """Parts named together ('(a) and (b)', a '(c)' over (i) and (ii), a turn asking for two
    parts answered in one piece) share the span as `uncertain` when they have none of their own."""
    k = len(reading.ids)
    labelled_turns = {
        x.turn
        for x, ev in zip(reading.units, reading.evidence, strict=True)
        if not x.closing
        and x.marker is not None
        and (
            x.marker.kind == "part"
            or (x.marker.kind == "item" and any(v > 0 for v in ev.label.values()))
        )
    }  # a reply whose labels (or numbered items read as parts) say which part is which
    for u, state in enumerate(reading.grid.path):
        if state >= k:
            continue
        owner = reading.ids[state]
        unit = reading.units[u]
        ask = reading.asks[unit.turn]
        together = set(reading.evidence[u].named)
        unlabelled = unit.turn not in labelled_turns
        if ask.how in ("label", "similar") and owner in ask.parts and unlabelled and not unit.prose:
            together |= set(ask.parts)  # (a reply cut at its paragraphs gave each its own)
        heading = _heading_above(reading, u)
        if heading is not None and unlabelled and not unit.prose:
            together |= {p for p in reading.ids if reading.problem_of(p) == heading}
        if len(together) < 2 or owner not in together:
            continue
        mine = out[owner]
        for pid in together - {owner}:
            if out[pid].span is None and mine.span is not None:
                out[pid] = Alignment(
                    pid,
                    UNCERTAIN,
                    mine.span,
                    reason=f"one segment answers {owner} and {pid} together",
                    alternatives=out[pid].alternatives,
                )
        if mine.status == FOUND and any(out[p].span == mine.span for p in together - {owner}):
            out[owner] = in_doubt(mine, "one segment answers several parts together")

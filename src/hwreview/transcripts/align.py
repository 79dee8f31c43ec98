"""Find, for each part of the key, the span of the transcript that answers it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from hwreview.model import FOUND, NOT_FOUND, UNCERTAIN, Alignment, Assignment, Span, Transcript
from hwreview.transcripts.labels import (
    Context,
    Expectation,
    KeyIndex,
    Resolved,
    Target,
    choose,
    resolve,
)
from hwreview.transcripts.markers import Marker, find_breaks, find_markers, find_references
from hwreview.transcripts.similarity import Similarity, match_questions

_PLEASANTRY = re.compile(
    r"^\s*(?:sure|certainly|of course|absolutely|great|good|okay|ok|alright|happy to|"
    r"here(?:'|’)?s|here is|here are|no problem|gladly|let(?:'|’)?s|you(?:'|’)re right|"
    r"you are right|sorry|apologies|my apologies|good catch|thanks|thank you)\b",
    re.I,
)
_CLOSER = re.compile(
    r"^\s*(?:let me know|i hope|hope this helps|feel free|if you(?:'d| would)? like|"
    r"if you want|would you like|happy to)\b",
    re.I,
)
_MISSING = re.compile(
    r"\b(?:miss(?:ed|ing)?|skip(?:ped)?|forg[eo]t(?:ten)?|left out|omitted|did ?n[o']t (?:answer|do)|"
    r"have ?n[o']t answered)\b",
    re.I,
)
_REDO = re.compile(
    r"\b(?:redo|again|wrong|incorrect|mistake|error|check|revisit|revise|fix|correct|reconsider|"
    r"more detail|elaborate|expand|explain|why|clarify|sure)\b",
    re.I,
)
_REQUEST = re.compile(
    r"\b(?:answer|solve|do|now|next|try|with|on to|start|tackle|here is|here's|this is|about)\W*"
    r"(?:the\s+|with\s+)?$",
    re.I,
)
_FOLLOWUP = re.compile(
    r"^\W*(?:why|how come|wait|but|hm+|huh|so|i don(?:'|’)?t (?:get|understand|see)|"
    r"what do you mean|(?:can|could) you (?:explain|clarify)|are you sure|is that right|"
    r"(?:is|are|does|do|should|would|could)n(?:'|’)?t)\b|\b(?:you|your|you(?:'|’)re)\b",
    re.I,
)
_OPENING_SENTENCE = re.compile(
    r"(?:you(?:'|’)re right|you are right|good catch|sorry|apologies|my apologies|"
    r"great question|good question|of course|sure|certainly)\b[^.!?\n]{0,40}[.!]\s+(?=\S)",
    re.I,
)
# "you skipped b": a bare letter after a word for missing
_MISSING_LETTER = re.compile(
    r"\b(?:miss(?:ed)?|skip(?:ped)?|forg[eo]t|left out|omitted)\s+(?:(?:part|question)\s+)?"
    r"(?P<label>[a-z])\b(?![\'’])",
    re.I,
)
# a label that opens a later sentence of the message asks for it too: "... ? And (c), ..."
_SENTENCE_START = re.compile(r"[.?!;]\s+(?:(?:and|also|then|now|plus|next)[\s,]+)?$", re.I)
_JOINER = re.compile(r"[\s,;&/+]*(?:(?:and|or|plus|then)[\s,]*)?", re.I)
_RULE_LINE = re.compile(r"\n[ \t]*(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})\s*$")


@dataclass
class Turn:
    """A user message (None before the first one) and the assistant answers that follow it."""

    user: int | None
    replies: list[int] = field(default_factory=list)


@dataclass
class Candidate:
    """One place a part is answered."""

    turn: int
    span: Span
    status: str
    open: bool = False  # the span runs to the end of its reply


class Reply:
    """The assistant answers of one turn joined into one text, with offsets mapped back."""

    def __init__(self, transcript: Transcript, indices: list[int]):
        self.pieces: list[tuple[int, int, int]] = []  # (start in joined text, message, length)
        texts = []
        pos = 0
        for index in indices:
            text = transcript.messages[index].text
            self.pieces.append((pos, index, len(text)))
            texts.append(text)
            pos += len(text) + 2
        self.text = "\n\n".join(texts)

    def span(self, start: int, end: int) -> Span | None:
        """The Span of text[start:end] with surrounding blank space and rules trimmed."""
        start, end = trim(self.text, start, end)
        if end <= start:
            return None
        first = next(p for p in reversed(self.pieces) if p[0] <= start)
        if start >= first[0] + first[2]:
            first = next(p for p in self.pieces if p[0] > start)
            start = first[0]
        last = next(p for p in reversed(self.pieces) if p[0] < end)
        end = min(end, last[0] + last[2])
        return Span(first[1], start - first[0], end - last[0], end_message=last[1])

    def reaches_end(self, end: int) -> bool:
        """True when nothing but blank space and rules follows offset `end`."""
        return trim(self.text, end, len(self.text))[0] >= trim(self.text, 0, len(self.text))[1]

    def whole(self) -> tuple[int, int]:
        """The reply without a short pleasantry before it or a sign-off after it."""
        paragraphs = [m.start() for m in re.finditer(r"(?:^|\n\s*\n)(?=\S)", self.text)]
        start, end = 0, len(self.text)
        if len(paragraphs) > 1:
            first = self.text[: paragraphs[1]].strip()
            if len(first) <= 100 and _PLEASANTRY.match(first) and first[-1:] in ":!.":
                start = paragraphs[1]
            last = paragraphs[-1]
            if last > start and _CLOSER.match(self.text[last:].strip()):
                end = last
        lead = len(self.text[start:]) - len(self.text[start:].lstrip()) + start
        if opening := _OPENING_SENTENCE.match(self.text, lead):
            start = opening.end()
        return start, end


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) to exclude blank space and trailing horizontal rules."""
    while True:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        rule = _RULE_LINE.search(text, start, end)
        if rule is None or rule.end() != end:
            return start, end
        end = rule.start()


def align(assignment: Assignment, transcript: Transcript) -> dict[str, Alignment]:
    """Align every part of the key with the transcript: found, uncertain or not found."""
    key = KeyIndex(assignment)
    sim = Similarity(assignment)
    found: dict[str, list[Candidate]] = {}
    carry: list[str] = []
    last: str | None = None  # the part answered last, which a later reply may continue
    for number, turn in enumerate(_turns(transcript)):
        reply = Reply(transcript, turn.replies)
        if not turn.replies or not reply.text.strip():
            continue
        user = transcript.messages[turn.user].text if turn.user is not None else ""
        asked, strict, sure = _asked(user, key, sim, set(found), carry)
        if asked and not (strict or sure) and last is not None and _followup(user):
            asked = []  # a question about the last answer, not a new part
        if asked:
            carry = asked
            want = Expectation(asked, strict)
        else:
            want = Expectation([p for p in carry if p not in found], False)
        pieces = _segments(reply, key, want)
        ids = {pid for pid, _, _, _ in pieces}

        def record(
            pid: str, start: int, end: int, status: str, n: int = number, r: Reply = reply
        ) -> None:
            span = r.span(start, end)
            if span is not None:
                found.setdefault(pid, []).append(Candidate(n, span, status, r.reaches_end(end)))

        if len(asked) == 1 and ids <= set(asked):
            record(asked[0], *reply.whole(), FOUND if sure else UNCERTAIN)
            last = asked[0]
        elif pieces:
            if not asked and last is not None:
                _extend(found, last, reply, 0, pieces[0][1])
            for pid, start, end, status in pieces:
                record(pid, start, end, status)
            last = max(pieces, key=lambda p: p[1])[0]
        elif asked:
            for pid in asked:
                record(pid, *reply.whole(), UNCERTAIN)
            last = None
        elif last is not None:
            _extend(found, last, reply, *reply.whole())
    return {pid: _decide(pid, found.get(pid, [])) for pid in key.ids}


def _decide(pid: str, candidates: list[Candidate]) -> Alignment:
    if not candidates:
        return Alignment(pid, NOT_FOUND)
    chosen = candidates[-1]
    turns = {c.turn for c in candidates}
    status = chosen.status if len(turns) == 1 else UNCERTAIN
    return Alignment(pid, status, chosen.span)


def _extend(
    found: dict[str, list[Candidate]], pid: str, reply: Reply, start: int, end: int
) -> None:
    """Let the part answered last run on into a later reply (after 'continue' and the like)."""
    span = reply.span(start, end)
    if span is None or pid not in found or not found[pid][-1].open:
        return
    body = reply.text[start:end].strip()
    if len(body) < 150 and (_PLEASANTRY.match(body) or _CLOSER.match(body)):
        return
    old = found[pid][-1]
    joined = Span(old.span.message, old.span.start, span.end, span.end_message)
    found[pid][-1] = Candidate(old.turn, joined, old.status, reply.reaches_end(end))


def _followup(text: str) -> bool:
    """A short question about the previous answer ('why do you square it?')."""
    return len(text.strip()) <= 200 and bool(_FOLLOWUP.search(text))


def _turns(transcript: Transcript) -> list[Turn]:
    turns: list[Turn] = []
    for index, message in enumerate(transcript.messages):
        if message.kind != "answer":
            continue
        if message.role == "user":
            turns.append(Turn(index))
        elif message.role == "assistant":
            if not turns:
                turns.append(Turn(None))
            turns[-1].replies.append(index)
    return turns


def _asked(
    text: str, key: KeyIndex, sim: Similarity, answered: set[str], previous: list[str]
) -> tuple[list[str], bool, bool]:
    """The parts a user message asks for, whether they come from labels, and how sure we are."""
    if not text.strip():
        return [], False, False
    refs = [m for m, back in find_references(text) if not back]
    for bare in _MISSING_LETTER.finditer(text):
        pos, label = bare.start("label"), bare.group("label").lower()
        if label != "a" or bare.group(0).lower().endswith(("part a", "question a")):
            refs.append(Marker(pos, "part", None, (label,), 0, (), len(text), pos + 1))
    markers = _numbered_problems(find_markers(text, loose=True), refs, key)
    if markers and markers[0].kind == "part" and not text[: markers[0].pos].strip():
        # A message that opens with its label: later mentions are context, except a list
        # joined to the label ("Problem 1 (a) and (b)").
        group = markers + _joined(text, markers[0], refs)
        group += [r for r in refs if r not in group and _SENTENCE_START.search(text, 0, r.pos)]
    else:
        group = markers + [r for r in refs if not any(m.pos <= r.pos < m.end for m in markers)]
    group.sort(key=lambda m: m.pos)
    if any(m.kind == "part" for m in group):
        ctx = Context()
        if previous:
            ctx.problem = key.problem_of[previous[-1]]
            ctx.pointer = key.order[previous[-1]]
        redo = _REDO.search(text) and not _MISSING.search(text)
        avoid = frozenset() if redo else frozenset(answered)
        ids = _ids(resolve(group, key, Expectation(), ctx, avoid, pin=False), key)
        if ids:
            return ids, True, True
    problems = [
        p
        for m in group
        if m.kind == "problem" and _requested(text, m, markers)
        for p in (m.problem, *m.more)
    ]
    ids = [pid for pid in key.ids if key.problem_of[pid] in problems]
    if ids:
        return ids, True, True
    redo = _REDO.search(text) and not _MISSING.search(text)
    chosen, sure = match_questions(sim, text, key.order, set() if redo else answered)
    return chosen, False, sure


def _numbered_problems(markers: list[Marker], refs: list[Marker], key: KeyIndex) -> list[Marker]:
    """A numbered list of problems (`1) ... (a) ... (b)`): items followed by part labels."""
    items = [m.pos for m in markers if m.kind == "item"] + [len(key.ids) and 1 << 60]
    labels = [m.pos for m in markers + refs if m.kind == "part"]
    out = []
    for m in markers:
        if m.kind == "item":
            after = min(p for p in items if p > m.pos)
            if str(m.number) in key.problems and any(m.pos < p < after for p in labels):
                out.append(replace(m, kind="problem", problem=str(m.number)))
            continue
        out.append(m)
    return out


def _requested(text: str, marker: Marker, line_markers: list[Marker]) -> bool:
    """A problem named at a line start, or after a request word ('now', 'solve', 'do')."""
    return marker in line_markers or bool(
        _REQUEST.search(text[max(0, marker.pos - 30) : marker.pos])
    )


def _joined(text: str, first: Marker, refs: list[Marker]) -> list[Marker]:
    """References chained right after an opening label by commas, 'and', '&' or '/'."""
    out: list[Marker] = []
    end = first.end
    for ref in sorted(refs, key=lambda r: r.pos):
        if ref.pos < end:
            continue
        if not _JOINER.fullmatch(text[end : ref.pos]):
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


def _segments(reply: Reply, key: KeyIndex, want: Expectation) -> list[tuple[str, int, int, str]]:
    """Split a reply at the markers it uses: (part id, start, end, status) in text order."""
    text = reply.text
    markers = find_markers(text)
    problems = {key.problem_of[p] for p in want.parts}
    numbered = [m for m in markers if m.kind == "problem" and m.style[-1] == "number"]
    if len(problems) == 1 and (
        len(numbered) > 1 or any(m.problem not in problems for m in numbered)
    ):
        # "**1. Zero-layer transformer**" in an answer to one problem numbers its parts
        numbered_items = {m.pos for m in numbered}
        markers = [
            replace(m, kind="item", problem=None, number=int(m.problem or 0))
            if m.pos in numbered_items
            else m
            for m in markers
        ]
    resolved = [(r, r.target) for r in choose(markers, key, want) if r.target is not None]
    if not any(target.kind != "problem" for _, target in resolved):
        return _problem_regions(text, resolved, key, want)
    summaries, rules = find_breaks(text)
    first = next(r.marker.pos for r, target in resolved if target.kind != "problem")
    stop = next((s for s in summaries if s > first), len(text))
    bounds = [(r, target) for r, target in resolved if r.marker.pos < stop]
    out: list[tuple[str, int, int, str]] = []
    allowed = set(want.parts) if want.strict else None
    for i, (r, target) in enumerate(bounds):
        start = r.marker.pos
        end = bounds[i + 1][0].marker.pos if i + 1 < len(bounds) else stop
        if i + 1 == len(bounds):
            end = next((rule for rule in rules if start < rule < end), end)
        if target.kind == "part" and r.extra:
            out += [(pid, start, end, UNCERTAIN) for pid in (target.id, *r.extra)]
        elif target.kind == "part":
            out.append((target.id, start, end, FOUND))
        elif target.kind == "parent":
            children = key.children(target.problem, target.label)
            later = {t.id for _, t in bounds[i + 1 :] if t.kind == "part"}
            if not later & set(children):
                for child in children:
                    if allowed is None or child in allowed:
                        out.append((child, start, end, UNCERTAIN))
    return out


def _problem_regions(
    text: str, resolved: list[tuple[Resolved, Target]], key: KeyIndex, want: Expectation
) -> list[tuple[str, int, int, str]]:
    """Without part markers, give each problem heading's stretch to that problem's parts."""
    allowed = set(want.parts) if want.parts else None
    summaries, _ = find_breaks(text)
    out: list[tuple[str, int, int, str]] = []
    for i, (r, target) in enumerate(resolved):
        start = r.marker.pos
        end = resolved[i + 1][0].marker.pos if i + 1 < len(resolved) else len(text)
        end = next((s for s in summaries if start < s < end), end)
        ids = [p for p in key.target_ids(target) if allowed is None or p in allowed]
        status = FOUND if len(key.target_ids(target)) == 1 else UNCERTAIN
        out += [(pid, start, end, status) for pid in ids]
    return out

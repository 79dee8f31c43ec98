"""Cut a transcript into turns and candidate segments: the pieces a part's answer is built from."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from hwreview.markdown import code_lines
from hwreview.model import Span, Transcript
from hwreview.transcripts.align.courtesy import (
    CLOSER,
    LEAD_IN,
    asks_back,
    leaves_unchanged,
    only_courtesy,
    opening,
    sign_off_at,
    stopped_note,
)
from hwreview.transcripts.align.inline import inline_cuts
from hwreview.transcripts.align.lines import (
    MAX_LINE,
    line_starts,
    recap_list,
    sentences,
    table_start,
    title_lines,
)
from hwreview.transcripts.breaks import find_breaks
from hwreview.transcripts.line_labels import find_markers
from hwreview.transcripts.markers import Marker, parse_head

MAX_UNITS_PER_REPLY = 400
PROSE_PER_PART = 120  # a reply cut at its sentences holds at least this many characters a part  # beyond this, cut only at the strongest boundaries
FEW_LABELLED = 3  # labels on at most a third of the parts asked (and 6 asked at least) leave
# the rest to be cut at paragraphs

_RULE_LINE = re.compile(r"\n[ \t]*(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})\s*$")
_HEADING = re.compile(
    r"[ \t]{0,3}(?:#{1,6}[ \t]+\S|"
    # a bold line, but not a bold result ending in a full stop ("**APF = π/(3√2) ≈ 0.74.**")
    r"(?:\*\*|__)(?![^*_\n]*[=≈][^*_\n]*\.(?:\*\*|__))[^*_\n]{1,80}(?:\*\*|__)[ \t]*:?[ \t]*$)"
)
_RANGE = re.compile(r"\)[ \t]*+(?:[-–—]|to\b|through\b)[ \t]*+\(", re.I)
TITLE_LINE = 60  # a line this short may be a part's title standing alone
# a paragraph opening with a short bold title, then its text: "**Minimum distance.** The ..."
RUN_IN_TITLE = re.compile(r"[ \t]{0,3}(?:\*\*|__)([^*_\n]{3,60}?)[.:]?(?:\*\*|__)[.:]?[ \t]++\S")
RESTATED = re.compile(r"[ \t]*+(?:\*\*|__)?(?:Q|Question)(?:\*\*|__)?[ \t]*+:[ \t]*+\S")


@dataclass
class Turn:
    """A user message (None before the first one) and the assistant answers that follow it."""

    user: int | None
    replies: list[int] = field(default_factory=list)


def turns_of(transcript: Transcript) -> list[Turn]:
    """The conversation as turns; only messages of kind `answer` take part."""
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


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) to exclude blank space and trailing horizontal rules."""
    while True:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        rule = _RULE_LINE.search(text, max(start, end - 80), end)
        if rule is None or rule.end() != end:
            return start, end
        end = rule.start()


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
        if end <= start or not self.pieces:
            return None
        first = next(p for p in reversed(self.pieces) if p[0] <= start)
        if start >= first[0] + first[2]:
            first = next(p for p in self.pieces if p[0] > start)
            start = first[0]
        last = next(p for p in reversed(self.pieces) if p[0] < end)
        end = min(end, last[0] + last[2])
        return Span(first[1], start - first[0], end - last[0], end_message=last[1])


@dataclass
class Unit:
    """One candidate segment of a reply: from a boundary (marker, heading, ...) to the next."""

    turn: int
    start: int
    end: int
    text: str
    marker: Marker | None = None  # the part, problem or item label the segment opens with
    heading: str = ""  # its first line when that is a heading or a bold line
    closing: bool = False  # a summary, sign-off or pleasantry: belongs to no part
    first: bool = False  # the first segment of its turn
    paragraph: bool = False  # cut at a paragraph of a reply without labels, not at a boundary
    prose: bool = False  # in a reply cut at its paragraphs: nothing but its text names a part
    sentences: bool = False  # in a reply cut at its sentences: where answers change is a guess
    ordered: bool = False  # one of k paragraphs for k parts asked: its part is read off its place
    loose: bool = False  # a paragraph of a reply with few labels: kept if its words name a part
    # the bold title its first line opens with ("**Minimum distance.** ..."), or that line
    # when it is a part's title and nothing else ("Received power")
    run_in: str = ""


def _boundaries(
    text: str, asked: int = 0, titled: Callable[[str, bool], bool] | None = None
) -> tuple[dict[int, Marker | None], set[int], set[int], set[int], bool, set[int]]:
    """Line starts where a segment may begin (with the marker there), closing lines, and the
    paragraph starts added when a reply without part labels, to a request for `asked` parts,
    has fewer sections than that."""
    cuts: dict[int, Marker | None] = {
        m.pos: m for m in _lists_inside(_with_sections(find_markers(text, in_reply=True)))
    }
    for marker in find_markers(text, loose=True):
        if marker.kind == "problem" and marker.line_end - marker.pos <= MAX_LINE:
            cuts.setdefault(marker.pos, marker)
    rows = [p for p, m in cuts.items() if m is not None and text[p : m.end].lstrip()[:1] == "|"]
    recaps: list[int] = []
    tabled = sum(len(line) + 1 for line in text.split("\n") if line.lstrip().startswith("|"))
    outside = [
        (p, m)
        for p, m in cuts.items()
        if m is not None and m.kind in ("part", "item") and p not in rows
    ]
    if rows and (outside or 2 * tabled < len(text.strip())):
        # a reply labelled outside its tables, or mostly outside them: a table naming parts
        # sums up the answers given above it; one before every other label, naming parts not
        # labelled elsewhere, gives the short answers ("Short answers" first, worked parts after)
        first = min((p for p, _ in outside), default=-1)
        # "| (1) |" names the "**(1)**" item below: items differ by their number, not labels
        named = {(m.problem, m.labels, m.number if m.kind == "item" else 0) for _, m in outside}
        for pos in rows:
            row = cuts[pos]
            if (
                row
                and outside
                and first > pos
                # "| (a) |" names the (a) labelled below, whatever problem that is in
                and not any(
                    labels == row.labels
                    and number == (row.number if row.kind == "item" else 0)
                    and (problem == row.problem or None in (problem, row.problem))
                    for problem, labels, number in named
                )
            ):
                continue
            del cuts[pos]
            recaps.append(table_start(text, pos))
    recaps += recap_list(text, cuts)
    summaries, rules = find_breaks(text)
    summaries = sorted({*summaries, *recaps})
    labelled = [pos for pos, m in cuts.items() if m is not None and m.kind in ("part", "item")]
    # a table of parts closes a reply that answered them above it; before any answer, its
    # rows are the answers ("| (a) | working | result |")
    summaries = [
        pos for pos in summaries if not text.startswith("|", pos) or any(p < pos for p in labelled)
    ]
    closing = set(summaries)
    for pos in (*summaries, *rules):
        cuts.setdefault(pos, None)
    numbered = [
        m
        for m in cuts.values()
        if m is not None
        and (
            m.kind == "part"
            or m.style[-1:] == ("number",)
            or (m.kind == "item" and any(m.style[2:4]))
        )
    ]
    # only a reply without part labels or numbered headings (a plain list is steps)
    paragraphs = asked >= 2 and not numbered
    # labels on only a few of many parts asked: the rest may be answered in paragraphs of their
    # own, cut there but read as unlabelled text (the reply may also answer only those few)
    few = bool(numbered) and asked >= FEW_LABELLED * 2 and len(numbered) * FEW_LABELLED <= asked
    starts: list[int] = []
    titled_at: list[int] = []  # paragraphs opening with a part's title in bold
    offset = 0
    blank = False
    for line, in_fence in zip(text.split("\n"), code_lines(text, tex_is_text=True), strict=True):
        if not in_fence and (_HEADING.match(line[:MAX_LINE]) or RESTATED.match(line)):
            cuts.setdefault(offset, None)  # a heading, or a restated question ("Q: ...")
        elif (
            titled is not None
            and not in_fence
            and (
                (
                    (blank or offset == 0)  # a paragraph's bold title, not one inside it
                    and (run_in := RUN_IN_TITLE.match(line[:MAX_LINE]))
                    and titled(run_in.group(1), False)
                )
                or (len(line) <= TITLE_LINE and titled(line, True))
            )
        ):
            # "**Minimum distance.** The eight codewords ...", or a line that is a part's title
            # and nothing else ("Received power" in PDF text)
            titled_at.append(offset)
            if blank:
                starts.append(offset)  # still a paragraph
        elif blank and line.strip():
            starts.append(offset)  # a paragraph, a list, a table or display math after a gap
        blank = not line.strip() and not in_fence
        offset += len(line) + 1
    added: set[int] = set()
    loose: set[int] = set()
    by_sentence = False
    # a numbered list counts as sections when the reply opens with it (it numbers the answers);
    # one further down is steps of an answer
    lead = len(text) - len(text.lstrip())
    opener = cuts.get(lead)
    listed = opener is not None and opener.kind == "item"
    sections = 1 + sum(
        1
        for c, m in cuts.items()
        if c > 0 and c not in closing and (m is None or m.kind != "item" or listed)
    )  # a closing line ('Let me know if ...') is no section
    if paragraphs and not starts:  # PDF text without blank lines: its short title lines
        starts = title_lines(text)
    if (
        paragraphs
        and asked >= 3
        and 2 * (len(starts) + 1) <= asked
        and len(text) >= PROSE_PER_PART * asked
        and not any(m is not None and m.kind in ("part", "item") for m in cuts.values())
    ):  # long prose without labels and without blank lines between answers (PDF text)
        starts = sorted({*starts, *sentences(text)})
        by_sentence = True
    if paragraphs and sections < asked:  # fewer sections than parts asked
        for start in starts:
            if start not in cuts:
                cuts[start] = None
                added.add(start)
    # a heading naming several parts ("(1)-(3) Arithmetic"), with a paragraph under it for each
    # of them: one answer a paragraph
    ordered = sorted(cuts)
    for i, pos in enumerate(ordered):
        head = cuts[pos]
        if (
            head is None
            or not head.more
            or head.kind not in ("part", "item")
            or (head.kind == "item" and not all(m.isdigit() for m in head.more))
            or not _RANGE.search(text, pos, min(head.line_end, pos + MAX_LINE))
        ):  # "(a) and (b)" over two paragraphs may be one joint answer; "(1)-(3)" is a range
            continue
        end = ordered[i + 1] if i + 1 < len(ordered) else len(text)
        inside = [s for s in starts if pos < s < end and s not in cuts]
        if len(inside) != 1 + len(head.more):  # or one line each, without blank lines
            inside = line_starts(text, head.line_end + 1, end)
        if len(inside) == 1 + len(head.more):
            for k, start in enumerate(inside):  # each paragraph labelled as the heading says
                number, labels = head.number, head.labels
                if k and head.kind == "item":
                    number = int(head.more[k - 1])
                elif k:
                    labels = tuple(head.more[k - 1].split("/"))
                line_end = text.find("\n", start)
                line_end = len(text) if line_end < 0 else line_end
                cuts[start] = replace(
                    head,
                    pos=start,
                    labels=labels,
                    number=number,
                    more=(),
                    line_end=line_end,
                    end=start,
                )
    if few and sections < asked:
        for start in starts:
            if start not in cuts:
                cuts[start] = None
                loose.add(start)
    for start in titled_at:  # cut there too, after the count of sections above
        cuts.setdefault(start, None)
    return cuts, closing, added, loose, by_sentence, inline_cuts(text, cuts)


def _with_sections(markers: list[Marker]) -> list[Marker]:
    """The markers, with the model's own lettered sections ('A1.', 'A2.', 'B1.') kept only
    when they make a scheme: two or more, each letter counting 1, 2, ... ('**C4.** C4 plants
    ...' alone is a title)."""
    sections = [m for m in markers if m.style[-1:] == ("section",)]
    counts: dict[tuple[str, ...], list[int]] = {}
    for m in sections:
        counts.setdefault(m.labels, []).append(m.number)
    if (
        len(sections) >= 2
        and all(n == list(range(1, len(n) + 1)) for n in counts.values())
        and not _inside_one_part(markers, sections)
    ):
        return markers
    return [m for m in markers if m.style[-1:] != ("section",)]


def _inside_one_part(markers: list[Marker], sections: list[Marker]) -> bool:
    """One letter's sections all under the same part label, with no other label among them
    ('(b) Gantt chart', then 'M1: C [0,1] ...', 'M2: ...'): lines of that answer, not a scheme."""
    if len({m.labels for m in sections}) != 1:
        return False
    first, last = sections[0].pos, sections[-1].pos
    before = [m for m in markers if m.pos < first and m.kind == "part"]
    among = [m for m in markers if first < m.pos < last and m.style[-1:] != ("section",)]
    return bool(before) and not among


MIN_DECORATED = 3  # items labelled in bold, as headings or quoted: the reply's own scheme


def _lists_inside(markers: list[Marker]) -> list[Marker]:
    """The markers without a plain list numbered from 1 under an item of the reply's own
    decorated scheme ('> **(6) Name the two causes.**' then '1. Iron deficiency', '2. ...'):
    that list is the item's answer, not items 1 and 2 again."""
    items = [m for m in markers if m.kind == "item"]
    if sum(1 for m in items if any(m.style[1:4])) < MIN_DECORATED:
        return markers
    inside: set[int] = set()
    after = 0  # the number of the decorated item above, while its list runs
    count = 0
    for m in items:
        if any(m.style[1:4]):
            after, count = m.number, 0
        elif not any(m.style[:4]) and after >= 2 and m.number == count + 1:
            inside.add(m.pos)
            count += 1
        else:
            after = 0
    return [m for m in markers if m.pos not in inside]


def _marker_at(body: str, offset: int) -> Marker | None:
    """A label opening a segment that does not start a line ('Sorry! (b) It is ...')."""
    line = body.split("\n", 1)[0][:MAX_LINE]
    head = parse_head(line)
    if head is None or head[0] != "part":
        return None
    kind, problem, labels, number, style, length, more = head
    end = offset + len(line)
    return Marker(offset, kind, problem, labels, number, style, end, offset + length, more)


def rejoin(text: str, units: list[Unit], keep: list[bool]) -> list[Unit]:
    """The units with each one not kept joined to the one before it (its answer goes on)."""
    out: list[Unit] = []
    for unit, kept in zip(units, keep, strict=True):
        if kept or not out:
            out.append(unit)
            continue
        before = out[-1]
        out[-1] = replace(before, end=unit.end, text=text[before.start : unit.end])
    return out


def units_of(
    reply: Reply,
    turn: int,
    asked: int = 0,
    single: bool = False,
    titled: Callable[[str, bool], bool] | None = None,
) -> list[Unit]:
    """The candidate segments of one reply, in text order. A reply without part labels to a
    request for `asked` parts, with fewer sections than that, is also cut at each paragraph
    (one reply answering several parts in prose)."""
    text = reply.text
    cuts, closing, added, loose, by_sentence, inline = _boundaries(text, asked, titled)
    begin = opening(text)
    if single and begin and LEAD_IN.match(text):
        begin = 0  # "Here are both sets, as tables." opens the one answer asked for
    points = sorted(p for p in cuts if p > begin)
    if len(points) > MAX_UNITS_PER_REPLY:
        points = sorted(p for p in points if cuts[p] is not None)[:MAX_UNITS_PER_REPLY]
    closer = sign_off_at(text, points[-1] if points else begin)
    starts = ([0] if begin else []) + [begin] + points + ([closer] if closer else [])
    starts = sorted(set(starts))
    units: list[Unit] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        a, b = trim(text, start, end)
        if b <= a:
            continue
        body = text[a:b]
        line = body.split("\n", 1)[0][:MAX_LINE]
        marker = cuts.get(start) or cuts.get(a) or _marker_at(body, a)
        unit = Unit(turn, a, b, body, marker=marker, paragraph=start in added)
        unit.loose = start in loose
        unit.sentences = start in inline  # cut inside a labelled line: a guess
        unit.heading = line if _HEADING.match(line) else ""
        if not unit.heading and (run_in := RUN_IN_TITLE.match(line)):
            unit.run_in = run_in.group(1)
        elif not unit.heading and titled and len(line) <= TITLE_LINE and titled(line, True):
            unit.run_in = line  # a part's title, whole ("Received power")
        unit.closing = (
            start in closing
            or start == closer
            or (start == 0 and begin > 0)
            or (unit.marker is None and len(body) < 150 and bool(CLOSER.match(body)))
            or (
                unit.marker is None
                and len(body) < MAX_LINE
                and only_courtesy(body)
                and not (single and start == 0 and LEAD_IN.match(body))
            )
            or not any(c.isalnum() for c in body[:200])
            or asks_back(body)
            or leaves_unchanged(body)
            or stopped_note(body)
        )
        units.append(unit)
    if units:
        units[0].first = True
        # "**(b) Snow fences**", then only a sign-off: nothing answered (a heading ending the
        # reply may be answered in the next one: it stays, in doubt)
        last = next((i for i in range(len(units) - 1, -1, -1) if not units[i].closing), None)
        if last is not None and last + 1 < len(units):
            unit = units[last]
            if unit.marker is not None and unit.heading and "\n" not in unit.text.strip():
                unit.closing = True
    for unit in units if added else ():
        unit.prose = True
        unit.sentences = unit.sentences or by_sentence
    after_summary = False
    for i, unit in enumerate(units):  # everything after a closing summary is part of it
        after_summary = after_summary or (i > 0 and unit.closing and unit.start in closing)
        unit.closing = unit.closing or after_summary
    return units

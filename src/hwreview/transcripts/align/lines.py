"""Line shapes of a reply that cut it: recap lists, title lines, tables, sentences."""

from __future__ import annotations

import re

from hwreview.markdown import code_lines
from hwreview.transcripts.markers import Marker

MAX_LINE = 400  # marker, heading and sign-off patterns only ever look at the head of a line
MAX_REPLY_SCAN = 60_000  # sentence cuts are looked for in this much of a reply


RECAP_LINE = 80  # a line of a recap list holds a label and a short result ("2(a) 8 yr")
RECAP_LINES = 3


def recap_list(text: str, cuts: dict[int, Marker | None]) -> list[int]:
    """Where a recap list starts, its label lines taken out of `cuts`: a run of short lines one
    under the other, each opening with a part label, over two problems or more or repeating
    labels written above, after labelled answers. Like a table of parts, it sums them up."""
    marks = sorted((p, m) for p, m in cuts.items() if m is not None)
    runs: list[list[tuple[int, Marker]]] = []
    for pos, m in marks:
        short = m.kind == "part" and m.line_end - pos <= RECAP_LINE
        if short and runs and runs[-1] and runs[-1][-1][1].line_end + 1 == pos:
            runs[-1].append((pos, m))
        elif short:
            runs.append([(pos, m)])
        else:
            runs.append([])
    found: list[int] = []
    for run in runs:
        if len(run) < RECAP_LINES:
            continue
        first = run[0][0]
        above = [m for p, m in marks if p < first and m.kind in ("part", "item")]
        named = {(m.problem, m.labels) for _, m in run}
        problems = {m.problem for _, m in run}
        if not all(m.problem for _, m in run):
            continue  # a recap names each part in full ("2(a)"); "(i) ... (ii) ..." are answers
        numbers = sorted(int(m.problem) for _, m in marks if m.problem and m.problem.isdigit())
        head = run[0][1].problem
        if numbers and head and head.isdigit() and int(head) != numbers[0]:
            continue  # a recap starts again from the first problem; this goes on after it
        if 2 * len(above) < len(run) or not (
            len(problems) >= 2 or named & {(m.problem, m.labels) for m in above}
        ):
            continue
        for pos, _ in run:
            del cuts[pos]
        found.append(first)
    return found


_TITLE_LINE = re.compile(r"[ \t]*+[A-Z][\w ,'’/()-]{1,38}:?[ \t]*+")


# "Price. Cash flows are 5, 5 and 105.", "Rate shock: ΔP ≈ ...": a run-in title opening a line
MAX_TITLE_ABOVE = 60  # a line this short above a run-in title is a heading, not wrapped text
_RUN_IN_TITLE = re.compile(
    r"[ \t]*+(?:\*\*)?[A-Z][\w’'-]*+(?: [\w’'-]++){0,3}[.:](?:\*\*)? ++[^\sa-z]"
)


_RESULT = re.compile(r"=[^=\n]{0,40}\d[ \t]*+$")  # "q = 300 / 1000 = 0.3": a worked line ends


def title_lines(text: str) -> list[int]:
    """Where a short title line ('Hypotheses:', 'Counterbalancing') over a longer line, or a
    line opening with a run-in title ('Price. Cash flows are ...'), starts after a line that
    ends a sentence: the sections of PDF text without blank lines."""
    lines = text[:MAX_REPLY_SCAN].split("\n")
    out: list[int] = []
    offset = len(lines[0]) + 1 if lines else 0
    for before, line, after in zip(lines, lines[1:], [*lines[2:], ""], strict=False):
        ended = before.rstrip()[-1:] in (".", ")", "!", "?") or bool(_RESULT.search(before))
        titled = len(before.strip()) <= MAX_TITLE_ABOVE  # "Problem 1 — the 3-year bond"
        if (ended and _TITLE_LINE.fullmatch(line) and len(after.strip()) > len(line.strip())) or (
            (ended or titled) and _RUN_IN_TITLE.match(line)
        ):
            out.append(offset)
        offset += len(line) + 1
    return out


def table_start(text: str, row: int) -> int:
    """Where the table holding the row at `row` starts (its header)."""
    start = row
    while start > 0:
        before = text.rfind("\n", 0, start - 1) + 1
        if not text[before:start].lstrip().startswith("|"):
            break
        start = before
    return start


def line_starts(text: str, start: int, end: int) -> list[int]:
    """Where each non-blank line of text[start:end] starts."""
    out, pos = [], start
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        if text[pos:stop].strip():
            out.append(pos)
        pos = stop + 1
    return out


# a sentence starts with a capital, or with any letter at a line start ("r-selected ...")
_SENTENCE = re.compile(r"(?<=[.!?])(?:[ \t]*+\n?[ \t]*+(?=[A-Z])|[ \t]*+\n[ \t]*+(?=[a-z]))")


def sentences(text: str) -> list[int]:
    """Where each sentence after the first starts, outside code: the places a reply whose
    paragraphs lost their blank lines can change answers."""
    fenced = code_lines(text, tex_is_text=True)
    line_of = [i for i, line in enumerate(text.split("\n")) for _ in range(len(line) + 1)]
    return [
        m.end()
        for m in _SENTENCE.finditer(text, 0, MAX_REPLY_SCAN)
        if m.end() < len(line_of) and not fenced[line_of[m.end()]]
    ]

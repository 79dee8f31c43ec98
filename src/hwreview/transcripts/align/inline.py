"""Answers that change inside a labelled line: '(a), (b): <one sentence each>', '(b): (i) ...
(ii) ...', '... For (c), ...'. The cuts found here are guesses at sentences: spans built from
them are never `found`."""

from __future__ import annotations

import re
from dataclasses import replace

from hwreview.markdown import code_lines
from hwreview.transcripts.markers import Marker, parse_head

MAX_SCAN = 4000  # a labelled segment longer than this is not cut at its sentences
# where a sentence starts inside a line: after . ! ? and a space, before a capital or a bracket
_SENTENCE = re.compile(r"(?<=[.!?])[ \t]++(?=[A-Z(])")
# a sentence that opens by naming a part: "(ii) FIFO/4 ...", "For (c), ...", "In (2), ..."
_NAMING = re.compile(r"(?:(?:for|in|as for|and)[ \t]++)?(?=\()", re.I)


def inline_cuts(text: str, cuts: dict[int, Marker | None]) -> set[int]:
    """Add to `cuts` the sentence starts inside labelled segments where the answer changes
    part: a sentence opening with a label in brackets ('(ii) ...', 'For (c), ...'), or, under a label naming several parts
    at once, one sentence each when there are exactly as many sentences as parts. Returns the
    positions added."""
    added: set[int] = set()
    ordered = sorted(cuts)
    fenced = code_lines(text, tex_is_text=True)
    line_of = [i for i, line in enumerate(text.split("\n")) for _ in range(len(line) + 1)]
    for i, pos in enumerate(ordered):
        head = cuts[pos]
        if head is None or head.kind not in ("part", "item"):
            continue
        end = ordered[i + 1] if i + 1 < len(ordered) else len(text)
        if end - head.end > MAX_SCAN:
            continue
        starts = [
            m.end()
            for m in _SENTENCE.finditer(text, head.end, end)
            if m.end() < len(line_of) and not fenced[line_of[m.end()]]
        ]
        named = {}
        for start in starts:
            opener = _NAMING.match(text, start)
            line_end = text.find("\n", start)
            line = text[opener.end() if opener else start : end if line_end < 0 else line_end]
            found = parse_head(line, inline=True)
            if found is not None and found[0] == "part" and found[4][-1:] == ("paren",):
                kind, problem, labels, number, style, length, more = found
                named[start] = Marker(
                    start, kind, problem, labels, number, style, start + len(line), start, more
                )
        if named:
            for start, marker in named.items():
                cuts[start] = marker
                added.add(start)
            added.add(pos)
        elif head.more and len(starts) == len(head.more):
            # "(a), (b): <a>. <b>." one sentence a part, in the order the label names them
            cuts[pos] = replace(head, more=())
            for k, start in enumerate(starts):
                if head.kind == "item":
                    piece = replace(head, number=int(head.more[k]), more=(), pos=start)
                else:
                    piece = replace(head, labels=tuple(head.more[k].split("/")), more=(), pos=start)
                cuts[start] = replace(piece, end=start, line_end=start)
                added.add(start)
            added.add(pos)
    return added

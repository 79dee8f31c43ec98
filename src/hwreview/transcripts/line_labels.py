"""Labels found in a message's lines: a label opening a line or ending a title line
(`find_markers`), and labels mentioned anywhere (`find_references`); the grammar of one label
is `markers.parse_head`."""

from __future__ import annotations

import functools
import re

from hwreview.markdown import code_lines
from hwreview.transcripts.markers import (
    LINE_PREFIX,
    Head,
    Marker,
    Style,
    in_reply_only,
    parse_head,
)

_WRAPPED = re.compile(
    r"\b(?:part|parts|in|from|of|see|to|and|with|using|than|as|like|compare|by|on|"
    r"that|under)[ \t]*+$",
    re.I,
)


def find_markers(text: str, loose: bool = False, in_reply: bool = False) -> list[Marker]:
    """Every marker at the start of a line, outside code fences; `loose` keeps every problem,
    `in_reply` the lines a model orders its reply with ('A1.', 'Step 3:')."""
    out: list[Marker] = []
    offset = 0
    previous = ""
    for line, in_fence in zip(text.split("\n"), code_lines(text, tex_is_text=True), strict=True):
        end = offset + len(line)
        if not in_fence and (head := _line_head(line)):
            kind, problem, labels, number, style, length, more = head
            if not in_reply and in_reply_only(style):
                pass
            elif not loose and not any(style[:4]) and _wrapped(previous):
                pass  # "... from part\n(a) we get": a hard-wrapped back reference
            elif kind != "problem" or loose or _heading_like(line, style):
                out.append(
                    Marker(offset, kind, problem, labels, number, style, end, offset + length, more)
                )
        offset = end + 1
        previous = line
    return out


_TAIL = re.compile(
    r"[ \t]*+[(\[][ \t]*+((?:problem|question|exercise|part|q)[^()\[\]\n]{0,24})[)\]]"
    r"[ \t*_:#]*+$",
    re.I,
)
MAX_TAIL_LINE = 80


def _wrapped(previous: str) -> bool:
    """A line ending mid-sentence in a word that refers on ('from part'); a short title such
    as 'Context-free part' is not one."""
    return bool(_WRAPPED.search(previous)) and not _SHORT_TITLE.fullmatch(previous.strip())


# a few words with a capital first and no punctuation or figures: a title, not a wrapped line
_SHORT_TITLE = re.compile(r"[A-Z][A-Za-z'\-]*+(?: [A-Za-z'\-]++){0,4}")


def _tail_style(line: str) -> Style:
    """The decoration of a line whose label stands at its end."""
    prefix = LINE_PREFIX.match(line)
    assert prefix is not None
    indent, bullet, hashes, emph = prefix.group("indent", "bullet", "hashes", "emph")
    return (bool(indent), bool(bullet), (hashes or "").strip(), emph or "", "tail")


def _line_head(line: str) -> Head | None:
    """The label a line opens with, or names at its end; '[p] and [b] (1a)' names 1a, not a
    bare '[p]'."""
    # a reply's lines are read three times (its cuts, its problems, the request's own reading)
    return _cached_head(line) if len(line) <= MAX_CACHED_LINE else _read_head(line)


MAX_CACHED_LINE = 2_000  # longer lines are read again rather than kept


@functools.lru_cache(maxsize=4096)
def _cached_head(line: str) -> Head | None:
    return _read_head(line)


def forget_lines() -> None:
    """Drop the lines read so far: each alignment reads its own transcript from scratch (and
    a benchmark that aligns one transcript again measures it fairly)."""
    _cached_head.cache_clear()


def _read_head(line: str) -> Head | None:
    head = parse_head(line)
    if head is not None and (head[0] != "part" or head[1] is not None):
        return head
    tail = _tail_head(line) or (_run_in_head(line) if head is None else None)
    return tail if tail is not None and (head is None or tail[1] is not None) else head


def _tail_head(line: str) -> Head | None:
    """A heading that names its part at its end, 'Diffie–Hellman (Problem 3a)': the label of
    the whole line. Only a short line without a sentence's end, the label in brackets."""
    stripped = line.strip()
    if len(stripped) > MAX_TAIL_LINE or not stripped or stripped[-1] not in ")]*_:#":
        return None
    tail = _TAIL.search(line)
    if tail is None:
        return _bare_tail(line)
    if not line[: tail.start()].strip(" \t#*_-—–:"):
        return None
    head = parse_head(tail.group(1))
    # "(Problem 3a)", "(Q2)", and "[part 10]": a numbered part
    if (
        head is None
        or head[0] not in ("part", "problem", "item")
        or head[5] < len(tail.group(1).rstrip())
    ):
        return None
    kind, problem, labels, number, _, _, more = head
    return kind, problem, labels, number, _tail_style(line), len(line), more


# the words a reference back ends on ('as in equation (3):'), where a title does not
# ('Phoneme and rule (2b)' is a title: a noun such as 'rule' refers back only alone or after
# a word such as 'in', 'by', 'the')
_REFERRING = r"(?:eqn?|equations?|fig(?:ure)?s?|tables?|steps?|cases?|lines?|rules?)"
_NOT_A_TITLE = re.compile(
    rf"(?:(?:^|\b(?:see|from|in|of|using|by|to|with|like|than|per|on|at|the|this|that))"
    rf"[ \t#*_\-]*+{_REFERRING}|\b(?:see|from|in|of|using|by|and|or|to|with|like|than|that|is|"
    r"are))\.?[ \t]*+$",
    re.I,
)
MAX_BARE_TITLE = 60  # 'Distribution (2a)' alone on a line this short is a title
_SENTENCE_IN = re.compile(r"[.;=!?]|,[ \t]")
_SENTENCE_END = re.compile(r"[.;=!?]")
_LISTED = re.compile(r"[)\]][ \t]*+(?:,|&|/|and|or)[ \t]*+$", re.I)
_BARE_TAIL = re.compile(
    r"[ \t]++(?:[—–-][ \t]*+)?(?:[(\[](\w[\w().]{0,10}?)[)\]]|(\d{1,2}\(?[a-z]\)?(?:\([ivx]{1,4}\))?))"
    r"[ \t*_]*+(:?)[ \t*_]*+$"
)


def _bare_tail(line: str) -> Head | None:
    """'Travel time (2b):', '### Lens equation (1a)', '**Scaling — 2(b)**': a short title,
    then a label alone, then a colon, or the whole line a heading or bold."""
    tail = _BARE_TAIL.search(line)
    if tail is None or not line[: tail.start()].strip(" \t#*_-—–:"):
        return None
    stripped = line.strip()
    decorated = stripped.startswith("#") or (
        stripped[:2] in ("**", "__") and stripped.rstrip(":")[-2:] == stripped[:2]
    )
    short = (
        len(stripped) <= MAX_BARE_TITLE
        and not _SENTENCE_IN.search(line, 0, tail.start())
        and not line[: tail.start()].rstrip()[-1:].isdigit()  # "the result is 3 (b)"
    )
    # '▸ Chernoff, multiplicative form [P2.b]': a problem and its part in square brackets end
    # a title, commas and all
    square = line[tail.start() : tail.end()].lstrip(" \t—–-").startswith("[")
    named = square and not _SENTENCE_END.search(line, 0, tail.start())
    # "Travel time (2b):" is a title; "P = ρkT/μ ⇒ T ≈ ... Substituting (3):" a sentence
    titled = bool(tail.group(3)) and not _SENTENCE_END.search(line, 0, tail.start())
    if (
        not decorated
        and not named
        and (not (titled or short) or _NOT_A_TITLE.search(line, 0, tail.start()))
    ):
        return None  # 'v = 3 (b)' ends a sentence; 'as in equation (3):' refers back
    label = tail.group(1) or tail.group(2)
    if label.count("(") != label.count(")"):
        return None  # '(see (a))': a reference in brackets
    if _LISTED.search(line, 0, tail.start()):
        return _listed_tail(line)  # '**Strings — (4), (5)**'
    for text in (label, f"({label})"):
        head = parse_head(text)
        if (
            head is not None
            and head[0] in ("part", "item")
            and head[5] >= len(text)
            and not in_reply_only(head[4])
            and (decorated or not named or short or head[1] is not None)
        ):
            kind, problem, labels, number, _, _, more = head
            return kind, problem, labels, number, _tail_style(line), len(line), more
    return None


# 'Load factor (1). α = n/m …', '**PFR, 2(b).** A PFR is …', '*Flaps (a).* …': a title of a
# few words that names its part at its end, then a full stop or colon and the answer on the
# same line
_RUN_IN = re.compile(
    r"(?P<title>[A-Z][\w'’\-]*+(?:[ \t]++(?:vs\.|[\w'’\-]++)){0,7}?)(?:[ \t]*+[,—–][ \t]*+|[ \t]++)"
    r"(?:[(\[](?:(?:part|question)[ \t]++)?(?P<label>\w{1,4}(?:\)\(\w{1,4})?)[)\]]|(?P<full>\d{1,2}\([a-z]\)(?:\([ivx]{1,4}\))?))"
    r"(?P<bold>\*\*|__|\*|_)?[.:](?P<after>\*\*|__|\*|_)?(?=[ \t]|$)"
)
MAX_RUN_IN_TITLE = 40  # characters, and six words; in bold, a longer one
MAX_BOLD_RUN_IN = 60
_NAMES = re.compile(r"\b[A-Z]{2,}\b")  # 'Add AC (1). Components: ...': a step naming things
# a sentence's opening words rather than a title: 'See (b).', 'Same as (2).', 'Into (3):'
_NOT_RUN_IN = re.compile(
    r"(?:see|same[ \t]+as|as|like|cf|per|from|using|into|by|then|so|thus)\b", re.I
)


def _run_in_head(line: str) -> Head | None:
    """'Load factor (1). α = n/m = 0.75': a short title naming its part at its end, then a
    full stop or colon, with the answer after it on the same line (or none)."""
    prefix = LINE_PREFIX.match(line)
    assert prefix is not None
    found = _RUN_IN.match(line, prefix.end())
    if found is None:
        return None
    title, label, full = found.group("title", "label", "full")
    bold = prefix.group("emph") in ("**", "__") and bool(
        found.group("bold") or found.group("after")
    )
    if (
        len(title) > (MAX_BOLD_RUN_IN if bold else MAX_RUN_IN_TITLE)
        or (not bold and len(title.split()) > 6)
        or _NOT_RUN_IN.match(title)
        or _NOT_A_TITLE.search(title)
        or any(c.isdigit() for c in title)
        or (label is not None and label.isdigit() and _NAMES.search(title))
    ):
        return None
    text = full or f"({label})"
    head = parse_head(text)
    if head is None or head[0] not in ("part", "item") or head[5] < len(text):
        return None
    kind, problem, labels, number, _, _, more = head
    return kind, problem, labels, number, _tail_style(line), found.end(), more


_TAIL_LIST = re.compile(
    r"[ \t]++(?:[—–-][ \t]*+)?((?:[(\[]\w{1,4}[)\]][ \t]*+(?:,|&|/|and|or)?[ \t]*+){2,6})$", re.I
)
_TAIL_ATOM = re.compile(r"[(\[](\w{1,4})[)\]]")


def _listed_tail(line: str) -> Head | None:
    """'**Strings — (4), (5)**': a title naming several parts of one kind at its end; the
    first label, with the others as `more`."""
    stop = _TAIL_END.search(line)
    found = _TAIL_LIST.search(line, 0, stop.start() if stop else len(line))
    if found is None:
        return None
    atoms = _TAIL_ATOM.findall(found.group(1))
    heads = [h for h in (parse_head(f"({atom})") for atom in atoms) if h is not None]
    kinds = {h[0] for h in heads}
    if len(heads) != len(atoms) or len(kinds) != 1 or not kinds <= {"part", "item"}:
        return None
    kind, problem, labels, number, _, _, _ = heads[0]
    if kind == "item":
        more = tuple(str(h[3]) for h in heads[1:])
    else:
        more = tuple("/".join(h[2]) for h in heads[1:])
    return kind, problem, labels, number, _tail_style(line), len(line), more


_TAIL_END = re.compile(r"[ \t*_]*+:?[ \t*_]*+$")


def _heading_like(line: str, style: Style) -> bool:
    """A problem marker counts as a heading when decorated, short or ending with a colon."""
    _, _, hashes, emph, _ = style
    stripped = line.strip()
    return bool(hashes or emph) or len(stripped) <= 40 or stripped.endswith(":")


_INLINE_START = re.compile(
    r"(?<![\w\\$^_{}])(?=problem\b|question\b|part\b|q\d|\(\s*[a-z]\s*\)|\d+\s*\()", re.I
)
_OPERAND = re.compile(r"[=+−*/×·<>≤≥^][ \t]*+$")
_BACK_REF = re.compile(
    r"\b(?:from|in|of|using|like|see|than|with|to|on|after|before|earlier|above|previous)\s+$",
    re.I,
)


# "start from problem 3": where to begin, not a reference back
_START_FROM = re.compile(
    r"\b(?:start(?:ing)?|begin(?:ning)?)[ \t]++(?:with|from|at|in)[ \t]++$", re.I
)


def find_references(text: str) -> list[tuple[Marker, bool]]:
    """Labels mentioned anywhere in a message (`you missed part (c)`), with back-reference flags."""
    out: list[tuple[Marker, bool]] = []
    covered = 0
    for m in _INLINE_START.finditer(text):
        if m.start() < covered:
            continue
        if text[m.start()].isdigit() and _OPERAND.search(text, max(0, m.start() - 4), m.start()):
            continue  # "aψ_0 = 0 (c) ...": a number in an equation, then the label (c)
        line_end = text.find("\n", m.start())
        line_end = len(text) if line_end < 0 else line_end
        head = parse_head(text[m.start() : line_end], inline=True)
        if head is None:
            continue
        kind, problem, labels, number, style, length, more = head
        covered = m.start() + length
        if kind == "item":
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        back = bool(_BACK_REF.search(before)) and not _START_FROM.search(before)
        marker = Marker(m.start(), kind, problem, labels, number, style, line_end, covered, more)
        out.append((marker, back))
    return out

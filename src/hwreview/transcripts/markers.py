"""Find the part markers people and models write (`(a)`, `Part (b)`, `### 1(d)`, ...) in text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from hwreview.markdown import code_lines

# A marker's decoration and form: (indented, bulleted, hashes, emphasis, form)
Style = tuple[object, ...]
# What parse_head finds: (kind, problem, labels, number, style, end, more)
Head = tuple[str, str | None, tuple[str, ...], int, Style, int, tuple[str, ...]]

# Decoration before a marker: indentation, a bullet, quote or table cell, heading hashes,
# emphasis.
# Every run of spaces is possessive (`*+`): taken whole and never given back, so a marker
# padded with thousands of spaces fails in linear time (the runs sit between non-space parts).
_PREFIX = re.compile(
    r"(?P<indent>[ \t]*+)(?P<bullet>(?:[-*+•>|][ \t]++)?)(?P<hashes>#{1,6}[ \t]*+)?"
    r"(?P<emph>\*\*|__|\*|_|\\textbf\{)?[ \t]*+"
)
_LEAD_IN = re.compile(
    r"(?:for|in|answer(?:\s+to)?|re|solution(?:\s+to)?)\s+(?P<emph>\*\*|__)?"
    r"(?=(?:parts?|problems?|question)\b)",
    re.I,
)
# "Answer (1):", "Solution to 2(b):": a label after the word answer or solution
_ANSWER_LEAD = re.compile(
    r"(?:answer|ans\.?|solution|sol\.?)(?:[ \t]++(?:to|for))?[ \t]*+(?P<emph>\*\*|__)?(?=\(|\d)",
    re.I,
)
_PROBLEM_WORD = re.compile(
    r"(?:problem|question|exercise|task|prob\.?|ex\.?|q)(?P<plural>s)?[ \t]*+(?:no\.?|#)?[ \t]*+(\d+)",
    re.I,
)
_MORE_PROBLEMS = re.compile(
    r"[ \t]*+(?:(?P<range>[-–]|to|through)|,|&|and)[ \t]*+(?:,[ \t]*+)?(\d+)(?![\d(])", re.I
)
_PART_WORD = re.compile(r"parts?[ \t]*+(?=[(\w])", re.I)
# "(a) and (b)", "Parts a and b", "(a), (b) & (c)": one marker for several parts.
_MORE_JOIN = re.compile(
    r"(?:\*\*|__)?(?:[ \t]*+(?:,|&|\+|/|and)[ \t]*+(?:,[ \t]*+)?(?:and[ \t]++)?|"
    r"(?P<range>[ \t]*+(?:to|through)[ \t]++|[-–]|[ \t]*+[-–][ \t]*+(?=\()))",
    re.I,
)
_MORE_PAREN = re.compile(r"\([ \t]*+([a-z])[ \t]*+\)", re.I)
_MORE_BARE = re.compile(r"([a-z])(?:\)|\.)?(?![a-z0-9(])", re.I)
_PAREN_BEFORE = re.compile(r"\([ \t]*+[a-z][ \t]*+\)$", re.I)
_NUM_PAREN = re.compile(r"(\d+)[ \t]*+(?=\()")
# "For (a):" opening a line: that part's answer (inline, "for (c)" is read by the sentence)
_FOR_LEAD = re.compile(r"(?:and[ \t]++)?for[ \t]++(?P<emph>\*\*|__)?(?=\(|\d{1,2}\([a-z]\))", re.I)
_NUM_IN_PAREN = re.compile(r"[ \t]?\([ \t]*+(\d{1,2})[ \t]*+\)")
_PAREN_NUM_PAREN = re.compile(r"\((\d{1,2})\)[ \t]*+(?=\()")  # "(4)(A)"
_DOT_NUMBER = re.compile(r"\.(\d{1,2})(?=[ \t:.)]|\*\*|__|$)")
_ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8}
_ROMAN_DOTTED = re.compile(r"(I{1,3}|IV|VI{0,3})\.(\d{1,2})(?=[ \t:)]|\*\*|__|$)")
_NUM_DOTTED3 = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{1,2})(?=[ \t:)]|\*\*|__|$)")
_NUM_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})(?=[ \t:)]|\*\*|__|$)")  # "1.2": problem 1, part 2


def _decimal(line: str, m: re.Match[str]) -> bool:
    """'2.30 ms after ...', '0.5 is ...': a number in a sentence, not the label 1.2."""
    after = line[m.end() : m.end() + 3].lstrip()[:1]
    return m.group(1) == "0" or m.group(2)[0] == "0" or (len(m.group(2)) > 1 and after.islower())


_NUM_PAREN_NUM = re.compile(r"([1-9]\d?)\((\d{1,2})\)(?=[ \t:.,]|\*\*|__|$)")
_NUM_ATTACHED = re.compile(r"(\d+)[.\-]?([a-z])(?![a-z0-9])")
_NUM_DOT_UPPER = re.compile(r"(\d{1,2})\.([A-Z])(?![A-Za-z0-9])")
_NUM_THEN_ATOM = re.compile(
    r"(\d{1,2})[.)][ \t]*+(?:\(([a-z]|[ivx]{1,5}|\d{1,2})\)|([a-z]|[ivx]{1,5})\))(?=[ \t:.*_(]|$)"
)
_ATOM_COLON = re.compile(r"([a-z]|[ivx]{1,5}):(?=[ \t])")
_ATOM_SQUARE = re.compile(r"\[([a-wyz]|[iv]{1,4}|x[iv]{1,4})\](?![(\[])")
_PAREN_ATTACHED = re.compile(r"\((\d{1,2})[.\-]?([a-z])\)")
_ATOM_SUBDOT = re.compile(r"([a-z])(?=[.\-][ivx]{1,5}(?![a-z0-9]))")  # "c.ii", "c-ii"
_ATOM_PAREN = re.compile(r"\([ \t]*+([a-z]|[ivx]{1,5})[ \t]*+\)", re.I)
_ATOM_SUBBED = re.compile(r"([a-z])(?=\([ivx]{1,5}\))")
_PART_NUMBER = re.compile(r"(\d{1,2})(?=[\s:.)\-–—]|$)")
_ATOM_CLOSE = re.compile(r"([a-z]|[ivx]{1,5})\)", re.I)
_ATOM_DOT = re.compile(r"([a-z]|[ivx]{1,5})\.(?=\s|$|\*\*|__)", re.I)
_ATOM_WORD = re.compile(r"([a-z]|[ivx]{1,5})(?![a-z0-9])", re.I)
_SUB_DASH = re.compile(r"[-.]([ivx]{1,5})(?![a-z0-9])")
_SUB_CLOSE = re.compile(r"[ \t]?([ivx]{1,5})\)(?=[ \t:.]|$)")
_BETWEEN = re.compile(r"[ \t]*+[-–]?[ \t]*+(?=\()")
_ITEM = re.compile(
    r"(?:\((\d{1,2})\)|(\d{1,2})[.):])"
    r"(?=\s|:?(?:\*\*|__|\*|_)?:?(?:\s|$)|[ \t]*(?:[-–/&,+]|and\b)[ \t]*\()"
)
_BARE_NUMBER = re.compile(r"(\d{1,2})[.:)]?(?=\s|$|\*\*|__)")
_END_OK = re.compile(r"(?:\*\*|__|\*|_|\})?(?:$|[\s:.,;\-–—)\]=?!|}])")
_EQUALS = re.compile(r"[ \t]*+[=<>≈≤≥]")
_SEP = re.compile(r"[ \t]*+[,:.\-–—]?[ \t]*+")
_WRAPPED = re.compile(
    r"\b(?:part|parts|in|from|of|see|to|and|with|using|than|as|like|compare|by|on|"
    r"that|under)[ \t]*+$",
    re.I,
)


@dataclass(frozen=True)
class Marker:
    """A label found at the start of a line: a part, a problem heading or a numbered item."""

    pos: int
    kind: str  # "part", "problem" or "item"
    problem: str | None
    labels: tuple[str, ...]
    number: int
    style: Style
    line_end: int
    end: int = 0  # where the marker's own text ends
    more: tuple[str, ...] = ()  # further labels (or problems) joined on: "(a) and (b)"


def parse_head(line: str, inline: bool = False) -> Head | None:
    """Parse a marker at the start of `line`: (kind, problem, labels, number, style, end)."""
    prefix = _PREFIX.match(line)
    assert prefix is not None
    indent, bullet, hashes, emph = prefix.group("indent", "bullet", "hashes", "emph")
    if inline and (bullet or hashes or emph):
        return None
    pos = prefix.end()
    style: Style = (bool(indent), bool(bullet), (hashes or "").strip(), emph or "")
    if lead := (
        _LEAD_IN.match(line, pos)
        or _ANSWER_LEAD.match(line, pos)
        or (None if inline else _FOR_LEAD.match(line, pos))
    ):
        pos = lead.end()
        if lead.group("emph") and not emph:
            if inline:
                return None
            style = style[:3] + (lead.group("emph"),)
    problem: str | None = None
    labels: list[str] = []
    more: list[str] = []
    form = ""
    if m := _PROBLEM_WORD.match(line, pos):
        problem, pos, form = m.group(2), m.end(), "word"
        while m.group("plural") and (m3 := _MORE_PROBLEMS.match(line, pos)):
            low = int(more[-1] if more else problem) + 1
            span = range(low, int(m3.group(2))) if m3.group("range") else range(0)
            more += [str(n) for n in span] + [m3.group(2)]
            pos = m3.end()
        sep = _SEP.match(line, pos)
        if sep and (m2 := _PART_WORD.match(line, sep.end())):
            pos = m2.end()
            # "Question 1, Part A.": a letter after the word Part, in either case
            if not _ATOM_PAREN.match(line, pos) and (m3 := _ATOM_WORD.match(line, pos)):
                labels.append(m3.group(1).lower())
                pos = m3.end()
            elif m3 := _PART_NUMBER.match(line, pos):  # "Problem 1, part 10": numbered parts
                labels.append(str(int(m3.group(1))))
                pos = m3.end()
        elif sep and _ATOM_PAREN.match(line, sep.end()):
            pos = sep.end()
        elif m2 := _NUM_IN_PAREN.match(line, pos) or (
            _NUM_IN_PAREN.match(line, sep.end()) if sep and line[pos : sep.end()] == "." else None
        ):
            labels.append(str(int(m2.group(1))))  # "Problem 1(1)", "Question 1.(8)": part 1, 8
            pos = m2.end()
        elif (
            sep
            and sep.end() > pos
            and (m2 := _ATOM_CLOSE.match(line, sep.end()) or _ATOM_DOT.match(line, sep.end()))
            and m2.group(1).islower()
        ):
            labels.append(m2.group(1))  # "Q3 a)", "Problem 2: b."
            pos = m2.end()
        elif (m2 := _ATOM_WORD.match(line, pos)) and m2.group(1).islower():
            labels.append(m2.group(1))
            pos = m2.end()
        elif (
            sep
            and line[pos : sep.end()] in (".", "-")
            and (m2 := _ATOM_WORD.match(line, sep.end()))
            and m2.group(1).islower()
        ):
            labels.append(m2.group(1))  # "Q2.ii", "Problem 3-b"
            pos = m2.end()
        elif (m2 := _DOT_NUMBER.match(line, pos)) and not inline:
            labels.append(str(int(m2.group(1))))  # "Exercise 2.1": its first part
            pos = m2.end()
    elif m := _PART_WORD.match(line, pos):
        pos, form = m.end(), "part"
        if m2 := _NUM_PAREN.match(line, pos):
            problem, pos = m2.group(1), m2.end()
        elif m2 := _NUM_ATTACHED.match(line, pos):
            problem, pos = m2.group(1), m2.end()
            labels.append(m2.group(2))
        elif m2 := _PART_NUMBER.match(line, pos):
            return _finish(line, m2.end(), "item", None, (), int(m2.group(1)), style + ("part",))
        elif not _ATOM_PAREN.match(line, pos) and (m2 := _ATOM_WORD.match(line, pos)):
            labels.append(m2.group(1).lower())
            pos = m2.end()
            if m3 := _ITEM_WORD.match(line, pos):  # "Part C, item 2": sub-part (c)(ii)
                labels.append(_ROMANS[int(m3.group(1)) - 1])
                pos = m3.end()
    elif (m := _NUM_PAREN.match(line, pos) or _PAREN_NUM_PAREN.match(line, pos)) and (
        _ATOM_PAREN.match(line, m.end())
    ):
        problem, pos, form = m.group(1), m.end(), "num"
    elif (m := _NUM_ATTACHED.match(line, pos) or _PAREN_ATTACHED.match(line, pos)) and not inline:
        problem, pos, form = m.group(1), m.end(), "num"  # "2b", "(2b)"
        labels.append(m.group(2))
    elif (m := _NUM_DOT_UPPER.match(line, pos)) and not inline:
        problem, pos, form = m.group(1), m.end(), "num"  # "2.A", "3.B.ii": Section.Letter
        labels.append(m.group(2).lower())
    elif (m := _NUM_PAREN_NUM.match(line, pos)) and not inline:
        problem, pos, form = m.group(1), m.end(), "num"
        labels.append(str(int(m.group(2))))  # "1(3)": problem 1, numbered part 3
    elif (m := _NUM_DOTTED3.match(line, pos)) and not inline:
        problem, pos, form = m.group(1), m.end(), "num"  # "2.3.1": problem 2, part 3, its first
        labels += [str(int(m.group(2))), str(int(m.group(3)))]
    elif (m := _NUM_DOTTED.match(line, pos)) and not inline and not _decimal(line, m):
        problem, pos, form = m.group(1), m.end(), "num"
        labels.append(str(int(m.group(2))))
    elif (m := _ROMAN_DOTTED.match(line, pos)) and not inline:
        problem, pos, form = str(_ROMAN_VALUES[m.group(1)]), m.end(), "num"
        labels.append(str(int(m.group(2))))  # "II.3": problem 2 (numbered in capitals), part 3
    elif (m := _NUM_THEN_ATOM.match(line, pos)) and not inline:
        problem, pos, form = m.group(1), m.end(), "num"  # "1. (a)", "1) a)", "2.(b)", "1. (3)"
        atom = m.group(2) or m.group(3)
        labels.append(str(int(atom)) if atom.isdigit() else atom)
    if not labels:
        m = _ATOM_PAREN.match(line, pos)
        if m:
            form = form or "paren"
        elif not form and not inline:
            m = _ATOM_SUBBED.match(line, pos)
            if m:
                form = "paren"
            elif m := _ATOM_SUBDOT.match(line, pos):
                form = "dot"
            elif (m := _ATOM_CLOSE.match(line, pos)) and _atom_case(m.group(1)):
                form = "close"
            elif (m := _ATOM_DOT.match(line, pos)) and _atom_case(m.group(1)):
                form = "dot"
            elif m := _ATOM_COLON.match(line, pos) or _ATOM_SQUARE.match(line, pos):
                form = "close"  # "a: ...", "[b] ..."
            else:
                m = None
        if m is not None:
            labels.append(m.group(1).lower())
            pos = m.end()
    # further atoms: (c)(ii), c(i), 2c-ii
    while True:
        if (
            labels
            and (m := _BETWEEN.match(line, pos))
            and (a := _ATOM_PAREN.match(line, m.end()))
            and re.fullmatch(r"[ivx]+", a.group(1), re.I)
            and not (len(labels) >= 2 and m.group(0).strip())  # "(c)(i)-(iii)": a range
        ):
            labels.append(a.group(1).lower())
            pos = a.end()
        elif len(labels) == 1 and (m := _SUB_DASH.match(line, pos)):
            labels.append(m.group(1).lower())
            pos = m.end()
        elif len(labels) == 1 and line[pos - 1 : pos] == ")" and (m := _SUB_CLOSE.match(line, pos)):
            labels.append(m.group(1))  # "c)i)", "Q2 c) ii)"
            pos = m.end()
        else:
            break
    style = style + (form,)
    if len(labels) == 1:
        pos = _more_labels(line, pos, labels[0], more)
    elif len(labels) == 2:
        pos = _more_subs(line, pos, labels, more)
    if labels:
        return _finish(line, pos, "part", problem, tuple(labels), 0, style, more)
    if problem is not None:
        return _finish(line, pos, "problem", problem, (), 0, style, more)
    if inline:
        return None
    if (hashes or emph) and (m := _BARE_NUMBER.match(line, pos)):
        return _finish(line, m.end(), "problem", m.group(1), (), 0, style[:4] + ("number",))
    if m := _ITEM.match(line, pos):
        number = int(m.group(1) or m.group(2))
        end, numbers = _more_numbers(line, m.end(), number)
        return _finish(line, end, "item", None, (), number, style[:4] + ("item",), numbers)
    return None


def _finish(
    line: str,
    pos: int,
    kind: str,
    problem: str | None,
    labels: tuple[str, ...],
    number: int,
    style: Style,
    more: Iterable[str] = (),
) -> Head | None:
    if not _END_OK.match(line, pos) or _EQUALS.match(line, pos):
        return None  # "Q1 = 3" is a quartile, "(2) = 5" an equation: not labels
    return kind, problem, labels, number, style, pos, tuple(more)


def _more_labels(line: str, pos: int, first: str, more: list[str]) -> int:
    """Extend a one-letter label over a chain such as `(a) and (b)`, collecting the letters."""
    last = first
    atoms = _MORE_PAREN if _PAREN_BEFORE.search(line, 0, pos) else _MORE_BARE
    while (join := _MORE_JOIN.match(line, pos)) and join.end() > pos:
        atom = atoms.match(line, join.end())
        if atom is None or line.startswith("(", atom.end()):
            break  # "(b) and (c)(i)": the sub-part is a label of its own
        letter = atom.group(1).lower()
        if letter <= last:
            break
        if join.group("range"):
            more += [chr(c) for c in range(ord(last) + 1, ord(letter))]
        more.append(letter)
        last, pos = letter, atom.end()
    return pos


_ITEM_WORD = re.compile(r"[ \t]*+,?[ \t]*+(?:item|sub-?part)[ \t]+([1-9])\b", re.I)
_UNITS = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
_ROMANS = tuple(tens + unit for tens in ("", "x", "xx", "xxx") for unit in _UNITS)[1:]  # 1..39


def _more_subs(line: str, pos: int, labels: list[str], more: list[str]) -> int:
    """Extend a sub-part label over `(c)(i) and (ii)` or `(c)(i)-(iii)`: further sub-parts of
    the same parent, collected as 'c/ii'."""
    parent, last = labels
    while (join := _MORE_JOIN.match(line, pos)) and join.end() > pos:
        atom = _MORE_PAREN_ROMAN.match(line, join.end())
        if atom is None or last not in _ROMANS or atom.group(1).lower() not in _ROMANS:
            break
        low, high = _ROMANS.index(last), _ROMANS.index(atom.group(1).lower())
        if high <= low:
            break
        span = _ROMANS[low + 1 : high + 1] if join.group("range") else [_ROMANS[high]]
        more += [f"{parent}/{r}" for r in span]
        last, pos = _ROMANS[high], atom.end()
    return pos


_MORE_PAREN_ROMAN = re.compile(r"\([ \t]*+([ivx]{1,5})[ \t]*+\)", re.I)
_MORE_NUMBER = re.compile(r"\((\d{1,2})\)")


def _more_numbers(line: str, pos: int, first: int) -> tuple[int, tuple[str, ...]]:
    """Extend a parenthesised number over a chain such as `(1)-(3)` or `(4) and (5)`."""
    numbers: list[str] = []
    last = first
    while (join := _MORE_JOIN.match(line, pos)) and join.end() > pos:
        atom = _MORE_NUMBER.match(line, join.end())
        if atom is None or int(atom.group(1)) <= last:
            break
        number = int(atom.group(1))
        if join.group("range"):
            numbers += [str(n) for n in range(last + 1, number)]
        numbers.append(str(number))
        last, pos = number, atom.end()
    return pos, tuple(numbers)


def _atom_case(atom: str) -> bool:
    """A lower-case label, or an upper-case letter or roman numeral ('A)', 'II.'); not 'I'."""
    return atom.islower() or (atom != "I" and (len(atom) == 1 or atom.isupper()))


def find_markers(text: str, loose: bool = False) -> list[Marker]:
    """Every marker at the start of a line, outside code fences; `loose` keeps every problem."""
    out: list[Marker] = []
    offset = 0
    previous = ""
    for line, in_fence in zip(text.split("\n"), code_lines(text), strict=True):
        end = offset + len(line)
        if not in_fence and (head := _line_head(line)):
            kind, problem, labels, number, style, length, more = head
            if not loose and not any(style[:4]) and _wrapped(previous):
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
    prefix = _PREFIX.match(line)
    assert prefix is not None
    indent, bullet, hashes, emph = prefix.group("indent", "bullet", "hashes", "emph")
    return (bool(indent), bool(bullet), (hashes or "").strip(), emph or "", "tail")


def _line_head(line: str) -> Head | None:
    """The label a line opens with, or names at its end; '[p] and [b] (1a)' names 1a, not a
    bare '[p]'."""
    head = parse_head(line)
    if head is not None and (head[0] != "part" or head[1] is not None):
        return head
    tail = _tail_head(line)
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
    if head is None or head[0] not in ("part", "problem") or head[5] < len(tail.group(1).rstrip()):
        return None
    kind, problem, labels, number, _, _, more = head
    return kind, problem, labels, number, _tail_style(line), len(line), more


# a title ending in a bare label and a colon: 'Travel time (2b):', 'Design risk (10):'
_NOT_A_TITLE = re.compile(
    r"\b(?:eqn?|equations?|fig(?:ure)?s?|tables?|steps?|cases?|lines?|rules?|see|from|in|of|"
    r"using|by|and|or|to|with|like|than|that|is|are)\.?[ \t]*+$",
    re.I,
)
MAX_BARE_TITLE = 60  # 'Distribution (2a)' alone on a line this short is a title
_SENTENCE_IN = re.compile(r"[.;=!?]|,[ \t]")
_LISTED = re.compile(r"[)\]][ \t]*+(?:,|&|/|and|or)[ \t]*+$", re.I)
_BARE_TAIL = re.compile(
    r"[ \t]++(?:[—–-][ \t]*+)?(?:[(\[](\w[\w()]{0,10}?)[)\]]|(\d{1,2}\(?[a-z]\)?(?:\([ivx]{1,4}\))?))"
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
    if not decorated and (
        not (tail.group(3) or short) or _NOT_A_TITLE.search(line, 0, tail.start())
    ):
        return None  # 'v = 3 (b)' ends a sentence; 'as in equation (3):' refers back
    label = tail.group(1) or tail.group(2)
    if label.count("(") != label.count(")"):
        return None  # '(see (a))': a reference in brackets
    if _LISTED.search(line, 0, tail.start()):
        return _listed_tail(line)  # '**Strings — (4), (5)**'
    for text in (label, f"({label})"):
        head = parse_head(text)
        if head is not None and head[0] in ("part", "item") and head[5] >= len(text):
            kind, problem, labels, number, _, _, more = head
            return kind, problem, labels, number, _tail_style(line), len(line), more
    return None


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

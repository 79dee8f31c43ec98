"""Find the part markers people and models write (`(a)`, `Part (b)`, `### 1(d)`, ...) in text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A marker's decoration and form: (indented, bulleted, hashes, emphasis, form)
Style = tuple[object, ...]
# What parse_head finds: (kind, problem, labels, number, style, end, more)
Head = tuple[str, str | None, tuple[str, ...], int, Style, int, tuple[str, ...]]

# Decoration before a marker: indentation, a bullet, quote or table cell, heading hashes,
# emphasis.
# Every run of spaces is possessive (`*+`): taken whole and never given back, so a marker
# padded with thousands of spaces fails in linear time (the runs sit between non-space parts).
LINE_PREFIX = re.compile(
    r"(?P<indent>[ \t]*+)(?P<bullet>(?:[-*+•▸►▪◦>|][ \t]++)?)(?P<hashes>#{1,6}[ \t]*+)?"
    # LaTeX source: "\textbf{(a)}", "\section*{Problem 3}", "\paragraph{(a)}", "\item[(c)]"
    r"(?P<emph>\*\*|__|\*|_|\\textbf\{|\\(?:(?:sub){0,2}section|(?:sub)?paragraph)\*?\{|"
    r"\\item\[)?[ \t]*+"
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
    r"(?:problem|question|exercise|task|prob\.?|pb\.?|ex\.?|q|§[ \t]*+(?=\d)|"
    r"(?-i:P)(?=\d{1,2}(?:[.·-]?[a-z]|[.·-][A-Z]|\(|[ \t]*+[›·][ \t]*+[a-z])))"
    r"(?P<plural>s)?[ \t]*+"  # 'P3a', 'P1.a', 'P1·e', 'P1-A', 'P2(b)': not a bare 'P3' (a process)
    r"(?:no\.?|#)?[ \t]*+(\d+)",
    re.I,
)
_MORE_PROBLEMS = re.compile(
    r"[ \t]*+(?:(?P<range>[-–]|to|through)|,|&|and)[ \t]*+(?:,[ \t]*+)?(\d+)(?![\d(])", re.I
)
# "Item 3." as "Part 3."; "Question (3):" and "Q (1):" too, where a number in brackets follows
_PART_WORD = re.compile(r"(?:parts?|items?|(?:question|q)(?=[ \t]*+\(\d))[ \t]*+(?=[(\w])", re.I)
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
_DOT_NUMBER = re.compile(r"[.·](\d{1,2})(?=[ \t:.)]|\*\*|__|$)")  # "Q1.1", "Q1·1"
_ROMAN_DOTTED = re.compile(
    r"(I{1,3}|IV|VI{0,3})\.(\d{1,2})(?:\.(\d{1,2}|[a-h]))?(?=[ \t:)]|\*\*|__|$)"
)
# the model's own compound tags, a title after them: "I.c  The Dickey-Fuller regression",
# "II.iv — first return", "I-3 · Take-off velocity" (problem in roman capitals), "1·ii — Gaussian
# curvature", "T1·a — transform" (a middle dot between problem and part)
_TITLE_AFTER = r"(?=(?:\*\*|__)?(?:[ \t]*+[·—–:|]|[ \t]++-[ \t]|[ \t]++[A-Z(]|[ \t]*+$))"
_ROMAN_COMPOUND = re.compile(
    r"(I{1,3}|IV|VI{0,3}|IX|X)(?:[.\-·]([a-h]|[ivx]{1,5}|[1-9]\d?|[A-H])"
    r"(?:\.(?P<sub>[1-9]|[ivx]{1,5}))?(?![\w.])|"  # "II.C.1 —": (c)(i)
    r"\((?P<paren>[a-h]|[ivx]{1,5}|[1-9]\d?)\))" + _TITLE_AFTER  # "II(b) Title" too
)
_MIDDOT_COMPOUND = re.compile(
    r"(?-i:[TP])?([1-9]\d?)·([a-h]|[ivx]{1,5}|[1-9]\d?)(?![\w.])" + _TITLE_AFTER
)
_NUM_DOTTED3 = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{1,2}|[a-h])(?=[ \t:)]|\*\*|__|$)")
_NUM_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})(?=[ \t:)]|\*\*|__|$)")  # "1.2": problem 1, part 2


def _ordinal(atom: str) -> str:
    """A third-level atom of a dotted label as a number: '2' stays, 'a' is '1', 'c' is '3'."""
    return str(int(atom)) if atom.isdigit() else str(ord(atom) - ord("a") + 1)


def _sub_part(atom: str) -> str:
    """A sub-part under a lettered part as the key writes it: '2' is 'ii', 'ii' stays."""
    return _ROMANS[int(atom) - 1] if atom.isdigit() else atom


def _decimal(line: str, m: re.Match[str]) -> bool:
    """'2.30 ms after ...', '0.5 is ...': a number in a sentence, not the label 1.2."""
    after = line[m.end() : m.end() + 3].lstrip()[:1]
    return (
        m.group(1) == "0"
        or m.group(2)[0] == "0"
        or (len(m.group(2)) > 1 and (after.islower() or after in _OPERATOR))  # '1.15 × 6.0'
    )


_OPERATOR = set("×=+−/÷^<>≈≤≥%")  # not "·" or "*": "1.10 · Title", "1.10 **Title**"


_NUM_PAREN_NUM = re.compile(r"([1-9]\d?)\((\d{1,2})\)(?=[ \t:.,]|\*\*|__|$)")
_NUM_ATTACHED = re.compile(r"(\d+)[.\-]?([a-z])(?![a-z0-9])")
_NUM_DOT_ROMAN = re.compile(r"(\d{1,2})[.\-]([ivx]{2,5})(?![a-z0-9])")  # "1.ii", "1.xi"
_CAPITAL = re.compile(r"[A-HJ-Z]")  # a capital part letter: not "I", a roman numeral
_NUM_CAPITAL = re.compile(r"(\d+)([A-HJ-Z])(?![A-Za-z0-9])")  # "Part 2A", "Q2B": not "2I"
# "2A — Why dB(A)", "**2B:** ...": a capital part letter after its problem, then a dash or a
# colon (not "3D printing", "2D array")
# "2A — Why dB(A)", "1-A ▪ Error probability": a problem and its part in capitals, a title after
_NUM_CAPITAL_TITLE = re.compile(r"([1-9]\d?)-?([A-H])(?=(?:\*\*|__)?[ \t]*+(?:[—–:.▪•|]|-[ \t]))")
# "[P1-c.i] Semantic priming", "[2-b] ...": a tag in square brackets naming problem and part
_BRACKET_TAG = re.compile(  # ... and "[1.7] Four-point condition": problem 1, numbered part 7
    r"\[(?:P|Q)?([1-9]\d?)(?:[-.·]?([a-h])(?:[.\-]([ivx]{1,4}))?|[-.·]([1-9]\d?))\]"
    r"(?=[ \t*_]|$)"
)
# "§2.A.1 ·", "Q2.B.2": a sub-part counted after a part letter, (a)(i) and (b)(ii)
_SUB_NUMBER = re.compile(r"[.\-]([1-9])(?=[ \t·—–:)]|\*\*|__|$)")
# "[3/10] Slope past cutoff": the third of ten numbered items
_COUNT_TAG = re.compile(r"\[([1-9]\d?)/([1-9]\d?)\](?=[ \t]++\S)")
_NUM_DOT_UPPER = re.compile(r"(\d{1,2})\.([A-Z])(?![A-Za-z0-9])")
_NUM_THEN_ATOM = re.compile(
    r"(\d{1,2})[.)][ \t]*+(?:\(([a-z]|[ivx]{1,5}|\d{1,2})\)|([a-z]|[ivx]{1,5})\))(?=[ \t:.*_(]|$)"
)
_ATOM_COLON = re.compile(r"([a-z]|[ivx]{1,5}):(?=[ \t])")
# '[b]', '[ii]'; not a phone such as '[s]' or '[t]' (a part lettered beyond h is rare)
_ATOM_SQUARE = re.compile(r"\[([a-h]|[iv]{1,4}|x[iv]{1,4})\](?![(\[])")
_PAREN_ATTACHED = re.compile(r"[(\[](\d{1,2})[.\-]?([a-z])[)\]]")  # "(2b)", "[2b]"
_ATOM_SUBDOT = re.compile(r"([a-z])(?=[.\-][ivx]{1,5}(?![a-z0-9]))")  # "c.ii", "c-ii"
_ATOM_PAREN = re.compile(r"\([ \t]*+([a-z]|[ivx]{1,5})[ \t]*+\)", re.I)
_ATOM_SUBBED = re.compile(r"([a-z])(?=\([ivx]{1,5}\))")
_PART_NUMBER = re.compile(r"(\d{1,2})(?=[\s:.,)\-–—]|$)")
_ATOM_CLOSE = re.compile(r"([a-z]|[ivx]{1,5})\)", re.I)
_ATOM_DOT = re.compile(r"([a-z]|[ivx]{1,5})\.(?=\s|$|\*|_)", re.I)  # "b.", "**b.**", "*ii.*"
_ATOM_WORD = re.compile(r"([a-z]|[ivx]{1,5})(?![a-z0-9])", re.I)
# "c-ii", "b › ii", "C·i", "c · i"
_SUB_DASH = re.compile(r"(?:[-.·]|[ \t]*+[›·][ \t]*+)([ivx]{1,5})(?![a-z0-9])")
# a part letter with only a title or a sub-part after it: "a — eutectic", "c · i —"
_TITLED_ATOM = re.compile(r"(?:[a-z]|[ivx]{1,5})(?:\*\*|__)?[ \t]*+(?:[—–:·|]|-[ \t]|$)", re.I)
_SUB_CLOSE = re.compile(r"[ \t]?([ivx]{1,5})\)(?=[ \t:.]|$)")
_BETWEEN = re.compile(r"[ \t]*+[-–]?[ \t]*+(?=\()")
_ITEM = re.compile(
    r"(?:\((\d{1,2})\)|(\d{1,2})[.):])"
    r"(?=\s|:?(?:\*\*|__|\*|_)?:?(?:\s|$)|[ \t]*(?:[-–/&,+]|and\b)[ \t]*\(|(?<=\)),[ \t])"
)
_STEP = re.compile(r"step[ \t]++([1-9]\d?)[ \t]*+[:.)]", re.I)
_SECTION_ITEM = re.compile(r"([A-Z])([1-9]\d?)(?:[.:)]|(?=[ \t]++[·—–|:-][ \t]))")
# "A.iv — Shrinkage", "B.2 — Energy", "C-4 · Mentzer": a section letter (not a roman I, V, X),
# a dot or a dash, then the part's number in figures or roman numerals, then a dash
_SECTION_DOTTED = re.compile(
    r"([A-HJ-UWYZ])[.\-]([1-9]\d?|[ivx]{1,5})"
    r"(?=(?:\*\*|__)?[ \t]++(?:[·—–|:-][ \t]|[A-Z][a-z]++[ \t,]))"  # "A.1 Trapezoid, two panels"
)
_BARE_NUMBER = re.compile(r"(\d{1,2})[.:)]?(?=\s|$|\*\*|__)")
# a number, then a word in lower case: a count ('5 misses'), not a label ('1 b)', '3 ii)')
_COUNTED = re.compile(r"[ \t]++(?![ivx]{1,5}[).])[a-z]{2,}")
_END_OK = re.compile(r"(?:\*\*|__|\*|_|\})?(?:$|[\s:.,;\-–—)\]=?!|}])")
_EQUALS = re.compile(r"[ \t]*+[=<>≈≤≥]")
_SEP = re.compile(r"[ \t]*+[,:.\-–—·›>]?[ \t]*+")  # "P1 › a", "Q2 > b"


def in_reply_only(style: Style) -> bool:
    """A line the model writes to order its own reply ('A1. Basal area.', 'Step 3:'): it cuts
    a reply but is no part label in a request, a title's tail or a pasted question."""
    return style[-1:] in (("section",), ("step",))


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


# a heading of the model's own that ends naming the one problem its answers belong to
_GROUP_OF_PROBLEM = re.compile(
    r"\((?:problem|question|exercise)[ \t]*+(\d{1,3})\)[ \t*_:]*+$", re.I
)
_MAX_TITLE_LINE = 120


def parse_head(line: str, inline: bool = False) -> Head | None:
    """Parse a marker at the start of `line`: (kind, problem, labels, number, style, end)."""
    prefix = LINE_PREFIX.match(line)
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
        elif (m2 := _ATOM_WORD.match(line, pos)) and (
            m2.group(1).islower() or _NUM_CAPITAL.match(line, m.start(2))
        ):
            labels.append(m2.group(1).lower())  # "Q3b", "Problem 2A"
            pos = m2.end()
        elif (
            sep
            and (
                line[pos : sep.end()] in (".", "-", "·")
                or line[pos : sep.end()].strip() in ("›", ">")  # "P1 › a", "Q2 > b"
                or (  # "P2 · a — eutectic", not "Q1 · A dry slope"
                    line[pos : sep.end()].strip() == "·"
                    and bool(_TITLED_ATOM.match(line, sep.end()))
                )
            )
            and (m2 := _ATOM_WORD.match(line, sep.end()))
            and (m2.group(1).islower() or _CAPITAL.fullmatch(m2.group(1)))
        ):
            labels.append(m2.group(1).lower())  # "Q2.ii", "Problem 3-b", "Q2.A"
            pos = m2.end()
        elif (m2 := _DOT_NUMBER.match(line, pos)) and not inline:
            labels.append(str(int(m2.group(1))))  # "Exercise 2.1": its first part
            pos = m2.end()
    elif m := _PART_WORD.match(line, pos):
        pos, form = m.end(), "part"
        if (
            not inline
            and (group := _GROUP_OF_PROBLEM.search(line[:_MAX_TITLE_LINE]))
            and (head := _PART_NUMBER.match(line, pos) or _ATOM_WORD.match(line, pos))
        ):
            # "Part 2: The spring model (Problem 1)": the model's group of problem 1's answers
            return _finish(line, head.end(), "problem", group.group(1), (), 0, style + ("part",))
        if m2 := _NUM_PAREN.match(line, pos):
            problem, pos = m2.group(1), m2.end()
        elif m2 := _NUM_ATTACHED.match(line, pos) or _NUM_CAPITAL.match(line, pos):
            problem, pos = m2.group(1), m2.end()
            labels.append(m2.group(2).lower())
        elif m2 := _PART_NUMBER.match(line, pos) or _MORE_NUMBER.match(line, pos):
            # "Part 3", "**Part (3).**": the third numbered part
            return _finish(line, m2.end(), "item", None, (), int(m2.group(1)), style + ("part",))
        elif not _ATOM_PAREN.match(line, pos) and (m2 := _ATOM_WORD.match(line, pos)):
            labels.append(m2.group(1).lower())
            pos = m2.end()
            if m3 := _ITEM_WORD.match(line, pos):  # "Part C, item 2": sub-part (c)(ii)
                labels.append(_sub_part(m3.group(1)))
                pos = m3.end()
    elif (m := _NUM_PAREN.match(line, pos) or _PAREN_NUM_PAREN.match(line, pos)) and (
        _ATOM_PAREN.match(line, m.end())
    ):
        problem, pos, form = m.group(1), m.end(), "num"
    elif (m := _NUM_ATTACHED.match(line, pos) or _PAREN_ATTACHED.match(line, pos)) and not inline:
        problem, pos, form = m.group(1), m.end(), "num"  # "2b", "(2b)"
        labels.append(m.group(2))
    elif (
        (m := _NUM_DOT_ROMAN.match(line, pos)) and not inline and m.group(2) in _ROMANS
    ):  # "1.ii — The octave": a roman numeral after the problem, as "1.i" is a letter
        problem, pos, form = m.group(1), m.end(), "num"
        labels.append(m.group(2))
    elif (m := _NUM_CAPITAL_TITLE.match(line, pos)) and not inline:
        problem, pos, form = m.group(1), m.end(), "num"  # "2A — Why dB(A)", "1-A ▪ ..."
        labels.append(m.group(2).lower())
    elif (m := _BRACKET_TAG.match(line, pos)) and not inline:
        problem, pos, form = m.group(1), m.end(), "tag"
        if m.group(4):
            labels.append(str(int(m.group(4))))
        else:
            labels += [m.group(2), *([m.group(3)] if m.group(3) else [])]
    elif (m := _NUM_DOT_UPPER.match(line, pos)) and not inline:
        problem, pos, form = m.group(1), m.end(), "num"  # "2.A", "3.B.ii": Section.Letter
        labels.append(m.group(2).lower())
    elif (m := _NUM_PAREN_NUM.match(line, pos)) and not inline:
        problem, pos, form = m.group(1), m.end(), "num"
        labels.append(str(int(m.group(2))))  # "1(3)": problem 1, numbered part 3
    elif (m := _NUM_DOTTED3.match(line, pos)) and not inline:
        problem, pos, form = m.group(1), m.end(), "num"  # "2.3.1": problem 2, part 3, its first
        labels += [str(int(m.group(2))), _ordinal(m.group(3))]  # "2.3.a" the same
    elif (m := _NUM_DOTTED.match(line, pos)) and not inline and not _decimal(line, m):
        problem, pos, form = m.group(1), m.end(), "num"
        labels.append(str(int(m.group(2))))
    elif (m := _ROMAN_DOTTED.match(line, pos)) and not inline:
        problem, pos, form = str(_ROMANS.index(m.group(1).lower()) + 1), m.end(), "num"
        labels.append(str(int(m.group(2))))  # "II.3": problem 2 (numbered in capitals), part 3
        if m.group(3):
            labels.append(_ordinal(m.group(3)))  # "II.3.a": its first sub-part
    elif (m := _ROMAN_COMPOUND.match(line, pos) or _MIDDOT_COMPOUND.match(line, pos)) and (
        not inline
    ):
        number = m.group(1)
        problem = number if number.isdigit() else str(_ROMANS.index(number.lower()) + 1)
        pos, form = m.end(), "tag"
        atom = m.group(2) or m.group("paren")
        labels.append(str(int(atom)) if atom.isdigit() else atom.lower())  # "II.C —": (c)
        if (sub := m.groupdict().get("sub")) and atom.isalpha():
            labels.append(_sub_part(sub))
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
        elif (
            len(labels) == 1
            and labels[0].isalpha()
            and problem is not None
            and (m := _SUB_NUMBER.match(line, pos))
        ):
            labels.append(_sub_part(m.group(1)))  # "§2.A.1": (a)(i)
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
    if (
        not bullet.startswith("|")
        and (m := _SECTION_DOTTED.match(line, pos))
        and (m.group(2).isdigit() or m.group(2) in _ROMANS)
    ):
        number = int(m.group(2)) if m.group(2).isdigit() else _ROMANS.index(m.group(2)) + 1
        return _finish(
            line, m.end(), "item", None, (m.group(1).lower(),), number, style[:4] + ("section",)
        )
    if not bullet.startswith("|") and (m := _SECTION_ITEM.match(line, pos)):
        # "A1. Basal area.", "T3 · Merchandise": the model's own sections, lettered and numbered
        # (in a table, "| P1 |" names a row)
        letter = (m.group(1).lower(),)
        return _finish(
            line, m.end(), "item", None, letter, int(m.group(2)), style[:4] + ("section",)
        )
    if (m := _COUNT_TAG.match(line, pos)) and int(m.group(1)) <= int(m.group(2)):
        # "[3/10] Slope past cutoff": the third numbered part
        return _finish(line, m.end(), "item", None, (), int(m.group(1)), style[:4] + ("item",))
    if m := _STEP.match(line, pos):
        # "Step 3: Plane strain stress": a step, or the third of as many parts asked
        return _finish(line, m.end(), "item", None, (), int(m.group(1)), style[:4] + ("step",))
    if (
        (hashes or emph)
        and (m := _BARE_NUMBER.match(line, pos))
        and not _COUNTED.match(line, m.end())  # '**5 misses, 1 hit.**' counts, names nothing
    ):
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
    the same parent, collected as 'c/ii' (or of a later one: `(b)(ii) and (c)(i)`, 'c/i')."""
    parent, last = labels
    while (join := _MORE_JOIN.match(line, pos)) and join.end() > pos:
        pair = _MORE_PAREN_PAIR.match(line, join.end())
        if (
            pair is not None
            and not join.group("range")
            and pair.group(1).lower() > parent
            and pair.group(2).lower() in _ROMANS
        ):  # "(b)(ii) and (c)(i)": a sub-part of a later part, answered together
            parent, last = pair.group(1).lower(), pair.group(2).lower()
            more.append(f"{parent}/{last}")
            pos = pair.end()
            continue
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
_MORE_PAREN_PAIR = re.compile(r"\(([a-h])\)[ \t]*+\(([ivx]{1,5})\)", re.I)
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

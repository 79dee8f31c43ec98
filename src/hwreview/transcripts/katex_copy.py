"""Undo what copying KaTeX math puts on the clipboard: each formula twice, or three times.

Chrome copies a KaTeX formula as its hidden MathML text followed by the rendered glyphs
(`ΔW=ABΔW=AB`); older pages add the TeX source in between (`M=ABM = ABM=AB`). Only text that
shows the doubling on a whole line of display math is touched, so prose that merely contains a
repeated word is left alone.
"""

from __future__ import annotations

import re

MATH = set("=≤≥≈≠<>×⋅·∑∏∫∂∇⊤⋆′″²³⁰¹⁴⁵⁶⁷⁸⁹∥−±→←∈∉⊂⊆∪∩≪≫√∞∝∼≡^_")
GREEK = re.compile(r"[\u0391-\u03c9]")
MAX_LINE = 400  # display formulas are shorter; longer lines are prose
# KaTeX puts zero-width spaces in its rendered glyphs (under fractions and scripts) that the
# MathML copy lacks, so the two copies differ until they are taken out; they show nothing
# (nor the invisible function application and times, U+2061 to U+2064, that its MathML copy puts
# after 'ln', 'erf', 'gcd' and between factors)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"))
NUMBERING = frozenset(
    [
        "part",
        "problem",
        "section",
        "chapter",
        "phase",
        "type",
        "class",
        "stage",
        "level",
        "act",
        "article",
        "book",
        "volume",
        "vol",
        "question",
        "step",
        "unit",
        "group",
        "sheet",
        "block",
        "world",
        "war",
        "appendix",
        "table",
        "figure",
        "exercise",
    ]
)
_ROMAN = re.compile(r"[IVXLC]{2,6}")
_EDGE = re.compile(r"^([(\[]*)(.*?)([.,;:)\]]*)$", re.S)


def _mathy(text: str) -> bool:
    return any(c in MATH for c in text) or GREEK.search(text) is not None


def _halves(text: str) -> str | None:
    """X for a text that is exactly X+X, else None."""
    size = len(text)
    if size < 2 or size % 2:
        return None
    half = text[: size // 2]
    return half if text[size // 2 :] == half else None


def _display_line(line: str) -> str | None:
    """A whole line of doubled (or TeX-in-the-middle) display math, undone; None otherwise."""
    text = line.strip()
    if len(text) > MAX_LINE or not _mathy(text):
        return None
    half = _halves(text)
    if half is not None and len(half) >= 2:
        return half
    for size in range(len(text) // 2 - 1, 1, -1):
        head = text[:size]
        if text.endswith(head) and _mathy(head):
            middle = text[size:-size].strip()
            if "\\" in middle or "^" in middle or "_" in middle:
                return f"$${middle}$$"
    return None


def _token(token: str) -> str:
    found = _EDGE.match(token)
    if not found:
        return token
    lead, core, tail = found.groups()
    bare = token.rstrip(".,;:!?")  # 'f(x)f(x),': the stop only, the bracket is the formula's
    for before, middle, after in (
        ("", token, ""),
        (lead, core, tail),
        ("", bare, token[len(bare) :]),
    ):
        half = _halves(middle)
        if half is not None and _formula(half):
            return before + half + after
    return token


def _formula(half: str) -> bool:
    """Whether X of a doubled token XX is a formula: symbols, a variable or two, a Greek
    letter, 2N, not 'i'."""
    if half.isalpha() and not GREEK.search(half):
        return len(half) <= 3 and half != "i"  # 'kk' is $k$ twice; 'ii' is a numeral
    if len(half) < 2:
        return GREEK.fullmatch(half) is not None  # 'σσ' is $\sigma$ twice; '==' in code stays
    # letters with figures or brackets ('Z24', 'SLn(R)', '[a]'): no word of prose is one
    # written twice over, while a number may be ('2020', '1010')
    return _mathy(half) or (
        re.search(r"[A-Za-z]", half) is not None and re.search(r"[\d()\[\]{}|]", half) is not None
    )


def looks_doubled(text: str, lines: int = 5000) -> bool:
    """True when some line (of the first `lines`) is a formula copied twice or three times."""
    rows = text.translate(_INVISIBLE).split("\n")[:lines]
    return any(_display_line(row) is not None for row in rows)


def undouble(text: str) -> str:
    """One copy of each formula in text copied from a KaTeX page; other text unchanged."""
    out = []
    for line in text.translate(_INVISIBLE).split("\n"):
        display = _display_line(line)
        if display is not None:
            out.append(display)
            continue
        out.append(_inline(line))
    return "\n".join(out)


def _inline(line: str) -> str:
    """The line with each doubled inline formula kept once; a unit after a number stays ('8.7 mm')."""
    pieces = re.split(r"([ \t])", line)
    before = ""
    words: list[str] = []
    for index, piece in enumerate(pieces):
        if piece.strip():
            # a unit after a number, also before a stop or in brackets ('52.5 mm,', '(3 mm)')
            unit = before.rstrip(")]")[-1:].isdigit() and piece.strip(".,;:)]").isalpha()
            # "Part II —", "Type II error": a roman numeral after a word that numbers things;
            # "II. Induced power", "## III) Drag": one that numbers a heading or a list
            roman = bool(_ROMAN.fullmatch(piece.strip("*_.,;:—–-)")))
            numeral = roman and (
                before.strip("*_#:").lower() in NUMBERING
                or (
                    all(not w.strip("#*_>-") for w in words)
                    and piece.strip("*_").endswith((".", ")", ":"))
                )
            )
            before = piece
            if not (unit or numeral or _acronym(piece, words)):
                pieces[index] = _token(piece)
            words.append(piece)
    return "".join(pieces)


def _acronym(piece: str, words: list[str]) -> bool:
    """'Filtration Fraction (FF):', 'Sum of Squares (SS)': capitals in brackets spelled by the
    capitalised words before them."""
    letters = piece.strip("*_").lstrip("(").rstrip(".,;:").rstrip(")")
    if not (2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()):
        return False
    capitals = [
        w.strip("*_")[:1] for w in words[-2 * len(letters) :] if w.strip("*_")[:1].isupper()
    ]
    return piece.lstrip("*_").startswith("(") and "".join(capitals[-len(letters) :]) == letters

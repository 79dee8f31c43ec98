"""Turn the LaTeX math spans of a Markdown document into readable Unicode (with flatlatex)."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from typing import Any

from hwreview.markdown import MathSpan, math_spans

__all__ = ["latex_to_unicode", "math_to_unicode"]

# Commands flatlatex does not know, turned into text before conversion.
_OPERATORS = (
    "min",
    "max",
    "argmin",
    "argmax",
    "arg",
    "log",
    "ln",
    "exp",
    "sin",
    "cos",
    "tan",
    "det",
    "tr",
    "rank",
    "diag",
    "lim",
    "sup",
    "inf",
    "dim",
    "ker",
    "sgn",
    "Pr",
    "softmax",
    "sign",
)
_SYMBOLS = {
    r"\le": "≤",
    r"\ge": "≥",
    r"\ne": "≠",
    r"\to": "→",
    r"\gets": "←",
    r"\iff": "⇔",
    r"\implies": "⇒",
    r"\langle": "⟨",
    r"\rangle": "⟩",
    r"\lfloor": "⌊",
    r"\rfloor": "⌋",
    r"\lceil": "⌈",
    r"\rceil": "⌉",
    r"\{": "{",
    r"\}": "}",
    r"\dagger": "†",
    r"\ldots": "…",
    r"\top": "⊤",
    r"\!": "",
    r"\%": "%",
    r"\&": "&",
    r"\#": "#",
    r"\_": "_",
    r"\vert": "|",
    r"\lvert": "|",
    r"\rvert": "|",
    r"\Vert": "‖",
    r"\ell": "ℓ",
}
_DROP = re.compile(
    r"\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|Bigg|"
    r"displaystyle|textstyle|limits|nolimits)(?![A-Za-z])"
)
_TEXT = re.compile(r"\\(text|textrm|textit|textbf|mathrm|operatorname\*?|mbox)\s*\{([^{}]*)\}")
_SUP_TOP = re.compile(r"\^\s*(?:\{\s*\\top\s*\}|\\top(?![A-Za-z]))")
_SUP_T = re.compile(r"\^\s*\{\s*T\s*\}")
_OPERATOR = re.compile(
    r"\\(" + "|".join(sorted(_OPERATORS, key=len, reverse=True)) + r")(?![A-Za-z])"
)
_SYMBOL = re.compile(
    "|".join(
        re.escape(k) + (r"(?![A-Za-z])" if k[-1].isalpha() else "")
        for k in sorted(_SYMBOLS, key=len, reverse=True)
    )
)
_FRAC_ALIAS = re.compile(r"\\[dt]frac(?![A-Za-z])")
# Placeholders survive flatlatex as single characters (private use area).
_PUA = 0xE000
_RELATIONS = re.compile(r"\s*([=≈≤≥≠<>→⇒⇔≪≫≡∝↦←])\s*")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")

_local = threading.local()


def _converter() -> Any:
    """One flatlatex converter per thread (it keeps state while converting)."""
    conv = getattr(_local, "converter", None)
    if conv is None:
        import flatlatex
        from flatlatex import latexfuntypes

        conv = flatlatex.converter()
        cmds = conv._converter__cmds  # noqa: SLF001 - flatlatex has no public hook for this
        cmds[r"\frac"] = latexfuntypes.latexfun(_frac, 2)
        conv._converter__is_complex_expr = _is_complex  # noqa: SLF001
        conv._converter__indexed = _indexed  # noqa: SLF001
        for char, sub in zip("hklmnpst", "ₕₖₗₘₙₚₛₜ", strict=True):
            flatlatex.data.subscript.setdefault(char, sub)
        _local.converter = conv
    return conv


_SCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿᵀᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"
_AFTER_OPERATOR = re.compile(
    r"(\x00\w+\x00|[∑∏∫∮⋃⋂])((?:[" + _SCRIPTS + r"]|_\w|_\([^()]*\))*+)(?=[^\W_])"
)


_AFTER_PLAIN_INDEX = re.compile(
    r"(_(?:[^\W_]|\([^()]{1,40}\))[" + _SCRIPTS + r"]*)(?=[^\W\d_" + _SCRIPTS + r"])"
)


def _is_complex(expr: str) -> bool:
    """Whether `expr` needs parentheses before a sub/superscript (a base with scripts does not)."""
    expr = re.sub(r"_(?:\w|\([^()]*\))$", "", expr)
    core = [c for c in expr if c not in _SCRIPTS and not unicodedata.combining(c)]
    return len(core) > 1


def _indexed(base: str, index: str) -> str:
    """`base` with subscript `index`: Unicode subscripts when they all exist, else base_index."""
    from flatlatex import data
    from flatlatex.transliteration import transliterate

    sub, ok = transliterate(data.subscript)(index)
    if _is_complex(base):
        base = f"({base})"
    if ok:
        return base + str(sub)
    return f"{base}_{index}" if len(index) == 1 else f"{base}_({index})"


def _frac(args: list[str]) -> str:
    num, den = (a if _simple(a) else f"({a})" for a in args)
    return f"{num}/{den}"


def _simple(expr: str) -> bool:
    return not re.search(r"[\s+\-−±=/·×,<>≤≥]", expr)


@functools.lru_cache(maxsize=4096)
def math_to_unicode(tex: str) -> str | None:
    """Convert one LaTeX math expression to Unicode text, or None if it cannot be converted."""
    words: list[str] = []

    def hold(text: str) -> str:
        words.append(text)
        return chr(_PUA + len(words) - 1)

    try:
        src = tex.strip()
        if not src or any(_PUA <= ord(c) < _PUA + 512 for c in src):
            return None
        src = src.replace("{,}", ",")
        src = _SUP_TOP.sub("^T", src)
        src = _SUP_T.sub("^T", src)
        src = _FRAC_ALIAS.sub(r"\\frac", src)
        src = _DROP.sub("", src)
        src = _TEXT.sub(
            lambda m: hold(m.group(2) if m.group(1) == "text" else m.group(2).strip()), src
        )
        src = _OPERATOR.sub(lambda m: hold(f"\x00{m.group(1)}\x00"), src)
        src = _SYMBOL.sub(lambda m: hold(_SYMBOLS[m.group(0)]) if _SYMBOLS[m.group(0)] else "", src)
        out = _converter().convert(src)
    except Exception:  # flatlatex raises plain Exception on some malformed input
        return None
    if "\\" in out:
        return None  # an unknown command survived: the raw source reads better
    # A subscript written out (`W_U`, no Unicode letter for it) runs into the next factor:
    # `W_UW_OW_VW_E` reads as one word, `W_U W_O W_V W_E` as the product it is.
    out = _AFTER_PLAIN_INDEX.sub(r"\1 ", out)
    out = "".join(words[ord(c) - _PUA] if _PUA <= ord(c) < _PUA + len(words) else c for c in out)
    out = _AFTER_OPERATOR.sub(r"\1\2 ", out).replace("\x00", "")
    out = _RELATIONS.sub(r" \1 ", out)
    out = re.sub(r",(?=[^\s\d])", ", ", out)
    out = re.sub(r"[ \t]{2,}", " ", out).strip()
    return out or None


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _converted(span: MathSpan, source: str) -> str:
    """What a math span shows as: its Unicode text, or (not convertible) its `source`."""
    out = math_to_unicode(span.tex)
    return _md_escape(out if out is not None else source)


@functools.lru_cache(maxsize=256)
def latex_to_unicode(markdown: str) -> str:
    """Return `markdown` with its math spans (``$...$``, ``$$...$$``, ``\\(...\\)``,
    ``\\[...\\]``, found by `hwreview.markdown.math_spans`) turned into Unicode text.

    Code spans and code blocks are left alone, as are escaped dollars (``\\$``) and amounts
    such as "$5 and $10". A span flatlatex cannot convert is kept as written (escaped so
    Markdown shows it).
    """
    out: list[str] = []
    at = 0
    for span in math_spans(markdown):
        out += [markdown[at : span.start], _converted(span, markdown[span.start : span.end])]
        at = span.end
    out.append(markdown[at:])
    return "".join(out)

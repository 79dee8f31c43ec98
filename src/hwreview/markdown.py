"""Markdown structure read once, by markdown-it-py: which lines are fenced code, where math is.

Every reader that must ignore headings, speaker lines or part labels inside code blocks (the
key parser, the transcript reader, the aligner's marker finder, the report's Markdown guard)
asks here instead of keeping its own fence tracker, so they all agree with CommonMark on what
opens and closes a fence (``` or ~~~, closed by the same character at least as often).
Math spans are found by mdit-py-plugins' dollarmath rules in the same reading, so a dollar in
a code span or block, or escaped, is never math.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token


@dataclass(frozen=True)
class Fence:
    """A fenced code block: its first and last line (0-based, inclusive) and its fence."""

    first: int
    last: int
    marker: str
    closed: bool
    language: str = ""  # the info string's first word, lower case ("latex", "python")


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Only the block rules that decide what is code, and no inline pass: about 0.2 s per MB.
    md = MarkdownIt("zero").enable(["fence"])
    md.core.ruler.disable(["inline", "text_join"])
    return md


@functools.lru_cache(maxsize=64)
def fences(text: str) -> tuple[Fence, ...]:
    """Every fenced code block of `text` (lines split on '\\n'), in order."""
    lines = text.split("\n")
    out: list[Fence] = []
    for token in _parser().parse(text):
        if token.type != "fence" or token.map is None:
            continue
        first, end = token.map
        last = max(first, end - 1)
        closing = lines[last].strip() if last < len(lines) else ""
        closed = last > first and closing.startswith(token.markup) and not closing.strip("`~")
        language = token.info.strip().split(" ", 1)[0].lower()
        out.append(Fence(first, last, token.markup, closed, language))
    return tuple(out)


TEX_FENCES = frozenset({"latex", "tex"})


def code_lines(text: str, tex_is_text: bool = False) -> list[bool]:
    """For each line of `text` (split on '\\n'): whether it belongs to a fenced code block.
    With `tex_is_text`, only the fence lines of a ```latex block are code: a solution written
    as LaTeX source keeps its structure (`\\section*{Problem 1}`, `\\paragraph{(a)}`)."""
    mask = [False] * (text.count("\n") + 1)
    for fence in fences(text):
        if tex_is_text and fence.language in TEX_FENCES:
            for index in {fence.first, fence.last} if fence.closed else {fence.first}:
                if index < len(mask):
                    mask[index] = True
            continue
        for index in range(fence.first, min(fence.last + 1, len(mask))):
            mask[index] = True
    return mask


def unclosed_fence(text: str) -> Fence | None:
    """The fenced code block that is never closed (it runs to the end), if any."""
    found = fences(text)
    return found[-1] if found and not found[-1].closed else None


# ---------------------------------------------------------------- math

# \[0\] and \(x\) are also Markdown escapes ("a\[0\]"): read as math only if it looks like it.
_LOOKS_LIKE_MATH = re.compile(r"[\\^_=]")


@dataclass(frozen=True)
class MathSpan:
    """A math span of a text: `text[start:end]` is the whole span, delimiters included."""

    start: int
    end: int
    tex: str
    delimiter: str
    """`$`, `$$`, `\\(` or `\\[`."""


def _located(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """`rule`, noting on each math token it makes where it is in the inline content."""

    def located(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not rule(state, silent):
            return False
        if not silent:
            state.tokens[-1].meta["span"] = (start, state.pos)
        return True

    return located


def _bracket_math(state: StateInline, silent: bool) -> bool:
    r"""Inline rule for \(...\) and \[...\] (before the escape rule, which would take `\(`)."""
    src, pos = state.src, state.pos
    if src[pos] != "\\" or pos + 1 >= state.posMax or src[pos + 1] not in "([":
        return False
    opening = src[pos : pos + 2]
    end = src.find("\\)" if opening == "\\(" else "\\]", pos + 2, state.posMax)
    if end <= pos + 2 or not _LOOKS_LIKE_MATH.search(src, pos + 2, end):
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content, token.markup = src[pos + 2 : end], opening
    state.pos = end + 2
    return True


@functools.cache
def _math_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath.index import math_block_dollar, math_inline_dollar

    # CommonMark with tables (as Rich reads a document), no raw HTML; dollarmath's rules: no
    # space inside the dollars, no digit after the closing one ("$5 and $10" is money), no
    # blank line inside $$...$$.
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    dollars = math_inline_dollar(allow_space=False, allow_digits=False, allow_double=True)
    md.inline.ruler.before("escape", "math_inline", _located(dollars))
    md.inline.ruler.before("escape", "math_bracket", _located(_bracket_math))
    block = math_block_dollar(allow_labels=False, allow_blank_lines=False)
    md.block.ruler.before("fence", "math_block", block)
    return md


@functools.lru_cache(maxsize=64)
def math_spans(text: str) -> tuple[MathSpan, ...]:
    """Every math span of the Markdown `text` in order: `$…$`, `$$…$$` (inline or on lines of
    their own), `\\(…\\)` and `\\[…\\]` — never inside code spans, code blocks or after `\\$`."""
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        return ()
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    out: list[MathSpan] = []
    used: dict[int, int] = {}  # per line: where the next inline content may start (table cells)
    for token in _math_parser().parse(text):
        if token.type == "math_block" and token.map:
            first, last = token.map[0], token.map[1] - 1
            begin, close = lines[first].find("$$"), lines[last].rfind("$$")
            if begin >= 0 and close >= 0 and (first, begin) < (last, close):
                out.append(
                    MathSpan(starts[first] + begin, starts[last] + close + 2, token.content, "$$")
                )
        elif token.type == "inline" and token.map and token.children:
            out += _inline_spans(token, lines, starts, used)
    return tuple(out)


def _inline_spans(
    token: Token, lines: list[str], starts: list[int], used: dict[int, int]
) -> list[MathSpan]:
    """The math spans of one inline token, placed in the text: each line of its content is
    found in its source line (which may add a list, quote or table prefix around it)."""
    assert token.map is not None
    content = token.content.split("\n")
    at = [0]  # where each content line starts in the content
    for line in content:
        at.append(at[-1] + len(line) + 1)
    found: dict[int, int | None] = {}

    def place(offset: int) -> int | None:
        k = max(0, bisect_right(at, offset) - 1)
        row = token.map[0] + k if token.map else -1
        if k >= len(content) or not 0 <= row < len(lines):
            return None
        if k not in found:
            where = lines[row].find(content[k], used.get(row, 0))
            found[k] = None if where < 0 else where
            if where >= 0:
                used[row] = where + len(content[k])
        column = found[k]
        return None if column is None else starts[row] + column + offset - at[k]

    spans = []
    for child in token.children or ():
        span = child.meta.get("span") if child.type.startswith("math_inline") else None
        if span is None:
            continue
        start, end = place(span[0]), place(span[1] - 1)
        if start is not None and end is not None:
            spans.append(MathSpan(start, end + 1, child.content, child.markup))
    return spans

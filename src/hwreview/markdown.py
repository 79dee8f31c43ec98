"""Markdown structure read once, by markdown-it-py: which lines are fenced code.

Every reader that must ignore headings, speaker lines or part labels inside code blocks (the
key parser, the transcript reader, the aligner's marker finder, the report's Markdown guard)
asks here instead of keeping its own fence tracker, so they all agree with CommonMark on what
opens and closes a fence (``` or ~~~, closed by the same character at least as often).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass(frozen=True)
class Fence:
    """A fenced code block: its first and last line (0-based, inclusive) and its fence."""

    first: int
    last: int
    marker: str
    closed: bool


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
        out.append(Fence(first, last, token.markup, closed))
    return tuple(out)


def code_lines(text: str) -> list[bool]:
    """For each line of `text` (split on '\\n'): whether it belongs to a fenced code block."""
    mask = [False] * (text.count("\n") + 1)
    for fence in fences(text):
        for index in range(fence.first, min(fence.last + 1, len(mask))):
            mask[index] = True
    return mask


def split_code(text: str) -> list[tuple[bool, str]]:
    """`text` as (is_fenced_code, run) pieces, whole lines each; joined they give `text`."""
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    starts.append(len(text))
    runs: list[tuple[bool, str]] = []
    at = 0
    for fence in fences(text):
        begin, end = starts[fence.first], starts[min(fence.last + 1, len(starts) - 1)]
        if begin > at:
            runs.append((False, text[at:begin]))
        runs.append((True, text[begin:end]))
        at = end
    if at < len(text):
        runs.append((False, text[at:]))
    return runs


def unclosed_fence(text: str) -> Fence | None:
    """The fenced code block that is never closed (it runs to the end), if any."""
    found = fences(text)
    return found[-1] if found and not found[-1].closed else None

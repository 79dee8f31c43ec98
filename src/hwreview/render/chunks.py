"""Split Markdown at top-level block boundaries so long documents can be rendered piece by piece."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hwreview.markdown import code_lines, fences

__all__ = ["Chunk", "split_chunks"]

# A line that may continue the block before it even after a blank line.
_CONTINUES = re.compile(r"^(?:[ \t]|\[[^\]]*\]:)")
_LIST_ITEM = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of whole top-level Markdown blocks: its text and where it starts in the document."""

    start: int
    text: str


def _boundaries(markdown: str) -> list[int]:
    """Offsets where a new top-level block starts and the document may be cut."""
    cuts: list[int] = []
    in_display = False
    prev_blank = False
    in_list = False
    offset = 0
    lines = markdown.split("\n")
    mask = code_lines(markdown)
    opening = {fence.first for fence in fences(markdown)}
    for number, line in enumerate(lines):
        if number + 1 < len(lines):
            line += "\n"
        stripped = line.strip()
        inside = mask[number] and number not in opening
        if inside:
            pass
        elif in_display:
            if stripped.count("$$") % 2 == 1:
                in_display = False
        else:
            is_item = bool(_LIST_ITEM.match(line))
            if prev_blank and stripped and not _CONTINUES.match(line):
                if not (is_item and in_list):
                    cuts.append(offset)
                in_list = is_item
            elif is_item and not line[0].isspace():
                in_list = True
            if number not in opening and stripped.count("$$") % 2 == 1:
                in_display = True
        prev_blank = not stripped and not mask[number] and not in_display
        offset += len(line)
    return cuts


def split_chunks(markdown: str, first: int = 400, size: int = 3000) -> list[Chunk]:
    """Cut `markdown` at block boundaries into chunks of about `first` characters, growing
    (doubling) to about `size`: small chunks first, so the first screen renders with little
    waste, then bigger ones, so the rest costs fewer passes. Joined, they give `markdown`."""
    chunks: list[Chunk] = []
    start = 0
    target = first
    for cut in _boundaries(markdown):
        if cut - start >= target:
            chunks.append(Chunk(start, markdown[start:cut]))
            start, target = cut, min(size, target * 2)
    if start < len(markdown) or not chunks:
        chunks.append(Chunk(start, markdown[start:]))
    return chunks

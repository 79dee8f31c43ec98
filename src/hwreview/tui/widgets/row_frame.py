"""RowFrame: a DocView row's border, padding and colours, taken once from a row Textual drew.

Textual's StylesCache builds every row of a widget anew — fitting the line, padding, border,
line filters: about five strips and many style look-ups a row, ~70 rows a part switch. A
DocView's rows differ only in their document line, so the frame around it is cut once from one
row rendered by Textual, and each row is then the line, filtered, between those edges: the
same cells, one join. `paint` is safe on a worker thread (documents are painted ahead).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter
from textual.strip import Strip

__all__ = ["RowFrame"]


@dataclass(frozen=True, eq=False)
class RowFrame:
    """The edges of a content row and how its line is fitted and filtered."""

    key: tuple[object, ...]
    """What the frame was cut for: a painted row is reused only under the same key."""
    top: int
    """The first content row (rows above it are border and padding)."""
    left: tuple[Segment, ...]
    right: tuple[Segment, ...]
    content_width: int
    content_height: int
    width: int
    base: Style
    """The view's own colours, under and after the document's line."""
    filters: tuple[LineFilter, ...]
    background: Color

    @classmethod
    def cut(
        cls,
        key: tuple[object, ...],
        row: Strip,
        top: int,
        left: int,
        content: tuple[int, int],
        base: Style,
        filters: Sequence[LineFilter],
        background: Color,
    ) -> RowFrame:
        """The frame of `row` (content row `top` as Textual drew it): `left` cells of border
        and padding, a line of `content` (width, height), and the rest of the row."""
        width = row.cell_length
        return cls(
            key,
            top,
            tuple(row.crop(0, left)),
            tuple(row.crop(left + content[0], width)),
            content[0],
            content[1],
            width,
            base,
            tuple(filters),
            background,
        )

    def paint(self, line: Strip | None) -> Strip:
        """One finished row: `line` (None: blank) fitted to the content width, filtered, framed."""
        if line is None:
            line = Strip.blank(self.content_width, self.base)
        else:
            line = line.adjust_cell_length(self.content_width, self.base)
        for line_filter in self.filters:
            line = line.apply_filter(line_filter, self.background)
        return Strip([*self.left, *line, *self.right], self.width)

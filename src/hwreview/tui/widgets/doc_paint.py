"""DocPainter: how a DocView's visible rows become strips — its document lines inside a frame
cut once (row_frame.RowFrame), rows painted ahead used as they are — and its scrollbar's cells."""

from __future__ import annotations

from math import ceil

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Offset, Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from hwreview.tui.widgets.line_cache import RenderedDoc
from hwreview.tui.widgets.row_frame import RowFrame

__all__ = ["DocPainter", "Match", "thumb_cells"]

Match = tuple[int, int, int, int]
"""A search match: line, start and end cell, character offset."""


class DocPainter:
    """Paints one DocView; looks up its sizes and colours once per change, not once per row."""

    def __init__(self, view: ScrollView) -> None:
        self._view = view
        self._params: tuple[tuple[object, ...], int, Style] | None = None
        self._frame: RowFrame | None = None
        self._painting: tuple[Offset, int, Style] | None = None  # during Textual's own pass
        self._blank = False  # render_line paints blank rows (while a frame is cut)
        # The content rows on screen (viewport row -> strip), painted for the frame of this key
        self._shown: dict[int, Strip] = {}
        self._shown_key: tuple[object, ...] | None = None

    def forget(self) -> None:
        """Forget sizes and colours (the view's style changed)."""
        self._params = self._frame = None
        self._shown, self._shown_key = {}, None

    def params(self) -> tuple[int, Style]:
        """Width of a document line and the view's base style."""
        view = self._view
        key = (view.size, view.app.theme)
        cached = self._params
        if cached is None or cached[0] != key:
            cached = (key, view.scrollable_content_region.width, view.rich_style)
            self._params = cached
        return cached[1], cached[2]

    def row_frame(self) -> RowFrame | None:
        """The frame of the content rows, cut once per size and style; None where Textual
        must draw each row itself (effects a DocView does not use, or no content area)."""
        view = self._view
        styles = view.styles
        filters = tuple(view.get_line_filters())
        region, content = view.region, view.content_region
        key = (region.size, content, view.app.theme, styles.border, filters)
        frame = self._frame
        if frame is not None and frame.key == key:
            return frame
        if (
            styles.tint.a
            or view.opacity != 1
            or styles.text_opacity != 1
            or any(edge for edge, _ in styles.outline)
            or (styles.has_rule("hatch") and styles.hatch != "none")
            or not content.width
            or not content.height
        ):
            return None
        top = content.y - region.y
        self._blank = True  # the row's own line does not matter: only its edges are kept
        try:
            row = ScrollView.render_lines(view, Region(0, top, region.width, 1))[0]
        finally:
            self._blank = False
        view._styles_cache.set_dirty(Region(0, top, region.width, 1))
        # The line is as wide as render_line makes it (the scrollable width); the cells after
        # it up to the border (the fill to the content width, padding, border) are the frame's.
        left, (width, base) = content.x - region.x, self.params()
        if row.cell_length != region.width or width > content.width:
            return None
        background = view.background_colors[1]
        size = Size(width, content.height)
        self._frame = RowFrame.cut(key, row, top, left, size, base, filters, background)
        return self._frame

    def render_lines(
        self, crop: Region, doc: RenderedDoc | None, match: Match | None
    ) -> list[Strip]:
        """The rows in `crop`: content rows framed here, border and padding rows by Textual."""
        view = self._view
        frame = self.row_frame() if not view.scroll_offset.x else None
        if frame is None:
            self._painting = (view.scroll_offset, *self.params())
            try:
                return ScrollView.render_lines(view, crop)
            finally:
                self._painting = None
        rows: list[Strip] = []
        first, last = frame.top, frame.top + frame.content_height  # the content rows
        y = crop.y
        while y < crop.bottom:
            if first <= y < last:
                end = min(crop.bottom, last)
                rows += self._paint_rows(frame, y - first, end - first, doc, match)
                # Textual's cache of these rows is stale now: forget it
                view._styles_cache.set_dirty(Region(0, y, frame.width, end - y))
            else:
                end = min(crop.bottom, first if y < first else crop.bottom)
                rows += ScrollView.render_lines(view, Region(0, y, frame.width, end - y))
            y = end
        if crop.x or crop.width != frame.width:
            rows = [row.crop(crop.x, crop.right) for row in rows]
        return rows

    def _paint_rows(
        self, frame: RowFrame, start: int, end: int, doc: RenderedDoc | None, match: Match | None
    ) -> list[Strip]:
        """Content rows `start` to `end` (viewport lines), prepainted ones as they are."""
        scroll_y = self._view.scroll_offset.y
        ready: list[Strip] = []
        if doc is not None and not scroll_y and match is None:
            ready = doc.prepainted(frame)
        rows = [
            ready[y] if y < len(ready) else frame.paint(self._line(scroll_y + y, doc, match))
            for y in range(start, end)
        ]
        if self._shown_key != frame.key:
            self._shown, self._shown_key = {}, frame.key
        self._shown.update(zip(range(start, end), rows, strict=True))
        return rows

    def changed_rows(self, doc: RenderedDoc, match: Match | None) -> list[Region] | None:
        """The content rows (regions of the scrollable content) that showing `doc` at its top
        changes, when it is painted ahead and the rows on screen are known; None otherwise.

        A blank line, or the empty rows under a short question or key, are often the same
        from one part to the next: they are neither painted nor written to the terminal."""
        view = self._view
        frame = self._frame
        if (
            frame is None
            or frame != self.row_frame()
            or self._shown_key != frame.key
            or view.scroll_offset.y
            or match is not None
            or not doc.complete
        ):
            return None
        ready = doc.prepainted(frame)
        if not ready:
            return None
        blank = frame.paint(None)
        shown = self._shown
        width = view.scrollable_content_region.width
        regions: list[Region] = []
        for y in range(frame.content_height):
            new = ready[y] if y < len(ready) else blank
            if shown.get(y) == new:
                continue
            if regions and regions[-1].bottom == y:
                last = regions.pop()
                regions.append(Region(0, last.y, width, last.height + 1))
            else:
                regions.append(Region(0, y, width, 1))
        return regions

    def render_line(self, y: int, doc: RenderedDoc | None, match: Match | None) -> Strip:
        """Line `y` of the viewport, as wide as the scrollable width (Textual frames it)."""
        painting = self._painting or (self._view.scroll_offset, *self.params())
        (scroll_x, scroll_y), width, base = painting
        line = None if self._blank else self._line(scroll_y + y, doc, match)
        if line is None:
            return Strip.blank(width, base)
        return line.crop_extend(scroll_x, scroll_x + width, base)

    def _line(self, index: int, doc: RenderedDoc | None, match: Match | None) -> Strip | None:
        """Line `index` of the document as shown (a pending chunk's marker, the search match
        highlighted), or None for a blank line."""
        strip = doc.line(index) if doc is not None else None
        if strip is None:
            if doc is not None and index < doc.height:
                chunk = doc.chunk_at_line(index)
                if index == doc.starts[chunk] and doc.lines[chunk] is None:
                    style = self._view.get_component_rich_style("doc-view--pending")
                    return Strip([Segment("  …", style)])
            return None
        if match is not None and match[0] == index:
            _, start, end, _ = match
            highlight = self._view.get_component_rich_style("doc-view--match")
            strip = Strip.join(
                [
                    strip.crop(0, start),
                    Strip(Segment.apply_style(strip.crop(start, end), post_style=highlight)),
                    strip.crop(end, strip.cell_length),
                ]
            )
        return strip


def thumb_cells(bar: ScrollBar) -> list[Segment]:
    """The cells a vertical scrollbar paints for its current sizes (as ScrollBar.render)."""
    window = bar.window_size if bar.window_size < bar.window_virtual_size else 0
    bars = bar.renderer.render_bar(
        size=bar.size.height,
        virtual_size=ceil(bar.window_virtual_size),
        window_size=ceil(window),
        position=bar.position,
        thickness=bar.thickness,
        vertical=True,
    )
    return list(bars.segments)

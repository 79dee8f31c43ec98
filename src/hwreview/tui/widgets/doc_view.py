"""DocView: a fast, scrollable view of one untrusted Markdown document (LaTeX shown as Unicode).

Documents are cut into chunks of whole Markdown blocks and rendered with Rich into strips:
the chunks under the viewport at once (on the UI thread), the rest by a worker thread
(`render_queue.RenderQueue`).
Rendered lines are cached per (key, text, width, theme, raw), so showing a document again,
or one passed to `prefetch()` earlier, costs one repaint. Only visible lines are painted
(Textual's line API).
"""

from __future__ import annotations

import functools
from collections import deque

from textual import on
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from hwreview.render.sanitize import clean_text
from hwreview.tui.widgets.doc_paint import DocPainter, thumb_cells
from hwreview.tui.widgets.line_cache import LineCache, RenderedDoc
from hwreview.tui.widgets.md_lines import RenderStyle, style_for_app
from hwreview.tui.widgets.render_queue import RenderQueue

__all__ = ["DocView"]

# show() after prefetch() cleans the same (possibly large) text twice: remember a few.
_clean = functools.lru_cache(maxsize=16)(clean_text)


class DocView(ScrollView, can_focus=True):
    """A scrollable view of one Markdown document; `show()` swaps the document at once."""

    DEFAULT_CSS = """
    DocView {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
    }
    DocView > .doc-view--match { background: $warning; color: $background; }
    DocView > .doc-view--pending { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"doc-view--match", "doc-view--pending"}

    MAX_PREFETCH = 8
    """Documents waiting to be pre-rendered; older requests are dropped."""

    raw: reactive[bool] = reactive(False)
    """Show the Markdown/LaTeX source instead of the rendered document."""

    class Rendered(Message):
        """The document shown is now fully rendered (its height is exact)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class _Progress(Message):
        """A worker rendered more of `doc`."""

        def __init__(self, doc: RenderedDoc) -> None:
            super().__init__()
            self.doc = doc

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, cache: LineCache | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.key: str | None = None
        self._text = ""
        self._scroll_request: int | None = None
        self._cache = cache if cache is not None else LineCache()
        self._doc: RenderedDoc | None = None  # what is on screen
        self._next: RenderedDoc | None = None  # same document at a new width/theme, coming
        # prefetch() requests made before the view had a width, opened on the first resize
        self._pending_prefetch: deque[tuple[str, str]] = deque(maxlen=self.MAX_PREFETCH)
        self._queue = RenderQueue(
            self, self._shown, lambda doc: self.post_message(self._Progress(doc)), self.MAX_PREFETCH
        )
        self._style: RenderStyle | None = None
        self._style_theme: str | None = None
        self._match: tuple[int, int, int, int] | None = None  # line, start/end cell, char
        self._search_text = ""
        self._painter = DocPainter(self)

    # ------------------------------------------------------------------ public API

    def show(self, key: str, markdown: str, *, scroll_to: int | None = None) -> None:
        """Display `markdown` (identified by `key`), scrolled to character `scroll_to` if given."""
        text = _clean(markdown)
        if scroll_to is None and key == self.key and text == self._text and self._doc is not None:
            return  # the same document again: keep its place
        self.key, self._text = key, text
        self._scroll_request = scroll_to
        self._match = None
        self._next = None
        if self._width > 0:
            self._open(scroll_to)
        else:  # not laid out yet (or hidden): open it when it gets a size
            self._doc = None

    def prefetch(self, key: str, markdown: str) -> None:
        """Render `markdown` in the background so that a later `show(key, markdown)` is instant."""
        text = _clean(markdown)
        if self._width <= 0:
            self._pending_prefetch.append((key, text))
            return
        doc = self._cache.get(key, text, self._width, self._render_style(), self.raw)
        doc.frame = (
            self._painter.row_frame()
        )  # its first rows are painted ahead, as shown at the top
        self._queue.add(doc)

    def search(self, text: str) -> bool:
        """Highlight and scroll to the next match of `text` (case-insensitive); False if none."""
        doc = self._doc
        if doc is None or not text:
            return False
        needle = text.lower()
        if needle != self._search_text:
            self._search_text, self._match = needle, None
        start_line = self._match[0] if self._match else int(self.scroll_y)
        start_col = self._match[3] + 1 if self._match else 0
        match = doc.find(needle, start_line, start_col)
        if match is None:
            return False
        self._match = match
        self.scroll_to(y=max(0, match[0] - self._height // 3), animate=False)
        self.refresh()
        return True

    @property
    def ready(self) -> bool:
        """Whether the document shown is fully rendered."""
        return self._doc is not None and self._doc.complete and self._next is None

    @property
    def idle(self) -> bool:
        """Whether nothing is left to render: the document shown and every prefetched one."""
        return self.ready and self._queue.complete()

    # ------------------------------------------------------------------ opening documents

    @property
    def _width(self) -> int:
        return self.scrollable_content_region.width if self.is_mounted else 0

    @property
    def _height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _render_style(self) -> RenderStyle:
        theme = self.app.theme
        if self._style is None or self._style_theme != theme:
            self._style, self._style_theme = style_for_app(self.app, self.rich_style), theme
        return self._style

    def _open(self, scroll_to: int | None) -> None:
        """Show the current text at the current width (UI thread)."""
        doc = self._cache.get(
            self.key or "", self._text, self._width, self._render_style(), self.raw
        )
        first = doc.chunk_at_offset(scroll_to) if scroll_to else 0
        doc.prioritize(first)
        # Set before rendering: a chunk the worker finishes from now on is reported (it may
        # have been claimed while `doc` was only prefetched), so no layout is left stale.
        self._doc = doc
        self._queue.hold_until_painted()  # from now: the worker waits while this thread renders
        self._render_now(doc, first)
        y = doc.starts[first] + doc.line_in_chunk(first, scroll_to) if scroll_to else 0
        self._relayout(doc, y)
        if doc.complete:
            self.post_message(self.Rendered(doc.key))

    def _render_now(self, doc: RenderedDoc, first: int) -> None:
        """Render, on this thread, the chunks from `first` that fill the screen."""
        needed, index = self._height + 2, first
        while needed > 0 and index < len(doc.chunks):
            if doc.lines[index] is None and doc.claim_index(index):
                doc.render(index)
            lines = doc.lines[index]
            if lines is None:  # the worker is rendering it: it will report
                break
            needed -= len(lines)
            index += 1
        doc.layout()

    def _relayout(self, doc: RenderedDoc, y: int | None = None) -> None:
        """Apply `doc`'s layout; keep the top line in place unless `y` is given."""
        if y is None and self._doc is doc and doc.starts:
            index, offset = self._anchor
            doc.layout()
            y = doc.starts[index] + offset
        else:
            doc.layout()
        self._set_virtual_size(Size(self._width, doc.height))
        if y is not None and y != int(self.scroll_y):
            self.scroll_to(y=y, animate=False, force=True)
        # The lines only (the border and padding rows around them have not changed), and of
        # those only the rows that differ from what is on screen, when that is known.
        rows = self._painter.changed_rows(doc, self._match) if self._doc is doc else None
        if rows is None:
            self.refresh(Region(0, 0, *self.scrollable_content_region.size))
        elif rows:
            self.refresh(*rows)

    def _set_virtual_size(self, size: Size) -> None:
        """Change the scrollable size without a layout of the whole screen when the view's
        own size and its scrollbar's visibility stay the same (a new document, same pane)."""
        old = self.virtual_size
        if size == old:
            return
        viewport = self.container_size.height  # what Textual compares (overflow-y: auto)
        if (
            self.is_mounted
            and viewport > 0
            and (size.height > viewport) == (self.show_vertical_scrollbar)
        ):
            self.set_reactive(DocView.virtual_size, size)
            self._update_thumb(size)
        else:
            self.virtual_size = size  # the scrollbar appears or goes: a real layout

    def _update_thumb(self, size: Size) -> None:
        """Widget._scroll_update for a scrollbar that stays: repaint only the cells of it that
        change (the ends of the thumb), not the whole bar (~25 lines each switch)."""
        if self.show_vertical_scrollbar and self.styles.scrollbar_size_vertical:
            bar = self.vertical_scrollbar
            before = thumb_cells(bar)
            bar.set_reactive(ScrollBar.window_virtual_size, size.height)
            bar.set_reactive(
                ScrollBar.window_size, self.container_size.height - self.scrollbar_size_horizontal
            )
            after = thumb_cells(bar)
            changed = [i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b]
            if len(before) != len(after):
                bar.refresh()
            elif changed:  # the cells around the thumb's ends, not the whole bar
                bar.refresh(Region(0, changed[0], bar.size.width, changed[-1] - changed[0] + 1))
        self.scroll_x = self.validate_scroll_x(self.scroll_x)
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

    @property
    def _anchor(self) -> tuple[int, int]:
        """(chunk, line within it) of the top line, per the current layout."""
        doc = self._doc
        if doc is None or not doc.starts:
            return (0, 0)
        y = int(self.scroll_y)
        index = doc.chunk_at_line(y)
        return index, y - doc.starts[index]

    # ------------------------------------------------------------------ background rendering

    def on_mount(self) -> None:
        """Re-render when the app theme changes."""
        self.watch(self.app, "theme", self._restyle, init=False)

    def _shown(self) -> tuple[RenderedDoc | None, RenderedDoc | None]:
        return self._doc, self._next

    @on(_Progress)
    def _on_progress(self, message: _Progress) -> None:
        message.stop()
        doc = message.doc
        doc.notified = False
        if doc is self._next:
            if doc.complete or self._covers_view(doc):
                self._swap_in(doc)
        elif doc is self._doc:
            self._relayout(doc)
            if doc.complete:
                self.post_message(self.Rendered(doc.key))

    def _covers_view(self, doc: RenderedDoc) -> bool:
        """Whether `doc` has rendered the chunks that the viewport shows now."""
        index, _ = self._anchor
        needed = self._height
        while index < len(doc.chunks) and needed > 0:
            lines = doc.lines[index]
            if lines is None:
                return False
            needed -= len(lines)
            index += 1
        return True

    def _swap_in(self, doc: RenderedDoc) -> None:
        """Show `doc` (the same text re-rendered) in place of the current one, same place."""
        old, self._next = self._doc, None
        index, offset = self._anchor
        if old is not None and old.starts and index < len(doc.chunks):
            old_len = max(1, len(old.lines[index] or ()))
            doc.layout()
            new_len = len(doc.lines[index] or ())
            y = doc.starts[index] + offset * new_len // old_len
        else:
            y = 0
        self._doc, self._match = doc, None
        self._relayout(doc, y)
        if doc.complete:
            self.post_message(self.Rendered(doc.key))
        else:
            self._queue.kick()

    def _rerender(self, now: bool = False) -> None:
        """Re-render the shown text at the current width/style/mode, keeping the old lines
        on screen until enough of the new ones are ready (rendered `now` if asked)."""
        if self._doc is None:
            if self.key is not None and self._width > 0:
                self._open(self._scroll_request)
            return
        doc = self._cache.get(
            self.key or "", self._text, self._width, self._render_style(), self.raw
        )
        if doc is self._doc:
            return
        index, _ = self._anchor
        index = min(index, len(doc.chunks) - 1)
        doc.prioritize(index)
        # Set first: a chunk the worker finishes from now on is reported, so `doc` cannot
        # complete unseen (it may be prefetched) and leave the view waiting for it.
        self._next = doc
        if now:
            self._render_now(doc, index)
        if self._covers_view(doc):
            self._swap_in(doc)
        else:
            self._queue.kick()

    def on_resize(self) -> None:
        """Open a pending document, or re-render at the new width (in the background)."""
        if self._width <= 0:
            return
        if self._doc is None and self.key is not None:
            self._open(self._scroll_request)
        elif self._doc is not None and self._doc.width != self._width:
            self._rerender()
        while self._pending_prefetch:
            self.prefetch(*self._pending_prefetch.popleft())

    def _restyle(self) -> None:
        self._style = None
        if self._doc is not None:
            self._rerender()

    def watch_raw(self, _raw: bool) -> None:
        """Switch between the rendered document and its source."""
        if self._doc is not None:
            self._match = None
            self._rerender(now=True)

    # ------------------------------------------------------------------ painting

    def notify_style_update(self) -> None:
        """Forget cached colours; re-render if the view's own colours changed."""
        self._painter.forget()
        if self._style is not None and self.is_mounted and self._style.base != self.rich_style:
            self._restyle()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Paint the visible rows (doc_paint.DocPainter)."""
        return self._painter.render_lines(crop, self._doc, self._match)

    def render_line(self, y: int) -> Strip:
        """Paint line `y` of the viewport (when Textual draws the rows itself)."""
        return self._painter.render_line(y, self._doc, self._match)

"""Rendered documents as lists of strips, chunk by chunk, and a bounded cache of them."""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import OrderedDict

from rich.cells import cell_len
from rich.segment import Segment
from textual.strip import Strip

from hwreview.render.chunks import Chunk, split_chunks
from hwreview.tui.widgets.md_lines import ChunkLines, RenderStyle, render_chunk
from hwreview.tui.widgets.row_frame import RowFrame

__all__ = ["LineCache", "RenderedDoc"]

_WORD = re.compile(r"[^\W_]{2,}")


class RenderedDoc:
    """One document at one width, style and mode, rendered chunk by chunk (by any thread).

    Worker threads claim and fill chunks; only the UI thread calls `layout()` and reads lines.
    Chunks not rendered yet count as an estimated number of blank lines.
    """

    def __init__(self, key: str, text: str, width: int, style: RenderStyle, raw: bool) -> None:
        self.key = key
        self.text = text
        self.width = width
        self.style = style
        self.raw = raw
        self._lock = threading.Lock()
        self._cut: tuple[list[Chunk], list[ChunkLines | None]] | None = None  # see _parts
        self._claimed: list[bool] = []
        self._order: list[int] = []
        self._estimates: list[int] = []
        self.starts: list[int] = []
        self.height = 0
        self.notified = False  # a progress message is on its way to the UI thread
        self.frame: RowFrame | None = None  # paint the first rows ahead for this frame
        self._top: tuple[tuple[object, ...], list[Strip]] | None = None

    def _parts(self) -> tuple[list[Chunk], list[ChunkLines | None]]:
        """The chunks and their lines, the text cut when first needed: a prefetched document
        is cut by the render worker, not by the key press that asked for it (~2 ms a 10 KB
        document, a Markdown reading)."""
        cut = self._cut
        if cut is None:
            with self._lock:
                cut = self._cut
                if cut is None:
                    chunks = split_chunks(self.text)
                    self._claimed = [False] * len(chunks)
                    self._order = list(range(len(chunks)))
                    self._estimates = [self._estimate(c.text) for c in chunks]
                    cut = self._cut = (chunks, [None] * len(chunks))
        return cut

    @property
    def chunks(self) -> list[Chunk]:
        """The document cut into runs of whole Markdown blocks."""
        return self._parts()[0]

    @property
    def lines(self) -> list[ChunkLines | None]:
        """Each chunk's rendered lines, None until rendered."""
        return self._parts()[1]

    @property
    def complete(self) -> bool:
        """Whether every chunk is rendered."""
        return self._cut is not None and all(lines is not None for lines in self._cut[1])

    @property
    def size(self) -> int:
        """Number of lines rendered so far (for the cache budget)."""
        cut = self._cut
        return 0 if cut is None else sum(len(lines) for lines in cut[1] if lines is not None)

    def _estimate(self, text: str) -> int:
        """Lines a chunk will take, roughly (for the scrollbar until it is rendered)."""
        return max(1, text.count("\n") + len(text) // max(1, self.width))

    def layout(self) -> None:
        """Recompute where each chunk starts (UI thread)."""
        starts, y = [], 0
        for index, lines in enumerate(self.lines):  # (cuts the text first if need be)
            starts.append(y)
            y += len(lines) if lines is not None else self._estimates[index]
        self.starts, self.height = starts, y

    def chunk_at_offset(self, offset: int) -> int:
        """Index of the chunk holding character `offset` of the text."""
        return max(0, bisect_right([c.start for c in self.chunks], offset) - 1)

    def chunk_at_line(self, y: int) -> int:
        """Index of the chunk holding line `y` (per the last layout)."""
        return max(0, bisect_right(self.starts, y) - 1)

    def _locate(self, y: int) -> tuple[ChunkLines, int] | None:
        """The rendered lines holding line `y` and its offset in them, or None when `y` is
        past the end or not rendered yet (per the last layout)."""
        if y < 0 or y >= self.height:
            return None
        index = self.chunk_at_line(y)
        lines = self.lines[index]
        offset = y - self.starts[index]
        if lines is None or offset >= len(lines):
            return None
        return lines, offset

    def line(self, y: int) -> Strip | None:
        """Line `y`, or None when it is past the end or not rendered yet."""
        found = self._locate(y)
        return found[0].strip(found[1]) if found else None

    def line_text(self, y: int) -> str | None:
        """The plain text of line `y`, or None when it is not rendered yet."""
        found = self._locate(y)
        return found[0].text(found[1]) if found else None

    def line_in_chunk(self, index: int, offset: int) -> int:
        """The line of chunk `index` showing character `offset` of the text (best guess: the
        line holding the words found there, else the proportional position)."""
        lines = self.lines[index]
        chunk = self.chunks[index]
        if not lines:
            return 0
        local = offset - chunk.start
        estimate = int(len(lines) * local / max(1, len(chunk.text)))
        words = _WORD.findall(chunk.text[local : local + 200])[:3]
        for n in range(len(words), 0, -1):
            pattern = re.compile(r"\W+".join(re.escape(w) for w in words[:n]), re.IGNORECASE)
            found = [i for i in range(len(lines)) if pattern.search(lines.text(i))]
            if found:
                return min(found, key=lambda i: abs(i - estimate))
        return estimate

    def find(self, needle: str, line: int, col: int) -> tuple[int, int, int, int] | None:
        """The next occurrence of lower-case `needle` from (`line`, character `col`), wrapping
        around: (line, start cell, end cell, character column), or None."""
        for lap in range(2):
            rows = range(line, self.height) if lap == 0 else range(0, line + 1)
            for y in rows:
                text = self.line_text(y)
                if text is None:
                    continue
                text = text.lower()
                found = text.find(needle, col if y == line and not lap else 0)
                if found >= 0:
                    start = cell_len(text[:found])
                    end = start + cell_len(text[found : found + len(needle)])
                    return (y, start, end, found)
        return None

    def prioritize(self, first: int) -> None:
        """Render chunk `first` next, then the ones after it, then the ones before it."""
        self._parts()
        with self._lock:
            self._order = list(range(first, len(self.chunks))) + list(range(first - 1, -1, -1))

    def claim(self) -> int | None:
        """The next chunk to render (marked as taken), or None if none is left."""
        self._parts()
        with self._lock:
            for index in self._order:
                if not self._claimed[index]:
                    self._claimed[index] = True
                    return index
        return None

    def claim_index(self, index: int) -> bool:
        """Take chunk `index` for rendering if nobody has."""
        self._parts()
        with self._lock:
            if self._claimed[index]:
                return False
            self._claimed[index] = True
            return True

    def prepainted(self, frame: RowFrame) -> list[Strip]:
        """The first rows, painted ahead for `frame` (none if painted for another frame)."""
        top = self._top
        return top[1] if top is not None and top[0] == frame.key else []

    @property
    def wants_prepaint(self) -> bool:
        """Whether `prepaint()` has work: a frame to paint for, and not painted for it yet."""
        frame, top = self.frame, self._top
        return frame is not None and (top is None or top[0] != frame.key)

    def prepaint(self) -> None:
        """Paint the first rows for `frame` once their chunks are rendered (any thread): a
        document shown at its top is then on screen without building a row."""
        frame = self.frame
        if frame is None or not self.wants_prepaint:
            return
        rows: list[Strip] = []
        for lines in self.lines:
            if lines is None:
                return  # not rendered yet: the worker comes back after the next chunk
            for index in range(min(len(lines), frame.content_height - len(rows))):
                rows.append(frame.paint(lines.strip(index)))
            if len(rows) >= frame.content_height:
                break
        self._top = (frame.key, rows)

    def render(self, index: int) -> None:
        """Render chunk `index` (claimed by the caller) and store its lines."""
        text = self.chunks[index].text
        try:
            lines = render_chunk(text, self.width, self.style, raw=self.raw, first=index == 0)
        except Exception as exc:  # never lose a document to a renderer bug: show the source
            source = f"(could not render this part: {type(exc).__name__})\n\n" + text
            try:
                lines = render_chunk(source, self.width, self.style, raw=True)
            except Exception:  # not even as text: unwrapped lines, but the chunk is done
                lines = ChunkLines([[Segment(line)] for line in source.splitlines()])
        self.lines[index] = lines


class LineCache:
    """Rendered documents by (key, text, width, style, raw), least recently used dropped first."""

    def __init__(self, max_lines: int = 100_000, max_docs: int = 64) -> None:
        self.max_lines = max_lines
        self.max_docs = max_docs
        self._docs: OrderedDict[tuple[object, ...], RenderedDoc] = OrderedDict()

    def get(self, key: str, text: str, width: int, style: RenderStyle, raw: bool) -> RenderedDoc:
        """The cached document, or a new (unrendered) one, now the most recently used.

        The text is part of the cache key (a key may be edited); the document holds it anyway.
        """
        cache_key = (key, text, width, style.name, raw)
        doc = self._docs.get(cache_key)
        if doc is None:
            doc = RenderedDoc(key, text, width, style, raw)
            self._docs[cache_key] = doc
            self._trim()
        else:
            self._docs.move_to_end(cache_key)
        return doc

    def _trim(self) -> None:
        while len(self._docs) > self.max_docs:
            self._docs.popitem(last=False)
        total = sum(doc.size for doc in self._docs.values())
        while total > self.max_lines and len(self._docs) > 1:
            _, doc = self._docs.popitem(last=False)
            total -= doc.size

    def __len__(self) -> int:
        return len(self._docs)

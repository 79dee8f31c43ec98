"""RenderQueue: a DocView's background rendering — the shown document, the coming one, the
prefetched ones — in a Textual thread worker that holds off while the UI thread paints."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from textual.widget import Widget
from textual.worker import get_current_worker

from hwreview.tui.widgets.line_cache import RenderedDoc
from hwreview.tui.widgets.md_lines import warm_up

__all__ = ["RenderQueue"]

HOLD_LIMIT_S = 0.25
"""The longest the worker waits for a paint (guards against a paint that never comes)."""

REPORT_EVERY_S = 0.1
"""How often, at most, the worker reports progress on a document (each report repaints)."""


class RenderQueue:
    """Renders the chunks a view still lacks, one worker at a time, reporting progress."""

    def __init__(
        self,
        view: Widget,
        shown: Callable[[], tuple[RenderedDoc | None, RenderedDoc | None]],
        report: Callable[[RenderedDoc], object],
        max_prefetch: int,
    ) -> None:
        self._view = view
        self._shown = shown  # (the document on screen, the same one re-rendered, coming)
        self._report = report  # called on the worker thread: must only post a message
        self.prefetched: deque[RenderedDoc] = deque(maxlen=max_prefetch)
        self._wake = threading.Condition()
        self._hold = False  # no background work until the new document is painted
        self._hold_since = 0.0
        self._busy = False  # a render worker is running (guarded by _wake)
        self._wanted = False  # work was added since the worker last looked (guarded by _wake)

    @property
    def busy(self) -> bool:
        """Whether a render worker is running (it exits when nothing is left)."""
        with self._wake:
            return self._busy

    def complete(self) -> bool:
        """Whether every prefetched document is fully rendered (and painted ahead)."""
        with self._wake:
            return all(doc.complete and not doc.wants_prepaint for doc in self.prefetched)

    def add(self, doc: RenderedDoc) -> None:
        """Render `doc` in the background (dropping the oldest request past the limit)."""
        with self._wake:  # the worker reads the queue under the same lock
            if doc.complete and not doc.wants_prepaint or doc in self.prefetched:
                return
            self.prefetched.append(doc)
        if not self._hold:
            self.kick()

    def hold_until_painted(self) -> None:
        """Keep the worker (and the GIL) off the UI thread until the screen is updated."""
        self._hold, self._hold_since = True, time.monotonic()
        self._view.call_after_refresh(self._release)

    def _release(self) -> None:
        self._hold = False
        self.kick()

    def kick(self) -> None:
        """Make sure a worker is rendering whatever is left to render (UI thread).

        The worker is a Textual thread worker that exits when nothing is left, so idle views
        hold no thread (thread workers share the default executor's few threads)."""
        with self._wake:
            self._wanted = True
            if self._busy:
                self._wake.notify()
                return
            self._busy = True
        self._view.run_worker(self._loop, thread=True, exit_on_error=False, group="doc-view")

    def _next_job(self) -> tuple[RenderedDoc, int | None] | None:
        """A chunk to render, or a prefetched document whose first rows to paint (None)."""
        with self._wake:
            prefetched = list(self.prefetched)
        for doc in self._shown():
            index = doc.claim() if doc is not None else None
            if doc is not None and index is not None:
                return doc, index
        for doc in prefetched:
            index = doc.claim()
            if index is not None or doc.wants_prepaint and doc.complete:
                return doc, index
        return None

    def _loop(self) -> None:
        """Worker thread: render the chunks of the shown, the coming and the prefetched documents."""
        worker = get_current_worker()
        posted: dict[int, float] = {}
        finished = False  # left with nothing to do (and said so under the lock)
        try:
            while not worker.is_cancelled:
                if self._hold:
                    # _release() notifies; the time limit only guards against a missed paint
                    with self._wake:
                        remaining = HOLD_LIMIT_S - (time.monotonic() - self._hold_since)
                        if self._hold and remaining > 0:
                            self._wake.wait(remaining)
                            continue
                job = self._next_job()
                if job is None:
                    with self._wake:
                        if not self._wanted:
                            # Say so under the lock: a kick() from now on starts a new worker
                            # instead of notifying this one, which is leaving.
                            self._busy, finished = False, True
                            break
                        self._wanted = False
                    continue
                doc, index = job
                if index is None:
                    # Only its first rows to paint ahead, even if it is shown by now: left
                    # unpainted, it would be offered again at once, and again (a spin).
                    doc.prepaint()
                    continue
                doc.render(index)
                if doc not in self._shown():
                    doc.prepaint()  # painted ahead for when it is shown
                    continue
                # Tell the UI thread, but not after every chunk: each update repaints the view.
                now = time.monotonic()
                if not doc.notified and (
                    doc.complete or now - posted.get(id(doc), 0) > REPORT_EVERY_S
                ):
                    posted = {id(doc): now}
                    doc.notified = True
                    self._report(doc)
        finally:
            if not finished:  # cancelled, or an error (which Textual keeps on the worker)
                with self._wake:
                    self._busy = False
        if finished:
            warm_up()  # once per process, when there is nothing else to do

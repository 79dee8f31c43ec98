"""Time spent per part and the resume position: noted in memory, written every few seconds."""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING

from hwreview.errors import HwReviewError
from hwreview.tui.text import plain

if TYPE_CHECKING:
    from hwreview.tui.screens.review_host import ScreenHost

MAX_VISIT_SECONDS = 15 * 60


class VisitClock:
    """Counts the time on each (part, transcript) shown; `save` writes it in one batch.

    Not on every part switch: that rewrote the whole session file (transcripts included)
    inside the keypress. Grades are saved at once; this is saved on a timer and on leaving.
    """

    def __init__(self, host: ScreenHost) -> None:
        self.host = host
        self.started = monotonic()  # when the visit being counted began
        self._pending: dict[tuple[str, str], float] = {}
        self._position: tuple[str, str] | None = None

    def record(
        self, part_id: str, transcript_id: str, position: tuple[str, str] | None = None
    ) -> None:
        """Note the time since the last call on (part, transcript), and where the grader is."""
        elapsed = monotonic() - self.started
        self.started = monotonic()
        # A grader who walks away leaves the clock running: count at most MAX_VISIT per visit.
        elapsed = min(elapsed, MAX_VISIT_SECONDS) if elapsed >= 0.5 else 0.0
        if elapsed:
            key = (part_id, transcript_id)
            self._pending[key] = self._pending.get(key, 0.0) + elapsed
        if position:
            self._position = position

    def move(self, position: tuple[str, str]) -> None:
        """Note where the grader is now, without counting time (the first part shown)."""
        self._position = position

    def save(self) -> None:
        """Write the time per part and the resume position noted since the last write."""
        session = self.host.session
        if session.read_only or not (self._pending or self._position):
            return
        pending, self._pending = self._pending, {}
        position, self._position = self._position, None
        try:
            session.add_times(pending, position)
        except HwReviewError as exc:
            self.host.notify(f"Time on parts not saved: {plain(str(exc))}", severity="warning")

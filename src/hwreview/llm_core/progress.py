"""What a collection has done so far: parts, tokens, cost, elapsed; one line to show it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class CollectProgress:
    """Counters shared by every conversation of one `hwreview collect` run."""

    parts_total: int = 0
    parts_done: int = 0
    tokens: int = 0
    cost: float | None = None
    started: float = field(default_factory=time.monotonic)
    notes: list[str] = field(default_factory=list)
    shown: float = 0.0  # when a streaming reply last redrew the progress line

    def due(self, every: float = 0.1) -> bool:
        """True at most once per `every` seconds: a streamed token redraws no more often."""
        now = time.monotonic()
        if now - self.shown < every:
            return False
        self.shown = now
        return True

    def add_cost(self, cost: float | None) -> None:
        """Add a reply's cost when litellm knew it."""
        if cost is not None:
            self.cost = (self.cost or 0.0) + cost

    def line(self) -> str:
        """`7/12 parts · 1,530 tokens · 12 s · $0.0031` (cost only when known)."""
        elapsed = int(time.monotonic() - self.started)
        pieces = [
            f"{self.parts_done}/{self.parts_total} parts",
            f"{self.tokens:,} tokens",
            f"{elapsed} s",
        ]
        if self.cost is not None:
            pieces.append(f"${self.cost:.4f}")
        return " · ".join(pieces)

"""The one clock for stored timestamps (tests replace `now` to freeze time)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> str:
    """The current time as an ISO-8601 UTC string, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")

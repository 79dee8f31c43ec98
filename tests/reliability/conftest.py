"""The reliability suite: a bounded run in `make test`, the long run with HWREVIEW_STRESS=1.

Every fuzz and fault test adds what it tried to TALLY; `make stress` writes the totals to the
file named by HWREVIEW_STRESS_REPORT (docs/reliability.md quotes them).
"""

from __future__ import annotations

import json
import os
import resource
import signal
from collections.abc import Iterator

import pytest
from hostile import HANG_SECONDS, TALLY


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail any single input that takes longer than HANG_SECONDS (SIGALRM in the main thread)."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"one input took over {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hung)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the tallies of this run (with the peak memory) where `make stress` asked."""
    target = os.environ.get("HWREVIEW_STRESS_REPORT")
    if not target or not TALLY:
        return
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    report = {**TALLY, "peak_memory_mb": peak, "peak_child_memory_mb": children}
    report["exit_status"] = int(exitstatus)
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2, sort_keys=True)

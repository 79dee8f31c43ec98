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
from typing import Any

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


def _peaks() -> dict[str, int]:
    """This process's peak memory and its children's, in MB."""
    return {
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "peak_child_memory_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }


WORKER_PEAKS: list[dict[str, int]] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """Under pytest-xdist, add each worker's tallies to the controller's."""
    output = getattr(node, "workeroutput", {})
    TALLY.update(output.get("hwreview_tally", {}))
    if "hwreview_peaks" in output:
        WORKER_PEAKS.append(output["hwreview_peaks"])


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the tallies of this run (with the peak memory) where `make stress` asked.

    An xdist worker hands its tallies to the controller instead, which writes the sum.
    """
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["hwreview_tally"] = dict(TALLY)
        workeroutput["hwreview_peaks"] = _peaks()
        return
    target = os.environ.get("HWREVIEW_STRESS_REPORT")
    if not target or not TALLY:
        return
    peaks = [_peaks(), *WORKER_PEAKS]
    report: dict[str, Any] = dict(TALLY)
    for key in ("peak_memory_mb", "peak_child_memory_mb"):
        report[key] = max(p[key] for p in peaks)
    report["exit_status"] = int(exitstatus)
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2, sort_keys=True)

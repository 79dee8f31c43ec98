"""A real terminal: after part switches (painted as partial updates), the screen is the one a
full repaint draws — no cell left over from the previous part, border or scrollbar stale."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from test_tmux import Tmux, start_demo

pytestmark = pytest.mark.tmux

TMUX = shutil.which("tmux")


def settled(tmux: Tmux, unlike: str = "", timeout: float = 20.0) -> str:
    """The pane (text and colours) once it differs from `unlike` and has not changed for half
    a second."""
    deadline = time.monotonic() + timeout
    last, since = "", time.monotonic()
    while time.monotonic() < deadline:
        shot = tmux.run("capture-pane", "-p", "-e", "-t", "hw").stdout
        if shot == unlike:
            last = ""
        elif shot != last:
            last, since = shot, time.monotonic()
        elif time.monotonic() - since >= 0.5:
            return shot
        time.sleep(0.05)
    raise AssertionError(f"the screen never settled:\n{last}")


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the real-terminal test needs it")
def test_part_switches_leave_the_screen_a_full_repaint_would_draw(tmp_path: Path) -> None:
    tmux, _ = start_demo(tmp_path, "repaint", 90, 26)
    try:
        tmux.wait_for("0/24 graded")
        seen = set()
        partial = settled(tmux)
        for key in ("n", "n", "n", "p", "n", "n"):
            tmux.keys(key)
            partial = settled(tmux, unlike=partial)
            seen.add(partial)
            # A resize and back makes the app lay out and paint every cell again.
            tmux.run("resize-window", "-t", "hw", "-x", "91", "-y", "26")
            settled(tmux)
            tmux.run("resize-window", "-t", "hw", "-x", "90", "-y", "26")
            # (the views re-render in the background: wait for the screen to come back)
            deadline = time.monotonic() + 15
            shot = ""
            while shot != partial and time.monotonic() < deadline:
                time.sleep(0.1)
                shot = tmux.run("capture-pane", "-p", "-e", "-t", "hw").stdout
            assert shot == partial
        assert len(seen) >= 4  # parts 2, 3, 4 and 5 were shown
    finally:
        tmux.run("kill-server")

"""`hwreview open` in a real terminal: a damaged session is one clear line and exit status 1."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pytest
from test_tmux import TMUX, Tmux

pytestmark = pytest.mark.tmux


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the real-terminal test needs it")
def test_opening_a_damaged_session_prints_one_line_and_fails(tmp_path: Path) -> None:
    home = tmp_path / "tmux-home"
    (home / "sessions").mkdir(parents=True)
    (home / "sessions" / "torn.json").write_text('{"meta": {"1": {"form', encoding="utf-8")
    exe = Path(sys.executable).parent / "hwreview"
    # The session file is read by the terminal UI's worker; the app quits and says why.
    command = (
        f"env HWREVIEW_HOME={shlex.quote(str(home))} TERM=xterm-256color "
        f"sh -c '{shlex.quote(str(exe))} open torn; echo EXIT=$?; sleep 30'"
    )
    tmux = Tmux(f"hwreview-open-{os.getpid()}")
    started = tmux.run("new-session", "-d", "-x", "220", "-y", "30", "-s", "hw", command)
    assert started.returncode == 0, started.stderr
    try:
        screen = tmux.wait_for("EXIT=")
    finally:
        tmux.run("kill-server")
    lines = [line for line in screen.splitlines() if line.strip()]
    assert lines[-1] == "EXIT=1", screen
    assert lines[-2].startswith("Error: ") and "torn.json is damaged" in lines[-2], screen
    assert "Traceback" not in screen

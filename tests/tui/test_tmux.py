"""A real terminal: run `hwreview demo` inside tmux, grade three parts by keys, quit, check the file."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hwreview.model import Verdict
from hwreview.session.session import Session

pytestmark = pytest.mark.tmux

TMUX = shutil.which("tmux")


class Tmux:
    """One tmux server on a private socket, with one session running a command."""

    def __init__(self, socket: str) -> None:
        self.base = [TMUX or "tmux", "-L", socket]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a tmux command on this server."""
        return subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=10)

    def screen(self) -> str:
        """The text on the pane now."""
        return self.run("capture-pane", "-p", "-t", "hw").stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Poll the pane until `text` shows (or fail with what is on screen)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def keys(self, *keys: str) -> None:
        """Send keys one at a time, with a short pause between them."""
        for key in keys:
            self.run("send-keys", "-t", "hw", key)
            time.sleep(0.15)

    def alive(self) -> bool:
        """Whether the tmux session (the app) is still running."""
        return self.run("has-session", "-t", "hw").returncode == 0

    def quit(self, timeout: float = 10.0) -> bool:
        """Press q and wait for the app to leave; whether it did."""
        self.keys("q")
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        return not self.alive()


def start_demo(tmp_path: Path, name: str, width: int, height: int) -> tuple[Tmux, Path]:
    """`hwreview demo` in a fresh home, in a WIDTH×HEIGHT tmux pane; the server and the home."""
    home = tmp_path / f"{name}-home"
    home.mkdir()
    exe = Path(sys.executable).parent / "hwreview"
    command = (
        f"env HWREVIEW_HOME={shlex.quote(str(home))} TERM=xterm-256color "
        f"{shlex.quote(str(exe))} demo"
    )
    tmux = Tmux(f"hwreview-{name}-{os.getpid()}")
    started = tmux.run(
        "new-session", "-d", "-x", str(width), "-y", str(height), "-s", "hw", command
    )
    assert started.returncode == 0, started.stderr
    return tmux, home


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the real-terminal test needs it")
def test_grade_three_parts_in_a_real_terminal(tmp_path: Path) -> None:
    tmux, home = start_demo(tmp_path, "test", 120, 40)
    try:
        tmux.wait_for("0/24 graded")
        tmux.keys("1")
        tmux.wait_for("1/24 graded")
        tmux.keys("n", "3")
        tmux.wait_for("2/24 graded")
        tmux.keys("t", "2")
        tmux.wait_for("Partial: points for 1b")  # the key gives points: a partial asks
        tmux.keys("1", "Enter")
        tmux.wait_for("3/24 graded")
        tmux.keys("v")
        tmux.wait_for("1b in turn-by-turn")
        tmux.keys("]")
        tmux.wait_for("set by hand")
        tmux.keys("Escape")
        time.sleep(0.5)
        tmux.wait_for("3/24 graded")
        assert tmux.quit(), "q did not quit:\n" + tmux.screen()
    finally:
        tmux.run("kill-server")
    with Session.open(home, "demo", read_only=True) as session:
        assert session.grade("1a", "t1").verdict is Verdict.CORRECT
        assert session.grade("1b", "t1").verdict is Verdict.INCORRECT
        assert session.grade("1b", "t2").verdict is Verdict.PARTIAL
        assert session.grade("1b", "t2").points == 1
        assert session.position == ("1b", "t2")
        assert session.transcript("t2").alignments["1b"].manual
    Session.open(home, "demo").close()  # the lock was released


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the real-terminal test needs it")
def test_note_typed_in_a_burst_then_ctrl_s_is_saved_whole(tmp_path: Path) -> None:
    note = "Method right; wrong constant in the last step of the integral"
    tmux, home = start_demo(tmp_path, "burst", 120, 40)
    try:
        tmux.wait_for("0/24 graded")
        tmux.keys("c")
        tmux.wait_for("ctrl+s saves")
        # the whole note and ctrl+s in one write to the terminal, as a fast typist's burst
        tmux.run("send-keys", "-t", "hw", "-l", note)
        tmux.run("send-keys", "-t", "hw", "C-s")
        tmux.wait_for("saved")
        tmux.quit()
    finally:
        tmux.run("kill-server")
    with Session.open(home, "demo", read_only=True) as session:
        assert session.grade("1a", "t1").note == note

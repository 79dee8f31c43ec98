"""A terminal closed under hwreview: the app leaves, and the session is free for the next one."""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path

import pytest
from test_tmux import TMUX, Tmux

pytestmark = pytest.mark.tmux


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split(") ", 1)[1][:1] != "Z"  # a zombie has left


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the real-terminal test needs it")
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_the_app_leaves_when_its_terminal_goes_without_a_hangup_signal(tmp_path: Path) -> None:
    home = tmp_path / "hangup-home"
    home.mkdir()
    pidfile = tmp_path / "pid"
    exe = Path(sys.executable).parent / "hwreview"
    # `make demo` keeps the hang-up to itself; a shell ignoring it and exec'ing the app does
    # the same for the test: the app gets no SIGHUP when its terminal goes
    inner = f"trap '' HUP; echo $$ > {shlex.quote(str(pidfile))}; exec {shlex.quote(str(exe))} demo"
    command = (
        f"env HWREVIEW_HOME={shlex.quote(str(home))} TERM=xterm-256color sh -c {shlex.quote(inner)}"
    )
    tmux = Tmux(f"hwreview-hangup-{os.getpid()}")
    started = tmux.run("new-session", "-d", "-x", "120", "-y", "40", "-s", "hw", command)
    assert started.returncode == 0, started.stderr
    try:
        tmux.wait_for("0/24 graded")
        pid = int(pidfile.read_text().strip())
        holder = home / "sessions" / ".demo.json.holder"
        assert holder.exists()  # the app holds the session
    finally:
        tmux.run("kill-server")
    deadline = time.monotonic() + 20
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        assert not _running(pid), "the app kept running on a closed terminal"
        assert not holder.exists(), "the session is still held"
    finally:
        if _running(pid):
            os.kill(pid, 9)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the real-terminal test needs it")
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_a_note_typed_when_the_terminal_goes_is_offered_when_the_editor_opens_again(
    tmp_path: Path,
) -> None:
    from hwreview.session.drafts import Drafts
    from hwreview.session.session import Session

    home = tmp_path / "draft-home"
    home.mkdir()
    pidfile = tmp_path / "pid"
    exe = Path(sys.executable).parent / "hwreview"
    inner = f"trap '' HUP; echo $$ > {shlex.quote(str(pidfile))}; exec {shlex.quote(str(exe))} demo"
    env = f"env HWREVIEW_HOME={shlex.quote(str(home))} TERM=xterm-256color"
    note = "Right idea, but the rank bound is never stated"

    tmux = Tmux(f"hwreview-draft-{os.getpid()}")
    command = f"{env} sh -c {shlex.quote(inner)}"
    started = tmux.run("new-session", "-d", "-x", "120", "-y", "40", "-s", "hw", command)
    assert started.returncode == 0, started.stderr
    try:
        tmux.wait_for("0/24 graded")
        pid = int(pidfile.read_text().strip())
        tmux.keys("c")
        tmux.wait_for("ctrl+s saves")
        tmux.run("send-keys", "-t", "hw", "-l", note)
        tmux.wait_for(note)
    finally:
        tmux.run("kill-server")  # the terminal goes at once: no save, no pause
    deadline = time.monotonic() + 20
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(pid), "the app kept running on a closed terminal"
    session_file = home / "sessions" / "demo.json"
    with Session.open(home, "demo", read_only=True) as session:
        assert session.grade("1a", "t1").note == ""  # never saved
    assert Drafts(session_file).get("note:1a:t1").text == note

    tmux = Tmux(f"hwreview-draft2-{os.getpid()}")
    started = tmux.run(
        "new-session", "-d", "-x", "120", "-y", "40", "-s", "hw", f"{env} {exe} demo"
    )
    assert started.returncode == 0, started.stderr
    try:
        tmux.wait_for("0/24 graded")
        tmux.keys("c")
        tmux.wait_for("Restored the unsaved text typed at")
        tmux.wait_for(note)
        tmux.keys("C-s")
        tmux.wait_for("0/24 graded")
        assert tmux.quit(), "q did not quit:\n" + tmux.screen()
    finally:
        tmux.run("kill-server")
    with Session.open(home, "demo", read_only=True) as session:
        assert session.grade("1a", "t1").note == note
    assert Drafts(session_file).get("note:1a:t1") is None

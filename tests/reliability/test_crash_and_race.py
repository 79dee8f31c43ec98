"""SIGKILLed writers and writers racing: no acknowledged write is lost, the session always opens.

A writer prints 'ack NOTE' only after set_grade returned; every acknowledged note must be in
the session's audit history afterwards, however the writers died or interleaved.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import TALLY, scale

from hwreview.session.session import Session

CHILD = Path(__file__).with_name("writer_child.py")


def start(home: Path, tag: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(home), "s", tag, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def acknowledged(output: str) -> set[str]:
    return {line[4:] for line in output.splitlines() if line.startswith("ack ")}


def saved_notes(home: Path) -> set[str]:
    with Session.open(home, "s", read_only=True) as session:
        return {str(change.new) for change in session.history() if change.field == "note"}


@pytest.fixture
def home(hw_home: Path, make_session) -> Path:
    make_session("s").close()
    return hw_home


def test_sigkilled_writers_lose_no_acknowledged_grade(home: Path) -> None:
    rng = random.Random(5)
    acked: set[str] = set()
    kills = scale(6, 500)
    for number in range(kills):
        child = start(home, f"k{number}", 10_000)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))  # start-up, lock, and somewhere in the writes
        os.kill(child.pid, signal.SIGKILL)
        out, err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, err
        assert "Traceback" not in err, err
        acked |= acknowledged(out)
        TALLY["SIGKILLs survived"] += 1
        if number % 25 == 24:
            assert acked <= saved_notes(home)  # opens every time: never torn
    assert acked, "no writer got as far as a write: the kills came too early"
    assert acked <= saved_notes(home)
    TALLY["acknowledged writes checked after kills"] += len(acked)
    Session.open(home, "s").close()  # the lock of the last killed writer is free again
    leftovers = [p.name for p in (home / "sessions").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []  # opening as a writer removed the killed writers' temp files


def test_racing_writers_lose_no_acknowledged_grade(home: Path) -> None:
    writers, each = scale(4, 8), scale(10, 60)
    children = [start(home, f"w{n}", each) for n in range(writers)]
    acked: set[str] = set()
    for child in children:
        out, err = child.communicate(timeout=600)
        assert child.returncode == 0, err
        acked |= acknowledged(out)
    assert len(acked) == writers * each
    assert acked <= saved_notes(home)
    TALLY["writers raced"] += writers
    TALLY["acknowledged writes checked after races"] += len(acked)

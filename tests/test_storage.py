"""Sessions survive crashes, refuse a second writer, and report damage without touching it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.errors import HwReviewError, SessionBrokenError, SessionLockedError
from hwreview.model import Verdict
from hwreview.paths import check_session_name
from hwreview.session.session import Session

# A child process that grades 3c and "crashes" (os._exit, no clean-up) at the Nth
# file-system step of the write: each open/write of the temp file, fsync, link and rename.
CRASH_CHILD = textwrap.dedent(
    """
    import builtins, os, sys
    from pathlib import Path
    import hwreview.session.storage as storage
    from hwreview.session.session import Session

    target = int(sys.argv[2])
    step = 0

    def tick(name):
        global step
        step += 1
        if step == target:
            Path(sys.argv[3]).write_text(name + " " + str(replaces))
            os._exit(17)

    replaces = 0

    def wrap(name, func):
        def inner(*args, **kwargs):
            global replaces
            tick(name)
            result = func(*args, **kwargs)
            replaces += name == "replace"
            return result
        return inner

    class HalfFile:
        def __init__(self, handle):
            self.handle = handle
        def write(self, data):
            tick("write-half")
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            tick("write-rest")
            return self.handle.write(data[len(data) // 2 :])
        def __getattr__(self, name):
            return getattr(self.handle, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)

    def fake_open(*args, **kwargs):
        tick("open")
        return HalfFile(builtins.open(*args, **kwargs))

    session = Session.open(Path(sys.argv[1]), "s")
    storage.open = fake_open
    for name in ("fsync", "link", "replace", "unlink"):
        setattr(storage.os, name, wrap(name, getattr(os, name)))
    session.set_grade("3c", "t1", verdict="incorrect", note="crash test")
    os._exit(0)
    """
)


def _run_child(home: Path, step: int) -> tuple[int, str]:
    log = home / "crash-step.txt"
    log.unlink(missing_ok=True)
    code = subprocess.run(
        [sys.executable, "-c", CRASH_CHILD, str(home), str(step), str(log)], timeout=60
    ).returncode
    return code, log.read_text() if log.exists() else ""


def test_crash_at_every_step_of_a_write_leaves_old_or_new_session(make_session, hw_home: Path):
    with make_session() as s:
        s.set_grade("1a", verdict="correct")
    path = hw_home / "sessions" / "s.json"
    old = path.read_bytes()
    outcomes = []
    for step in range(1, 40):
        path.write_bytes(old)
        code, where = _run_child(hw_home, step)
        with Session.open(hw_home, "s") as s:  # opens cleanly: lock released by the dead child
            verdict = s.grade("3c", "t1").verdict
            assert s.grade("1a", "t1").verdict is Verdict.CORRECT
        assert verdict in (Verdict.UNGRADED, Verdict.INCORRECT)
        if code == 17:
            name, replaces = where.split()
            outcomes.append(name)
            # The new session appears exactly when the temp file is renamed over it (the
            # second rename: the first puts the old file in place as NAME.json.bak).
            renamed = int(replaces) >= 2
            assert verdict is (Verdict.INCORRECT if renamed else Verdict.UNGRADED), where
            bak = json.loads((hw_home / "sessions" / "s.json.bak").read_text())
            assert bak["meta"]
        else:
            assert code == 0 and verdict is Verdict.INCORRECT
            break
    else:
        pytest.fail("the write never completed")
    assert {"open", "write-half", "write-rest", "fsync", "link", "replace"} <= set(outcomes)


def test_killed_writer_never_leaves_a_broken_session(make_session, hw_home: Path):
    make_session().close()
    loop = textwrap.dedent(
        """
        import itertools, sys
        from pathlib import Path
        from hwreview.session.session import Session
        s = Session.open(Path(sys.argv[1]), "s")
        parts = [p.id for p in s.assignment.parts]
        verdicts = ["correct", "partial", "incorrect", "omitted"]
        for i in itertools.count():
            s.set_grade(parts[i % len(parts)], "t1", verdict=verdicts[i % 4], note="x" * (i % 50))
            if i == 0:  # one save made, so a backup exists from here on, however loaded the machine
                print("ready", flush=True)
        """
    )
    path = hw_home / "sessions" / "s.json"
    for delay in (0.05, 0.13, 0.21, 0.34, 0.55):
        child = subprocess.Popen(
            [sys.executable, "-c", loop, str(hw_home)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        json.loads(path.read_text(encoding="utf-8"))
        json.loads((hw_home / "sessions" / "s.json.bak").read_text(encoding="utf-8"))
        with Session.open(hw_home, "s") as s:
            assert len(s.history()) >= 1


def test_second_writer_is_refused_with_the_holder_named(make_session, hw_home: Path):
    make_session().close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\nfrom hwreview.session.session import Session\n"
            "s = Session.open(Path(sys.argv[1]), 's', purpose='hwreview tui')\n"
            "print('held', flush=True)\ntime.sleep(60)",
            str(hw_home),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(SessionLockedError) as info:
            Session.open(hw_home, "s")
        assert f"pid {holder.pid}" in str(info.value) and "hwreview tui" in str(info.value)
        result = CliRunner().invoke(main, ["grade", "s", "1a", "correct"])
        assert result.exit_code == 1 and "open for writing by" in result.output
        with Session.open(hw_home, "s", read_only=True) as s:  # reading still works
            assert s.progress() == (0, 12)
        result = CliRunner().invoke(main, ["report", "s", "--format", "csv"])
        assert result.exit_code == 0
    finally:
        holder.kill()
        holder.wait()
    with Session.open(hw_home, "s") as s:  # the lock dies with its holder
        s.set_grade("1a", verdict="correct")


def test_same_process_second_writer_is_refused(make_session, hw_home: Path):
    with make_session(), pytest.raises(SessionLockedError):
        Session.open(hw_home, "s")


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda b: b[: len(b) // 2], "is damaged (line 1"),
        (lambda b: b"", "is damaged (it is empty)"),
        (lambda b: b"[1, 2]", "not a session object"),
        (lambda b: b'{"meta": {}}', "not an hwreview session"),
        (lambda b: b"\xff\xfe garbage", "not UTF-8"),
    ],
)
def test_broken_session_is_reported_and_left_untouched(
    make_session, hw_home: Path, damage, message
):
    with make_session() as s:
        s.set_grade("1a", verdict="correct")
    path = hw_home / "sessions" / "s.json"
    broken = damage(path.read_bytes())
    path.write_bytes(broken)
    bak_before = (hw_home / "sessions" / "s.json.bak").read_bytes()
    with pytest.raises(SessionBrokenError, match="damaged|not an hwreview") as info:
        Session.open(hw_home, "s")
    assert message in str(info.value)
    for args in (["grade", "s", "1b", "correct"], ["report", "s"], ["list"]):
        result = CliRunner().invoke(main, args)
        assert "Traceback" not in result.output
        assert message in result.output
        assert len(result.output.strip().splitlines()) <= 2
    if message.startswith("is damaged ("):
        assert "s.json.bak" in str(info.value)
    assert path.read_bytes() == broken
    assert (hw_home / "sessions" / "s.json.bak").read_bytes() == bak_before


def test_session_from_a_newer_version_is_refused(make_session, hw_home: Path):
    make_session().close()
    path = hw_home / "sessions" / "s.json"
    data = json.loads(path.read_text())
    next(iter(data["meta"].values()))["format"] = "hwreview.session/7"
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["grade", "s", "1a", "correct"])
    assert result.exit_code == 1
    assert "newer hwreview (format hwreview.session/7)" in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "name", ["../x", "/etc/x", "", "  ", "a\x1bb", "a\nb", "..", "x/y", ".hidden"]
)
def test_bad_session_names_are_refused(name: str, hw_home: Path):
    with pytest.raises(HwReviewError):
        check_session_name(name)
    result = CliRunner().invoke(
        main, ["new", name, "--key", "keys/demo.md", "--transcript", "transcripts/one-shot.md"]
    )
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert not (hw_home.parent / "x.json").exists()
    assert not list(hw_home.rglob("*.json"))


def test_failed_write_keeps_the_file_and_memory_consistent(
    make_session, hw_home: Path, monkeypatch
):
    with make_session() as s:
        s.set_grade("1a", verdict="correct")
        path = hw_home / "sessions" / "s.json"
        before = path.read_bytes()

        def full_disk(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr("hwreview.session.storage.os.replace", full_disk)
        with pytest.raises(OSError):
            s.set_grade("1b", verdict="partial")
        monkeypatch.undo()
        assert path.read_bytes() == before
        assert s.grade("1b", "t1").verdict is Verdict.UNGRADED  # memory matches the disk
        s.set_grade("1b", verdict="partial")
    assert not [p for p in os.listdir(hw_home / "sessions") if p.endswith(".tmp")]

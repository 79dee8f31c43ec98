"""`-o` writes only what it was meant to; saves keep the file's mode; nothing is lost to a crash."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.errors import HwReviewError, SessionLockedError
from hwreview.services import delete_session, read_row
from hwreview.session.session import Session
from hwreview.session.storage import SessionLock


def cli(*args: str):
    """Run hwreview in-process; return (exit code, output)."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def hw(hw_home: Path, make_session) -> Path:
    """A home with one session, `hw`."""
    make_session("hw").close()
    return hw_home


def refused(*args: str) -> str:
    code, output = cli(*args)
    assert code == 1, output
    assert "Traceback" not in output and len(output.strip().splitlines()) == 1, output
    return output


def test_report_output_refuses_an_existing_file_without_force(hw: Path) -> None:
    target = hw / "r.md"
    target.write_text("mine")
    assert "--force" in refused("report", "hw", "-o", str(target))
    assert target.read_text() == "mine"
    assert cli("report", "hw", "-o", str(target), "--force")[0] == 0
    assert target.read_text().startswith("#")


def test_report_output_keeps_the_mode_of_the_file_it_replaces(hw: Path) -> None:
    target = hw / "r.md"
    target.write_text("old")
    target.chmod(0o600)
    assert cli("report", "hw", "-o", str(target), "--force")[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_report_output_never_replaces_a_symlink(hw: Path) -> None:
    real = hw / "real.md"
    real.write_text("real")
    link = hw / "link.md"
    link.symlink_to(real)
    assert "symbolic link" in refused("report", "hw", "-o", str(link), "--force")
    assert link.is_symlink() and real.read_text() == "real"


def test_report_output_never_replaces_a_fifo(hw: Path) -> None:
    fifo = hw / "pipe.md"
    os.mkfifo(fifo)
    assert "FIFO" in refused("report", "hw", "-o", str(fifo), "--force")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_report_output_never_replaces_a_device(hw: Path) -> None:
    assert "device" in refused("report", "hw", "-o", "/dev/null", "--force")


def test_report_output_never_replaces_a_read_only_file(hw: Path) -> None:
    target = hw / "r.md"
    target.write_text("keep")
    target.chmod(0o444)
    assert "read-only" in refused("report", "hw", "-o", str(target), "--force")
    assert target.read_text() == "keep"


def test_report_output_never_replaces_the_session_lock_or_backup(hw: Path) -> None:
    with Session.open(hw, "hw") as session:
        session.set_grade("1a", "t1", verdict="correct")
        lock = session.store.lock.lock_path
        for target in (lock, hw / "sessions" / "hw.json.bak"):
            refused("report", "hw", "-o", str(target), "--force")
        assert lock.exists()
        # a second writer is still refused: the lock file was not replaced
        with pytest.raises(SessionLockedError):
            Session.open(hw, "hw")


def test_import_output_never_overwrites_a_session(hw: Path) -> None:
    session_file = hw / "sessions" / "hw.json"
    before = session_file.read_bytes()
    for flags in ((), ("--force",)):
        refused("import", "auto", "transcripts/one-shot.md", "-o", str(session_file), *flags)
    assert session_file.read_bytes() == before
    elsewhere = hw / "elsewhere.json"
    elsewhere.write_text("{}")
    refused("import", "auto", "transcripts/one-shot.md", "-o", str(elsewhere))
    assert cli("import", "auto", "transcripts/one-shot.md", "-o", str(elsewhere), "--force")[0] == 0
    assert json.loads(elsewhere.read_text())["format"] == "hwreview.transcript/1"


def test_session_save_keeps_the_file_mode(hw: Path) -> None:
    path = hw / "sessions" / "hw.json"
    path.chmod(0o600)
    with Session.open(hw, "hw") as session:
        session.set_grade("1a", "t1", verdict="partial")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_symlinked_session_is_refused_for_writing_and_stays_a_link(
    hw: Path, tmp_path: Path
) -> None:
    real = tmp_path / "elsewhere.json"
    (hw / "sessions" / "hw.json").rename(real)
    link = hw / "sessions" / "hw.json"
    link.symlink_to(real)
    with pytest.raises(HwReviewError, match="symbolic link"):
        Session.open(hw, "hw")
    assert link.is_symlink()
    code, output = cli("grade", "hw", "1a", "correct")
    assert code == 1 and "symbolic link" in output


def test_stale_temp_files_of_killed_writers_are_removed_on_open(hw: Path) -> None:
    folder = hw / "sessions"
    stale = [folder / ".hw.json.4242.tmp", folder / ".hw.json.bak.4242.tmp"]
    stale.append(folder / "..hw.json.holder.4242.tmp")
    other = folder / ".hw.json.x.4242.tmp"
    for path in [*stale, other]:
        path.write_text("torn")
    Session.open(hw, "hw").close()
    assert not any(p.exists() for p in stale)
    assert other.exists()


def test_delete_with_a_folder_as_backup_deletes_nothing(hw: Path) -> None:
    (hw / "sessions" / "hw.json.bak").mkdir()
    with pytest.raises(HwReviewError, match="not a regular file"):
        delete_session(hw, "hw")
    assert (hw / "sessions" / "hw.json").exists()


def test_lock_refusal_names_the_holder_even_right_after_it_locked(hw: Path) -> None:
    path = hw / "sessions" / "hw.json"
    for _ in range(20):
        first = SessionLock(path, "hwreview grade")
        first.acquire()
        holder = first.holder_path
        note = holder.read_bytes()
        holder.unlink()  # the moment between taking the lock and writing its note

        def late_note(holder: Path = holder, note: bytes = note) -> None:
            temp = holder.with_name(holder.name + ".new")
            temp.write_bytes(note)
            temp.replace(holder)  # the holder writes its note atomically too

        import threading

        timer = threading.Timer(0.05, late_note)
        timer.start()
        try:
            with pytest.raises(SessionLockedError) as caught:
                SessionLock(path, "hwreview report").acquire()
        finally:
            timer.join()
            first.release()
        assert "hwreview grade (pid" in str(caught.value)


def test_session_file_named_x_json_json_is_listed_as_unopenable(hw: Path) -> None:
    path = hw / "sessions" / "x.json.json"
    path.write_bytes((hw / "sessions" / "hw.json").read_bytes())
    row = read_row(path)
    assert row.name == "x.json.json" and "rename" in row.error


def test_new_into_a_closed_pipe_succeeds_quietly(hw_home: Path) -> None:
    exe = Path(sys.executable).parent / "hwreview"
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (`| head`) has already gone: every write fails with EPIPE
    try:
        done = subprocess.run(
            [str(exe), "new", "piped", "--key", "keys/demo.md", "--transcript",
             "transcripts/one-shot.md"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            cwd=hw_home,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert (hw_home / "sessions" / "piped.json").exists()


def test_collect_output_never_replaces_a_symlink_or_a_session(tmp_path: Path) -> None:
    from hwreview.errors import HwReviewError
    from hwreview.llm_core.runfile import RunRecord, open_record

    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me\n")
    link = tmp_path / "run.json"
    link.symlink_to(target)
    session = tmp_path / "session.json"
    session.write_text('{"meta": {"1": {"format": "hwreview.session/2"}}}')
    for path in (link, session):
        record = RunRecord(path, "t", "m", "one-shot", {}, "sha", 1)
        with pytest.raises(HwReviewError):
            open_record(record)
    assert link.is_symlink() and target.read_text() == "keep me\n"

"""The UI thread only draws: session files are read by workers; placeholders show meanwhile."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static
from tui_helpers import make_session, settle, wait_until

from hwreview.session import storage
from hwreview.session.session import Session
from hwreview.tui.app import make_app
from hwreview.tui.screens.home import HomeScreen
from hwreview.tui.screens.opening import OpeningScreen
from hwreview.tui.screens.report_screen import ReportScreen
from hwreview.tui.screens.review import ReviewScreen
from hwreview.tui.widgets.doc_view import DocView
from hwreview.tui.widgets.part_tree import PartTree

SIZE = (120, 36)


class GatedReads:
    """Wraps a file-reading function: records the thread of each call, and can hold calls
    until `release()` so a test sees what the screen shows meanwhile."""

    def __init__(self, function, hold: bool = False) -> None:
        self.function = function
        self.threads: list[threading.Thread] = []
        self.gate = threading.Event()
        if not hold:
            self.gate.set()

    def __call__(self, *args, **kwargs):
        self.threads.append(threading.current_thread())
        assert self.gate.wait(10), "the test never released the read"
        return self.function(*args, **kwargs)

    def release(self) -> None:
        """Let the held reads go on."""
        self.gate.set()

    @property
    def on_ui_thread(self) -> int:
        """How many reads ran on the main (UI) thread."""
        return sum(1 for thread in self.threads if thread is threading.main_thread())


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> GatedReads:
    """Every session-file read, held until the test releases it."""
    gated = GatedReads(storage.load_json_file, hold=True)
    monkeypatch.setattr(storage, "load_json_file", gated)
    return gated


async def until(pilot, predicate) -> None:
    """Pause until `predicate()` holds (not waiting for the held workers, as settle would)."""
    for _ in range(500):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out")


async def test_opening_a_session_reads_it_in_a_worker(
    home: Path, one: str, reads, monkeypatch
) -> None:
    key_reads = GatedReads(Session.key_changed)  # the key file on disk is read too
    monkeypatch.setattr(Session, "key_changed", lambda self: key_reads(self))
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: reads.threads)
        await pilot.pause(0.1)
        assert isinstance(app.screen, OpeningScreen)
        assert "Opening one…" in str(app.screen.query_one(Static).render())
        reads.release()
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one(PartTree).current == "1a"
        assert app.screen.sub_title.startswith("0/12 graded")
    assert reads.threads and reads.on_ui_thread == 0
    assert key_reads.threads and key_reads.on_ui_thread == 0


async def test_a_session_that_cannot_be_opened_falls_back_to_the_list(home: Path) -> None:
    make_session(home, "one")
    (home / "sessions" / "one.json").write_text("{ torn", encoding="utf-8")
    app = make_app(home, "one")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("damaged" in n.message for n in app._notifications)
        # the lock taken by the worker was released
        (home / "sessions" / "one.json").unlink()
        make_session(home, "one")
        Session.open(home, "one").close()


async def test_the_session_list_is_read_in_a_worker(home: Path, monkeypatch) -> None:
    make_session(home, "alpha")
    make_session(home, "beta")
    reads = GatedReads(storage.load_json_file, hold=True)
    monkeypatch.setattr(storage, "load_json_file", reads)
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: reads.threads)
        await pilot.pause(0.1)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(DataTable).row_count == 0
        assert "Reading the sessions" in str(app.screen.query_one("#home-hint").render())
        reads.release()
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 2
        assert [row.name for row in app.screen.rows] == ["alpha", "beta"]
    assert len(reads.threads) == 2 and reads.on_ui_thread == 0


async def test_the_demo_is_set_up_and_opened_by_workers(home: Path, monkeypatch) -> None:
    from hwreview.tui.screens import home as home_screen

    demo = GatedReads(home_screen.ensure_demo)
    monkeypatch.setattr(home_screen, "ensure_demo", demo)
    reads = GatedReads(storage.load_json_file)
    monkeypatch.setattr(storage, "load_json_file", reads)
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.name == "demo"
    assert demo.threads and demo.on_ui_thread == 0
    assert reads.threads and reads.on_ui_thread == 0


async def test_following_a_writer_reads_in_a_worker(home: Path, one: str, monkeypatch) -> None:
    with Session.open(home, one) as writer:  # another process would hold it (read here)
        reads = GatedReads(storage.load_json_file)
        monkeypatch.setattr(storage, "load_json_file", reads)
        app = make_app(home, one)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.session.read_only
            before = len(reads.threads)
            screen._follow_writer()  # nothing saved since: nothing read
            await settle(pilot)
            assert len(reads.threads) == before
            writer.set_grade("1a", "t1", verdict="incorrect")
            screen._follow_writer()  # what the 2-second timer does
            await settle(pilot)
            # Read again (at most twice: under load the 2-second timer may read the same save
            # before the first read's result is in).
            assert before + 1 <= len(reads.threads) <= before + 2
            assert "1/12 graded" in screen.sub_title
            assert screen.query_one(PartTree).grades[("1a", "t1")].verdict.value == "incorrect"
    assert reads.on_ui_thread == 0


async def test_the_report_is_built_in_a_worker(home: Path, one: str, monkeypatch) -> None:
    from hwreview.tui.screens import report_screen

    build = GatedReads(report_screen.markdown_report, hold=True)
    monkeypatch.setattr(report_screen, "markdown_report", build)
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await until(pilot, lambda: build.threads)
        await pilot.pause(0.1)
        assert isinstance(app.screen, ReportScreen)
        view = app.screen.query_one(DocView)
        assert "Building the report" in view._text
        build.release()
        await wait_until(pilot, lambda: view.key == "report:one" and view.ready)
        assert view._text.startswith("# ")
    assert build.on_ui_thread == 0


async def test_the_summary_is_counted_in_a_worker(home: Path, one: str, monkeypatch) -> None:
    from hwreview.tui.screens.summary_screen import SummaryScreen

    snapshots = GatedReads(Session.snapshot, hold=True)
    monkeypatch.setattr(Session, "snapshot", lambda self: snapshots(self))
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")  # 1a: correct
        await settle(pilot)
        await pilot.press("s")
        await until(pilot, lambda: snapshots.threads)
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert "Counting the verdicts" in str(screen.query_one("#summary-building").render())
        table = screen.query_one(DataTable)
        assert table.row_count == 0 and not table.display
        snapshots.release()
        await wait_until(pilot, lambda: table.row_count > 0)
        problems = screen.session.assignment.problems
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[0][:20] for row in rows] == [
            *(f"{p.number}. {p.title}"[:20] for p in problems),
            "Total",
        ]
        assert rows[0][1].startswith("✓1") and rows[-1][1].startswith("✓1")
        assert all(not row[1].startswith("✓") for row in rows[1:-1])  # only 1a is graded
        assert table.display and not screen.query_one("#summary-building").display
    assert snapshots.threads and snapshots.on_ui_thread == 0


async def test_the_report_is_exported_by_a_worker(home: Path, one: str, monkeypatch) -> None:
    from hwreview.tui.screens import export_dialog
    from hwreview.tui.widgets.status_line import StatusLine

    writes = GatedReads(export_dialog.export_report, hold=True)
    monkeypatch.setattr(export_dialog, "export_report", writes)
    report = home / "one-report.md"
    app = make_app(home, one)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "e")
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: writes.threads)
        await pilot.pause(0.1)
        assert isinstance(app.screen, ReviewScreen)
        status = app.screen.query_one(StatusLine)
        assert status.message == f"Exporting markdown to {report}…"
        assert not report.exists()
        writes.release()
        await wait_until(pilot, lambda: status.message.startswith("Exported"))
        assert status.message == f"Exported markdown to {report}"
    assert "Fully correct: 1 of 1 graded" in report.read_text(encoding="utf-8")
    assert writes.threads and writes.on_ui_thread == 0

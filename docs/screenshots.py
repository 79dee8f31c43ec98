"""Make the guide's screenshots of rubric items, adding a transcript and pulling in a new key.

Run from the repository: `.venv/bin/python docs/screenshots.py` (writes docs/*.svg). It grades
a copy of the demo in a temporary home through the same keys a grader presses.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from hwreview import clock  # noqa: E402
from hwreview.services import TranscriptSource, create_session  # noqa: E402
from hwreview.tui.app import make_app  # noqa: E402
from hwreview.tui.screens.review import ReviewScreen  # noqa: E402

DOCS = Path(__file__).resolve().parent
SIZE = (100, 30)


async def pause(pilot, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause(0.05)


async def until(pilot, predicate) -> None:
    for _ in range(400):
        if predicate():
            await pause(pilot)
            return
        await pilot.pause(0.02)
    raise RuntimeError("the app never got there")


async def shoot(home: Path) -> None:
    app = make_app(home, "hw3")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("g")
        await pause(pilot)
        for key in "3c":
            await pilot.press(key)
        await pilot.press("enter")
        await pause(pilot)
        await pilot.press("i", "1")
        await pause(pilot)
        app.save_screenshot("rubric-panel.svg", str(DOCS))
        await pilot.press("enter")
        await pause(pilot)
        await pilot.press("T")
        await pause(pilot)
        for key in "transcripts/turn-by-turn.md":
            await pilot.press(key)
        await pause(pilot)
        app.save_screenshot("add-transcript.svg", str(DOCS))
        await pilot.press("escape")  # something typed: escape asks first
        await pause(pilot)
        await pilot.press("y")
        await pause(pilot)
        key = home / "keys" / "demo.md"
        text = key.read_text(encoding="utf-8")
        text = text.replace(
            "Time is roughly bytes moved over bandwidth.",
            "Time is roughly bytes moved over bandwidth (decimal units throughout).",
            1,
        )
        key.write_text(text[: text.index("## (d) Accelerators")], encoding="utf-8")
        await pilot.press("ctrl+k")
        await pause(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.__class__.__name__ == "Info")
        app.save_screenshot("rekey.svg", str(DOCS))


def main() -> None:
    clock.now = lambda: "2026-11-20T10:00:00+00:00"
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        (home / "keys").mkdir()
        (home / "transcripts").mkdir()
        demo = importlib.resources.files("hwreview") / "demo"
        for name, folder in (
            ("demo.md", "keys"),
            ("one-shot.md", "transcripts"),
            ("turn-by-turn.md", "transcripts"),
        ):
            with importlib.resources.as_file(demo / name) as file:
                shutil.copy(file, home / folder / name)
        cwd = Path.cwd()
        os.chdir(home)
        try:
            source = TranscriptSource(Path("transcripts/one-shot.md"), "one-shot")
            session = create_session(home, "hw3", Path("keys/demo.md"), [source], "Demo Grader")
            with session:
                session.rubric.add("slip", "-1", "Right method, an arithmetic slip", problem="3")
                session.rubric.add("wrong", "=0", "Wrong method", problem="3")
                session.rubric.add("no-units", "-0.5", "Units missing or wrong")
                session.set_grade("3b", "t1", rubric=["slip"])
                session.set_position("1a", "t1")
            asyncio.run(shoot(home))
        finally:
            os.chdir(cwd)


if __name__ == "__main__":
    main()

"""Helpers for the pilot tests."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from textual.pilot import Pilot

from hwreview.keys.parser import parse_key
from hwreview.model import FOUND, NOT_FOUND, Alignment, Message, Span, Transcript
from hwreview.session.session import NewTranscript, Session


def reading(app) -> bool:
    """Whether a worker is reading or writing files for a screen (the `io-*` groups)."""
    return any(worker.group.startswith("io-") and not worker.is_finished for worker in app.workers)


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let workers, screens and messages finish what the last key started.

    Each `pause(0)` waits until every widget has handled the messages queued before it (one
    step of a cascade: a message whose handler posts another); `pause()` then waits until the
    process is idle (no thread rendering). File reads run in worker threads (groups `io-*`)
    that post their results back: wait for them (for 10 s at most), then for what their
    messages start."""
    for _ in range(2):
        for _ in range(rounds):
            await pilot.pause(0)
        await pilot.pause()
        for _ in range(1000):
            if not reading(pilot.app):
                break
            await pilot.pause(0.01)


async def wait_until(pilot: Pilot, predicate, timeout: float = 10.0) -> None:
    """Pause until `predicate()` is true (work done in threads), failing after `timeout` s."""
    loops = int(timeout / 0.02)
    for _ in range(loops):
        if predicate():
            await settle(pilot)
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out waiting for the app")


async def type_text(pilot: Pilot, text: str) -> None:
    """Type text one character at a time."""
    for char in text:
        await pilot.press(char)


def demo_key_text() -> str:
    """The bundled demo answer key."""
    return (importlib.resources.files("hwreview") / "demo" / "demo.md").read_text(encoding="utf-8")


def synthetic_transcript(key_text: str, model: str, hostile: bool = False) -> NewTranscript:
    """A transcript answering every part but the last in one assistant message, aligned by hand."""
    assignment = parse_key(key_text, source="demo.md")
    pieces: list[str] = []
    spans: dict[str, Alignment] = {}
    text = ""
    for number, part in enumerate(assignment.parts[:-1]):
        answer = f"**{part.id}** The answer to {part.title.lower()} is $x_{number} = {number}$."
        if hostile and number == 0:
            answer += " [bold]not bold[/] \x1b[31mnot red\x1b[0m [link=http://x]no link[/link]"
        if pieces:
            text += "\n\n"
        start = len(text)
        text += answer
        spans[part.id] = Alignment(part.id, FOUND, Span(1, start, len(text)))
        pieces.append(answer)
    last = assignment.parts[-1]
    spans[last.id] = Alignment(last.id, NOT_FOUND)
    transcript = Transcript(
        messages=(Message("user", "Please answer the homework."), Message("assistant", text)),
        title="synthetic",
        model=model,
        source_format="markdown",
    )
    label = "[bold]evil[/]" if hostile else model
    return NewTranscript(transcript, label, spans, path=f"{model}.md")


def make_session(root: Path, name: str, models: tuple[str, ...] = ("model-a",), hostile=False):
    """Create a session with synthetic transcripts (closed again) and return its name."""
    key = demo_key_text()
    transcripts = [
        synthetic_transcript(key, model, hostile=hostile and i == 0)
        for i, model in enumerate(models)
    ]
    Session.create(root, name, Path("keys/demo.md"), key, transcripts, grader="Tester").close()
    return name


def saved(root: Path, name: str) -> Session:
    """The session as saved on disk, opened read-only."""
    return Session.open(root, name, read_only=True)

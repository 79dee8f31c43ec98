"""Shared fixtures: every test gets its own hwreview home and a frozen clock on request."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
import textual._wait

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "src" / "hwreview" / "demo"

# Pilot tests wait for the app after every key (`Pilot.press`, `Pilot.pause`) with Textual's
# `wait_for_idle`: sleep one granule, done when the process used under SLEEP_IDLE of CPU in it,
# else sleep again, up to 1 s. The granule is 20 ms, so each key costs at least 40 ms of sleep
# and a settle far more: we sleep in 5 ms granules. Idle stays under 1 ms of CPU in a granule,
# Textual's own threshold: merely waking from an asyncio sleep costs the process ~0.3 ms here
# (measured on the 2-core machine), so the 0.25 ms that 5 % of 5 ms would give was never met
# and nearly every wait ran to its 1 s limit. Work on a key (restyling, a render) is several ms.
# test_pinned_internals.py fails if Textual stops reading these names at call time.
textual._wait.SLEEP_GRANULARITY = 0.005
textual._wait.SLEEP_IDLE = 0.001


@pytest.fixture(autouse=True)
def hw_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh HWREVIEW_HOME (also the working folder) with the demo key and transcripts."""
    home = tmp_path / "home"
    (home / "keys").mkdir(parents=True)
    (home / "transcripts").mkdir()
    shutil.copy(DEMO / "demo.md", home / "keys" / "demo.md")
    shutil.copy(DEMO / "one-shot.md", home / "transcripts" / "one-shot.md")
    shutil.copy(DEMO / "turn-by-turn.md", home / "transcripts" / "turn-by-turn.md")
    monkeypatch.setenv("HWREVIEW_HOME", str(home))
    monkeypatch.chdir(home)
    return home


@pytest.fixture
def frozen_time(monkeypatch: pytest.MonkeyPatch):
    """Make session timestamps deterministic: one second apart from 2026-03-02 09:00 UTC."""
    counter = itertools.count()

    def fake_now() -> str:
        n = next(counter)
        return f"2026-03-02T09:{n // 60 % 60:02d}:{n % 60:02d}+00:00"

    monkeypatch.setattr("hwreview.clock.now", fake_now)
    return fake_now


def synthetic_transcript(assignment, model: str = "test-model"):
    """A one-turn transcript answering every part, with its exact alignment."""
    from hwreview.model import FOUND, Alignment, Message, Span, Transcript

    pieces, spans, offset = [], {}, 0
    for part in assignment.parts:
        text = f"({part.id}) The answer to {part.id} is {len(part.id)}."
        spans[part.id] = Alignment(part.id, FOUND, Span(1, offset, offset + len(text)))
        pieces.append(text)
        offset += len(text) + 2
    transcript = Transcript(
        messages=(Message("user", "Answer everything."), Message("assistant", "\n\n".join(pieces))),
        model=model,
        strategy="one-shot",
        title="synthetic",
    )
    return transcript, spans


@pytest.fixture
def make_session(hw_home: Path):
    """Build a session called NAME from the demo key and N synthetic transcripts."""
    from hwreview.keys.parser import load_key
    from hwreview.session.session import NewTranscript, Session

    def build(name: str = "s", transcripts: int = 1, **kwargs) -> Session:
        key = hw_home / "keys" / "demo.md"
        assignment = load_key(key)
        entries = []
        for i in range(transcripts):
            transcript, spans = synthetic_transcript(assignment, model=f"model-{i + 1}")
            entries.append(NewTranscript(transcript, f"run{i + 1}", spans, f"run{i + 1}.md"))
        return Session.create(
            hw_home, name, Path("keys/demo.md"), key.read_text(encoding="utf-8"), entries, **kwargs
        )

    return build

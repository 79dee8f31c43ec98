"""Fixtures for the terminal UI tests: sessions built without the importers, frozen time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tui_helpers import make_session

from hwreview import clock

FROZEN = "2026-11-20T10:00:00+00:00"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> str:
    """Session timestamps never change, so screens and snapshots are stable."""
    monkeypatch.setattr(clock, "now", lambda: FROZEN)
    return FROZEN


@pytest.fixture
def home(hw_home: Path) -> Path:
    """The test's hwreview home (tests/conftest.py fills it with the demo files)."""
    return hw_home


@pytest.fixture
def one(home: Path) -> str:
    """A session with one synthetic transcript."""
    return make_session(home, "one")


@pytest.fixture
def two(home: Path) -> str:
    """A session with two synthetic transcripts."""
    return make_session(home, "two", ("model-a", "model-b"))


os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

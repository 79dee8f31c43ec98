"""LLM tests: a fake OpenAI-compatible server on 127.0.0.1 and a planted API key to hunt for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_server import FakeLLM
from llm_helpers import PLANTED


@pytest.fixture(autouse=True)
def planted_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """Every LLM test runs with a secret in the environment; afterwards no file may hold it."""
    monkeypatch.setenv("OPENAI_API_KEY", PLANTED)
    for name in ("HWREVIEW_MODEL", "HWREVIEW_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    yield PLANTED
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert PLANTED.encode() not in path.read_bytes(), f"the API key leaked into {path}"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeLLM]:
    """One fake server per test module (bounded: replies sleep at most a few seconds)."""
    with FakeLLM(delay=2.0) as server:
        yield server

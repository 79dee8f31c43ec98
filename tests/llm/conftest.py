"""LLM tests: a fake OpenAI-compatible server on 127.0.0.1 and a planted API key to hunt for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_server import FakeLLM

PLANTED = "sk-test-PLANTED-7f3a9c1e5b2d4f60"


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


EASY = ("1a", "1b", "3b", "3d")


def easy_key(home: Path) -> Path:
    """The demo key with parts 1a, 1b, 3b and 3d tagged `easy`, for the hybrid strategy."""
    from hwreview.keys.parser import load_key

    text = (home / "keys" / "demo.md").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    assignment = load_key(home / "keys" / "demo.md")
    for part in assignment.parts:
        if part.id in EASY:
            for n in range(part.line, part.line + 3):
                if "tags: " in lines[n - 1]:
                    lines[n - 1] = lines[n - 1].replace("tags: ", "tags: easy, ", 1)
                    break
    path = home / "keys" / "easy.md"
    path.write_text("".join(lines), encoding="utf-8")
    assert {p.id for p in load_key(path).parts if "easy" in p.tags} == set(EASY)
    return path

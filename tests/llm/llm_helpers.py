"""Shared values for the LLM tests (a module of its own: `conftest` names clash across folders)."""

from __future__ import annotations

from pathlib import Path

PLANTED = "sk-test-PLANTED-7f3a9c1e5b2d4f60"

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

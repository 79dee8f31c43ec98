"""Shared pieces of the reliability suite: hostile values, a session mutator, bounded runs."""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hwreview.errors import HwReviewError
from hwreview.report.formats import render
from hwreview.services import read_row
from hwreview.session.session import Session

STRESS = os.environ.get("HWREVIEW_STRESS") == "1"
TALLY: Counter[str] = Counter()  # what the suite tried; `make stress` records it
HANG_SECONDS = 5


def scale(bounded: int, stress: int) -> int:
    """How many cases to try: `bounded` in `make test`, `stress` in `make stress`."""
    return stress if STRESS else bounded


def synthetic_transcript(assignment):
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
        model="test-model",
        title="synthetic",
    )
    return transcript, spans


# Values a hand edit, a bad tool or an attacker could put anywhere in a session.
HOSTILE_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    2**70,
    1e308,
    "",
    "x",
    "9" * 5000,
    "\x1b]52;c;aGk=\x07\x1b]0;owned\x07\u200f<script>x</script>",
    [],
    {},
    [1, [2, [3]]],
    {"a": {"b": None}},
    "1" * 100_000,
]


def nodes(data: Any, path: tuple = ()) -> list[tuple]:
    """Every path into a JSON value (dict keys and list indexes)."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += nodes(value, (*path, index))
    return found


def mutate(data: dict, rng: random.Random) -> dict:
    """A copy of a session's data with one random hand-edit-like fault."""
    data = copy.deepcopy(data)
    path = rng.choice([p for p in nodes(data) if p])
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = rng.randrange(5)
    if action == 0 and isinstance(parent, dict):
        del parent[last]
    elif action == 1 and isinstance(parent, dict):
        parent[rng.choice(["abc", "-1", "9" * 40, "1.5", ""])] = parent.pop(last)
    elif action == 2:
        parent[last] = f"DEEP{rng.choice([50, 5000])}"  # expanded by write_json
    elif action == 3 and isinstance(parent[last], int) and not isinstance(parent[last], bool):
        parent[last] = parent[last] + rng.choice([1, -1, 10**6, -(10**6)])
    else:
        parent[last] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
    return data


def use_session(root: Path, name: str, path: Path) -> str:
    """What a user does with a session: list it, report it, grade in it. Returns 'ok' or the
    one-line error; any other exception propagates (a bug)."""
    try:
        read_row(path)
        with Session.open(root, name, read_only=True) as session:
            snapshot = session.snapshot()
            for fmt in ("markdown", "json", "csv"):
                render(snapshot, fmt)
        with Session.open(root, name) as session:
            part = session.assignment.parts[0].id
            for info in session.transcripts[:1]:
                session.set_grade(part, info.id, verdict="partial", note="n")
        return "ok"
    except HwReviewError as exc:
        message = str(exc)
        assert "\n" not in message.strip(), message
        return message


def write_json(path: Path, data: Any) -> None:
    """Write JSON as a hand edit would (not atomically, no backup); DEEP markers nest deeply."""
    text = json.dumps(data)
    for levels in (50, 5000):
        text = text.replace(json.dumps(f"DEEP{levels}"), "[" * levels + "]" * levels)
    path.write_text(text, encoding="utf-8")


def run_bounded(
    code: str, timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run Python `code` in a fresh interpreter, killed after `timeout` s (a hang fails the test)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


Check = Callable[[], None]

"""Shared fixtures: every test gets its own hwreview home and a frozen clock on request.

Also three settings that make Textual cheaper to drive from tests, each checked by
test_pinned_internals.py: shorter waits for idle, callbacks counted once, CSS parsed once."""

from __future__ import annotations

import itertools
import shutil
import types
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
import textual._callback
import textual._wait
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

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

# Each of those waits (`Pilot._wait_for_screen`) sends a callback to every widget on the screen
# through `call_later`, which wraps it in a new `functools.partial`. Textual counts a callback's
# parameters with `inspect.signature` and caches the count on the callable it was given: on a
# new partial that never hits, so every widget paid a full `inspect.signature` of the same
# function on every wait (~0.1 ms each here; 40 % of a wait's CPU: 7.0 ms -> 4.0 ms on the
# review screen). The count of a plain function is kept here, weakly: the closures a wait makes
# leave with it. Anything else is counted as before.
_PARAMETERS: weakref.WeakKeyDictionary[Callable[..., object], int] = weakref.WeakKeyDictionary()
_count_parameters = textual._callback._count_parameters


def _count_parameters_once(func: Callable[..., object]) -> int:
    if type(func) is not types.FunctionType:
        return _count_parameters(func)
    try:
        return _PARAMETERS[func]
    except KeyError:
        count = _PARAMETERS[func] = _count_parameters(func)
        return count


textual._callback._count_parameters = _count_parameters_once

# Every app a test starts parses Textual's CSS and its widgets' again: the parse cache lives on
# the app's stylesheet, and `Stylesheet.reparse` (run when a screen brings CSS of its own) starts
# from an empty one. The same sources are parsed once per test process here, keyed by all that a
# parse reads: the text, where it came from, its priority and scope, and the CSS variables (the
# theme). The rules are shared between apps as Textual already shares them between the parses
# of one stylesheet; nothing changes them after parsing.
_RULES: dict[tuple[object, ...], list[RuleSet]] = {}
_VARIABLES: list[tuple[dict[str, str], tuple[tuple[str, str], ...]]] = [({}, ())]
_parse_rules = Stylesheet._parse_rules


def _parse_rules_once(
    self: Stylesheet,
    css: str,
    read_from: CSSLocation,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[RuleSet]:
    variables = self._variables
    if variables != _VARIABLES[0][0]:
        _VARIABLES[0] = (dict(variables), tuple(sorted(variables.items())))
    key = (css, read_from, is_default_rules, tie_breaker, scope, _VARIABLES[0][1])
    rules = _RULES.get(key)
    if rules is None:
        rules = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        _RULES[key] = rules
    return rules


Stylesheet._parse_rules = _parse_rules_once


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

"""Collecting a transcript from the new-session form: runs in the form's worker thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from hwreview.errors import HwReviewError
from hwreview.llm_core.runfile import slug

STRATEGY_OPTIONS = (
    ("turn by turn", "turn-by-turn"),
    ("one-shot", "one-shot"),
    ("hybrid", "hybrid"),
)


def collected_path(root: Path, name: str, model: str, strategy: str) -> Path:
    """Where the form saves a collected transcript: the same path resumes an interrupted run."""
    return root / "transcripts" / f"{name}-{slug(model)}-{strategy}.json"


def collect_for_form(
    root: Path, name: str, key: Path, model: str, strategy: str, say: Callable[[str], None]
) -> Path:
    """Collect one conversation into transcripts/ (resuming a partial file); say progress."""
    from hwreview.keys.parser import parse_key, read_key_text
    from hwreview.llm.client import CallSettings
    from hwreview.llm.collect import CollectRequest, collect_all
    from hwreview.llm_core.progress import CollectProgress
    from hwreview.llm_core.prompts import DEFAULT_SYSTEM
    from hwreview.llm_core.runfile import Job
    from hwreview.llm_core.settings import resolve

    settings = resolve(root, model)
    key_text = read_key_text(key)
    assignment = parse_key(key_text, source=str(key))
    path = collected_path(root, name, model, strategy)
    path.parent.mkdir(parents=True, exist_ok=True)
    call = CallSettings(
        api_base=settings.api_base, temperature=settings.temperature, timeout=settings.timeout
    )
    request = CollectRequest(assignment, key_text, call, DEFAULT_SYSTEM)
    progress = CollectProgress()
    say(f"Collecting from {model} ({strategy})…")
    outcomes = asyncio.run(
        collect_all(request, [Job(model, strategy, 1, path)], progress, lambda: say(
            f"Collecting from {model} ({strategy}): {progress.line()}"
        ))
    )  # fmt: skip
    if outcomes[0].error:
        raise HwReviewError(
            f"{outcomes[0].error} — finished turns are saved; Create again to resume"
        )
    return path

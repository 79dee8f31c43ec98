"""Ask a model where uncertain parts' answers start and end; only verbatim quotes count."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from hwreview import clock
from hwreview.errors import HwReviewError
from hwreview.llm.client import CallSettings
from hwreview.llm.judge import ask_json
from hwreview.llm_core.spans import SpanCandidate, locate, parse_quotes, span_messages
from hwreview.model import Assignment, Part, TranscriptInfo


async def propose_spans(
    assignment: Assignment,
    targets: Sequence[tuple[Part, TranscriptInfo]],
    model: str,
    settings: CallSettings,
    concurrency: int = 4,
) -> tuple[list[SpanCandidate], list[str]]:
    """A candidate span per (part, transcript), and one line for each that could not be placed."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(part: Part, info: TranscriptInfo) -> SpanCandidate | str:
        messages = span_messages(assignment.problem(part.problem), part, info.transcript)
        async with gate:
            try:
                span = await ask_json(
                    model, messages, settings, lambda t: locate(info.transcript, *parse_quotes(t))
                )
            except HwReviewError as exc:
                return f"{part.id} ({info.label}): {exc}"
        if span is None:
            return f"{part.id} ({info.label}): the model says it is not answered"
        return SpanCandidate(part.id, info.id, model, span, clock.now())

    results = await asyncio.gather(*(one(p, i) for p, i in targets))
    return (
        [r for r in results if isinstance(r, SpanCandidate)],
        [r for r in results if isinstance(r, str)],
    )

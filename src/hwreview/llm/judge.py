"""Ask a judge model for suggested verdicts; malformed replies are retried, then reported."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from hwreview import clock
from hwreview.errors import HwReviewError, ModelReplyError
from hwreview.llm.client import CallSettings, ask
from hwreview.llm_core.judge import Suggestion, judge_messages, parse_judgement
from hwreview.llm_core.pairwise import PairSuggestion, pair_messages, parse_preference
from hwreview.model import GRADED_VERDICTS, Assignment, Part, TranscriptInfo

T = TypeVar("T")
JSON_TRIES = 3
JSON_MAX_TOKENS = 1000


async def ask_json(
    model: str,
    messages: list[dict[str, str]],
    settings: CallSettings,
    parse: Callable[[str], T],
) -> T:
    """Ask until `parse` accepts the reply (at most JSON_TRIES times), telling the model why not."""
    # A JSON answer is short: bound it, or a model in JSON mode may fill its whole context.
    settings = replace(
        settings, json_reply=True, stream=False, max_tokens=settings.max_tokens or JSON_MAX_TOKENS
    )
    chat = list(messages)
    problem = ""
    for _ in range(JSON_TRIES):
        reply = await ask(model, chat, settings)
        try:
            return parse(reply.text)
        except ModelReplyError as exc:
            problem = str(exc)
            chat += [
                {"role": "assistant", "content": reply.text[:4000]},
                {"role": "user", "content": f"That reply was not valid: {problem}. "
                 "Reply again with the JSON object only."},
            ]  # fmt: skip
    raise ModelReplyError(f"{problem} (after {JSON_TRIES} tries)")


async def suggest(
    assignment: Assignment,
    targets: Sequence[tuple[Part, TranscriptInfo]],
    tags: Sequence[str],
    model: str,
    settings: CallSettings,
    concurrency: int = 4,
    done: Callable[[Suggestion | str], None] = lambda _: None,
) -> tuple[list[Suggestion], list[str]]:
    """Suggestions for each (part, transcript), and one line per one that failed.

    `done` is called with each result as it arrives (on the event loop), so a caller can store
    it at once and an interrupted run keeps what was judged.
    """
    verdicts = [v.value for v in GRADED_VERDICTS]
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(part: Part, info: TranscriptInfo) -> Suggestion | str:
        problem = assignment.problem(part.problem)
        messages = judge_messages(problem, part, info.answer(part.id), verdicts, tags)
        async with gate:
            result: Suggestion | str
            try:
                verdict, chosen, points, rationale = await ask_json(
                    model, messages, settings, lambda t: parse_judgement(t, part, verdicts, tags)
                )
            except HwReviewError as exc:
                result = f"{part.id} ({info.label}): {exc}"
            else:
                result = Suggestion(
                    part.id, info.id, model, verdict, chosen, points, rationale, clock.now()
                )
        done(result)
        return result

    results = await asyncio.gather(*(one(p, i) for p, i in targets))
    return (
        [r for r in results if isinstance(r, Suggestion)],
        [r for r in results if isinstance(r, str)],
    )


async def suggest_pairs(
    assignment: Assignment,
    parts: Sequence[Part],
    first: TranscriptInfo,
    second: TranscriptInfo,
    aspects: Sequence[str],
    model: str,
    settings: CallSettings,
    concurrency: int = 4,
) -> tuple[list[PairSuggestion], list[str]]:
    """Which of two transcripts answered each part better, and one line per failure."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(part: Part) -> PairSuggestion | str:
        messages = pair_messages(
            assignment.problem(part.problem), part, first.answer(part.id), second.answer(part.id),
            aspects,
        )  # fmt: skip
        async with gate:
            try:
                choice, chosen, reason = await ask_json(
                    model, messages, settings, lambda t: parse_preference(t, aspects)
                )
            except HwReviewError as exc:
                return f"{part.id} ({first.label} vs {second.label}): {exc}"
        return PairSuggestion(
            part.id, first.id, second.id, model, choice, chosen, reason, clock.now()
        )

    results = await asyncio.gather(*(one(p) for p in parts))
    return (
        [r for r in results if isinstance(r, PairSuggestion)],
        [r for r in results if isinstance(r, str)],
    )

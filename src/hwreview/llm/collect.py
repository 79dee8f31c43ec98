"""`hwreview collect`: ask a model the homework with a strategy, saving every turn at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hwreview.errors import HwReviewError
from hwreview.llm.client import CallSettings, Reply, ask
from hwreview.llm_core.progress import CollectProgress
from hwreview.llm_core.prompts import CONTINUE, plan
from hwreview.llm_core.runfile import Job, RunRecord, open_record, sha256
from hwreview.model import Assignment, Message

MAX_CONTINUES = 3


@dataclass
class Outcome:
    """How one conversation ended: its record and, if it stopped early, why (one line)."""

    job: Job
    record: RunRecord | None
    error: str = ""


@dataclass(frozen=True)
class CollectRequest:
    """Everything one collect run needs besides the jobs."""

    assignment: Assignment
    key_text: str
    settings: CallSettings
    system: str = ""
    concurrency: int = 1
    continue_truncated: bool = False


def reply_messages(reply: Reply) -> list[Message]:
    """The reply as transcript messages: reasoning (kept apart) first, then the answer."""
    out = []
    if reply.reasoning.strip():
        out.append(Message("assistant", reply.reasoning, kind="reasoning"))
    out.append(Message("assistant", reply.text, finish=reply.finish))
    return out


def fresh_record(request: CollectRequest, job: Job) -> RunRecord:
    """A new record for one job, before any file is read."""
    parameters = dict(request.settings.parameters())
    parameters["system_sha256"] = sha256(request.system)[:16] if request.system else None
    parameters["continue_truncated"] = request.continue_truncated
    title = f"{request.assignment.title} ({job.model}, {job.strategy})"
    return RunRecord(
        path=job.path,
        title=title,
        model=job.model,
        strategy=job.strategy,
        parameters=parameters,
        key_sha256=sha256(request.key_text),
        planned=len(plan(request.assignment, job.strategy)),
    )


async def collect_one(
    request: CollectRequest, job: Job, progress: CollectProgress, changed: Callable[[], None]
) -> RunRecord:
    """Collect (or finish collecting) one conversation; every turn is saved when it ends."""
    turns = plan(request.assignment, job.strategy)
    record = open_record(fresh_record(request, job))
    for turn in turns[: record.done]:
        progress.parts_done += len(turn.parts)
    progress.tokens += record.usage.get("completion_tokens", 0)  # what the saved turns took
    progress.add_cost(record.cost)
    changed()

    def count(n: int) -> None:
        progress.tokens += n
        if progress.due():  # per token, a redraw (a UI round trip in the TUI) would dominate
            changed()

    # A turn's durable write (fsync) runs in a thread while the next turn is asked: the file
    # is written in order, always a whole prefix of the conversation, and no turn is added
    # before the one before it is on disk.
    saving: asyncio.Future[None] | None = None
    saved_parts = 0
    try:
        for turn in turns[record.done :]:
            new: list[Message] = []
            if not record.messages and request.system:
                new.append(Message("system", request.system, kind="context"))
            new.append(Message("user", turn.text, parts=turn.parts))
            chat = record.chat() + [{"role": m.role, "content": m.text} for m in new]
            usage, cost = await _ask_turn(request, job.model, chat, new, progress, count)
            if saving is not None:
                await saving
                progress.parts_done += saved_parts
                changed()
            record.add(new, usage, cost)
            saving, saved_parts = (
                asyncio.ensure_future(asyncio.to_thread(record.save)),
                len(turn.parts),
            )
    finally:
        if saving is not None:
            await saving
    progress.parts_done += saved_parts
    changed()
    return record


async def _ask_turn(
    request: CollectRequest,
    model: str,
    chat: list[dict[str, str]],
    new: list[Message],
    progress: CollectProgress,
    count: Callable[[int], None],
) -> tuple[dict[str, int], float | None]:
    """Ask one turn (and its continuations when asked to); the replies go into `new`."""
    usage: dict[str, int] = {}
    cost: float | None = None
    for attempt in range(MAX_CONTINUES + 1):
        reply = await ask(model, chat, request.settings, on_tokens=count)
        new += reply_messages(reply)
        for key, value in reply.usage.items():
            usage[key] = usage.get(key, 0) + value
        if reply.cost is not None:
            cost = (cost or 0.0) + reply.cost
        progress.add_cost(reply.cost)
        if not request.settings.stream:
            progress.tokens += reply.usage.get("completion_tokens", 0)
        if reply.finish != "length" or not request.continue_truncated or attempt == MAX_CONTINUES:
            break
        # the continuation is context, so the replies join into one answer
        new.append(Message("user", CONTINUE, kind="context"))
        chat += [
            {"role": "assistant", "content": reply.text},
            {"role": "user", "content": CONTINUE},
        ]
    return usage, cost


async def collect_all(
    request: CollectRequest,
    jobs: Sequence[Job],
    progress: CollectProgress,
    changed: Callable[[], None] = lambda: None,
) -> list[Outcome]:
    """Run every job, `concurrency` conversations at a time; a failed one does not stop others."""
    progress.parts_total = len(request.assignment.parts) * len(jobs)
    gate = asyncio.Semaphore(max(1, request.concurrency))

    async def run(job: Job) -> Outcome:
        async with gate:
            try:
                return Outcome(job, await collect_one(request, job, progress, changed))
            except HwReviewError as exc:
                return Outcome(job, None, str(exc))

    return list(await asyncio.gather(*(run(job) for job in jobs)))

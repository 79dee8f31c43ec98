"""A collected conversation on disk: written after every turn, resumed by the same command."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hwreview import clock
from hwreview.errors import HwReviewError
from hwreview.model import Message, Transcript
from hwreview.session.storage import atomic_write_text

COLLECTOR = "hwreview collect"
_USAGE_KEYS = ("prompt_tokens", "completion_tokens", "total_tokens")


def sha256(text: str) -> str:
    """The hex SHA-256 of a text (the key and the system prompt are recorded by hash)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def slug(text: str) -> str:
    """A file-name-safe form of a model name: `openai/gpt-4o` -> `openai-gpt-4o`."""
    return re.sub(r"[^A-Za-z0-9._]+", "-", text).strip("-.")[:60] or "model"


@dataclass(frozen=True)
class Job:
    """One conversation to collect: a model, a strategy, a repeat number and its output file."""

    model: str
    strategy: str
    repeat: int
    path: Path


def job_paths(out: Path, models: list[str], strategies: list[str], repeats: int) -> list[Job]:
    """Every conversation of a run; OUT itself when there is one, else OUT-model-strategy-rN."""
    combos = [(m, s, r) for m in models for s in strategies for r in range(1, repeats + 1)]
    if len(combos) == 1:
        return [Job(models[0], strategies[0], 1, out)]
    jobs = []
    for model, strategy, repeat in combos:
        name = f"{out.stem}-{slug(model)}-{strategy}" + (f"-r{repeat}" if repeats > 1 else "")
        jobs.append(Job(model, strategy, repeat, out.with_name(name + (out.suffix or ".json"))))
    return jobs


@dataclass
class RunRecord:
    """The transcript of one conversation being collected, and how it was asked."""

    path: Path
    title: str
    model: str
    strategy: str
    parameters: dict[str, Any]
    key_sha256: str
    planned: int
    messages: list[Message] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_USAGE_KEYS, 0))
    cost: float | None = None
    complete: bool = False
    created: str = ""
    _encoded: list[str] = field(init=False, default_factory=list, repr=False, compare=False)

    @property
    def done(self) -> int:
        """How many planned turns are answered and on disk."""
        return sum(1 for m in self.messages if m.role == "user" and m.kind == "answer")

    def chat(self) -> list[dict[str, str]]:
        """The conversation so far as chat messages for the next request (no reasoning)."""
        out = []
        for m in self.messages:
            if m.kind == "reasoning":
                continue
            out.append({"role": m.role, "content": m.text})
        return out

    def add_turn(self, messages: list[Message], usage: dict[str, int], cost: float | None) -> None:
        """Append one finished turn (its user message, any continuations and replies); save."""
        self.add(messages, usage, cost)
        self.save()

    def add(self, messages: list[Message], usage: dict[str, int], cost: float | None) -> None:
        """Append one finished turn in memory only (`save` makes it durable)."""
        self.messages.extend(messages)
        for key in _USAGE_KEYS:
            self.usage[key] = self.usage.get(key, 0) + int(usage.get(key) or 0)
        if cost is not None:
            self.cost = (self.cost or 0.0) + cost
        self.complete = self.done >= self.planned

    def transcript(self) -> Transcript:
        """The record as an ordinary `hwreview.transcript/1` transcript."""
        return replace(self._header(), messages=tuple(self.messages))

    def _header(self) -> Transcript:
        run = {
            "collector": COLLECTOR,
            "complete": self.complete,
            "turns": self.planned,
            "key_sha256": self.key_sha256,
            "parameters": self.parameters,
            "usage": dict(self.usage),
            "cost": round(self.cost, 6) if self.cost is not None else None,
        }
        return Transcript(
            messages=(),
            title=self.title,
            model=self.model,
            source=self.path.name,
            source_format="hwreview",
            strategy=self.strategy,
            created=self.created,
            run=run,
        )

    def save(self) -> None:
        """Write the whole record atomically (the previous turn stays intact on a crash).

        Each message is encoded once, one per line, and kept: a turn encodes only its own
        messages, not the whole conversation again.
        """
        import json

        if len(self._encoded) > len(self.messages):
            self._encoded.clear()
        for message in self.messages[len(self._encoded) :]:
            self._encoded.append(json.dumps(message.to_json(), ensure_ascii=False))
        head = self._header().to_json()
        del head["messages"]
        text = json.dumps(head, ensure_ascii=False, indent=1).removesuffix("\n}")
        text += ',\n "messages": [\n  ' + ",\n  ".join(self._encoded) + "\n ]\n}"
        try:
            atomic_write_text(self.path, text + "\n")
        except OSError as exc:
            raise HwReviewError(f"cannot write {self.path} ({exc.strerror})") from None


def open_record(fresh: RunRecord) -> RunRecord:
    """The record to continue: `fresh` when its file is new, else the one on disk if it matches.

    Like every `-o`, the run file is never a symbolic link, FIFO, device, read-only file or
    session: an existing regular file is only resumed, and only when it holds this collection.
    """
    from hwreview.files import check_output

    check_output(fresh.path, force=True)
    if not fresh.path.exists():
        fresh.created = fresh.created or clock.now()
        return fresh
    from hwreview.transcripts import native

    try:
        old = native.read(fresh.path).transcript
    except HwReviewError:
        raise HwReviewError(
            f"{fresh.path} exists and is not a collected transcript: choose another -o"
        ) from None
    run = old.run
    same = (
        run.get("collector") == COLLECTOR
        and old.model == fresh.model
        and old.strategy == fresh.strategy
        and run.get("key_sha256") == fresh.key_sha256
        and run.get("parameters") == fresh.parameters
        and run.get("turns") == fresh.planned
    )
    if not same:
        raise HwReviewError(
            f"{fresh.path} holds a different collection (model, strategy, key or parameters "
            "differ): remove it or choose another -o"
        )
    usage: dict[str, Any] = run["usage"] if isinstance(run.get("usage"), dict) else {}
    cost = run.get("cost")
    return replace(
        fresh,
        messages=list(old.messages),
        usage={k: int(usage.get(k) or 0) for k in _USAGE_KEYS},
        cost=float(cost) if isinstance(cost, (int, float)) else None,
        complete=bool(run.get("complete")),
        created=old.created or clock.now(),
    )

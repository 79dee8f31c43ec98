"""A conversation with a model as data: messages, their roles and kinds, and how it was made."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hwreview.errors import HwReviewError

if TYPE_CHECKING:
    from hwreview.model.alignment import Span
from hwreview.model.assignment import normalize_part_id

TRANSCRIPT_FORMAT = "hwreview.transcript/1"

ROLES = ("user", "assistant", "system", "tool")
KINDS = ("answer", "reasoning", "tool", "context", "other")
# How a collected reply ended: "length" was cut at the token limit; "empty" had no text.
FINISHES = ("stop", "length", "empty", "error")
_MAX_ASKED = 200


@dataclass(frozen=True)
class Message:
    """One message of a conversation."""

    role: str
    text: str
    kind: str = "answer"
    time: str | None = None
    parts: tuple[str, ...] = ()  # the part ids a collected user turn asked
    finish: str = ""  # how a collected reply ended (FINISHES); "" when not recorded

    def to_json(self) -> dict[str, Any]:
        """The message as a JSON-ready dict."""
        data: dict[str, Any] = {"role": self.role, "kind": self.kind, "text": self.text}
        if self.time:
            data["time"] = self.time
        if self.parts:
            data["parts"] = list(self.parts)
        if self.finish:
            data["finish"] = self.finish
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Message:
        """Read a message written by `to_json`, checking role and kind."""
        role = data.get("role")
        kind = data.get("kind", "answer")
        text = data.get("text")
        if role not in ROLES:
            raise HwReviewError(f"message role {role!r} is not one of {', '.join(ROLES)}")
        if kind not in KINDS:
            raise HwReviewError(f"message kind {kind!r} is not one of {', '.join(KINDS)}")
        if not isinstance(text, str):
            raise HwReviewError("message text must be a string")
        parts = data.get("parts") or []
        if not isinstance(parts, list) or len(parts) > _MAX_ASKED:
            raise HwReviewError("message parts must be a list of part ids")
        if not all(isinstance(p, str) and 0 < len(p) <= 40 for p in parts):
            raise HwReviewError("message parts must be a list of part ids")
        finish = data.get("finish") or ""
        if finish and finish not in FINISHES:
            raise HwReviewError(f"message finish {finish!r} is not one of {', '.join(FINISHES)}")
        return cls(
            role=role,
            text=text,
            kind=kind,
            time=data.get("time"),
            parts=tuple(normalize_part_id(p) for p in parts),
            finish=finish,
        )


@dataclass(frozen=True)
class Transcript:
    """A normalized conversation with a model, from any source format."""

    messages: tuple[Message, ...]
    title: str = ""
    model: str = ""
    source: str = ""
    source_format: str = ""
    strategy: str = ""
    created: str | None = None
    warnings: tuple[str, ...] = ()  # doubts of the importer, e.g. speakers told apart by guess
    # how `hwreview collect` made it: parameters, usage, cost, completeness (JSON scalars)
    run: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The transcript in the `hwreview.transcript/1` JSON form."""
        data: dict[str, Any] = {
            "format": TRANSCRIPT_FORMAT,
            "title": self.title,
            "model": self.model,
            "source": self.source,
            "source_format": self.source_format,
            "strategy": self.strategy,
            "created": self.created,
            "messages": [m.to_json() for m in self.messages],
        }
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if self.run:
            data["run"] = self.run
        return data

    def reply_finish(self, part_id: str) -> str:
        """How the collected reply to a part ended ("length", "empty"), or "" when normal."""
        asking: tuple[str, ...] = ()
        last = ""  # a "continue" turn is kind context, so its reply joins the same turn
        for message in self.messages:
            if message.role == "user" and message.kind == "answer":
                asking = message.parts
            elif message.role == "assistant" and message.kind == "answer" and part_id in asking:
                last = message.finish
        return last if last in ("length", "empty", "error") else ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Transcript:
        """Read the `hwreview.transcript/1` JSON form."""
        if not isinstance(data, dict) or data.get("format") != TRANSCRIPT_FORMAT:
            raise HwReviewError(f"not a {TRANSCRIPT_FORMAT} document")
        messages = data.get("messages")
        if not isinstance(messages, list):
            raise HwReviewError("transcript has no list of messages")
        return cls(
            messages=tuple(Message.from_json(m) for m in messages),
            title=str(data.get("title") or ""),
            model=str(data.get("model") or ""),
            source=str(data.get("source") or ""),
            source_format=str(data.get("source_format") or ""),
            strategy=str(data.get("strategy") or ""),
            created=data.get("created"),
            warnings=tuple(str(w) for w in data.get("warnings") or () if isinstance(w, str)),
            run=check_run(data.get("run")),
        )

    def text_of(self, span: Span) -> str:
        """The transcript text a span covers; answer messages only when it crosses messages."""
        if span.message == span.end_message:
            return self.messages[span.message].text[span.start : span.end]
        pieces = [self.messages[span.message].text[span.start :]]
        for index in range(span.message + 1, span.end_message):
            message = self.messages[index]
            if message.role == "assistant" and message.kind == "answer":
                pieces.append(message.text)
        pieces.append(self.messages[span.end_message].text[: span.end])
        return "\n\n".join(p.strip("\n") for p in pieces if p.strip())


def check_run(value: Any) -> dict[str, Any]:
    """A transcript's `run` record: a small JSON object of scalars, objects at most 3 deep."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise HwReviewError("transcript 'run' must be an object")
    budget = [2000]

    def ok(item: Any, depth: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0 or depth > 3:
            return False
        if isinstance(item, dict):
            return all(isinstance(k, str) and ok(v, depth + 1) for k, v in item.items())
        if isinstance(item, list):
            return all(ok(v, depth + 1) for v in item)
        return item is None or isinstance(item, (str, int, float, bool))

    if not ok(value, 0):
        raise HwReviewError("transcript 'run' is too large or too deeply nested")
    return value

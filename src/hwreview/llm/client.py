"""One chat request through litellm: timeout, retries with backoff, streaming, usage, cost."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hwreview.errors import ModelError
from hwreview.llm.loader import load_litellm
from hwreview.llm_core.policy import FAIL, RetryPolicy, classify, explain, redact

MAX_REPLY_CHARS = 2_000_000  # a runaway stream is cut here rather than filling memory


@dataclass(frozen=True)
class CallSettings:
    """How to reach a model: server, sampling, limits and the retry policy."""

    api_base: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    timeout: float = 120.0
    stream: bool = True
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    json_reply: bool = False

    def parameters(self) -> dict[str, Any]:
        """The settings that shape a reply, as recorded in a collected transcript."""
        return {"temperature": self.temperature, "max_tokens": self.max_tokens}


@dataclass(frozen=True)
class Reply:
    """A model's reply: answer text, reasoning kept apart, how it ended, usage and cost."""

    text: str
    reasoning: str = ""
    finish: str = "stop"
    usage: dict[str, int] = field(default_factory=dict)
    cost: float | None = None


async def ask(
    model: str,
    messages: list[dict[str, str]],
    settings: CallSettings,
    on_tokens: Callable[[int], None] | None = None,
) -> Reply:
    """Send one chat request, retrying transient failures; ModelError when it fails for good."""
    litellm = load_litellm()
    attempt = 0
    while True:
        attempt += 1
        try:
            return await asyncio.wait_for(
                _once(litellm, model, messages, settings, on_tokens), settings.timeout
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # litellm maps every provider error to its own classes
            status, kind, retry_after = _describe(litellm, exc)
            if classify(status, kind) == FAIL or attempt >= settings.policy.attempts:
                raise ModelError(redact(explain(status, kind, model, settings.api_base))) from None
            await asyncio.sleep(settings.policy.delay(attempt, retry_after))


async def _once(
    litellm: Any,
    model: str,
    messages: list[dict[str, str]],
    settings: CallSettings,
    on_tokens: Callable[[int], None] | None,
) -> Reply:
    kwargs: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "timeout": settings.timeout,
        "max_retries": 0,  # retries are ours, with backoff and one clear final message
    }
    if settings.api_base:
        kwargs["api_base"] = settings.api_base
    if settings.temperature is not None:
        kwargs["temperature"] = settings.temperature
    if settings.max_tokens is not None:
        kwargs["max_tokens"] = settings.max_tokens
    if settings.json_reply:
        kwargs["response_format"] = {"type": "json_object"}
        kwargs["drop_params"] = True  # a provider without JSON mode still gets the request
    if not settings.stream:
        response = await litellm.acompletion(**kwargs)
        choice = response.choices[0]
        message = choice.message
        usage = _usage(getattr(response, "usage", None))
        return _reply(
            litellm,
            model,
            message.content or "",
            getattr(message, "reasoning_content", None) or "",
            choice.finish_reason,
            usage,
        )
    kwargs["stream"] = True
    kwargs["stream_options"] = {"include_usage": True}
    response = await litellm.acompletion(**kwargs)
    text: list[str] = []
    reasoning: list[str] = []
    finish = None
    streamed: dict[str, int] = {}
    size = 0
    async for chunk in response:
        if getattr(chunk, "usage", None):
            streamed = _usage(chunk.usage) or streamed
        if not chunk.choices:
            continue
        choice = chunk.choices[0]
        delta = choice.delta
        piece = getattr(delta, "content", None) or ""
        thought = getattr(delta, "reasoning_content", None) or ""
        text.append(piece)
        reasoning.append(thought)
        size += len(piece) + len(thought)
        if on_tokens is not None and (piece or thought):
            on_tokens(1)
        if choice.finish_reason:
            finish = choice.finish_reason
        if size > MAX_REPLY_CHARS:
            finish = "length"
            break
    return _reply(litellm, model, "".join(text), "".join(reasoning), finish, streamed)


def _reply(
    litellm: Any, model: str, text: str, reasoning: str, finish: str | None, usage: dict[str, int]
) -> Reply:
    if finish == "length":
        ending = "length"
    elif not text.strip():
        ending = "empty"
    else:
        ending = "stop"
    return Reply(text, reasoning, ending, usage, _cost(litellm, model, usage))


def _usage(usage: Any) -> dict[str, int]:
    out = {}
    for key in ("prompt_tokens", "completion_tokens", "total_tokens"):
        value = getattr(usage, key, None) if usage is not None else None
        if isinstance(value, int) and value >= 0:
            out[key] = value
    return out


_UNPRICED: set[str] = set()  # models litellm has no price for: not looked up on every reply


def _cost(litellm: Any, model: str, usage: dict[str, int]) -> float | None:
    """The reply's price in USD when litellm knows the model's prices, else None."""
    if not usage or model in _UNPRICED:
        return None
    try:
        prompt, completion = litellm.cost_per_token(
            model=model,
            prompt_tokens=usage.get("prompt_tokens", 0),
            completion_tokens=usage.get("completion_tokens", 0),
        )
    except Exception:  # unknown model or price: litellm raises its own errors
        _UNPRICED.add(model)
        return None
    total = float(prompt) + float(completion)
    return total if total > 0 else None


def _describe(litellm: Any, exc: BaseException) -> tuple[int | None, str, float | None]:
    """(HTTP status, kind, Retry-After seconds) of a failed request."""
    if isinstance(exc, (asyncio.TimeoutError, litellm.Timeout)):
        return None, "timeout", None
    status = getattr(exc, "status_code", None)
    status = status if isinstance(status, int) else None
    text = str(exc)
    if isinstance(exc, litellm.AuthenticationError):
        return status or 401, "auth", None
    if isinstance(exc, litellm.NotFoundError) or "LLM Provider NOT provided" in text:
        return status or 404, "model", None
    if isinstance(exc, litellm.RateLimitError):
        return 429, "rate", _retry_after(exc)
    if status in (None, 500) and "connection error" in text.lower():  # litellm says 500
        return None, "connection", None
    return status, type(exc).__name__, None


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    try:
        return float(headers.get("retry-after")) if headers is not None else None
    except (TypeError, ValueError):
        return None

"""When to retry a model request, how long to wait, and how to say why it failed."""

from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass

RETRY = "retry"
FAIL = "fail"

# Environment variables whose values are secrets; any of them found in a message is masked.
_SECRET_NAME = re.compile(r"(?:KEY|TOKEN|SECRET|PASSWORD)", re.I)
_KEY_LIKE = re.compile(r"\b(?:sk|pk|rk|gsk|xai|hf)[-_][A-Za-z0-9_\-]{8,}")


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter for rate limits, 5xx, timeouts and dropped connections."""

    attempts: int = 4
    base: float = 1.0
    cap: float = 30.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt `attempt + 1` (attempt counts from 1)."""
        if retry_after is not None and 0 <= retry_after <= self.cap:
            return retry_after
        wait = min(self.cap, self.base * 2.0 ** (attempt - 1))
        return float(wait * (0.5 + random.random() / 2))


def classify(status: int | None, kind: str) -> str:
    """RETRY for transient failures (429, 5xx, timeout, connection), else FAIL."""
    if kind in ("timeout", "connection"):
        return RETRY
    if status is not None and (status == 429 or status == 408 or 500 <= status < 600):
        return RETRY
    return FAIL


def explain(status: int | None, kind: str, model: str, api_base: str | None) -> str:
    """One line saying what went wrong, naming the model and server but never a key."""
    where = f" at {api_base}" if api_base else ""
    if kind == "timeout":
        return f"{model}{where} did not answer in time (raise --timeout if it is just slow)"
    if kind == "connection":
        return f"cannot reach the server for {model}{where}: is it running?"
    if status in (401, 403) or kind == "auth":
        return (
            f"the server refused the API key for {model}{where}: check the key in your environment"
        )
    if status == 404 or kind == "model":
        return f"unknown model {model!r}{where}: check the name (litellm's form is provider/model)"
    if status == 429:
        return f"{model}{where} kept refusing with 'rate limited': wait, or lower --concurrency"
    if status is not None and status >= 500:
        return f"{model}{where} kept failing with a server error ({status})"
    if status is not None:
        return f"{model}{where} refused the request ({status})"
    return f"{model}{where} failed ({kind})"


def secrets() -> list[str]:
    """The values of secret-looking environment variables, longest first."""
    values = [v for k, v in os.environ.items() if _SECRET_NAME.search(k) and len(v) >= 6]
    return sorted(set(values), key=len, reverse=True)


def redact(text: str) -> str:
    """Mask every API key (from the environment, or key-shaped) in a message."""
    for value in secrets():
        text = text.replace(value, "***")
    return _KEY_LIKE.sub("***", text)

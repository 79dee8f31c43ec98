"""A small OpenAI-compatible chat server on 127.0.0.1 whose behaviour is chosen by model name."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PART = re.compile(r"^## Part (\S+)", re.M)

# model name -> behaviour; "student" answers every part it is asked, labelled.
BEHAVIOURS = (
    "student",  # answers each asked part: **1(a)** ...
    "thinker",  # student, plus reasoning_content
    "short",  # the first reply is cut at the token limit; "continue" finishes it
    "mute",  # empty replies
    "flaky",  # 429 on every first attempt, then a student reply
    "broken",  # 500 always
    "sleepy",  # sleeps `delay` seconds before a student reply
    "slow",  # student, `slow_delay` seconds per reply (for killing a run midway)
    "slowjudge",  # judge, `slow_delay` seconds per reply
    "locked",  # 401 quoting the key it was sent, as real providers do
    "missing",  # 404: no such model on this server
    "judge",  # a JSON verdict: correct when the answer says "The answer to", else incorrect
    "spans",  # quotes the first and last sentence of each uncertain part's answer
)


class FakeLLM:
    """The server and what it saw: requests, per-model counters, scripted judge replies."""

    def __init__(self, delay: float = 3.0, slow_delay: float = 0.4) -> None:
        self.delay = delay
        self.slow_delay = slow_delay
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.counts: Counter[str] = Counter()
        self.replies: dict[str, list[str]] = {}  # model -> scripted reply texts, popped in order
        self.server_seconds = 0.0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        """The api_base litellm needs: http://127.0.0.1:PORT/v1."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @contextmanager
    def fast(self) -> Iterator[None]:
        """Within: the slow models reply at once (they are slow for killing a run midway)."""
        delay, self.slow_delay = self.slow_delay, 0.0
        try:
            yield
        finally:
            self.slow_delay = delay

    def script(self, model: str, *texts: str) -> None:
        """Make `model` reply with these texts, one per request, then like a student."""
        self.replies[model] = list(texts)

    def asked_parts(self, model: str) -> Counter[str]:
        """How many requests to `model` asked each part (by its last user message)."""
        seen: Counter[str] = Counter()
        for request in self.requests:
            if request["model"] == model:
                users = [m for m in request["messages"] if m["role"] == "user"]
                seen.update(PART.findall(users[-1]["content"]))
        return seen

    # ------------------------------------------------------------------ replies

    def _answer(
        self, model: str, messages: list[dict[str, Any]], auth: str = ""
    ) -> tuple[int, dict[str, Any]]:
        """(status, reply) where reply has content, reasoning, finish."""
        with self._lock:
            self.counts[model] += 1
            count = self.counts[model]
            scripted = self.replies.get(model)
            text_override = scripted.pop(0) if scripted else None
        if model == "missing":
            return 404, {"error": f"model {model!r} not found"}
        if model == "locked":
            return 401, {"error": f"Incorrect API key provided: {auth.removeprefix('Bearer ')}"}
        if model == "broken":
            return 500, {"error": "the fake server is broken"}
        if model == "flaky" and count % 2 == 1:
            return 429, {"error": "rate limited"}
        if model == "sleepy":
            time.sleep(self.delay)
        if model in ("slow", "slowjudge"):
            time.sleep(self.slow_delay)
            model = "judge" if model == "slowjudge" else model
        last = messages[-1]["content"] if messages else ""
        if model == "judge" and text_override is None and "## First answer" in last:
            pick = {"better": "second", "aspects": ["rigour", "clarity"], "reason": "More steps."}
            return 200, {"content": json.dumps(pick), "reasoning": "", "finish": "stop"}
        if model == "judge" and text_override is None:
            right = "The answer to" in last
            verdict = {
                "verdict": "correct" if right else "incorrect",
                "tags": [] if right else ["conceptual"],
                "points": 1,
                "rationale": "It says 'The answer to'." if right else "Wrong.",
            }
            return 200, {"content": json.dumps(verdict), "reasoning": "", "finish": "stop"}
        if model == "spans" and text_override is None:
            return 200, {"content": _quotes(last), "reasoning": "", "finish": "stop"}
        parts = PART.findall(last)
        text = "\n\n".join(f"**{p}** The answer to {p} is {len(p) * 7}." for p in parts)
        finish = "stop"
        reasoning = ""
        if text_override is not None:
            text = text_override
        elif model == "mute":
            text = ""
        elif model == "short":
            if last.startswith("Your answer was cut off"):
                text = "and that completes the answer."
            else:
                text, finish = text[: max(1, len(text) // 2)], "length"
        elif model == "thinker":
            reasoning = f"Let me think about {', '.join(parts)} step by step."
        return 200, {"content": text, "reasoning": reasoning, "finish": finish}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # the benchmark reads the server's own busy time here
                self._send_json(200, {"server_seconds": fake.server_seconds})

            def do_POST(self) -> None:
                started = time.perf_counter()
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.requests.append(body)
                    fake.headers.append(dict(self.headers))
                model = body.get("model", "")
                status, reply = fake._answer(
                    model, body.get("messages") or [], self.headers.get("authorization") or ""
                )
                try:
                    if status != 200:
                        self._send_json(status, {"error": {"message": reply["error"]}})
                    elif body.get("stream"):
                        self._stream(model, reply, fake)
                    else:
                        self._send_json(200, _completion(model, reply))
                except (BrokenPipeError, ConnectionResetError):
                    pass
                with fake._lock:
                    fake.server_seconds += time.perf_counter() - started

            def _send_json(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                if status == 429:
                    self.send_header("retry-after", "0")
                self.end_headers()
                self.wfile.write(raw)

            def _stream(self, model: str, reply: dict[str, Any], fake: FakeLLM) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                words = re.findall(r"\S+\s*", reply["content"])
                deltas = [{"role": "assistant", "content": ""}]
                if reply["reasoning"]:
                    deltas.append({"reasoning_content": reply["reasoning"]})
                deltas += [{"content": w} for w in words]
                for i, delta in enumerate(deltas):
                    last = i == len(deltas) - 1
                    self._event(_chunk(model, delta, reply["finish"] if last else None))
                self._event(
                    {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion.chunk",
                        "created": 1,
                        "model": model,
                        "choices": [],
                        "usage": _usage(reply),
                    }
                )
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _event(self, data: dict[str, Any]) -> None:
                self.wfile.write(b"data: " + json.dumps(data).encode() + b"\n\n")

        return Handler


def serve(slow_delay: float) -> None:
    """Run a fake server in this process until stdin closes, printing its api_base first."""
    import sys

    with FakeLLM(slow_delay=slow_delay) as fake:
        print(fake.base, flush=True)
        sys.stdin.read()


def _usage(reply: dict[str, Any]) -> dict[str, int]:
    completion = len(reply["content"].split()) + len(reply["reasoning"].split())
    return {"prompt_tokens": 10, "completion_tokens": completion, "total_tokens": 10 + completion}


def _chunk(model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _completion(model: str, reply: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply["content"]}
    if reply["reasoning"]:
        message["reasoning_content"] = reply["reasoning"]
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": reply["finish"]}],
        "usage": _usage(reply),
    }


def _quotes(prompt: str) -> str:
    """A span-helper reply: quote the first and last line of the transcript excerpt given."""
    body = prompt.split("## Transcript", 1)[-1]
    lines = [ln.strip() for ln in body.splitlines() if len(ln.strip()) > 20]
    if not lines:
        return json.dumps({"start": "", "end": ""})
    return json.dumps({"start": lines[0][:40], "end": lines[-1][-30:]})


if __name__ == "__main__":
    import sys

    serve(float(sys.argv[1]) if len(sys.argv) > 1 else 0.4)

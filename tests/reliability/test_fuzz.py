"""Hypothesis over every parser of untrusted input: a user error or a result, never a traceback.

Each example runs under a 5 s alarm (a hang fails it). Bounded in `make test`; `make stress`
(HWREVIEW_STRESS=1) tries over 10,000 inputs.
"""

from __future__ import annotations

import json
import random
import signal
from pathlib import Path

import pytest
from hostile import HANG_SECONDS, TALLY, scale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hwreview.errors import HwReviewError
from hwreview.keys.parser import parse_key
from hwreview.transcripts import iter_conversations
from hwreview.transcripts.detect import detect_format

pytestmark = pytest.mark.usefixtures("no_hang")
SETTINGS = dict(
    deadline=None,  # the alarm bounds each example; Hypothesis' own deadline flakes when shared
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
    database=None,
)
DEMO = Path(__file__).resolve().parents[2] / "src" / "hwreview" / "demo"

# Pieces of Markdown keys and transcripts, so random text reaches the interesting paths.
KEY_PIECES = [
    "# Problem 1: T", "# Problem 0012", "# Problem 9999999999999", "## (a) P", "## (c)(ii) Q",
    "## (a", "### Answer key", "### Question", "### Rubric", "# Rubric", "- r1: -1 wrong",
    "- x: =0 zero", "<!-- points: 2; tags: a, b -->", "<!-- points: -1 -->", "<!--", "-->",
    "```", "~~~", "---", "title: [a, {b: c}]", "...", "$x^2$", " " * 50, "\t", "\u200f",
    "\x1b]0;t\x07", "|", "#", "##", "###",
]  # fmt: skip
SPEAKERS = [
    "## User", "## Assistant", "**User:**", "User said:", "ChatGPT said:", "You said:", "User:",
    "Assistant: hi", "# A", "---", "model: gpt", "(a)", "Problem 1", "1.", "**1a**", "$$", "```",
    "Thought for 3 seconds", "Copy", "Edit", " " * 40, "\x00", "\x1b[31m", "\u202e",
]  # fmt: skip


def markdownish(pieces: list[str]) -> st.SearchStrategy[str]:
    """Lines mixing structural pieces with arbitrary text."""
    line = st.one_of(st.sampled_from(pieces), st.text(max_size=40))
    return st.lists(line, max_size=40).map("\n".join)


def json_values() -> st.SearchStrategy[object]:
    """Arbitrary JSON, a few levels deep."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)
        ),
        max_leaves=30,
    )


def export_like() -> st.SearchStrategy[object]:
    """JSON shaped roughly like ChatGPT and Claude exports, with arbitrary values inside."""
    value = json_values()
    node = st.fixed_dictionaries(
        {"id": st.text(max_size=4), "parent": value, "children": value, "message": value}
    )
    chatgpt = st.fixed_dictionaries(
        {"title": value, "mapping": st.dictionaries(st.text(max_size=4), node, max_size=4),
         "current_node": value, "create_time": value}
    )  # fmt: skip
    claude = st.fixed_dictionaries(
        {"uuid": value, "name": value, "chat_messages": st.lists(
            st.fixed_dictionaries({"sender": value, "text": value, "content": value}), max_size=4)}
    )  # fmt: skip
    one = st.one_of(chatgpt, claude, json_values())
    return st.one_of(
        st.lists(one, max_size=3),
        one,
        st.fixed_dictionaries({"conversations": st.lists(one, max_size=3)}),
    )


def outcome(call) -> str:
    """Run `call` under the hang alarm; 'ok' or 'refused' — anything else is a bug."""
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        call()
        return "ok"
    except HwReviewError as exc:
        assert str(exc).strip(), "an error without a message"
        return "refused"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


@settings(max_examples=scale(150, 3000), **SETTINGS)
@given(text=st.one_of(markdownish(KEY_PIECES), st.text(max_size=300)))
def test_key_parser_never_raises_a_traceback(text: str) -> None:
    TALLY["fuzz: key parser"] += 1
    TALLY["bytes of hostile input"] += len(text.encode("utf-8", "surrogatepass"))
    outcome(lambda: parse_key(text, source="fuzz.md"))


@settings(max_examples=scale(100, 2000), **SETTINGS)
@given(
    text=st.one_of(markdownish(SPEAKERS), st.text(max_size=300)),
    suffix=st.sampled_from([".md", ".txt"]),
)
def test_text_importer_and_detection_never_raise_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, text: str, suffix: str
) -> None:
    TALLY["fuzz: text importer"] += 1
    path = tmp_path_factory.mktemp("t") / f"t{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    TALLY["bytes of hostile input"] += path.stat().st_size
    outcome(lambda: detect_format(path))
    outcome(lambda: list(iter_conversations(path)))
    outcome(lambda: list(iter_conversations(path, "text")))


@settings(max_examples=scale(100, 2500), **SETTINGS)
@given(data=export_like(), fmt=st.sampled_from([None, "chatgpt", "claude", "hwreview"]))
def test_json_importers_never_raise_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, data: object, fmt: str | None
) -> None:
    TALLY["fuzz: JSON importers"] += 1
    path = tmp_path_factory.mktemp("j") / "conversations.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    TALLY["bytes of hostile input"] += path.stat().st_size
    outcome(lambda: list(iter_conversations(path, fmt)))


@settings(max_examples=scale(100, 1500), **SETTINGS)
@given(raw=st.binary(max_size=400))
def test_format_detection_never_raises_a_traceback_on_bytes(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    TALLY["fuzz: format detection (bytes)"] += 1
    path = tmp_path_factory.mktemp("b") / "x.json"
    path.write_bytes(raw)
    TALLY["bytes of hostile input"] += len(raw)
    outcome(lambda: detect_format(path))
    outcome(lambda: list(iter_conversations(path)))


def mutated(sample: bytes, rng: random.Random) -> bytes:
    """A valid sample with a few random byte flips, deletions, duplications or insertions."""
    data = bytearray(sample)
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        at = rng.randrange(len(data))
        action = rng.randrange(4)
        if action == 0:
            data[at] = rng.randrange(256)
        elif action == 1:
            del data[at : at + rng.randint(1, 40)]
        elif action == 2:
            data[at:at] = data[at : at + rng.randint(1, 200)]
        else:
            data[at:at] = rng.choice(
                [b"[" * 200, b"{", b"\xed\xa0\x80", b" " * 3000, b"\x1b]", b"\x00"]
            )
    return bytes(data)


SAMPLES = [DEMO / "one-shot.md", DEMO / "turn-by-turn.md"]


def test_mutated_valid_samples_never_raise_a_traceback(tmp_path: Path) -> None:
    rng = random.Random(9)
    samples = [p.read_bytes() for p in SAMPLES]
    key = (DEMO / "demo.md").read_bytes()
    for number in range(scale(60, 1500)):
        TALLY["fuzz: mutated samples"] += 1
        sample = rng.choice(samples)
        path = tmp_path / f"m{number % 4}.md"
        path.write_bytes(mutated(sample, rng))
        TALLY["bytes of hostile input"] += path.stat().st_size
        outcome(lambda path=path: list(iter_conversations(path)))
        text = mutated(key, rng).decode("utf-8", errors="replace")
        outcome(lambda text=text: parse_key(text, "mutated.md"))

"""The span helper: ask where a part's answer starts and ends, and accept only verbatim quotes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hwreview.errors import ModelReplyError
from hwreview.llm_core.judge import load_reply_json
from hwreview.model import Part, Problem, Span, Transcript

MAX_EXCERPT = 40_000  # characters of transcript shown to the helper
MIN_QUOTE = 8


@dataclass(frozen=True)
class SpanCandidate:
    """A span proposed by a model for one (part, transcript); applied only when accepted."""

    part_id: str
    transcript_id: str
    model: str
    span: Span
    created: str = ""

    def to_json(self) -> dict[str, Any]:
        """The candidate as stored in the session's `span_candidates` table."""
        return {
            "part": self.part_id,
            "transcript": self.transcript_id,
            "model": self.model,
            "span": self.span.to_json(),
            "created": self.created,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpanCandidate:
        """Read a stored candidate."""
        return cls(
            str(data["part"]),
            str(data["transcript"]),
            str(data.get("model") or ""),
            Span.from_json(data["span"]),
            str(data.get("created") or ""),
        )


def answer_messages(transcript: Transcript) -> list[int]:
    """Indices of the assistant's answer messages, the only text a quote may come from."""
    return [
        i for i, m in enumerate(transcript.messages) if m.role == "assistant" and m.kind == "answer"
    ]


def span_messages(problem: Problem, part: Part, transcript: Transcript) -> list[dict[str, str]]:
    """The chat messages asking where the answer to one part starts and ends."""
    pieces, size = [], 0
    for index in answer_messages(transcript):
        text = transcript.messages[index].text
        if size + len(text) > MAX_EXCERPT:
            text = text[: max(0, MAX_EXCERPT - size)]
        pieces.append(text)
        size += len(text)
        if size >= MAX_EXCERPT:
            break
    system = (
        "You find where a homework answer is in a transcript. Reply with one JSON object: "
        '{"start": "the first 5 to 12 words of the answer, copied exactly", '
        '"end": "the last 5 to 12 words of the answer, copied exactly"}. '
        'If the part is not answered, reply {"start": "", "end": ""}.'
    )
    user = (
        f"Problem {problem.number}, part {part.id}: {part.title}\n\n{part.question.strip()}\n\n"
        "## Transcript\n\n" + "\n\n".join(pieces)
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def parse_quotes(text: str) -> tuple[str, str]:
    """(start quote, end quote) from the helper's reply; ModelReplyError when malformed."""
    data = load_reply_json(text)
    start, end = data.get("start"), data.get("end")
    if not isinstance(start, str) or not isinstance(end, str):
        raise ModelReplyError("the reply needs 'start' and 'end' quotes as text")
    return start.strip()[:500], end.strip()[:500]


def locate(transcript: Transcript, start: str, end: str) -> Span | None:
    """The span from the start quote to the end of the end quote, both found verbatim.

    None when the helper says the part is not answered; ModelReplyError for a quote that is
    too short or not in the transcript (never a guess at a near match).
    """
    if not start and not end:
        return None
    for quote in (start, end):
        if len(quote) < MIN_QUOTE:
            raise ModelReplyError(f"the quote {quote!r} is too short to place")
    indices = answer_messages(transcript)
    for n, first in enumerate(indices):
        at = transcript.messages[first].text.find(start)
        if at < 0:
            continue
        for last in indices[n:]:
            text = transcript.messages[last].text
            found = text.find(end, at if last == first else 0)
            if found >= 0:
                return Span(first, at, found + len(end), last)
        raise ModelReplyError(
            f"the end quote {end[:40]!r} is not in the transcript after the start"
        )
    raise ModelReplyError(f"the start quote {start[:40]!r} is not in the transcript")

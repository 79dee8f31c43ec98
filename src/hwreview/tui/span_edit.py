"""Pure functions that move a span's ends by whole paragraphs or to another message."""

from __future__ import annotations

import re

from hwreview.model import Span, Transcript

_BLANK = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the text's paragraphs (blocks between blank lines)."""
    result, pos = [], 0
    for m in [*_BLANK.finditer(text), None]:
        end = m.start() if m else len(text)
        block = text[pos:end]
        if block.strip():
            lead = len(block) - len(block.lstrip())
            result.append((pos + lead, pos + len(block.rstrip())))
        if m:
            pos = m.end()
    return result


def answer_messages(transcript: Transcript) -> list[int]:
    """Indexes of the assistant's answer messages."""
    return [
        i for i, m in enumerate(transcript.messages) if m.role == "assistant" and m.kind == "answer"
    ]


def _paras(transcript: Transcript, index: int) -> list[tuple[int, int]]:
    return paragraphs(transcript.messages[index].text) or [
        (0, len(transcript.messages[index].text))
    ]


def message_span(transcript: Transcript, index: int) -> Span:
    """A span over the first paragraph of message `index`."""
    start, end = _paras(transcript, index)[0]
    return Span(index, start, end)


def _neighbour(transcript: Transcript, index: int, step: int) -> int | None:
    candidates = [i for i in answer_messages(transcript) if (i - index) * step > 0]
    if not candidates:
        return None
    return min(candidates) if step > 0 else max(candidates)


def move_message(transcript: Transcript, span: Span | None, step: int) -> Span | None:
    """The first paragraph of the next (step 1) or previous (-1) answer message."""
    if span is None:
        found = answer_messages(transcript)
        return message_span(transcript, found[0]) if found else None
    target = _neighbour(transcript, span.message, step)
    return None if target is None else message_span(transcript, target)


def extend_end(transcript: Transcript, span: Span) -> Span | None:
    """Move the end one paragraph later (into the next answer message at the end)."""
    for _start, end in _paras(transcript, span.end_message):
        if end > span.end:
            return Span(span.message, span.start, end, span.end_message)
    nxt = _neighbour(transcript, span.end_message, 1)
    if nxt is None:
        return None
    return Span(span.message, span.start, _paras(transcript, nxt)[0][1], nxt)


def shrink_end(transcript: Transcript, span: Span) -> Span | None:
    """Move the end one paragraph earlier; None when that would leave nothing."""
    same = span.message == span.end_message
    for start, end in reversed(_paras(transcript, span.end_message)):
        if end < span.end and (not same or end > span.start):
            return Span(span.message, span.start, end, span.end_message)
        if start < span.end and same and start <= span.start:
            break
    if same:
        return None
    prev = _neighbour(transcript, span.end_message, -1)
    if prev is None or prev < span.message:
        prev = span.message
    return Span(span.message, span.start, _paras(transcript, prev)[-1][1], prev)


def extend_start(transcript: Transcript, span: Span) -> Span | None:
    """Move the start one paragraph earlier (into the previous answer message at the top)."""
    for start, _end in reversed(_paras(transcript, span.message)):
        if start < span.start:
            return Span(span.message, start, span.end, span.end_message)
    prev = _neighbour(transcript, span.message, -1)
    if prev is None:
        return None
    return Span(prev, _paras(transcript, prev)[-1][0], span.end, span.end_message)


def shrink_start(transcript: Transcript, span: Span) -> Span | None:
    """Move the start one paragraph later; None when that would leave nothing."""
    same = span.message == span.end_message
    for start, _end in _paras(transcript, span.message):
        if start > span.start and (not same or start < span.end):
            return Span(span.message, start, span.end, span.end_message)
    if same:
        return None
    nxt = _neighbour(transcript, span.message, 1)
    if nxt is None or nxt > span.end_message:
        nxt = span.end_message
    return Span(nxt, _paras(transcript, nxt)[0][0], span.end, span.end_message)


def transcript_markdown(transcript: Transcript, span: Span | None, part_id: str) -> tuple[str, int]:
    """The whole transcript as Markdown with the span marked; returns it and the span's offset."""
    pieces: list[str] = []
    offset = 0
    length = 0
    for index, message in enumerate(transcript.messages):
        kind = "" if message.kind == "answer" else f" · {message.kind}"
        text = message.text
        if span is not None and span.message <= index <= span.end_message:
            end = span.end if index == span.end_message else len(text)
            start = span.start if index == span.message else 0
            before, inside, after = text[:start], text[start:end], text[end:]
            head = f"\n\n**▶▶ {part_id} starts here**\n\n" if index == span.message else ""
            tail = f"\n\n**◀◀ {part_id} ends here**\n\n" if index == span.end_message else ""
            if index == span.message:
                offset = length + len(f"### {index} · {message.role}{kind}\n\n") + len(before)
            text = before + head + inside + tail + after
        block = f"### {index} · {message.role}{kind}\n\n{text}\n\n"
        pieces.append(block)
        length += len(block)
    return "".join(pieces), offset

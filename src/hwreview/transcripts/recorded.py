"""Alignment from what a collected transcript recorded: which user turn asked which parts."""

from __future__ import annotations

from hwreview.model import FOUND, NOT_FOUND, UNCERTAIN, Alignment, Span, Transcript


def asked_turns(transcript: Transcript) -> list[tuple[tuple[str, ...], list[int]]]:
    """(parts asked, indices of the answer replies) for each recorded user turn, in order."""
    turns: list[tuple[tuple[str, ...], list[int]]] = []
    for index, message in enumerate(transcript.messages):
        if message.role == "user" and message.kind == "answer":
            turns.append((message.parts, []))
        elif message.role == "assistant" and message.kind == "answer" and turns:
            turns[-1][1].append(index)
    return turns


def records_parts(transcript: Transcript) -> bool:
    """True when the transcript says which turn asked which part (`hwreview collect` output)."""
    return any(m.parts for m in transcript.messages if m.role == "user")


def align_recorded(transcript: Transcript, guessed: dict[str, Alignment]) -> dict[str, Alignment]:
    """Use the recorded turns: a part asked alone gets its whole reply; several share one.

    For a turn that asked several parts, the guessed span is kept when it lies inside that
    turn's reply; otherwise the whole reply is offered as uncertain (or not found if empty).
    """
    out = dict(guessed)
    for parts, replies in asked_turns(transcript):
        replies = [i for i in replies if transcript.messages[i].text.strip()]
        whole = (
            Span(replies[0], 0, len(transcript.messages[replies[-1]].text), replies[-1])
            if replies
            else None
        )
        for pid in parts:
            if pid not in out:
                continue
            if whole is None:
                out[pid] = Alignment(pid, NOT_FOUND, reason="the model's reply was empty")
            elif len(parts) == 1:
                out[pid] = Alignment(pid, FOUND, _trimmed(transcript, whole))
            else:
                span = out[pid].span
                inside = (
                    span is not None
                    and replies[0] <= span.message <= span.end_message <= replies[-1]
                )
                if not inside:
                    reason = f"asked together with {len(parts) - 1} other parts; not told apart"
                    out[pid] = Alignment(pid, UNCERTAIN, _trimmed(transcript, whole), reason=reason)
    return out


def _trimmed(transcript: Transcript, span: Span) -> Span:
    """The span without the blank space at either end."""
    first = transcript.messages[span.message].text
    last = transcript.messages[span.end_message].text
    start = len(first) - len(first.lstrip())
    end = len(last.rstrip())
    return Span(span.message, start, end, span.end_message)

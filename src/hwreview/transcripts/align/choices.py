"""The spans a grader can step through for one part: its attempts, then the other candidates."""

from __future__ import annotations

from dataclasses import dataclass

from hwreview.model import Alignment, Span


@dataclass(frozen=True)
class Choice:
    """One span the graded answer can be switched to, and how to name it."""

    span: Span
    name: str


def choices(alignment: Alignment | None) -> list[Choice]:
    """Every attempt in turn order, then the ranked alternatives, each span once."""
    if alignment is None:
        return []
    out: list[Choice] = []
    seen: set[Span] = set()
    n = len(alignment.attempts)
    for i, span in enumerate(alignment.attempts, start=1):
        last = " (the last)" if i == n else ""
        out.append(Choice(span, f"attempt {i} of {n}{last}"))
        seen.add(span)
    if alignment.span is not None and alignment.span not in seen:
        out.insert(0, Choice(alignment.span, "the span shown"))
        seen.add(alignment.span)
    for i, candidate in enumerate(alignment.alternatives, start=1):
        if candidate.span not in seen:
            reason = f": {candidate.reason}" if candidate.reason else ""
            out.append(Choice(candidate.span, f"candidate {i}{reason}"))
            seen.add(candidate.span)
    return out


def next_choice(alignment: Alignment | None) -> Choice | None:
    """The choice after the span shown now (round to the first), or None when there is no other."""
    options = choices(alignment)
    if alignment is None or len(options) < 2:
        return None
    spans = [c.span for c in options]
    at = spans.index(alignment.span) if alignment.span in spans else -1
    return options[(at + 1) % len(options)]

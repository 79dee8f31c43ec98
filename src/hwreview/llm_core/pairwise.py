"""The pairwise judge: which of two answers to a part is better, and why, checked like a verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hwreview.errors import ModelReplyError
from hwreview.llm_core.judge import MAX_RATIONALE, load_reply_json
from hwreview.model import Part, Problem

CHOICES = ("first", "second", "tie", "neither")


@dataclass(frozen=True)
class PairSuggestion:
    """A model's preference between two transcripts on one part, kept beside the grader's."""

    part_id: str
    first: str
    second: str
    model: str
    choice: str
    aspects: tuple[str, ...] = ()
    reason: str = ""
    created: str = ""

    def to_json(self) -> dict[str, Any]:
        """The suggestion as stored in the session's `pair_suggestions` table."""
        return {
            "part": self.part_id,
            "first": self.first,
            "second": self.second,
            "model": self.model,
            "choice": self.choice,
            "aspects": list(self.aspects),
            "reason": self.reason,
            "created": self.created,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PairSuggestion:
        """Read a stored pairwise suggestion."""
        choice = str(data["choice"])
        if choice not in CHOICES:
            raise ValueError(f"unknown choice {choice!r}")
        return cls(
            str(data["part"]),
            str(data["first"]),
            str(data["second"]),
            str(data.get("model") or ""),
            choice,
            tuple(str(a) for a in data.get("aspects") or ()),
            str(data.get("reason") or ""),
            str(data.get("created") or ""),
        )


def pair_messages(
    problem: Problem, part: Part, first: str, second: str, aspects: Sequence[str]
) -> list[dict[str, str]]:
    """The chat messages asking which of two answers to a part is better."""
    system = (
        "You compare two students' answers to one homework part against the official key. "
        "Reply with one JSON object and nothing else: "
        '{"better": "first" | "second" | "tie" | "neither" (both wrong), '
        f'"aspects": the reasons it turned on, from {", ".join(aspects)}, '
        '"reason": one or two sentences}.'
    )
    user = (
        f"# Problem {problem.number}: {problem.title}\n\n{problem.context.strip()}\n\n"
        f"## Part {part.id}: {part.title}\n\n{part.question.strip()}\n\n"
        f"## Official answer key\n\n{part.answer_key.strip()}\n\n"
        f"## First answer\n\n{first.strip() or '(no answer)'}\n\n"
        f"## Second answer\n\n{second.strip() or '(no answer)'}"
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def parse_preference(text: str, aspects: Sequence[str]) -> tuple[str, tuple[str, ...], str]:
    """(choice, aspects, reason) from a pairwise reply, or ModelReplyError in one line."""
    data = load_reply_json(text)
    choice = data.get("better")
    if not isinstance(choice, str) or choice.strip().lower() not in CHOICES:
        raise ModelReplyError(f"'better' must be one of {', '.join(CHOICES)}")
    chosen = data.get("aspects", [])
    if not isinstance(chosen, list) or not all(isinstance(a, str) for a in chosen):
        raise ModelReplyError("'aspects' must be a list of strings")
    clean = tuple(dict.fromkeys(a.strip().lower() for a in chosen))
    unknown = [a for a in clean if a not in aspects]
    if unknown:
        raise ModelReplyError(f"unknown aspect {unknown[0][:30]!r}")
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        raise ModelReplyError("'reason' must be text")
    return choice.strip().lower(), clean, " ".join(reason.split())[:MAX_RATIONALE]

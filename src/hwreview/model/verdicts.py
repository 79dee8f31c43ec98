"""Verdicts and the error tags every session starts with."""

from __future__ import annotations

import enum

from hwreview.errors import HwReviewError


class Verdict(enum.StrEnum):
    """How well one transcript answered one part."""

    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    OMITTED = "omitted"
    AMBIGUOUS = "ambiguous"
    UNGRADED = "ungraded"

    @classmethod
    def parse(cls, text: str) -> Verdict:
        """Read a verdict from its name or a unique prefix (`c`, `part`, `inc`)."""
        wanted = text.strip().lower()
        for verdict in cls:
            if verdict.value == wanted:
                return verdict
        matches = [v for v in cls if v.value.startswith(wanted)] if wanted else []
        if len(matches) == 1:
            return matches[0]
        names = ", ".join(v.value for v in cls)
        raise HwReviewError(f"unknown verdict {text!r}: use one of {names}")

    @property
    def symbol(self) -> str:
        """The one-character symbol shown in the part tree and reports."""
        return VERDICT_SYMBOLS[self]

    @property
    def graded(self) -> bool:
        """True for every verdict except ungraded."""
        return self is not Verdict.UNGRADED


VERDICT_SYMBOLS = {
    Verdict.CORRECT: "✓",
    Verdict.PARTIAL: "◐",
    Verdict.INCORRECT: "✗",
    Verdict.OMITTED: "∅",
    Verdict.AMBIGUOUS: "?",
    Verdict.UNGRADED: "·",
}

GRADED_VERDICTS = tuple(v for v in Verdict if v.graded)

DEFAULT_TAGS = (
    "arithmetic",
    "units",
    "assumption",
    "conceptual",
    "omission",
    "hallucination",
    "notation",
    "carried-forward",
)

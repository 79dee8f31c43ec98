"""How far graders of the same transcript agree, part by part."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from hwreview.model import Verdict
from hwreview.stats import cohen_kappa, krippendorff_alpha, percent_agreement, weighted_kappa

# The ordered scale for weighted kappa and alpha: an omitted answer is as wrong as a wrong one;
# "ambiguous" says the grader could not decide, so it is left out like an ungraded part.
ORDERED_SCALE = {
    Verdict.INCORRECT: 0,
    Verdict.OMITTED: 0,
    Verdict.PARTIAL: 1,
    Verdict.CORRECT: 2,
}


@dataclass(frozen=True)
class Grading:
    """One grader's verdicts on one transcript (part id -> verdict)."""

    session: str
    grader: str
    verdicts: dict[str, Verdict]


@dataclass(frozen=True)
class Disagreement:
    """A part graders saw differently: each grading's verdict."""

    part_id: str
    verdicts: tuple[Verdict, ...]


@dataclass(frozen=True)
class Agreement:
    """Agreement between the graders of one transcript (two or more gradings)."""

    transcript: str
    gradings: tuple[Grading, ...]
    parts: int
    percent: float | None
    kappa: float | None
    weighted_kappa: float | None
    alpha: float | None
    disagreements: tuple[Disagreement, ...]


def agreement(transcript: str, gradings: list[Grading], part_ids: list[str]) -> Agreement:
    """Percent agreement and kappas (two graders) or Krippendorff's alpha (three or more)."""
    both = [
        pid
        for pid in part_ids
        if all(g.verdicts.get(pid, Verdict.UNGRADED).graded for g in gradings)
    ]
    disagreements = tuple(
        Disagreement(pid, tuple(g.verdicts[pid] for g in gradings))
        for pid in both
        if len({g.verdicts[pid] for g in gradings}) > 1
    )
    pairs = list(combinations(gradings, 2))
    shares = [
        percent_agreement([a.verdicts[p] for p in both], [b.verdicts[p] for p in both])
        for a, b in pairs
    ]
    known = [s for s in shares if s is not None]
    kappa = weighted = alpha = None
    if len(gradings) == 2:
        a, b = gradings
        kappa = cohen_kappa([a.verdicts[p] for p in both], [b.verdicts[p] for p in both])
        ordered = [
            p for p in both if a.verdicts[p] in ORDERED_SCALE and b.verdicts[p] in ORDERED_SCALE
        ]
        weighted = weighted_kappa(
            [ORDERED_SCALE[a.verdicts[p]] for p in ordered],
            [ORDERED_SCALE[b.verdicts[p]] for p in ordered],
            [0, 1, 2],
        ) if ordered else None  # fmt: skip
    else:
        alpha = krippendorff_alpha(
            [[ORDERED_SCALE.get(g.verdicts.get(p, Verdict.UNGRADED)) for p in part_ids] for g in gradings]
        )  # fmt: skip
    return Agreement(
        transcript=transcript,
        gradings=tuple(gradings),
        parts=len(both),
        percent=sum(known) / len(known) if known else None,
        kappa=kappa,
        weighted_kappa=weighted,
        alpha=alpha,
        disagreements=disagreements,
    )

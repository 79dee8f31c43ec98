"""The judge-vs-grader section: agreement, a confusion matrix over verdicts, Cohen's kappa."""

from __future__ import annotations

from dataclasses import dataclass, field

from hwreview.model import GRADED_VERDICTS, Verdict
from hwreview.report.text import cell
from hwreview.session.data import SessionSnapshot
from hwreview.stats.agreement import cohen_kappa, percent_agreement


@dataclass(frozen=True)
class JudgeAgreement:
    """How a judge model's suggestions compare with the grader's verdicts on the same parts."""

    models: tuple[str, ...]
    pairs: int
    agreement: float | None
    kappa: float | None
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # grader -> judge -> n

    def to_json(self) -> dict[str, object]:
        """The figures as plain data (the JSON report's `judge` entry)."""
        return {
            "models": list(self.models),
            "pairs": self.pairs,
            "agreement": round(self.agreement, 4) if self.agreement is not None else None,
            "cohen_kappa": round(self.kappa, 4) if self.kappa is not None else None,
            "confusion": self.confusion,
        }


def judge_agreement(snapshot: SessionSnapshot) -> JudgeAgreement | None:
    """Compare suggestions with grades where both exist; None when nothing was suggested."""
    if not snapshot.suggestions:
        return None
    grader: list[str] = []
    judge: list[str] = []
    names = [v.value for v in GRADED_VERDICTS]
    for (part_id, transcript_id), suggestion in sorted(snapshot.suggestions.items()):
        verdict = snapshot.grade(part_id, transcript_id).verdict
        if verdict is Verdict.UNGRADED or suggestion.verdict not in names:
            continue
        grader.append(verdict.value)
        judge.append(suggestion.verdict)
    confusion = {g: {j: 0 for j in names} for g in names}
    for g, j in zip(grader, judge, strict=True):
        confusion[g][j] += 1
    models = tuple(sorted({s.model for s in snapshot.suggestions.values()}))
    return JudgeAgreement(
        models, len(grader), percent_agreement(grader, judge), cohen_kappa(grader, judge), confusion
    )


def judge_section(snapshot: SessionSnapshot) -> list[str]:
    """The Markdown lines of the section (none when no judge was asked)."""
    figures = judge_agreement(snapshot)
    if figures is None:
        return []
    lines = ["## Judge vs grader\n"]
    models = ", ".join(cell(m) for m in figures.models)
    if not figures.pairs:
        lines.append(f"Suggestions from {models}; none yet on a part you have graded.\n")
        return lines
    agreement = f"{figures.agreement:.0%}" if figures.agreement is not None else "n/a"
    kappa = f"{figures.kappa:.2f}" if figures.kappa is not None else "undefined"
    lines.append(
        f"On the {figures.pairs} graded parts with a suggestion from {models}, the judge agreed "
        f"with the grader on {agreement} (Cohen's κ = {kappa}).\n"
    )
    used = [v for v in figures.confusion if any(figures.confusion[v].values())] or []
    columns = [
        j for j in figures.confusion if any(figures.confusion[g][j] for g in figures.confusion)
    ]
    lines.append("| Grader ↓ / judge → | " + " | ".join(columns) + " |")
    lines.append("|---|" + "---:|" * len(columns))
    for g in used:
        lines.append(f"| {g} | " + " | ".join(str(figures.confusion[g][j]) for j in columns) + " |")
    lines.append("")
    return lines

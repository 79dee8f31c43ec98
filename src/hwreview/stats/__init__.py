"""Pure statistics for small evaluations: intervals, paired tests and agreement between graders."""

from hwreview.stats.agreement import (
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    weighted_kappa,
)
from hwreview.stats.proportions import mcnemar_exact, percent, wilson_interval

__all__ = [
    "cohen_kappa",
    "krippendorff_alpha",
    "mcnemar_exact",
    "percent",
    "percent_agreement",
    "weighted_kappa",
    "wilson_interval",
]

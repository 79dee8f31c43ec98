"""Agreement between graders: percent agreement, Cohen's kappa (plain and weighted), alpha."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Literal


def percent_agreement(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """The share of items two graders put in the same category; None when there are none."""
    _check_paired(first, second)
    if not first:
        return None
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's kappa: agreement beyond what two graders' own category rates give by chance.

    None when it is undefined: no items, or both graders used one and the same category for
    everything (chance agreement is then 1, and kappa is 0/0).
    """
    _check_paired(first, second)
    categories = sorted(set(first) | set(second), key=repr)
    weights = {(a, b): 0.0 if a == b else 1.0 for a in categories for b in categories}
    return _kappa(first, second, weights)


def weighted_kappa(
    first: Sequence[Hashable], second: Sequence[Hashable], order: Sequence[Hashable]
) -> float | None:
    """Cohen's kappa with linear weights on an ordered scale (`order`, lowest first).

    A near miss (correct against partial) counts half as much as a far one (correct against
    incorrect) on a three-step scale. Items outside `order` are refused.
    """
    _check_paired(first, second)
    rank = {value: index for index, value in enumerate(order)}
    if len(rank) < 2:
        raise ValueError("an ordered scale needs at least two values")
    for value in (*first, *second):
        if value not in rank:
            raise ValueError(f"{value!r} is not on the scale {list(order)!r}")
    steps = len(rank) - 1
    weights = {(a, b): abs(rank[a] - rank[b]) / steps for a in rank for b in rank}
    return _kappa(first, second, weights)


def _kappa(
    first: Sequence[Hashable],
    second: Sequence[Hashable],
    weights: dict[tuple[Hashable, Hashable], float],
) -> float | None:
    """1 - observed disagreement / disagreement expected from the two graders' margins."""
    n = len(first)
    if n == 0:
        return None
    observed = sum(weights[a, b] for a, b in zip(first, second, strict=True)) / n
    left, right = Counter(first), Counter(second)
    expected = sum(weights[a, b] * left[a] * right[b] for a in left for b in right) / (n * n)
    if math.isclose(expected, 0.0, abs_tol=1e-12):
        return None
    return 1.0 - observed / expected


def krippendorff_alpha(
    ratings: Sequence[Sequence[float | None]],
    level: Literal["nominal", "ordinal", "interval", "ratio"] = "ordinal",
) -> float | None:
    """Krippendorff's alpha for any number of graders, missing ratings allowed.

    `ratings` holds one row per grader and one column per item (None: not rated). Computed by
    the maintained `krippendorff` package; None when undefined (fewer than two values in all,
    or no item rated twice).
    """
    if len({len(row) for row in ratings}) > 1:
        raise ValueError("every grader's row must cover the same items")
    values = {v for row in ratings for v in row if v is not None}
    pairable = sum(
        1 for column in zip(*ratings, strict=True) if sum(v is not None for v in column) >= 2
    )
    if len(ratings) < 2 or len(values) < 2 or pairable == 0:
        return None
    import krippendorff  # numpy behind it: loaded only when alpha is asked for
    import numpy as np

    data = np.array(
        [[np.nan if v is None else float(v) for v in row] for row in ratings], dtype=float
    )
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def _check_paired(first: Sequence[Hashable], second: Sequence[Hashable]) -> None:
    if len(first) != len(second):
        raise ValueError(f"paired ratings differ in length: {len(first)} and {len(second)}")

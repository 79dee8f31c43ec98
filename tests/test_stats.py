"""Each statistic against published or independently computed values."""

from __future__ import annotations

import math

import pytest

from hwreview.stats import (
    cohen_kappa,
    krippendorff_alpha,
    mcnemar_exact,
    percent_agreement,
    weighted_kappa,
    wilson_interval,
)


def test_wilson_interval_for_28_of_34():
    # Newcombe (1998) method 3; also statsmodels proportion_confint(28, 34, method="wilson").
    low, high = wilson_interval(28, 34)
    assert round(low, 3) == 0.665
    assert round(high, 3) == 0.917


def test_wilson_interval_edges():
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1.0) and round(low, 3) == 0.722  # 10/10: [0.722, 1]
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_mcnemar_exact_one_against_six():
    # Two-sided binomial test of 1 success in 7 trials at p = 1/2: 2 * (1 + 7) / 128.
    assert mcnemar_exact(1, 6) == pytest.approx(0.125)
    assert mcnemar_exact(6, 1) == pytest.approx(0.125)
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(3, 3) == 1.0


def test_cohen_kappa_textbook_two_by_two():
    # Wikipedia "Cohen's kappa", first worked example: 50 proposals read by two readers,
    # 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> p_o = 0.7, p_e = 0.5, kappa = 0.4.
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert percent_agreement(first, second) == pytest.approx(0.7)
    assert cohen_kappa(first, second) == pytest.approx(0.4)


def test_cohen_kappa_undefined_and_perfect():
    assert cohen_kappa([], []) is None
    assert cohen_kappa(["a", "a"], ["a", "a"]) is None  # chance agreement is already 1
    assert cohen_kappa(["a", "b", "a"], ["a", "b", "a"]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        cohen_kappa(["a"], ["a", "b"])


def test_weighted_kappa_by_hand():
    # 3-point scale, 10 items. Table (rows grader 1, columns grader 2, order 0 < 1 < 2):
    #   [[3, 1, 0], [1, 2, 1], [0, 0, 2]]; linear weights |i-j|/2.
    # Observed disagreement = (1*.5 + 1*.5 + 1*.5) / 10 = 0.15.
    # Margins: rows (4, 4, 2), columns (4, 3, 3); expected disagreement
    # = sum w_ij r_i c_j / 100 = (.5*4*3 + 1*4*3 + .5*4*4 + .5*4*3 + 1*2*4 + .5*2*3) / 100 = 0.43.
    # kappa_w = 1 - 0.15 / 0.43 = 28/43.
    table = [[3, 1, 0], [1, 2, 1], [0, 0, 2]]
    first, second = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            first += [i] * count
            second += [j] * count
    assert weighted_kappa(first, second, [0, 1, 2]) == pytest.approx(28 / 43)
    # On two categories the weighted and plain kappa coincide.
    a, b = [0, 0, 1, 1, 1], [0, 1, 1, 1, 0]
    assert weighted_kappa(a, b, [0, 1]) == pytest.approx(cohen_kappa(a, b))
    with pytest.raises(ValueError):
        weighted_kappa([5], [0], [0, 1])


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: four coders,
# twelve units, missing values; alpha = 0.743 nominal, 0.815 ordinal, 0.849 interval.
PAPER = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


@pytest.mark.parametrize(
    ("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_krippendorff_alpha_matches_the_paper(level: str, published: float):
    assert round(krippendorff_alpha(PAPER, level), 3) == published


def test_krippendorff_alpha_undefined():
    assert krippendorff_alpha([[1, 1], [1, 1]]) is None  # one value only
    assert krippendorff_alpha([[1, None], [None, 2]]) is None  # nothing rated twice
    assert krippendorff_alpha([[1, 2]]) is None  # one grader
    assert math.isclose(krippendorff_alpha([[0, 1, 2], [0, 1, 2], [0, 1, 2]]), 1.0)

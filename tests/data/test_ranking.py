"""Tests for snippets.data.ranking: scikit-learn's ROC/PR/AP, Mann-Whitney U, hand cases with ties."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import mannwhitneyu
from sklearn import metrics

from snippets.data.ranking import (
    auc_pairwise,
    average_precision,
    average_precision_trapezoid,
    precision_recall_curve,
    roc_curve,
    trapezoid,
)


def _data(seed: int, n: int = 60, decimals: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]
    return y, np.round(rng.standard_normal(n) + y, decimals)  # rounding makes ties


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("decimals", [0, 1, 6])
def test_roc_curve_and_auc_match_sklearn(seed: int, decimals: int) -> None:
    y, s = _data(seed, decimals=decimals)
    fpr, tpr, t = roc_curve(y, s)
    fpr2, tpr2, t2 = metrics.roc_curve(y, s, drop_intermediate=False)
    np.testing.assert_allclose(fpr, fpr2)
    np.testing.assert_allclose(tpr, tpr2)
    np.testing.assert_allclose(t, t2)
    auc = metrics.roc_auc_score(y, s)
    assert trapezoid(fpr, tpr) == pytest.approx(auc, rel=1e-12)
    assert auc_pairwise(y, s) == pytest.approx(auc, rel=1e-12)
    # Mann-Whitney U counts pairs (positive > negative) with ties 1/2
    U = mannwhitneyu(s[y == 1], s[y == 0]).statistic
    assert auc_pairwise(y, s) == pytest.approx(U / (y.sum() * (y.size - y.sum())), rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("decimals", [0, 1, 6])
def test_pr_curve_and_average_precision_match_sklearn(seed: int, decimals: int) -> None:
    y, s = _data(seed, decimals=decimals)
    for mine, ref in zip(precision_recall_curve(y, s), metrics.precision_recall_curve(y, s), strict=True):
        np.testing.assert_allclose(mine, ref)
    assert average_precision(y, s) == pytest.approx(metrics.average_precision_score(y, s), rel=1e-12)
    precision, recall, _ = metrics.precision_recall_curve(y, s)
    assert average_precision_trapezoid(y, s) == pytest.approx(metrics.auc(recall, precision), rel=1e-12)


def test_hand_case_with_a_tie() -> None:
    # positives scored 0.9, 0.5; negatives 0.5, 0.2: pairs (0.9>0.5, 0.9>0.2, 0.5=0.5, 0.5>0.2) -> 3.5 / 4
    y, s = np.array([1, 1, 0, 0]), np.array([0.9, 0.5, 0.5, 0.2])
    assert auc_pairwise(y, s) == pytest.approx(0.875)
    fpr, tpr, _ = roc_curve(y, s)
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 1, 1])
    # AP: recall 0 -> 1/2 at precision 1, 1/2 -> 1 at precision 2/3
    assert average_precision(y, s) == pytest.approx(0.5 * 1 + 0.5 * 2 / 3)
    # the trapezoid joins (0, 1) to (1/2, 1) to (1, 2/3): a straight line where AP steps
    assert average_precision_trapezoid(y, s) == pytest.approx(0.5 + 0.5 * (1 + 2 / 3) / 2)


@pytest.mark.parametrize("seed", range(5))
def test_trapezoid_is_below_step_ap_without_ties(seed: int) -> None:
    # no ties: every recall step runs from the point after a negative up to the next positive, precision rising
    y, s = _data(seed, decimals=6)
    assert np.unique(s).size == s.size
    assert average_precision_trapezoid(y, s) < average_precision(y, s)


def test_auc_is_invariant_to_monotone_transforms_and_flips_with_the_score() -> None:
    y, s = _data(7, decimals=6)
    assert auc_pairwise(y, np.exp(3 * s)) == pytest.approx(auc_pairwise(y, s))
    assert auc_pairwise(y, -s) == pytest.approx(1 - auc_pairwise(y, s))


def test_bad_inputs_name_the_argument() -> None:
    y, s = _data(0)
    with pytest.raises(ValueError, match="s"):
        roc_curve(y, s[:-1])
    with pytest.raises(TypeError, match="y"):
        auc_pairwise(y.astype(float), s)
    with pytest.raises(ValueError, match="y"):
        average_precision(np.ones_like(y), s)
    with pytest.raises(ValueError, match="s"):
        precision_recall_curve(y, np.full(s.shape, np.nan))
    with pytest.raises(TypeError, match="s"):
        average_precision_trapezoid(y, y)
    with pytest.raises(ValueError, match="y"):
        trapezoid(np.array([0.0, 1.0]), np.array([0.0]))


def test_auc_of_hard_predictions_is_one_plus_tpr_minus_fpr_over_two() -> None:
    y, s = _data(3, decimals=6)
    y_hat = (s > 0.5).astype(np.float64)
    tpr, fpr = y_hat[y == 1].mean(), y_hat[y == 0].mean()
    fpr_c, tpr_c, _ = roc_curve(y, y_hat)
    assert trapezoid(fpr_c, tpr_c) == pytest.approx((1 + tpr - fpr) / 2)
    assert metrics.roc_auc_score(y, y_hat) == pytest.approx((1 + tpr - fpr) / 2)


def test_ap_of_a_random_scorer_is_near_the_positive_rate() -> None:
    rng = np.random.default_rng(0)
    y = (rng.random(20000) < 0.05).astype(np.int64)
    assert average_precision(y, rng.random(20000)) == pytest.approx(y.mean(), abs=0.01)

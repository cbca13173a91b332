"""Tests for snippets.data.classification against scikit-learn and hand cases."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics

from snippets.data.classification import confusion_matrix, precision_recall_fbeta, top_k_accuracy


def test_hand_case_binary_confusion_and_f_beta() -> None:
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    y_hat = np.array([1, 1, 1, 0, 1, 1, 0, 0, 0, 0])  # TP 3, FN 1, FP 2, TN 4
    np.testing.assert_array_equal(confusion_matrix(y, y_hat, 2), [[4, 2], [1, 3]])
    p, r, f1 = precision_recall_fbeta(y, y_hat)
    assert (p, r, f1) == pytest.approx((3 / 5, 3 / 4, 2 * 3 / (2 * 3 + 1 + 2)))
    # F2 = 5 TP / (5 TP + 4 FN + FP)
    assert precision_recall_fbeta(y, y_hat, beta=2.0)[2] == pytest.approx(15 / (15 + 4 + 2))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0])
def test_matches_sklearn(seed: int, beta: float) -> None:
    rng = np.random.default_rng(seed)
    y, y_hat = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
    np.testing.assert_array_equal(confusion_matrix(y, y_hat, 2), metrics.confusion_matrix(y, y_hat))
    expected = (metrics.precision_score(y, y_hat), metrics.recall_score(y, y_hat),
                metrics.fbeta_score(y, y_hat, beta=beta))
    assert precision_recall_fbeta(y, y_hat, beta) == pytest.approx(expected, rel=1e-12)
    K = 5
    a, b = rng.integers(0, K, 80), rng.integers(0, K, 80)
    np.testing.assert_array_equal(confusion_matrix(a, b, K), metrics.confusion_matrix(a, b, labels=range(K)))


def test_no_predicted_positive_gives_zero_like_sklearn_zero_division_0() -> None:
    y, y_hat = np.array([1, 0, 1]), np.array([0, 0, 0])
    assert precision_recall_fbeta(y, y_hat) == (0.0, 0.0, 0.0)
    assert metrics.fbeta_score(y, y_hat, beta=1.0, zero_division=0.0) == 0.0


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_top_k_accuracy_matches_sklearn(k: int) -> None:
    rng = np.random.default_rng(k)
    S = rng.standard_normal((200, 5))
    y = rng.integers(0, 5, 200)
    assert top_k_accuracy(y, S, k) == pytest.approx(metrics.top_k_accuracy_score(y, S, k=k, labels=range(5)))


def test_top_k_hand_case() -> None:
    S = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    y = np.array([2, 2])  # rank 1 (second) in row 0, rank 2 (third) in row 1
    assert [top_k_accuracy(y, S, k) for k in (1, 2, 3)] == [0.0, 0.5, 1.0]


def test_bad_inputs_name_the_argument() -> None:
    y = np.array([0, 1, 1])
    with pytest.raises(ValueError, match="y_hat"):
        confusion_matrix(y, np.array([0, 1, 2]), 2)
    with pytest.raises(TypeError, match="y"):
        confusion_matrix(y.astype(float), y, 2)
    with pytest.raises(ValueError, match="K"):
        confusion_matrix(y, y, 0)
    with pytest.raises(ValueError, match="beta"):
        precision_recall_fbeta(y, y, beta=0.0)
    with pytest.raises(ValueError, match="k"):
        top_k_accuracy(y, np.zeros((3, 2)), 0)
    with pytest.raises(TypeError, match="S"):
        top_k_accuracy(y, np.zeros((3, 2), dtype=int), 1)

"""Tests for snippets.data.multilabel_metrics against scikit-learn, hand cases and brute force."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import metrics

from snippets.data.multilabel_metrics import (
    best_thresholds,
    hamming_loss,
    mean_average_precision,
    multilabel_prf,
    subset_accuracy,
)

# rows: a normal sample, a sample with no true and no predicted labels, one with no true label but a prediction
Y = np.array([[1, 0, 1], [0, 0, 0], [0, 1, 0], [0, 0, 0]])
Y_HAT = np.array([[1, 0, 0], [0, 0, 0], [1, 1, 0], [0, 0, 1]])


def test_hand_case_subset_accuracy_and_hamming_loss() -> None:
    assert subset_accuracy(Y, Y_HAT) == pytest.approx(1 / 4)  # only the empty row matches exactly
    assert hamming_loss(Y, Y_HAT) == pytest.approx(3 / 12)  # 3 wrong entries of 12


def test_hand_case_example_based_with_zero_division() -> None:
    # per-row precision: 1/1, 0/0, 1/2, 0/1; recall: 1/2, 0/0, 1/1, 0/0; F1 = 2TP/(|Y|+|Y_hat|): 2/3, 0/0, 2/3, 0/1
    p, r, f = multilabel_prf(Y, Y_HAT, "samples", zero_division=0.0)
    assert (p, r, f) == pytest.approx(((1 + 0.5) / 4, (0.5 + 1) / 4, (4 / 3) / 4))
    p, r, f = multilabel_prf(Y, Y_HAT, "samples", zero_division=np.nan)  # the 0/0 rows are left out
    assert (p, r, f) == pytest.approx(((1 + 0.5) / 3, (0.5 + 1) / 2, (4 / 3) / 3))


@pytest.mark.parametrize("average", ["samples", "macro", "micro"])
@pytest.mark.parametrize("zero_division", [0.0, 1.0, np.nan])
def test_prf_matches_sklearn_including_empty_rows(average: str, zero_division: float) -> None:
    rng = np.random.default_rng(0)
    A, B = rng.integers(0, 2, (30, 5)), rng.integers(0, 2, (30, 5))
    A[:3], B[:2], B[4] = 0, 0, 0  # empty true rows, empty predictions, both empty
    A[:, 4] = B[:, 4] = 0  # a label nobody has nor predicts: the macro average's 0/0
    for Yt, Yp in ((A, B), (Y, Y_HAT)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = [f(Yt, Yp, average=average, zero_division=zero_division)
                        for f in (metrics.precision_score, metrics.recall_score, metrics.f1_score)]
        np.testing.assert_allclose(multilabel_prf(Yt, Yp, average, zero_division), expected, rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(arrays(np.int64, (6, 4), elements=st.integers(0, 1)), arrays(np.int64, (6, 4), elements=st.integers(0, 1)))
def test_accuracy_hamming_and_f1_match_sklearn_on_any_matrix(A: np.ndarray, B: np.ndarray) -> None:
    assert subset_accuracy(A, B) == pytest.approx(metrics.accuracy_score(A, B))
    assert hamming_loss(A, B) == pytest.approx(metrics.hamming_loss(A, B))
    for average in ("samples", "macro", "micro"):
        assert multilabel_prf(A, B, average, 0.0)[2] == pytest.approx(
            metrics.f1_score(A, B, average=average, zero_division=0.0))


def test_micro_is_dominated_by_frequent_labels_macro_weights_labels_equally() -> None:
    # label 0: 90 positives, all found; label 1: 10 positives, none found
    Yt = np.zeros((100, 2), dtype=np.int64)
    Yt[:90, 0], Yt[90:, 1] = 1, 1
    Yp = Yt.copy()
    Yp[:, 1] = 0
    assert multilabel_prf(Yt, Yp, "micro")[2] == pytest.approx(2 * 90 / (100 + 90))
    assert multilabel_prf(Yt, Yp, "macro")[2] == pytest.approx(0.5)


def test_mean_average_precision_matches_sklearn_macro() -> None:
    rng = np.random.default_rng(1)
    Yt = rng.integers(0, 2, (40, 6))
    Yt[0], Yt[1] = 1, 0
    S = rng.standard_normal((40, 6)) + Yt
    assert mean_average_precision(Yt, S) == pytest.approx(metrics.average_precision_score(Yt, S, average="macro"))


def test_best_thresholds_beat_every_threshold_on_a_grid() -> None:
    rng = np.random.default_rng(2)
    Yt = rng.integers(0, 2, (60, 3))
    Yt[0] = 1
    S = rng.random((60, 3)) + 0.3 * Yt * np.array([1.0, 2.0, 0.2])
    t = best_thresholds(Yt, S)
    for k in range(3):
        best = metrics.f1_score(Yt[:, k], S[:, k] >= t[k])
        grid = [metrics.f1_score(Yt[:, k], S[:, k] >= g, zero_division=0.0) for g in np.linspace(-0.1, 1.7, 61)]
        assert best >= max(grid) - 1e-12


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="Y_hat"):
        subset_accuracy(Y, Y_HAT[:, :2])
    with pytest.raises(TypeError, match="Y"):
        hamming_loss(Y.astype(float), Y_HAT)
    with pytest.raises(ValueError, match="average"):
        multilabel_prf(Y, Y_HAT, "weighted")
    with pytest.raises(ValueError, match="zero_division"):
        multilabel_prf(Y, Y_HAT, "macro", zero_division=0.5)
    with pytest.raises(ValueError, match="S"):
        mean_average_precision(Y, np.zeros((4, 2)))
    with pytest.raises(TypeError, match="S"):
        best_thresholds(Y, Y)

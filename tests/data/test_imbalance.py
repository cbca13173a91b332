"""snippets.data.imbalance and imbalance_experiment: metrics vs scikit-learn, weights, losses, corrections."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import balanced_accuracy_score, confusion_matrix, f1_score, recall_score

from snippets.data.imbalance import (
    balanced_accuracy,
    class_balanced_probs,
    class_weights,
    confusion,
    focal_loss,
    logit_adjusted_loss,
    macro_f1,
    per_class_recall,
    posthoc_adjust,
    resample_indices,
    tau_normalize,
)
from snippets.data.imbalance_experiment import MINORITY, imbalanced_digits, make_mlp, run_imbalance, summary


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 6), st.integers(6, 60))
def test_metrics_match_sklearn(seed: int, K: int, N: int) -> None:
    rng = np.random.default_rng(seed)
    y = np.concatenate([np.arange(K), rng.integers(0, K, N)])  # every class present in y
    y_hat = rng.integers(0, K, len(y))
    C = confusion(y, y_hat, K)
    np.testing.assert_array_equal(C, confusion_matrix(y, y_hat, labels=np.arange(K)))
    np.testing.assert_allclose(per_class_recall(C), recall_score(y, y_hat, average=None, labels=np.arange(K)))
    assert balanced_accuracy(C) == pytest.approx(balanced_accuracy_score(y, y_hat), abs=1e-12)
    expected = f1_score(y, y_hat, average="macro", labels=np.arange(K), zero_division=0)
    assert macro_f1(C) == pytest.approx(expected, abs=1e-12)


def test_hand_case_accuracy_hides_the_minority_class() -> None:
    # 95 majority, 5 minority; the classifier always says 0: accuracy 0.95, balanced 0.5, macro-F1 0.487
    y = np.array([0] * 95 + [1] * 5)
    C = confusion(y, np.zeros(100, dtype=np.int64), 2)
    assert np.trace(C) / C.sum() == 0.95
    assert balanced_accuracy(C) == 0.5
    assert macro_f1(C) == pytest.approx(0.5 * 2 * 95 / (2 * 95 + 5))


def test_class_weights_inverse_and_effective_number() -> None:
    counts = np.array([100, 10])
    np.testing.assert_allclose(class_weights(counts, "inverse"), [2 / 11, 20 / 11])
    # beta -> 0: E_n -> 1, weights equal; beta -> 1: E_n -> n, inverse frequency (Cui et al. 2019)
    np.testing.assert_allclose(class_weights(counts, "effective", beta=1e-9), [1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(class_weights(counts, "effective", beta=1 - 1e-9), [2 / 11, 20 / 11], rtol=1e-5)
    e = (1 - 0.9 ** counts) / (1 - 0.9)
    np.testing.assert_allclose(class_weights(counts, "effective", beta=0.9), (1 / e) * 2 / (1 / e).sum())


def test_focal_loss_is_cross_entropy_at_gamma_zero_and_matches_a_hand_case() -> None:
    z = torch.randn(8, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    y = torch.arange(8) % 5
    torch.testing.assert_close(focal_loss(z, y, 0.0), torch.nn.functional.cross_entropy(z, y))
    z2 = torch.tensor([[np.log(3.0), 0.0]], dtype=torch.float64)  # p_y = 3/4
    expected = torch.tensor(-(0.25**2) * np.log(0.75), dtype=torch.float64)
    torch.testing.assert_close(focal_loss(z2, torch.tensor([0]), 2.0), expected)


def test_logit_adjusted_loss_is_ce_on_shifted_logits_and_uniform_prior_changes_nothing() -> None:
    z = torch.randn(6, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    y = torch.tensor([0, 1, 2, 3, 0, 1])
    prior = torch.tensor([0.7, 0.1, 0.1, 0.1], dtype=torch.float64)
    torch.testing.assert_close(logit_adjusted_loss(z, y, prior), torch.nn.functional.cross_entropy(z + prior.log(), y))
    torch.testing.assert_close(logit_adjusted_loss(z, y, torch.full((4,), 0.25, dtype=torch.float64)),
                               torch.nn.functional.cross_entropy(z, y))


def test_posthoc_adjust_equals_dividing_probabilities_by_the_prior() -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(size=(50, 4))
    prior = np.array([0.5, 0.3, 0.15, 0.05])
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    np.testing.assert_array_equal(posthoc_adjust(z, prior), np.argmax(p / prior, axis=1))
    np.testing.assert_array_equal(posthoc_adjust(z, prior, tau=0.0), z.argmax(1))


def test_tau_normalize_gives_unit_rows_at_tau_one() -> None:
    W = np.array([[3.0, 4.0], [0.0, 2.0]])
    np.testing.assert_allclose(tau_normalize(W), [[0.6, 0.8], [0.0, 1.0]])
    np.testing.assert_allclose(tau_normalize(W, 0.0), W)


def test_resampling_gives_equal_class_counts() -> None:
    y = np.array([0] * 20 + [1] * 5 + [2] * 3)
    rng = np.random.default_rng(0)
    over, under = resample_indices(y, "over", rng), resample_indices(y, "under", rng)
    np.testing.assert_array_equal(np.bincount(y[over]), [20, 20, 20])
    np.testing.assert_array_equal(np.bincount(y[under]), [3, 3, 3])
    assert set(np.flatnonzero(y > 0)) <= set(over)  # 过采样保留全部原样本
    p = class_balanced_probs(y)
    np.testing.assert_allclose([p[y == k].sum() for k in range(3)], [1 / 3] * 3)


def test_imbalanced_digits_keeps_six_percent_of_the_minority_classes() -> None:
    s = imbalanced_digits(0)
    counts = np.bincount(s.y_tr)
    assert all(counts[k] == 5 for k in MINORITY) and min(np.delete(counts, MINORITY)) >= 88
    assert len(s.y_te) == 901 and set(np.bincount(s.y_te)) <= set(range(87, 94))


@pytest.mark.experiment
def test_short_run_threshold_moving_raises_minority_recall_over_plain_ce() -> None:
    r = run_imbalance(0, steps=150, methods=("CE", "threshold moving"))
    (_, m_ce), (_, m_tm) = summary(r["CE"][None]), summary(r["threshold moving"][None])
    assert m_tm[0] > m_ce[0] + 0.1


def test_bad_inputs_raise_naming_the_argument() -> None:
    y = np.array([0, 1, 1])
    with pytest.raises(ValueError, match="K"):
        confusion(y, y, 1)
    with pytest.raises(TypeError, match="y_hat"):
        confusion(y, y.astype(float), 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="y and y_hat"):
        confusion(y, y[:2], 2)
    with pytest.raises(ValueError, match="kind"):
        class_weights(np.array([1, 2]), "sqrt")
    with pytest.raises(ValueError, match="beta"):
        class_weights(np.array([1, 2]), "effective", beta=1.0)
    with pytest.raises(ValueError, match="counts"):
        class_weights(np.array([0, 2]))
    with pytest.raises(ValueError, match="gamma"):
        focal_loss(torch.zeros(1, 2), torch.tensor([0]), -1.0)
    with pytest.raises(ValueError, match="prior"):
        logit_adjusted_loss(torch.zeros(1, 2), torch.tensor([0]), torch.tensor([1.0]))
    with pytest.raises(ValueError, match="tau"):
        posthoc_adjust(np.zeros((1, 2)), np.array([0.5, 0.5]), tau=-1.0)
    with pytest.raises(ValueError, match="prior"):
        posthoc_adjust(np.zeros((1, 2)), np.array([1.0]))
    with pytest.raises(TypeError, match="W"):
        tau_normalize(np.zeros((2, 2), dtype=int))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="mode"):
        resample_indices(y, "both", np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng"):
        resample_indices(y, "over", 0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="y"):
        class_balanced_probs([0, 1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fraction"):
        imbalanced_digits(0, fraction=0.0)
    with pytest.raises(ValueError, match="minority"):
        imbalanced_digits(0, minority=(10,))
    with pytest.raises(ValueError, match="hidden"):
        make_mlp(0, hidden=0)
    with pytest.raises(ValueError, match="methods"):
        run_imbalance(0, methods=("magic",))
    with pytest.raises(ValueError, match="recalls"):
        summary(np.zeros((2, 3)))

"""snippets.norm.label_smoothing against F.cross_entropy(label_smoothing=...) and autograd in float64."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.norm.label_smoothing import label_smoothing_ce, optimal_logit_gap, smoothed_targets


@pytest.mark.parametrize("eps", [0.0, 0.05, 0.1, 0.3, 1.0])
@pytest.mark.parametrize("N, K", [(1, 2), (8, 10), (5, 3)])
def test_loss_and_gradient_match_torch(eps: float, N: int, K: int) -> None:
    rng = np.random.default_rng(K)
    z, y = 3.0 * rng.standard_normal((N, K)), rng.integers(0, K, N)
    zt = torch.from_numpy(z).requires_grad_()
    loss_t = F.cross_entropy(zt, torch.from_numpy(y), label_smoothing=eps)
    loss_t.backward()
    loss, dz = label_smoothing_ce(z, y, eps)
    np.testing.assert_allclose(loss, loss_t.item(), rtol=1e-12)
    np.testing.assert_allclose(dz, zt.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_targets_hand_case_k4_eps02() -> None:
    np.testing.assert_allclose(smoothed_targets(np.array([2]), 4, 0.2), [[0.05, 0.05, 0.85, 0.05]])


def test_gradient_vanishes_at_the_finite_optimal_logit_gap() -> None:
    K, eps = 10, 0.1
    gap = optimal_logit_gap(K, eps)
    assert math.isclose(gap, math.log(91.0), rel_tol=1e-12)
    z = np.zeros((1, K))
    z[0, 3] = gap
    _, dz = label_smoothing_ce(z, np.array([3]), eps)
    np.testing.assert_allclose(dz, 0.0, atol=1e-12)


def test_bad_inputs_raise_naming_the_argument() -> None:
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match="eps"):
        label_smoothing_ce(z, np.array([0, 1]), 1.5)
    with pytest.raises(ValueError, match="y must hold"):
        label_smoothing_ce(z, np.array([0, 3]), 0.1)
    with pytest.raises(ValueError, match="y must be"):
        label_smoothing_ce(z, np.array([0.0, 1.0]), 0.1)
    with pytest.raises(TypeError, match="z"):
        label_smoothing_ce(z.astype(int), np.array([0, 1]), 0.1)
    with pytest.raises(ValueError, match="K"):
        optimal_logit_gap(1, 0.1)


def test_smoothed_targets_rejects_bad_inputs_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="y must hold class indices"):
        smoothed_targets(np.array([-1]), 4, 0.1)  # np.eye(K)[-1] would silently pick the last class
    with pytest.raises(ValueError, match="y must hold class indices"):
        smoothed_targets(np.array([4]), 4, 0.1)
    with pytest.raises(ValueError, match="y must be a 1-D integer array"):
        smoothed_targets(np.array([1.0]), 4, 0.1)
    with pytest.raises(ValueError, match="eps must be"):
        smoothed_targets(np.array([1]), 4, 1.5)
    with pytest.raises(ValueError, match="K must be"):
        smoothed_targets(np.array([0]), 1, 0.1)

"""Tests for snippets.losses.margin_losses: PyTorch modules in float64, scikit-learn, brute force, hand cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.metrics import hinge_loss

from snippets.losses.margin_losses import contrastive, hinge, info_nce, multi_margin, triplet


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(a)


def test_hinge_matches_sklearn_and_two_class_multi_margin() -> None:
    rng = np.random.default_rng(0)
    z, y = 2 * rng.standard_normal(20), np.where(rng.random(20) < 0.5, -1, 1)
    np.testing.assert_allclose(hinge(z, y), hinge_loss(y, z), rtol=1e-12)
    # two scores (0, z): MultiMarginLoss averages over C = 2 classes, so it is half the binary hinge
    Z = np.stack([np.zeros(20), z], axis=1)
    np.testing.assert_allclose(hinge(z, y), 2 * nn.MultiMarginLoss()(_t(Z), _t((y > 0).astype(np.int64))).item(),
                               rtol=1e-12)
    assert hinge(np.array([2.0, 0.5, -1.0]), np.array([1, 1, 1])) == pytest.approx((0 + 0.5 + 2) / 3)


@pytest.mark.parametrize("margin", [0.5, 1.0, 2.0])
def test_multi_margin_matches_torch_and_a_loop(margin: float) -> None:
    rng = np.random.default_rng(1)
    Z, y = rng.standard_normal((7, 5)), rng.integers(0, 5, 7)
    np.testing.assert_allclose(multi_margin(Z, y, margin), nn.MultiMarginLoss(margin=margin)(_t(Z), _t(y)).item(),
                               rtol=1e-12)
    loop = np.mean([sum(max(0.0, margin - Z[i, y[i]] + Z[i, j]) for j in range(5) if j != y[i]) / 5 for i in range(7)])
    np.testing.assert_allclose(multi_margin(Z, y, margin), loop, rtol=1e-12)


def test_contrastive_hand_case_and_loop() -> None:
    d, y = np.array([0.5, 0.5, 1.5, 0.2]), np.array([1, 0, 0, 1])
    # similar pairs pay d^2 / 2; dissimilar ones pay (margin - d)^2 / 2 only inside the margin
    assert contrastive(d, y, 1.0) == pytest.approx((0.125 + 0.125 + 0.0 + 0.02) / 4)
    rng = np.random.default_rng(2)
    d, y = np.abs(rng.standard_normal(30)), rng.integers(0, 2, 30)
    loop = np.mean([0.5 * di**2 if yi == 1 else 0.5 * max(0.0, 1.3 - di) ** 2 for di, yi in zip(d, y, strict=True)])
    np.testing.assert_allclose(contrastive(d, y, 1.3), loop, rtol=1e-12)


@pytest.mark.parametrize("margin", [0.2, 1.0])
def test_triplet_matches_torch_triplet_margin_loss(margin: float) -> None:
    rng = np.random.default_rng(3)
    a, p, n = (rng.standard_normal((9, 4)) for _ in range(3))
    expected = nn.TripletMarginLoss(margin=margin)(_t(a), _t(p), _t(n)).item()
    np.testing.assert_allclose(triplet(a, p, n, margin), expected, rtol=1e-12)
    # hand case: d(a, p) = 1, d(a, n) = 2 (eps = 0): loss max(0, 1 - 2 + margin)
    one = np.array([[0.0, 0.0]])
    assert triplet(one, np.array([[1.0, 0.0]]), np.array([[0.0, 2.0]]), margin, eps=0.0) == pytest.approx(
        max(0.0, margin - 1.0))


def test_info_nce_matches_cross_entropy_on_cosine_logits() -> None:
    rng = np.random.default_rng(4)
    q, k = rng.standard_normal((8, 16)), rng.standard_normal((8, 16))
    for tau in (0.07, 0.5):
        logits = F.normalize(_t(q), dim=1) @ F.normalize(_t(k), dim=1).T / tau
        expected = nn.CrossEntropyLoss()(logits, torch.arange(8)).item()
        np.testing.assert_allclose(info_nce(q, k, tau), expected, rtol=1e-12)
    # hand case: orthonormal keys, q = k: logits are 1/tau on the diagonal and 0 elsewhere
    E = np.eye(4)
    assert info_nce(E, E, 0.5) == pytest.approx(-math.log(math.exp(2) / (math.exp(2) + 3)))
    # identical views score better than random pairs
    assert info_nce(q, q, 0.1) < info_nce(q, k, 0.1)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match=r"^y\b"):
        hinge(np.zeros(2), np.array([0, 1]))
    with pytest.raises(TypeError, match=r"^y\b"):
        hinge(np.zeros(2), np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match=r"^y\b"):
        multi_margin(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match=r"^margin\b"):
        multi_margin(np.zeros((2, 3)), np.array([0, 1]), margin=-1.0)
    with pytest.raises(ValueError, match=r"^d\b"):
        contrastive(np.array([-1.0]), np.array([1]))
    with pytest.raises(ValueError, match="p and n"):
        triplet(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"^k\b"):
        info_nce(np.ones((2, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"^temperature\b"):
        info_nce(np.ones((2, 3)), np.ones((2, 3)), 0.0)
    with pytest.raises(ValueError, match=r"^Z\b"):
        multi_margin(np.zeros(3), np.array([0, 1, 2]))

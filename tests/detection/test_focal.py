"""Tests for snippets.detection.focal: the formula written with PyTorch ops in float64, autograd, hand cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.detection.focal import sigmoid_focal_loss, sigmoid_focal_loss_grad


def torch_focal(z: torch.Tensor, y: torch.Tensor, alpha: float, gamma: float) -> torch.Tensor:
    """The same loss as torchvision.ops.sigmoid_focal_loss computes it: BCE times (1 - p_t)^gamma times alpha_t."""
    p = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    return (alpha * y + (1 - alpha) * (1 - y)) * ce * (1 - p_t) ** gamma


@pytest.mark.parametrize("alpha, gamma", [(0.25, 2.0), (0.5, 0.0), (0.75, 0.5), (1.0, 5.0)])
def test_loss_and_gradient_match_torch_autograd(alpha: float, gamma: float) -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(0, 4, 200)
    y = (rng.uniform(size=200) < 0.3).astype(float)
    zt = torch.from_numpy(z).requires_grad_(True)
    ref = torch_focal(zt, torch.from_numpy(y), alpha, gamma)
    ref.sum().backward()
    assert zt.grad is not None
    np.testing.assert_allclose(sigmoid_focal_loss(z, y, alpha, gamma), ref.detach().numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(sigmoid_focal_loss_grad(z, y, alpha, gamma), zt.grad.numpy(), rtol=1e-9, atol=1e-14)


def test_hand_cases() -> None:
    # z = 0: p_t = 1/2 -> FL = alpha (1/2)^gamma ln 2
    np.testing.assert_allclose(sigmoid_focal_loss(np.array([0.0]), np.array([1.0]), 0.25, 2.0),
                               [0.25 * 0.25 * math.log(2)], rtol=1e-14)
    # gamma = 0, alpha = 1/2: half the BCE
    z, y = np.array([-3.0, 2.0]), np.array([1.0, 0.0])
    bce = np.log1p(np.exp(-(2 * y - 1) * z))
    np.testing.assert_allclose(sigmoid_focal_loss(z, y, 0.5, 0.0), bce / 2, rtol=1e-14)
    # 稳定: 极端 logits 不上溢、不出现 0 * inf (e^{-800} 下溢成 0 是正确的舍入)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out = sigmoid_focal_loss(np.array([-800.0, 800.0]), np.array([1.0, 1.0]), 0.25, 2.0)
    np.testing.assert_allclose(out, [0.25 * 800.0, 0.0], rtol=1e-12, atol=0)


def test_easy_examples_lose_the_factor_one_minus_pt_to_the_gamma() -> None:
    z, y = np.array([math.log(9.0)]), np.array([1.0])  # p_t = 0.9
    ratio = sigmoid_focal_loss(z, y, 1.0, 2.0) / sigmoid_focal_loss(z, y, 1.0, 0.0)
    np.testing.assert_allclose(ratio, [0.01], rtol=1e-12)  # (1 - 0.9)^2: 简单样本的损失降到 1/100


def test_bad_input_names_the_argument() -> None:
    z, y = np.zeros(3), np.zeros(3)
    with pytest.raises(TypeError, match="z must be"):
        sigmoid_focal_loss(np.zeros(3, dtype=int), y)
    with pytest.raises(ValueError, match="y must be"):
        sigmoid_focal_loss(z, np.full(3, 0.5))
    with pytest.raises(ValueError, match="alpha"):
        sigmoid_focal_loss(z, y, alpha=1.5)
    with pytest.raises(ValueError, match="gamma"):
        sigmoid_focal_loss_grad(z, y, gamma=-1.0)

"""Tests for snippets.segmentation.seg_losses: PyTorch in float64, autograd, hand cases, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.segmentation.seg_losses import (
    log_softmax_channels,
    object_gradients,
    one_hot,
    pixel_cross_entropy,
    pixel_focal_loss,
    soft_dice_grad,
    soft_dice_loss,
)
from snippets.segmentation.tiny_seg import dice_loss_torch


def _case(seed: int, K: int = 3, ignore: bool = True) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 2, (2, K, 4, 5))
    y = rng.integers(0, K, (2, 4, 5))
    if ignore:
        y[rng.random(y.shape) < 0.25] = 255
        y[0, 0, 0] = 0  # 至少一个像素被计入
    return z, y


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("weighted", [False, True])
def test_pixel_cross_entropy_matches_torch_with_weight_and_ignore_index(seed: int, weighted: bool) -> None:
    z, y = _case(seed)
    w = np.array([0.2, 1.0, 5.0]) if weighted else None
    ref = F.cross_entropy(torch.from_numpy(z), torch.from_numpy(y), ignore_index=255,
                          weight=None if w is None else torch.from_numpy(w))
    np.testing.assert_allclose(pixel_cross_entropy(z, y, w), ref.item(), rtol=1e-12)


def test_weighted_mean_divides_by_the_sum_of_weights_not_the_pixel_count() -> None:
    # 两个像素, logits 全 0: 每个像素的 NLL 都是 log 2; 权重 1 和 3
    z, y = np.zeros((1, 2, 1, 2)), np.array([[[0, 1]]])
    w = np.array([1.0, 3.0])
    np.testing.assert_allclose(pixel_cross_entropy(z, y, w), (1 + 3) * np.log(2) / (1 + 3), rtol=1e-15)
    assert not np.isclose(pixel_cross_entropy(z, y, w), (1 + 3) * np.log(2) / 2)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("eps", [0.0, 1.0])
def test_soft_dice_loss_and_grad_match_autograd_in_float64(seed: int, eps: float) -> None:
    z, y = _case(seed, K=3, ignore=False)
    Y = one_hot(y, 3)
    P = torch.softmax(torch.from_numpy(z), 1).detach().requires_grad_(True)
    inter = (P * torch.from_numpy(Y)).sum((0, 2, 3))
    S = P.sum((0, 2, 3)) + torch.from_numpy(Y).sum((0, 2, 3)) + eps
    loss = 1 - ((2 * inter + eps) / S).mean()
    loss.backward()
    assert P.grad is not None
    Pn = P.detach().numpy()
    np.testing.assert_allclose(soft_dice_loss(Pn, Y, eps), loss.item(), rtol=1e-12)
    np.testing.assert_allclose(soft_dice_grad(Pn, Y, eps), P.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_soft_dice_grad_matches_central_differences() -> None:
    z, y = _case(7, K=2, ignore=False)
    Y = one_hot(y, 2)
    P = np.exp(log_softmax_channels(z))
    G, h = soft_dice_grad(P, Y), 1e-6
    for idx in [(0, 0, 0, 0), (1, 1, 2, 3), (0, 1, 3, 4)]:
        Pp, Pm = P.copy(), P.copy()
        Pp[idx] += h
        Pm[idx] -= h
        np.testing.assert_allclose(G[idx], (soft_dice_loss(Pp, Y) - soft_dice_loss(Pm, Y)) / (2 * h), rtol=1e-6)


def test_soft_dice_hand_cases() -> None:
    Y = one_hot(np.array([[[0, 1]]]), 2)                     # (1, 2, 1, 2)
    assert soft_dice_loss(Y, Y, eps=0.0) == 0.0             # 完美预测
    np.testing.assert_allclose(soft_dice_loss(Y[:, ::-1].copy(), Y, eps=0.0), 1.0)  # 全错
    # 一类空: 真值和预测都没有类 1, eps=1 时这一类的 Dice 是 1/1; eps=0 时是 0/0
    Y0 = one_hot(np.zeros((1, 1, 2), dtype=np.int64), 2)
    assert soft_dice_loss(Y0, Y0, eps=1.0) == 0.0
    with np.errstate(invalid="ignore"):
        assert np.isnan(soft_dice_loss(Y0, Y0, eps=0.0))


@pytest.mark.parametrize("seed", range(3))
def test_numpy_dice_equals_the_torch_dice_the_experiment_trains_with(seed: int) -> None:
    z, y = _case(seed, K=4, ignore=False)
    ref = dice_loss_torch(torch.from_numpy(z), torch.from_numpy(y)).item()
    np.testing.assert_allclose(soft_dice_loss(np.exp(log_softmax_channels(z)), one_hot(y, 4)), ref, rtol=1e-12)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("gamma", [0.0, 1.0, 2.0])
def test_pixel_focal_loss_matches_torch_formula_and_gamma_0_is_cross_entropy(seed: int, gamma: float) -> None:
    z, y = _case(seed)
    zt, yt = torch.from_numpy(z), torch.from_numpy(y)
    logpt = -F.cross_entropy(zt, yt, ignore_index=255, reduction="none")  # (N, H, W), 忽略的像素为 0
    keep = yt != 255
    ref = (-(1 - logpt.exp()) ** gamma * logpt)[keep].mean().item()
    np.testing.assert_allclose(pixel_focal_loss(z, y, gamma), ref, rtol=1e-12)
    if gamma == 0.0:
        np.testing.assert_allclose(pixel_focal_loss(z, y, 0.0), pixel_cross_entropy(z, y), rtol=1e-12)


def test_log_softmax_channels_matches_torch_on_large_logits() -> None:
    z = np.array([1000.0, 0.0, -1000.0]).reshape(1, 3, 1, 1)
    np.testing.assert_allclose(log_softmax_channels(z), torch.log_softmax(torch.from_numpy(z), 1).numpy())


def test_bad_input_names_the_argument() -> None:
    z, y = _case(0)
    with pytest.raises(TypeError, match="z"):
        pixel_cross_entropy(z.astype(np.int64), y)
    with pytest.raises(TypeError, match="y"):
        pixel_cross_entropy(z, y.astype(float))
    with pytest.raises(ValueError, match="y must have shape"):
        pixel_cross_entropy(z, y[:, :2])
    with pytest.raises(ValueError, match="y must hold"):
        pixel_cross_entropy(z, np.full_like(y, 7))
    with pytest.raises(ValueError, match="weight"):
        pixel_cross_entropy(z, y, np.ones(2))
    with pytest.raises(ValueError, match="gamma"):
        pixel_focal_loss(z, y, -1.0)
    P = np.full((1, 2, 2, 2), 0.5)
    with pytest.raises(ValueError, match="Y must"):
        soft_dice_loss(P, np.zeros((1, 2, 2, 1)))
    with pytest.raises(ValueError, match="eps"):
        soft_dice_grad(P, P, eps=-1.0)
    with pytest.raises(TypeError, match="P"):
        soft_dice_loss([0.5], P)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="num_classes"):
        one_hot(y, 0)
    with pytest.raises(ValueError, match="y must hold"):
        one_hot(np.full((1, 1, 1), 3), 2)
    with pytest.raises(ValueError, match="z must have 4"):
        log_softmax_channels(np.zeros((2, 3)))


@pytest.mark.parametrize("size", [1, 7, 300])
def test_object_gradients_match_autograd_through_softmax(size: int) -> None:
    y = (np.arange(32 * 32) < size).astype(np.int64).reshape(1, 32, 32)
    p1 = np.where(y == 1, 0.7, 0.05)
    z = torch.from_numpy(np.log(np.stack([1 - p1, p1], axis=1))).requires_grad_(True)  # softmax(z) = P
    ce = F.cross_entropy(z, torch.from_numpy(y))
    (g_ce,) = torch.autograd.grad(ce, z)
    (g_dice,) = torch.autograd.grad(dice_loss_torch(z, torch.from_numpy(y)), z)
    obj = torch.from_numpy(y[0] == 1)
    ours_ce, ours_dice = object_gradients(size)
    np.testing.assert_allclose(ours_ce, g_ce[0, 1][obj].abs().mean().item(), rtol=1e-10)
    np.testing.assert_allclose(ours_dice, g_dice[0, 1][obj].abs().mean().item(), rtol=1e-10)


def test_object_gradients_bad_input() -> None:
    with pytest.raises(ValueError, match="size"):
        object_gradients(0)
    with pytest.raises(ValueError, match="size"):
        object_gradients(2000)
    with pytest.raises(ValueError, match="p_obj"):
        object_gradients(5, p_obj=1.0)

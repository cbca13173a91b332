"""Tests for snippets.optim.batch_size: the data, the hand-written gradients, and the experiment's outcome."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.optim.batch_size import mlp_grads, train_mlp, two_gaussians


def test_two_gaussians_has_the_seed_setup() -> None:
    Xtr, ytr, Xte, yte = two_gaussians(0)
    assert Xtr.shape == (400, 12) and Xte.shape == (100, 12) and ytr.shape == (400,) and yte.shape == (100,)
    assert (ytr.sum() + yte.sum()) == 250
    X, y = two_gaussians(1, n=200000, n_train=100000)[:2]
    diff = X[y == 1].mean(axis=0) - X[y == 0].mean(axis=0)
    np.testing.assert_allclose(diff, np.ones(12), atol=0.03)
    for label in (0, 1):  # 两类的协方差都是 I (共享协方差)
        np.testing.assert_allclose(np.cov(X[y == label].T), np.eye(12), atol=0.03)


def test_mlp_grads_match_torch_autograd() -> None:
    rng = np.random.default_rng(0)
    S, B, D, H = 3, 7, 12, 5
    params = [rng.standard_normal(s) for s in ((S, H, D), (S, H), (S, H), (S,))]
    Xb, yb = rng.standard_normal((S, B, D)), rng.integers(0, 2, (S, B)).astype(float)
    W1, b1, w2, b2 = (torch.tensor(p, requires_grad=True) for p in params)
    z = torch.einsum("sbh,sh->sb", torch.tanh(torch.einsum("sbd,shd->sbh", torch.from_numpy(Xb), W1) + b1[:, None]),
                     w2) + b2[:, None]
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.from_numpy(yb), reduction="none")
    loss.mean(dim=1).sum().backward()  # 每个网络各自的批平均; 求和让各网络的梯度互不干扰
    for ours, t in zip(mlp_grads(*params, Xb, yb), (W1, b1, w2, b2), strict=True):
        np.testing.assert_allclose(ours, t.grad.numpy(), rtol=1e-11, atol=1e-13)


def test_fixed_lr_accuracy_falls_with_batch_size_but_scaled_lr_does_not() -> None:
    seeds = tuple(range(10))
    sizes = (1, 2, 4, 8, 16, 32, 64, 128, 256, 400)
    fixed = {B: train_mlp(B, 0.01, 5, seeds).accuracy.mean() for B in sizes}
    scaled = {B: train_mlp(B, 0.01 * B, 5, seeds).accuracy.mean() for B in sizes}
    assert fixed[1] > 0.94 and fixed[4] > 0.94
    assert fixed[1] - fixed[64] > 0.2 and 0.45 < fixed[400] < 0.55
    tail = [fixed[B] for B in sizes[2:]]
    assert all(a > b for a, b in zip(tail[:-1], tail[1:], strict=True)), "from B = 4 on, accuracy falls"
    assert max(scaled.values()) - min(scaled.values()) < 0.01
    assert min(scaled.values()) > 0.95 and max(scaled.values()) < 0.96


def test_updates_count_is_epochs_times_batches_per_epoch() -> None:
    assert train_mlp(64, 0.01, 5, (0,)).updates == 5 * 7
    assert train_mlp(400, 0.01, 3, (0,)).updates == 3


def test_batch_size_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        train_mlp(0, 0.1, 1, (0,))
    with pytest.raises(ValueError, match="lr"):
        train_mlp(4, -0.1, 1, (0,))
    with pytest.raises(ValueError, match="n_train"):
        two_gaussians(0, n=10, n_train=10)
    with pytest.raises(ValueError, match="Xb"):
        mlp_grads(np.zeros((1, 2, 3)), np.zeros((1, 2)), np.zeros((1, 2)), np.zeros(1), np.zeros((1, 4, 5)),
                  np.zeros((1, 4)))

"""Tests for snippets.optim.batch_size: the data, the hand-written gradients, and the experiment's outcome."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import torch

from snippets.optim.batch_size import LR_RULES, lr_sweep, mlp_grads, train_mlp, two_gaussians


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


SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 400)


@functools.cache
def _sweep() -> tuple[np.ndarray, np.ndarray]:
    return lr_sweep(LR_RULES, SIZES, 5, tuple(range(10)))


def _median(base: float, power: float) -> np.ndarray:
    """Median test accuracy over the 10 seeds for one rule, shape (10 batch sizes,)."""
    return np.median(_sweep()[0][LR_RULES.index((base, power))], axis=1)


@pytest.mark.experiment
def test_fixed_lr_accuracy_falls_with_batch_size_and_linear_scaling_recovers_it() -> None:
    fixed = _median(0.01, 0.0)
    assert fixed[0] > 0.95 and fixed[2] > 0.95
    assert np.all(np.diff(fixed[2:]) < 0), "from B = 4 on, the median accuracy falls"
    assert 0.45 < fixed[-1] < 0.55 and fixed[0] - fixed[6] > 0.2
    linear = _median(0.01, 1.0)
    assert linear.min() >= 0.95 and linear.max() <= 0.97


@pytest.mark.experiment
def test_sqrt_scaling_and_a_fixed_larger_lr_also_recover_so_the_run_cannot_pick_a_rule() -> None:
    for rule in ((0.2, 0.5), (0.5, 0.0)):  # 平方根缩放、不缩放的 eta = 0.5: 每个批大小的中位数都在 0.92 以上
        assert _median(*rule).min() >= 0.92, rule
    assert _median(0.01, 0.5)[-1] < 0.9  # 同样是平方根缩放, 基数小了就不够: 要看 eta * 更新次数


@pytest.mark.experiment
def test_median_accuracy_is_set_by_eta_times_updates() -> None:
    acc, budget = _sweep()
    med = np.median(acc, axis=2)  # (6, 10)
    low, mid, high = budget < 1.1, (budget > 1.1) & (budget < 4.5), budget > 4.5
    assert (low.sum(), mid.sum(), high.sum()) == (8, 9, 43)
    assert med[low].max() < 0.9 and med[high].min() >= 0.92 and med[high].max() <= 0.97
    assert 0.9 < med[mid].min() and med[mid].max() < 0.96


def test_lr_sweep_applies_eta_of_b_and_counts_eta_times_updates() -> None:
    acc, budget = lr_sweep([(0.1, 0.5), (0.01, 1.0)], (16, 400), 2, (0, 1))
    assert acc.shape == (2, 2, 2) and budget.shape == (2, 2)
    np.testing.assert_allclose(budget, [[0.4 * 2 * 25, 2.0 * 2 * 1], [0.16 * 2 * 25, 4.0 * 2 * 1]], rtol=1e-12)
    # 正确率是 100 个测试样本中答对的个数 / 100: 比较个数
    np.testing.assert_array_equal(np.round(100 * acc[0, 0]), np.round(100 * train_mlp(16, 0.4, 2, (0, 1)).accuracy))
    np.testing.assert_array_equal(np.round(100 * acc[1, 1]), np.round(100 * train_mlp(400, 4.0, 2, (0, 1)).accuracy))


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
    with pytest.raises(ValueError, match="power"):
        lr_sweep([(0.01, 2.0)], (4,), 1, (0,))
    with pytest.raises(ValueError, match="base"):
        lr_sweep([(-0.01, 1.0)], (4,), 1, (0,))
    with pytest.raises(ValueError, match="Xb"):
        mlp_grads(np.zeros((1, 2, 3)), np.zeros((1, 2)), np.zeros((1, 2)), np.zeros(1), np.zeros((1, 4, 5)),
                  np.zeros((1, 4)))

"""Tests for snippets.optim.digits_sgd: gradients against torch, the exact mini-batch noise, and the GD/SGD run."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import torch

from snippets.optim.digits_sgd import (
    N_TRAIN,
    DigitsRun,
    compare_variants,
    digits_split,
    minibatch_grad_variance,
    softmax_ce_grad,
    train_softmax,
)


def test_softmax_ce_grad_matches_torch_autograd() -> None:
    rng = np.random.default_rng(0)
    S, B, D, K = 3, 6, 5, 4
    W, b = rng.standard_normal((S, K, D)), rng.standard_normal((S, K))
    X, y = rng.standard_normal((S, B, D)), rng.integers(0, K, (S, B))
    Wt, bt = torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)
    z = torch.from_numpy(X) @ Wt.transpose(1, 2) + bt[:, None]
    loss = torch.nn.functional.cross_entropy(z.reshape(-1, K), torch.from_numpy(y).reshape(-1), reduction="none")
    loss.reshape(S, B).mean(dim=1).sum().backward()
    ours = softmax_ce_grad(W, b, X, y)
    np.testing.assert_allclose(ours[0], loss.reshape(S, B).mean(dim=1).detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours[1], Wt.grad.numpy(), rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(ours[2], bt.grad.numpy(), rtol=1e-11, atol=1e-13)


def test_softmax_ce_grad_hand_case_at_zero_weights() -> None:
    # W = 0: p = 1/K for every class, loss = log K, db = mean(p - onehot)
    X, y = np.array([[[1.0], [3.0]]]), np.array([[0, 0]])  # 1 个模型, 2 个样本, D = 1, 两个都是第 0 类
    loss, dW, db = softmax_ce_grad(np.zeros((1, 2, 1)), np.zeros((1, 2)), X, y)
    np.testing.assert_allclose(loss, [np.log(2)])
    np.testing.assert_allclose(db, [[-0.5, 0.5]])
    np.testing.assert_allclose(dW, [[[-1.0], [1.0]]])  # mean((p - onehot) x) = (-0.5 * 1 - 0.5 * 3) / 2 = -1


def test_minibatch_variance_matches_sampling_and_falls_as_one_over_b() -> None:
    X, y = digits_split(0)[:2]
    X, y = X[:60], y[:60]  # 小集合, 好抽样
    rng = np.random.default_rng(1)
    W, b = 0.1 * rng.standard_normal((10, 64)), np.zeros(10)
    full = softmax_ce_grad(W[None], b[None], X[None], y[None])
    g = np.concatenate([full[1].ravel(), full[2].ravel()])
    # 60 个单样本梯度 (60, 650); 一个小批量的梯度就是其中 B 个的平均 (先核对一次)
    per = softmax_ce_grad(np.broadcast_to(W, (60, 10, 64)), np.broadcast_to(b, (60, 10)), X[:, None], y[:, None])
    G = np.concatenate([per[1].reshape(60, -1), per[2]], axis=1)
    _, dW, db = softmax_ce_grad(W[None], b[None], X[:7][None], y[:7][None])
    np.testing.assert_allclose(np.concatenate([dW.ravel(), db.ravel()]), G[:7].mean(axis=0), rtol=1e-12, atol=1e-15)
    for B in (1, 4, 15):
        pick = (np.argsort(np.argsort(rng.random((4000, 60)), axis=1), axis=1) < B) / B  # 4000 个不放回的小批量
        draws = np.sum((pick @ G - g) ** 2, axis=1)  # (4000,): 每个小批量梯度与全量梯度之差的平方
        np.testing.assert_allclose(draws.mean(), minibatch_grad_variance(W, b, X, y, B), rtol=0.1)
    v1 = minibatch_grad_variance(W, b, X, y, 1)
    assert minibatch_grad_variance(W, b, X, y, 60) == pytest.approx(0.0, abs=1e-15)  # 全批量: 没有噪声
    np.testing.assert_allclose(minibatch_grad_variance(W, b, X, y, 10) / v1, 50 / (10 * 59), rtol=1e-10)


def test_train_softmax_counts_updates_and_gd_is_deterministic_given_the_split() -> None:
    run = train_softmax(400, 0.5, 2, (0, 1), checks_per_epoch=3)
    np.testing.assert_allclose(run.epochs, [0, 1 / 3, 2 / 3, 1, 4 / 3, 5 / 3, 2])
    assert run.loss.shape == (2, 7) and run.accuracy.shape == (2,)
    np.testing.assert_allclose(run.loss[:, 0], np.log(10), atol=0.01)  # 初始权重很小: 接近 log 10
    a, b = train_softmax(N_TRAIN, 0.5, 3, (0,)), train_softmax(N_TRAIN, 0.5, 3, (0,))
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-12)


@functools.cache
def _variants() -> dict[str, DigitsRun]:
    return compare_variants(0.5, 3, 40, (0, 1, 2, 3, 4))


@pytest.mark.experiment
def test_at_equal_epochs_sgd_is_lowest_and_gd_barely_moves() -> None:
    r = _variants()
    gd, mb, sgd = (r[k].loss for k in ("GD (B = 1200)", "mini-batch (B = 32)", "SGD (B = 1)"))
    assert np.all(np.diff(gd, axis=1) < 0), "GD at lr 0.5 is stable: its loss falls every step"
    assert 2.0 < np.median(gd[:, 3]) < 2.05  # 3 个 epoch = 3 次更新
    assert 0.36 < np.median(mb[:, -1]) < 0.40 and mb[:, -1].max() - mb[:, -1].min() < 0.02
    assert 0.1 < np.median(sgd[:, -1]) < 0.2 and sgd[:, -1].max() - sgd[:, -1].min() > 0.15
    assert np.median(sgd[:, -1]) < np.median(mb[:, -1]) - 0.15
    med = np.median(sgd[:, 10:], axis=0)  # 第 1 到第 3 个 epoch: 没有继续单调下降, 在一个噪声带里跳
    assert 0.1 < med.min() < 0.12 and 0.46 < med.max() < 0.5  # 页面: 在 0.11 到 0.48 之间上下跳
    assert np.sum(np.diff(med) > 0) >= 5


@pytest.mark.experiment
def test_per_update_gd_is_a_little_ahead_of_mini_batch() -> None:
    r = _variants()
    gd, mb = r["GD (B = 1200)"], r["mini-batch (B = 32)"]
    assert mb.epochs[10] == pytest.approx(1.0)  # 第 1 个 epoch 结束: 38 次更新
    assert np.all(gd.loss[:, 38] < mb.loss[:, 10])
    assert 0.7 < np.median(gd.loss[:, 38]) < 0.76 and 0.76 < np.median(mb.loss[:, 10]) < 0.8
    sgd = r["SGD (B = 1)"]
    assert sgd.epochs[1] == pytest.approx(0.1) and mb.epochs[30] == pytest.approx(3.0)
    assert sgd.loss[:, 1].min() > mb.loss[:, 30].max()  # 120 次更新的 SGD 仍不如 114 次更新的小批量: 每步最差


@pytest.mark.experiment
def test_gd_with_its_own_best_lr_still_trails_mini_batch_at_equal_epochs() -> None:
    lrs = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # 只给 GD 扫学习率: 3 个 epoch 只有 3 次更新, 很便宜
    med = np.array([np.median(train_softmax(N_TRAIN, lr, 3, (0, 1, 2, 3, 4)).loss[:, -1]) for lr in lrs])
    assert lrs[int(med.argmin())] == 2.0 and 1.38 < med.min() < 1.44
    assert med[-2] > np.log(10) and med[-1] > np.log(10)  # eta >= 8 发散
    assert med.min() > 3 * np.median(_variants()["mini-batch (B = 32)"].loss[:, -1])


def test_digits_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="seed"):
        digits_split(-1)
    with pytest.raises(ValueError, match="batch_size"):
        train_softmax(0, 0.1, 1, (0,))
    with pytest.raises(ValueError, match="lr"):
        train_softmax(8, -1.0, 1, (0,))
    with pytest.raises(ValueError, match="momentum"):
        train_softmax(8, 0.1, 1, (0,), momentum=1.0)
    with pytest.raises(ValueError, match="epochs"):
        train_softmax(8, 0.1, 0, (0,))
    with pytest.raises(ValueError, match="X"):
        softmax_ce_grad(np.zeros((1, 2, 3)), np.zeros((1, 2)), np.zeros((1, 4, 5)), np.zeros((1, 4), dtype=int))
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_grad_variance(np.zeros((2, 3)), np.zeros(2), np.zeros((4, 3)), np.zeros(4, dtype=int), 5)
    with pytest.raises(ValueError, match="gd_epochs"):
        compare_variants(0.1, 3, 2, (0,))

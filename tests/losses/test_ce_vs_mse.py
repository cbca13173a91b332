"""Tests for snippets.losses.ce_vs_mse: gradients vs autograd, the training experiment's claim."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from snippets.losses.ce_vs_mse import (
    bce_grad_wrt_logit,
    ce_vs_mse_experiment,
    make_blobs,
    mse_grad_wrt_logit,
    sigmoid,
    train_logistic,
)

Z = np.concatenate([np.linspace(-12.0, 12.0, 49), [-1e3, 1e3]])


def test_sigmoid_matches_torch_without_overflow_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(Z)
    np.testing.assert_allclose(s, torch.sigmoid(torch.from_numpy(Z)).numpy(), rtol=1e-15, atol=1e-300)


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_grads_wrt_logit_match_torch_autograd(y: float) -> None:
    zt = torch.from_numpy(Z[:-2]).requires_grad_(True)
    s = torch.sigmoid(zt)
    (0.5 * (s - y) ** 2).sum().backward()
    assert zt.grad is not None
    np.testing.assert_allclose(mse_grad_wrt_logit(Z[:-2], y), zt.grad.numpy(), rtol=1e-12, atol=1e-18)
    zt.grad = None
    target = torch.full_like(zt, y)
    torch.nn.functional.binary_cross_entropy_with_logits(zt, target, reduction="sum").backward()
    np.testing.assert_allclose(bce_grad_wrt_logit(Z[:-2], y), zt.grad.numpy(), rtol=1e-12, atol=1e-18)


def test_grads_at_zero_logit_by_hand() -> None:
    # s = 1/2: CE 梯度 s - y = -1/2; MSE 再乘 s (1 - s) = 1/4, 得 -1/8
    assert bce_grad_wrt_logit(0.0, 1.0) == pytest.approx(-0.5, abs=1e-16)
    assert mse_grad_wrt_logit(0.0, 1.0) == pytest.approx(-0.125, abs=1e-16)


def test_mse_gradient_vanishes_when_confidently_wrong_while_ce_does_not() -> None:
    # 目标 y = 1, 预测 z = -10 (sigmoid ~ 4.5e-5): 错得离谱, MSE 的梯度却几乎为 0
    assert abs(mse_grad_wrt_logit(-10.0, 1.0)) < 5e-5
    assert abs(bce_grad_wrt_logit(-10.0, 1.0)) > 0.9999


@pytest.mark.parametrize("loss", ["ce", "mse"])
def test_one_training_step_matches_torch_gradient_descent(loss: str) -> None:
    X, y = make_blobs(20, np.random.default_rng(5))
    w0, b0, lr = np.array([0.3, -0.2]), 0.1, 0.5
    h = train_logistic(X, y, loss, lr, 1, w0, b0)
    wt = torch.tensor(w0, requires_grad=True)
    bt = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
    s = torch.sigmoid(torch.from_numpy(X) @ wt + bt)
    yt = torch.from_numpy(y).double()
    L = -(yt * torch.log(s) + (1 - yt) * torch.log(1 - s)) if loss == "ce" else 0.5 * (s - yt) ** 2
    L.mean().backward()
    assert wt.grad is not None and bt.grad is not None
    np.testing.assert_allclose(h.w, w0 - lr * wt.grad.numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(h.b, b0 - lr * bt.grad.item(), rtol=1e-12, atol=1e-15)


def test_history_records_bce_and_accuracy_after_every_step() -> None:
    X, y = make_blobs(30, np.random.default_rng(0))
    h = train_logistic(X, y, "mse", 1.0, 7, np.zeros(2), 0.0)
    assert h.loss.shape == (7,) and h.accuracy.shape == (7,) and h.w.shape == (2,)
    z = X @ h.w + h.b
    s = sigmoid(z)
    bce = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
    np.testing.assert_allclose(h.loss[-1], bce, rtol=1e-12, atol=0)
    assert h.accuracy[-1] == np.mean((z > 0) == (y == 1))


def test_make_blobs_is_balanced_and_deterministic() -> None:
    X, y = make_blobs(201, np.random.default_rng(0))
    assert X.shape == (201, 2) and y.shape == (201,)
    assert (y == 0).sum() == 100 and (y == 1).sum() == 101
    X2, _ = make_blobs(201, np.random.default_rng(0))
    np.testing.assert_array_equal(X, X2)


def test_ce_recovers_in_a_few_steps_while_mse_stays_wrong_for_hundreds() -> None:
    # 页面上的实验: seed 0, n = 200, lr = 2, 500 步, w0 = (-5, -5); 初始时 97.5% 的点判错
    runs = ce_vs_mse_experiment(seed=0, n=200, lr=2.0, steps=500)
    ce, mse = runs["ce"], runs["mse"]
    # CE: 第 10 步准确率已 >= 0.95 (实测 0.97), BCE < 0.2 (实测 0.11)
    assert ce.accuracy[9] >= 0.95 and ce.loss[9] < 0.2
    # MSE: 前 250 步准确率一直 <= 0.05, 第 100 步 BCE 仍 > 8 (初始约 9.7)
    assert np.all(mse.accuracy[:250] <= 0.05) and mse.loss[99] > 8.0
    first_mse_90 = int(np.argmax(mse.accuracy >= 0.9)) + 1
    assert 400 <= first_mse_90 <= 480  # 实测第 434 步
    # 最终两者都学会了: MSE 只是被困在饱和区, 不是收敛到别处
    assert ce.accuracy[-1] >= 0.95 and mse.accuracy[-1] >= 0.95


@pytest.mark.parametrize(
    "fn, args, error, match",
    [
        pytest.param(sigmoid, (np.array([1, 2]),), TypeError, "x must be a floating array, got int64", id="sigmoid"),
        pytest.param(
            mse_grad_wrt_logit, (np.array([0.0]), np.array([2.0])), ValueError, r"y must be a numeric target",
            id="mse_grad_wrt_logit",
        ),
        pytest.param(bce_grad_wrt_logit, (np.array([np.inf]), 1.0), ValueError, "z must be finite", id="bce_grad"),
        pytest.param(bce_grad_wrt_logit, (np.array([0.0, np.nan]), 1.0), ValueError, "z must be finite", id="bce_nan"),
        pytest.param(
            mse_grad_wrt_logit, (np.zeros(3), np.zeros(2)), ValueError, "y must be broadcastable", id="mse_shape"
        ),
        pytest.param(
            train_logistic, (np.zeros((4, 2)), np.array([0, 1, 0]), "ce", 1.0, 5, np.zeros(2), 0.0),
            ValueError, r"y must have shape \(N,\)", id="train_shape",
        ),
        pytest.param(
            train_logistic, (np.zeros((4, 2)), np.array([0, 1, 0, 1]), "mse", -1.0, 5, np.zeros(2), 0.0),
            ValueError, "lr must be a positive number", id="train_logistic",
        ),
        pytest.param(make_blobs, (1, np.random.default_rng(0)), ValueError, "n must be an int >= 2", id="make_blobs"),
        pytest.param(
            ce_vs_mse_experiment, (0, 200, 2.0, 0), ValueError, "steps must be an int >= 1", id="ce_vs_mse_experiment"
        ),
    ],
)
def test_bad_input_raises_with_argument_name(fn, args, error, match) -> None:
    with pytest.raises(error, match=match):
        fn(*args)


def test_train_logistic_rejects_unknown_loss_name() -> None:
    with pytest.raises(ValueError, match="loss must be 'ce' or 'mse'"):
        train_logistic(np.zeros((4, 2)), np.array([0, 1, 0, 1]), "hinge", 0.1, 5, np.zeros(2), 0.0)


def test_mse_to_ce_gradient_ratio_is_s_times_1_minus_s_at_most_a_quarter() -> None:
    z = np.linspace(-30.0, 30.0, 2001)
    for y in (0.0, 1.0):
        ce, mse = bce_grad_wrt_logit(z, y), mse_grad_wrt_logit(z, y)
        s = sigmoid(z)
        np.testing.assert_allclose(mse, ce * s * (1 - s), rtol=1e-12, atol=0)
        keep = ce != 0
        assert np.all(mse[keep] / ce[keep] <= 0.25 + 1e-15)
    assert mse_grad_wrt_logit(np.array([0.0]), 1.0)[0] / bce_grad_wrt_logit(np.array([0.0]), 1.0)[0] == 0.25


def test_sigmoid_mse_is_concave_in_the_logit_exactly_where_z_is_below_minus_ln2() -> None:
    # d^2/dz^2 0.5 (s - 1)^2 = -s (1 - s)^2 (1 - 3 s): negative for s < 1/3, i.e. z < -ln 2
    z = torch.linspace(-10, 10, 2001, dtype=torch.float64)
    second = torch.func.vmap(torch.func.grad(torch.func.grad(lambda t: 0.5 * (torch.sigmoid(t) - 1) ** 2)))(z)
    s = torch.sigmoid(z)
    torch.testing.assert_close(second, -s * (1 - s) ** 2 * (1 - 3 * s), rtol=1e-10, atol=1e-14)
    away = (z + np.log(2)).abs() > 1e-3
    assert torch.equal((second < 0)[away], (z < -np.log(2))[away])

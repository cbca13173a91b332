"""Tests for snippets.basics.deep_grads: the residual backward pass and the per-layer gradient experiment."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.basics.deep_grads import (
    grad_norms_per_layer,
    init_deep,
    loss_and_grads,
    make_regression,
    residual_backward,
    residual_forward,
)


def torch_loss(kind: str, params, X: np.ndarray, y: np.ndarray):
    tp = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
    A = torch.from_numpy(X)
    if kind == "residual":
        A = A @ tp[0][0].T + tp[0][1]
        for W, b in tp[1:-1]:
            A = A + torch.sigmoid(A) @ W.T + b
    else:
        act = torch.sigmoid if kind == "sigmoid" else torch.relu
        for W, b in tp[:-1]:
            A = act(A @ W.T + b)
    out = A @ tp[-1][0].T + tp[-1][1]
    loss = 0.5 * ((out - torch.from_numpy(y)) ** 2).mean()
    loss.backward()
    return loss.item(), tp


@pytest.mark.parametrize("kind", ["sigmoid", "relu_he", "residual"])
def test_loss_and_grads_match_torch_autograd(kind: str) -> None:
    rng = np.random.default_rng(0)
    X, y = make_regression(16, 5, rng)
    params = init_deep(kind, 6, 8, 5, rng)
    loss, grads = loss_and_grads(kind, params, X, y)
    loss_t, tp = torch_loss(kind, params, X, y)
    assert loss == pytest.approx(loss_t, rel=1e-12)
    for (dW, db), (W, b) in zip(grads, tp, strict=True):
        np.testing.assert_allclose(dW, W.grad.numpy(), rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(db, b.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_residual_backward_keeps_shapes() -> None:
    rng = np.random.default_rng(1)
    X, _ = make_regression(4, 3, rng)
    params = init_deep("residual", 5, 6, 3, rng)
    out, A = residual_forward(params, X)
    grads = residual_backward(params, X, A, np.ones_like(out))
    assert out.shape == (4, 1) and len(A) == 4
    assert [g[0].shape for g in grads] == [W.shape for W, _ in params]


@pytest.mark.experiment
def test_sigmoid_gradients_vanish_towards_the_input_while_relu_he_and_residual_do_not() -> None:
    # 页面的实验: 20 层, 宽 32, 种子 0..4, 初始化时与 50 步梯度下降 (lr 0.005) 之后
    for seed in range(5):
        sig0, sig1, _ = grad_norms_per_layer("sigmoid", seed)
        assert sig0[0] < 1e-10 * sig0[-1]  # 第 1 层比最后一层小 10 个数量级以上
        assert sig1[0] < 1e-10  # 训练 50 步后依然如此
        for kind in ("relu_he", "residual"):
            init, after, _ = grad_norms_per_layer(kind, seed)
            assert init.max() / init.min() < 100 and after.max() / after.min() < 100


@pytest.mark.experiment
def test_relu_he_and_residual_reduce_their_loss_in_50_steps_for_every_seed() -> None:
    for seed in range(5):
        for kind in ("relu_he", "residual"):
            _, _, losses = grad_norms_per_layer(kind, seed)
            assert len(losses) == 51  # 50 步之前的损失, 加上第 50 步之后的一个
            assert losses[-1] < losses[0]


def test_bad_input_raises_with_argument_name() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="kind must be one of"):
        init_deep("tanh", 5, 8, 3, rng)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="depth must be an int >= 3"):
        init_deep("sigmoid", 2, 8, 3, rng)
    with pytest.raises(ValueError, match="kind must be one of"):
        loss_and_grads("plain", [], np.ones((2, 3)), np.ones((2, 1)))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        make_regression(4, 3, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kind must be one of"):
        grad_norms_per_layer("gelu", 0)  # type: ignore[arg-type]


def test_residual_functions_reject_bad_shapes() -> None:
    rng = np.random.default_rng(0)
    params = init_deep("residual", 4, 5, 3, rng)
    with pytest.raises(ValueError, match="X must have D = 3 columns"):
        residual_forward(params, np.ones((2, 4)))
    out, A = residual_forward(params, np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"dy must have shape \(N, 1\)"):
        residual_backward(params, np.ones((2, 3)), A, np.ones((2, 2)))


@pytest.mark.experiment
def test_residual_network_diverges_at_learning_rate_0_01_on_four_of_five_seeds() -> None:
    # 页面上说明为什么三者统一用 lr = 0.005: 残差网络在 0.01 时 5 个种子里有 4 个在 50 步内发散.
    # 发散时矩阵乘法上溢为 inf, 再得到 NaN; 这里关掉的是这两个本来就要发生的警告, 断言的正是它们的后果
    diverged = []
    for seed in range(5):
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                _, _, losses = grad_norms_per_layer("residual", seed, lr=0.01)
                diverged.append(not np.all(np.isfinite(losses)))
            except ValueError as err:  # NaN 进入 sigmoid 时输入检查报错
                assert "must not contain NaN" in str(err)
                diverged.append(True)
    assert diverged == [True, True, True, False, True]

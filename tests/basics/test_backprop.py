"""Tests for snippets.basics.backprop and gradcheck: hand-written backward vs autograd and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.basics.backprop import Cache, backward, forward, init_mlp, sse, train_sse
from snippets.basics.gradcheck import numerical_grads
from snippets.basics.mlp import XOR_X, XOR_Y

# 本文件用到的激活函数 -> PyTorch 的对应函数
TORCH = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.nn.functional.relu,
    "gelu": torch.nn.functional.gelu,
    "silu": torch.nn.functional.silu,
    "elu": torch.nn.functional.elu,
    "mish": torch.nn.functional.mish,
    "softplus": torch.nn.functional.softplus,
}


def torch_forward(params, X: np.ndarray, acts: list[str]):
    tparams = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
    A = torch.from_numpy(X)
    for (W, b), act in zip(tparams, acts, strict=True):
        Z = torch.nn.functional.linear(A, W, b)  # A W^T + b, W 为 (out, in)
        A = Z if act == "identity" else TORCH[act](Z)
    return A, tparams


@pytest.mark.parametrize(
    "sizes, acts",
    [
        ([3, 5, 2], ["sigmoid", "identity"]),
        ([4, 6, 5, 3], ["tanh", "relu", "sigmoid"]),
        ([2, 8, 8, 8, 1], ["gelu", "silu", "elu", "identity"]),
        ([5, 4, 3], ["mish", "softplus"]),
    ],
)
def test_forward_and_backward_match_torch_autograd(sizes: list[int], acts: list[str]) -> None:
    rng = np.random.default_rng(0)
    params = init_mlp(sizes, rng)
    params = [(W, rng.normal(size=b.shape)) for W, b in params]  # 非零偏置, 检查 db
    X = rng.normal(size=(7, sizes[0]))
    y = rng.normal(size=(7, sizes[-1]))
    out, cache = forward(params, X, acts)
    grads = backward(params, cache, 2 * (out - y), acts)
    tout, tparams = torch_forward(params, X, acts)
    ((tout - torch.from_numpy(y)) ** 2).sum().backward()
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-12, atol=1e-14)
    for (dW, db), (W, b) in zip(grads, tparams, strict=True):
        np.testing.assert_allclose(dW, W.grad.numpy(), rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(db, b.grad.numpy(), rtol=1e-10, atol=1e-13)


def test_backward_matches_central_differences_for_a_three_layer_network() -> None:
    rng = np.random.default_rng(1)
    acts = ["tanh", "sigmoid"]
    params = init_mlp([3, 4, 2], rng)
    X, y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    out, cache = forward(params, X, acts)
    grads = backward(params, cache, 2 * (out - y), acts)
    num = numerical_grads(lambda p: sse(forward(p, X, acts)[0], y), params)
    for (dW, db), (nW, nb) in zip(grads, num, strict=True):
        np.testing.assert_allclose(dW, nW, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(db, nb, rtol=1e-6, atol=1e-9)


def test_gradient_shapes_equal_parameter_shapes() -> None:
    params = init_mlp([6, 5, 4, 3], np.random.default_rng(0))
    acts = ["relu", "relu", "identity"]
    out, cache = forward(params, np.ones((2, 6)), acts)
    assert out.shape == (2, 3) and isinstance(cache, Cache)
    grads = backward(params, cache, np.ones_like(out), acts)
    assert [(dW.shape, db.shape) for dW, db in grads] == [(W.shape, b.shape) for W, b in params]


def test_numerical_grads_of_a_quadratic_are_exact_and_params_are_restored() -> None:
    W, b = np.array([[1.0, -2.0]]), np.array([0.5])
    params = [(W, b)]
    loss = lambda p: float(np.sum(p[0][0] ** 2) + 3 * p[0][1][0])  # noqa: E731
    (gW, gb), = numerical_grads(loss, params, eps=1e-4)
    np.testing.assert_allclose(gW, 2 * W, rtol=1e-9)
    np.testing.assert_allclose(gb, [3.0], rtol=1e-9)
    # 有意精确比较: 要验证的是参数被原样恢复 (不是恢复到舍入误差以内)
    np.testing.assert_array_equal(W, [[1.0, -2.0]])


def test_one_training_step_equals_torch_sgd() -> None:
    params = init_mlp([2, 4, 1], np.random.default_rng(3))
    acts = ["sigmoid", "sigmoid"]
    new, losses = train_sse(XOR_X, XOR_Y[:, None], params, acts, lr=0.7, epochs=1)
    tout, tparams = torch_forward(params, XOR_X, acts)
    loss = ((tout - torch.from_numpy(XOR_Y[:, None])) ** 2).sum()
    opt = torch.optim.SGD([p for pair in tparams for p in pair], lr=0.7)
    loss.backward()
    opt.step()
    assert losses[0] == pytest.approx(loss.item(), rel=1e-13)
    for (W, b), (tW, tb) in zip(new, tparams, strict=True):
        np.testing.assert_allclose(W, tW.detach().numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(b, tb.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.experiment
def test_sse_demo_drives_the_error_on_xor_towards_zero_for_every_seed() -> None:
    # 页面上的演示: 2-4-1 sigmoid 网络, lr = 2, 2000 个 epoch, 种子 0..4
    for seed in range(5):
        params = init_mlp([2, 4, 1], np.random.default_rng(seed))
        trained, losses = train_sse(XOR_X, XOR_Y[:, None], params, ["sigmoid", "sigmoid"], 2.0, 2000)
        assert losses[0] > 0.9 and losses[-1] < 1e-3
        out, _ = forward(trained, XOR_X, ["sigmoid", "sigmoid"])
        np.testing.assert_array_equal(out[:, 0] > 0.5, XOR_Y == 1)


def test_init_schemes_have_the_stated_variance() -> None:
    (W,) = [W for W, _ in init_mlp([400, 300], np.random.default_rng(0), "xavier")]
    assert W.var() == pytest.approx(2 / 700, rel=0.02)
    (W,) = [W for W, _ in init_mlp([400, 300], np.random.default_rng(0), "he")]
    assert W.var() == pytest.approx(2 / 400, rel=0.02)


def test_bad_input_raises_with_argument_name() -> None:
    rng = np.random.default_rng(0)
    params = init_mlp([2, 3, 1], rng)
    with pytest.raises(ValueError, match="sizes must be"):
        init_mlp([2], rng)
    with pytest.raises(ValueError, match="init must be"):
        init_mlp([2, 3], rng, "normal")
    with pytest.raises(ValueError, match="acts must name one activation per layer"):
        forward(params, XOR_X, ["tanh"])
    with pytest.raises(ValueError, match="acts: unknown activation"):
        forward(params, XOR_X, ["swish2", "identity"])
    with pytest.raises(TypeError, match="X must be a floating array"):
        forward(params, np.array([[0, 1]]), ["tanh", "identity"])
    with pytest.raises(ValueError, match="X must have D = 2 columns"):
        forward(params, np.ones((3, 5)), ["tanh", "identity"])
    out, cache = forward(params, XOR_X, ["tanh", "identity"])
    with pytest.raises(ValueError, match="dA must have the output's shape"):
        backward(params, cache, np.ones((4, 2)), ["tanh", "identity"])
    with pytest.raises(ValueError, match="y must have y_hat's shape"):
        sse(out, np.ones(4))
    with pytest.raises(ValueError, match="lr must be a positive number"):
        train_sse(XOR_X, XOR_Y[:, None], params, ["tanh", "identity"], 0.0, 5)
    with pytest.raises(ValueError, match="epochs must be an int >= 1"):
        train_sse(XOR_X, XOR_Y[:, None], params, ["tanh", "identity"], 0.1, 0)
    with pytest.raises(ValueError, match="eps must be a positive float"):
        numerical_grads(lambda p: 0.0, params, eps=0)


@pytest.mark.experiment
def test_central_difference_error_is_smallest_near_eps_1e_5_and_grows_both_ways() -> None:
    # 页面的图: 截断误差 ~ eps^2, 舍入误差 ~ 1e-16 / eps, 最佳步长在 1e-5 附近 (种子 0..4).
    # 比较的是指数 k (eps = 10^-k) 这个整数, 不是计算出的浮点数 10.0 ** -k
    from snippets.basics.gradcheck import gradcheck_errors

    k = np.arange(1, 13)
    err = np.array([gradcheck_errors(10.0 ** -k, seed) for seed in range(5)])  # (5 seeds, 12 steps)
    best = k[np.argmin(err, axis=1)]
    assert set(best.tolist()) <= {5, 6}
    assert np.all(err.min(axis=1) < 1e-9)
    assert np.all(err[:, 0] > 1e-3) and np.all(err[:, -1] > 1e-5)  # eps = 0.1 与 1e-12 都差得多
    # 截断一侧 (eps = 1e-1 ... 1e-4): 步长每缩小 10 倍, 误差缩小约 100 倍
    np.testing.assert_allclose(np.log10(err[:, :3] / err[:, 1:4]), 2.0, atol=0.05)


def test_gradcheck_errors_rejects_non_positive_steps() -> None:
    from snippets.basics.gradcheck import gradcheck_errors

    with pytest.raises(ValueError, match="epsilons must be a 1-D array of positive steps"):
        gradcheck_errors(np.array([1e-3, 0.0]))

"""Tests for snippets.basics.activations and activations_modern: values and derivatives vs PyTorch."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from snippets.basics import activations as A
from snippets.basics import activations_modern as M
from snippets.basics.activations_modern import ZOO

TORCH = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,
    "elu": F.elu,
    "selu": F.selu,
    "softplus": F.softplus,
    "gelu": F.gelu,
    "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"),
    "silu": F.silu,
    "mish": F.mish,
    "hardsigmoid": F.hardsigmoid,
    "hardswish": F.hardswish,
}
# 网格包含所有折点 (0, +-3) 和远处的饱和区
X = np.concatenate([np.linspace(-8.0, 8.0, 161), [-3.0, 0.0, 3.0, -30.0, 30.0]])


def torch_value_and_grad(name: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xt = torch.tensor(x, requires_grad=True)
    y = TORCH[name](xt)
    (g,) = torch.autograd.grad(y.sum(), xt)
    return y.detach().numpy(), g.numpy()


def test_zoo_covers_every_activation_of_the_page() -> None:
    assert set(ZOO) == set(TORCH)


@pytest.mark.parametrize("name", sorted(TORCH))
def test_value_and_derivative_match_torch_autograd_including_kinks(name: str) -> None:
    f, df = ZOO[name]
    y, g = torch_value_and_grad(name, X)
    np.testing.assert_allclose(f(X), y, rtol=1e-13, atol=1e-15)
    # PyTorch 的 hardsigmoid 反向用 float32 常数 1/6 (即使输入是 float64), 故放宽到 1e-8
    np.testing.assert_allclose(df(X), g, rtol=1e-12, atol=1e-8 if name == "hardsigmoid" else 1e-14)


@pytest.mark.parametrize("name", sorted(TORCH))
def test_derivative_matches_central_differences_away_from_kinks(name: str) -> None:
    f, df = ZOO[name]
    x = np.linspace(-5.0, 5.0, 101) + 0.013  # 避开 0 和 +-3
    h = 1e-6
    np.testing.assert_allclose(df(x), (f(x + h) - f(x - h)) / (2 * h), rtol=1e-6, atol=1e-8)


def test_values_pytorch_returns_at_the_kinks() -> None:
    assert A.relu_grad(0.0) == pytest.approx(0.0, abs=1e-15)
    assert A.leaky_relu_grad(0.0, 0.2) == pytest.approx(0.2, abs=1e-15)
    assert A.selu_grad(0.0) == pytest.approx(A.SELU_SCALE * A.SELU_ALPHA, rel=1e-15)
    np.testing.assert_allclose(M.hardsigmoid_grad(np.array([-3.0, 3.0])), [0.0, 0.0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(M.hardswish_grad(np.array([-3.0, 3.0])), [0.0, 1.0], rtol=0, atol=1e-15)


@pytest.mark.parametrize("alpha", [0.5, 1.0, 2.0])
def test_elu_with_any_alpha_matches_torch_at_zero_and_around(alpha: float) -> None:
    x = np.array([-2.0, -1e-3, 0.0, 1e-3, 2.0])
    xt = torch.tensor(x, requires_grad=True)
    y = F.elu(xt, alpha=alpha)
    (g,) = torch.autograd.grad(y.sum(), xt)
    np.testing.assert_allclose(A.elu(x, alpha), y.detach().numpy(), rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(A.elu_grad(x, alpha), g.numpy(), rtol=1e-14, atol=1e-16)


def test_prelu_grads_wrt_input_and_slope_match_torch() -> None:
    x = np.linspace(-3.0, 3.0, 13)
    xt = torch.tensor(x, requires_grad=True)
    at = torch.tensor([0.25], dtype=torch.float64, requires_grad=True)
    y = F.prelu(xt, at)
    # 对每个输入的梯度 (逐元素), 以及对共享斜率 a 的梯度 (所有元素求和)
    (gx, ga) = torch.autograd.grad(y.sum(), (xt, at))
    dx, da = A.prelu_grads(x, 0.25)
    np.testing.assert_allclose(dx, gx.numpy(), rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(da.sum(), ga.item(), rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("beta, threshold", [(1.0, 20.0), (2.0, 20.0), (0.5, 5.0)])
def test_softplus_beta_and_threshold_follow_torch(beta: float, threshold: float) -> None:
    xt = torch.tensor(X, requires_grad=True)
    y = F.softplus(xt, beta=beta, threshold=threshold)
    (g,) = torch.autograd.grad(y.sum(), xt)
    np.testing.assert_allclose(A.softplus(X, beta, threshold), y.detach().numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(A.softplus_grad(X, beta, threshold), g.numpy(), rtol=1e-13, atol=1e-15)


@given(st.floats(-700, 700))
def test_sigmoid_derivative_is_at_most_a_quarter_and_tanh_at_most_one(x: float) -> None:
    assert A.sigmoid_grad(x) <= 0.25
    assert A.tanh_grad(x) <= 1.0
    assert A.sigmoid(-x) == pytest.approx(1 - A.sigmoid(x), abs=1e-15)


def test_hand_computed_values() -> None:
    assert A.sigmoid_grad(0.0) == pytest.approx(0.25, abs=1e-15)
    assert A.tanh_grad(0.0) == pytest.approx(1.0, abs=1e-15)
    assert M.gelu(0.0) == pytest.approx(0.0, abs=1e-15)
    assert M.gelu_grad(0.0) == pytest.approx(0.5, abs=1e-15)
    assert M.silu_grad(0.0) == pytest.approx(0.5, abs=1e-15)
    assert A.softplus(0.0) == pytest.approx(np.log(2), rel=1e-15)
    assert M.hardswish(1.5) == pytest.approx(1.5 * (1.5 / 6 + 0.5), rel=1e-15)


def test_gelu_tanh_form_is_within_5e_4_of_exact_gelu() -> None:
    x = np.linspace(-6.0, 6.0, 2001)
    assert np.max(np.abs(M.gelu(x) - M.gelu_tanh(x))) < 5e-4


EXTREME = [-np.inf, -1000.0, -750.0, -709.0, -100.0, -89.0, -88.0, -87.0, -80.0, -1.0, 0.0, 1.0, 80.0, 88.0,
           100.0, 709.0, 750.0, 1000.0, np.inf]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_raises_no_floating_point_error_even_when_every_error_is_fatal(dtype: type) -> None:
    x = np.array(EXTREME, dtype=dtype)
    # 这个检查看得见上溢: 朴素公式 1 / (1 + e^{-x}) 在同样的输入上会抛出 FloatingPointError
    with pytest.raises(FloatingPointError), np.errstate(all="raise"):
        1 / (1 + np.exp(-x))
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        out = A.sigmoid(x)
        grad = A.sigmoid_grad(x)
    assert out.dtype == dtype and grad.dtype == dtype
    # 这里有意精确比较: 要验证的正是 sigmoid 在 +-1000、+-inf 处返回恰好的极限 0 和 1 (导数恰为 0),
    # 而不是某个很小的数; 任何容差都会把 "恰为 0" 和 "约为 0" 混为一谈
    np.testing.assert_array_equal(out[[0, 1, -2, -1]], [0.0, 0.0, 1.0, 1.0])  # +-1000, +-inf: 精确的极限
    np.testing.assert_array_equal(grad[[0, 1, -2, -1]], [0.0, 0.0, 0.0, 0.0])
    # 与 float64 下的 PyTorch 比较; 绝对误差不超过该精度的最小正规数 (那里的真值已是次正规数)
    ref = torch.sigmoid(torch.tensor(EXTREME, dtype=torch.float64)).numpy()
    rtol = 1e-15 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(out.astype(np.float64), ref, rtol=rtol, atol=float(np.finfo(dtype).tiny))


@given(st.floats(-1e4, 1e4))
def test_sigmoid_is_monotone_and_symmetric_without_floating_point_errors(x: float) -> None:
    right = float(np.nextafter(x, np.inf))
    with np.errstate(all="raise"):
        s, s_right = A.sigmoid(x), A.sigmoid(right)
        s_neg = A.sigmoid(-x)
    assert 0.0 <= s <= s_right <= 1.0
    assert s_neg == pytest.approx(1 - s, abs=1e-15)


@pytest.mark.parametrize(
    "fn",
    [A.sigmoid, A.sigmoid_grad, A.tanh, A.tanh_grad, A.relu, A.relu_grad, A.leaky_relu, A.leaky_relu_grad,
     A.selu, A.selu_grad, A.softplus, A.softplus_grad, A.elu, A.elu_grad, M.gelu, M.gelu_grad, M.gelu_tanh,
     M.gelu_tanh_grad, M.silu, M.silu_grad, M.mish, M.mish_grad, M.hardsigmoid, M.hardsigmoid_grad,
     M.hardswish, M.hardswish_grad, lambda x: A.prelu_grads(x, 0.25)],
)
def test_bad_input_raises_with_argument_name(fn) -> None:
    with pytest.raises(TypeError, match="x must be a floating array"):
        fn(np.array([1, 2]))
    with pytest.raises(ValueError, match="x must not contain NaN"):
        fn(np.array([0.0, np.nan]))


def test_bad_hyperparameters_raise_with_their_names() -> None:
    with pytest.raises(ValueError, match="alpha must be a positive number"):
        A.elu(np.zeros(2), alpha=-1.0)
    with pytest.raises(ValueError, match="beta must be a positive number"):
        A.softplus_grad(np.zeros(2), beta=0.0)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
@pytest.mark.parametrize(
    ("fn", "name"),
    [
        (lambda x, v: A.leaky_relu(x, v), "negative_slope"),
        (lambda x, v: A.leaky_relu_grad(x, v), "negative_slope"),
        (lambda x, v: A.prelu_grads(x, v), "a"),
    ],
)
def test_non_finite_slopes_are_rejected(fn, name: str, bad: float) -> None:
    with pytest.raises(ValueError, match=rf"^{name} must be finite"):
        fn(np.zeros(2), bad)


@pytest.mark.parametrize(
    ("fn", "name"),
    [
        (lambda x, v: A.leaky_relu(x, v), "negative_slope"),
        (lambda x, v: A.leaky_relu_grad(x, v), "negative_slope"),
        (lambda x, v: A.prelu_grads(x, v), "a"),
    ],
)
@pytest.mark.parametrize("bad", [True, "0.1", np.array([0.1, 0.2])])
def test_non_number_slopes_are_rejected(fn, name: str, bad: object) -> None:
    with pytest.raises(TypeError, match=rf"^{name} must be a real number"):
        fn(np.zeros(2), bad)


@pytest.mark.parametrize(
    "name, minimum", [("gelu", -0.17), ("silu", -0.28), ("mish", -0.31), ("hardswish", -0.375)]
)
def test_minimum_values_stated_in_the_table(name: str, minimum: float) -> None:
    x = np.linspace(-5.0, 0.0, 50001)
    assert ZOO[name][0](x).min() == pytest.approx(minimum, abs=5e-3)


def test_keras_and_pytorch_hard_sigmoid_agree_exactly_at_zero_and_for_abs_z_at_least_3() -> None:
    z = np.round(np.linspace(-6.0, 6.0, 12001), 6)
    keras = np.clip(0.2 * z + 0.5, 0.0, 1.0)
    equal = np.abs(keras - M.hardsigmoid(z)) < 1e-12
    np.testing.assert_array_equal(equal, (z == 0.0) | (np.abs(z) >= 3.0))


def _negative_derivative_threshold(df: Callable[[np.ndarray], np.ndarray]) -> float:
    lo, hi = -3.0, -0.1  # df(lo) < 0 <= df(hi)
    assert df(np.array(lo)) < 0 <= df(np.array(hi))
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if df(np.array(mid)) < 0 else (lo, mid)
    return lo


@pytest.mark.parametrize("name, threshold", [("gelu", -0.752), ("silu", -1.278), ("mish", -1.192)])
def test_derivative_is_negative_only_below_the_stated_threshold(name: str, threshold: float) -> None:
    df = ZOO[name][1]
    assert _negative_derivative_threshold(df) == pytest.approx(threshold, abs=1e-3)
    x = np.linspace(-30.0, 0.0, 30001)
    below = x < _negative_derivative_threshold(df)
    assert np.all(df(x[below]) < 0) and np.all(df(x[~below]) >= 0)
    assert (df(np.array(-1.0)) < 0) == (name == "gelu")  # SiLU、Mish 在 -1 处导数仍为正


def test_gelu_tanh_derivative_formula_of_the_table_matches_autograd() -> None:
    z = np.linspace(-6.0, 6.0, 241)
    t = np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3))
    table = 0.5 * (1 + t) + 0.5 * z * (1 - t**2) * np.sqrt(2 / np.pi) * (1 + 0.134145 * z**2)
    _, g = torch_value_and_grad("gelu_tanh", z)
    np.testing.assert_allclose(table, g, rtol=1e-12, atol=1e-14)

"""Tests for snippets.losses.softmax: PyTorch in float64, a paper case, properties, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets.losses.cross_entropy import cross_entropy
from snippets.losses.softmax import log_softmax, logsumexp, softmax, softmax_jacobian, softmax_naive

SHAPES_AXES = [((5,), -1), ((3, 4), 0), ((3, 4), 1), ((2, 3, 4), 1), ((2, 3, 4), -1), ((1, 1), 0)]


def _logits(shape: tuple[int, ...], scale: float = 3.0, seed: int = 0) -> np.ndarray:
    return scale * np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("shape, axis", SHAPES_AXES)
@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 2.0, 10.0])
def test_softmax_matches_torch_float64(shape: tuple[int, ...], axis: int, temperature: float) -> None:
    z = _logits(shape)
    expected = torch.softmax(torch.from_numpy(z) / temperature, dim=axis).numpy()
    actual = softmax(z, axis=axis, temperature=temperature)
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("shape, axis", SHAPES_AXES)
def test_log_softmax_and_logsumexp_match_torch_float64(shape: tuple[int, ...], axis: int) -> None:
    z = _logits(shape, scale=50.0)
    zt = torch.from_numpy(z)
    expected_log_p = torch.log_softmax(zt, dim=axis).numpy()
    expected_lse = torch.logsumexp(zt, dim=axis).numpy()
    np.testing.assert_allclose(log_softmax(z, axis=axis), expected_log_p, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(logsumexp(z, axis=axis), expected_lse, rtol=1e-12, atol=1e-12)


def test_softmax_of_0_and_ln3_is_one_quarter_three_quarters() -> None:
    z = np.array([0.0, math.log(3.0)])
    np.testing.assert_allclose(softmax(z), [0.25, 0.75], rtol=1e-15, atol=0)
    np.testing.assert_allclose(logsumexp(z), math.log(4.0), rtol=1e-15, atol=0)
    np.testing.assert_allclose(log_softmax(z), [math.log(0.25), math.log(0.75)], rtol=1e-14, atol=0)


def test_naive_softmax_overflows_to_nan_where_stable_softmax_gives_one_zero() -> None:
    z = np.array([1000.0, 0.0])
    with np.errstate(all="raise"), pytest.raises(FloatingPointError, match="overflow"):
        softmax_naive(z)  # 朴素公式并不掩盖问题: exp(1000) 上溢
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(softmax_naive(z)[0])
    # 稳定写法: exp 的参数都 <= 0, 不会上溢, 也没有 inf / inf; e^{-1000} 下溢成 0 是正确的舍入, 不算错误
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        np.testing.assert_allclose(softmax(z), [1.0, 0.0], rtol=0, atol=1e-300)
        np.testing.assert_allclose(log_softmax(z), [0.0, -1000.0], rtol=1e-15, atol=0)


def test_naive_softmax_agrees_with_stable_softmax_for_small_logits() -> None:
    z = _logits((4, 6))
    np.testing.assert_allclose(softmax_naive(z, axis=1), softmax(z, axis=1), rtol=1e-13, atol=0)


def test_temperature_limits_are_argmax_one_hot_and_uniform() -> None:
    z = np.array([2.0, 1.0, 0.1, -1.0])
    np.testing.assert_allclose(softmax(z, temperature=1e-3), [1.0, 0.0, 0.0, 0.0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(softmax(z, temperature=1e6), np.full(4, 0.25), rtol=0, atol=1e-6)


def test_softmax_with_tiny_temperature_gives_one_hot_not_nan() -> None:
    np.testing.assert_array_equal(softmax(np.array([1.0, 3.0, 2.0]), temperature=1e-300), [0.0, 1.0, 0.0])


@pytest.mark.parametrize("K", [1, 2, 5])
def test_softmax_jacobian_matches_torch_autograd(K: int) -> None:
    z = torch.from_numpy(_logits((K,), seed=K))
    expected = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), z).numpy()
    p = softmax(z.numpy())
    np.testing.assert_allclose(softmax_jacobian(p), expected, rtol=1e-12, atol=1e-15)


def test_softmax_jacobian_of_quarter_three_quarters_by_hand() -> None:
    expected = np.array([[3 / 16, -3 / 16], [-3 / 16, 3 / 16]])
    np.testing.assert_allclose(softmax_jacobian(np.array([0.25, 0.75])), expected, rtol=1e-15, atol=0)


finite_logits = arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(1, 6)),
    elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=100, deadline=None)
@given(z=finite_logits, axis=st.sampled_from([0, 1, -1]), temperature=st.floats(0.05, 20.0))
def test_softmax_sums_to_one_and_is_nonnegative(z: np.ndarray, axis: int, temperature: float) -> None:
    p = softmax(z, axis=axis, temperature=temperature)
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=0, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(z=finite_logits, c=st.floats(-100.0, 100.0))
def test_softmax_is_shift_invariant(z: np.ndarray, c: float) -> None:
    np.testing.assert_allclose(softmax(z + c, axis=1), softmax(z, axis=1), rtol=1e-9, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(z=arrays(np.float64, st.integers(1, 8), elements=st.floats(-30.0, 30.0)))
def test_log_softmax_equals_log_of_softmax_in_safe_range(z: np.ndarray) -> None:
    np.testing.assert_allclose(log_softmax(z), np.log(softmax(z)), rtol=1e-12, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(z=arrays(np.float64, st.integers(1, 8), elements=st.floats(-20.0, 20.0)))
def test_softmax_jacobian_is_symmetric_with_zero_row_sums(z: np.ndarray) -> None:
    J = softmax_jacobian(softmax(z))
    np.testing.assert_allclose(J, J.T, rtol=0, atol=1e-15)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    "fn, args, kwargs, error, match",
    [
        (logsumexp, (np.array([1, 2]),), {}, TypeError, "z must be a floating array, got int64"),
        (softmax, (np.array([1.0, 2.0]),), {"temperature": 0.0}, ValueError, "temperature must be > 0"),
        (softmax_naive, (np.array([1.0, np.nan]),), {}, ValueError, "z must be finite"),
        (log_softmax, (np.zeros((2, 3)),), {"axis": 2}, ValueError, "axis must be in"),
        (softmax_jacobian, (np.array([0.5, 0.6]),), {}, ValueError, "p must sum to 1"),
    ],
    ids=["logsumexp", "softmax", "softmax_naive", "log_softmax", "softmax_jacobian"],
)
def test_bad_input_raises_with_argument_name(fn, args, kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        fn(*args, **kwargs)


@pytest.mark.parametrize("z", [[1000.0, 0.0, -1000.0], [-1000.0, -1001.0, -1200.0], [800.0, 799.0, 0.5]])
def test_stable_forms_match_torch_where_the_naive_formula_overflows_or_underflows(z: list[float]) -> None:
    zn, zt = np.array(z), torch.tensor(z, dtype=torch.float64)
    np.testing.assert_allclose(softmax(zn), torch.softmax(zt, dim=-1).numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(log_softmax(zn), torch.log_softmax(zt, dim=-1).numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(logsumexp(zn), torch.logsumexp(zt, dim=-1).numpy(), rtol=1e-12, atol=0)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        assert not np.all(np.isfinite(softmax_naive(zn)))  # the direct formula fails on each of these


@settings(max_examples=200, deadline=None)
@given(
    z=arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(2, 12)), elements=st.floats(-50.0, 50.0)),
    data=st.data(),
)
def test_double_softmax_bounds_the_loss_below_and_the_top_probability_above(z: np.ndarray, data: st.DataObject) -> None:
    # softmax 的输出再当 logits 传给交叉熵: 损失 >= ln(e + K - 1) - 1, 第二次 softmax 的最大概率 <= e / (e + K - 1)
    N, K = z.shape
    y = np.array(data.draw(st.lists(st.integers(0, K - 1), min_size=N, max_size=N)))
    p = softmax(z, axis=1)
    losses = cross_entropy(p, y, reduction="none")
    assert np.all(losses >= math.log(math.e + K - 1) - 1 - 1e-12)
    assert np.all(softmax(p, axis=1) <= math.e / (math.e + K - 1) + 1e-12)


@pytest.mark.parametrize("K", [2, 10, 1000])
def test_double_softmax_bounds_are_reached_by_a_confident_correct_network(K: int) -> None:
    z = np.zeros((1, K))
    z[0, K - 1] = 60.0  # 第一次 softmax 已是独热向量 (到 float64 精度)
    y = np.array([K - 1])
    p = softmax(z, axis=1)
    np.testing.assert_allclose(cross_entropy(p, y), math.log(math.e + K - 1) - 1, rtol=1e-12)
    np.testing.assert_allclose(softmax(p, axis=1).max(), math.e / (math.e + K - 1), rtol=1e-12)
    expected = torch.nn.functional.cross_entropy(torch.softmax(torch.from_numpy(z), dim=1), torch.from_numpy(y))
    np.testing.assert_allclose(cross_entropy(p, y), expected.item(), rtol=1e-12)

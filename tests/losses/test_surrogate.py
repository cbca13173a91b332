"""Accuracy has no useful gradient; cross-entropy bounds the error rate: the claims of the page."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets.losses.ce_vs_mse import make_blobs
from snippets.losses.cross_entropy import cross_entropy
from snippets.losses.surrogate import accuracy, loss_and_accuracy_along


@pytest.mark.parametrize(("N", "K"), [(1, 2), (7, 3), (50, 10)])
def test_accuracy_matches_torch_argmax(N: int, K: int) -> None:
    rng = np.random.default_rng(N * K)
    z, y = rng.normal(size=(N, K)), rng.integers(0, K, size=N)
    n_correct = int((torch.argmax(torch.tensor(z), dim=1) == torch.tensor(y)).sum())
    assert round(accuracy(z, y) * N) == n_correct  # 比较分对的个数 (整数), 不比较浮点数


@settings(max_examples=200, deadline=None)
@given(
    z=arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 6)),
             elements=st.floats(-30, 30, allow_nan=False)),
    data=st.data(),
)
def test_each_error_costs_at_least_ln2_of_cross_entropy(z: np.ndarray, data: st.DataObject) -> None:
    N, K = z.shape
    y = np.array(data.draw(st.lists(st.integers(0, K - 1), min_size=N, max_size=N)))
    losses = cross_entropy(z, y, reduction="none")
    wrong = np.argmax(z, axis=1) != y  # then z[k] >= z[y] for k = argmax, so p_y <= 1/2
    assert np.all(wrong <= losses / math.log(2) + 1e-12)
    assert 1 - accuracy(z, y) <= cross_entropy(z, y) / math.log(2) + 1e-12


def test_accuracy_has_zero_finite_difference_gradient_where_cross_entropy_does_not() -> None:
    X, y = make_blobs(200, np.random.default_rng(0))
    rng = np.random.default_rng(1)
    for _ in range(20):
        W = rng.normal(size=(2, 2))
        for idx in np.ndindex(2, 2):
            E = np.zeros_like(W)
            E[idx] = 1e-6
            # 比较分对的样本数 (整数), 不比较浮点数
            n_plus, n_minus = (round(accuracy(X @ (V).T, y) * 200) for V in (W + E, W - E))
            d_ce = cross_entropy(X @ (W + E).T, y) - cross_entropy(X @ (W - E).T, y)
            assert n_plus == n_minus
            assert abs(d_ce) > 1e-10


def _margins(X: np.ndarray, y: np.ndarray, W: np.ndarray, D: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For K = 2: z_{i, y_i} - z_{i, other} = a_i + t b_i along W + t D, written out without argmax."""
    sign = np.where(y == 1, 1.0, -1.0)  # (N,)
    a = sign * (X @ (W[1] - W[0]))
    b = sign * (X @ (D[1] - D[0]))
    return a, b


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_accuracy_along_a_line_jumps_exactly_where_an_example_crosses_the_boundary(seed: int) -> None:
    # 页面的说法: 准确率是阶梯函数, 只在某个样本的两个 logit 相等的超平面上跳变. 这里用解析的边界位置 t_i = -a_i / b_i
    # 检查 loss_and_accuracy_along: 台阶的位置和高度都要对 (argmax 写错轴、方向取反、标签对错类都会让它失败)
    rng = np.random.default_rng(seed)
    X, y = make_blobs(60, rng)
    W, D = rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    a, b = _margins(X, y, W, D)
    crossings = -a / b  # (N,): 样本 i 在 t_i 处越过决策边界
    ts = np.linspace(-3.0, 3.0, 1201)
    near = np.abs(ts[:, None] - crossings[None, :]).min(axis=1) < 1e-9
    assert not near.any()  # 网格点不落在边界上, 不必关心 argmax 的并列规则
    losses, accs = loss_and_accuracy_along(X, y, W, D, ts)
    n_correct = np.round(accs * len(y)).astype(int)
    expected = np.array([(a + t * b > 0).sum() for t in ts])
    np.testing.assert_array_equal(n_correct, expected)
    # 相邻网格点之间没有 t_i 时准确率不变; 有 t_i 时跳变量等于越过的样本数 (b_i > 0 的由错变对, 反之由对变错)
    inside = (crossings[None, :] > ts[:-1, None]) & (crossings[None, :] <= ts[1:, None])  # (T - 1, N)
    jumps = (inside * np.sign(b)[None, :]).sum(axis=1)
    np.testing.assert_array_equal(np.diff(n_correct), jumps)
    assert (jumps != 0).sum() >= 10  # 这条线上确实有许多台阶
    np.testing.assert_allclose(losses, [cross_entropy(X @ (W + t * D).T, y) for t in ts], rtol=1e-12, atol=0)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: accuracy(np.zeros((3, 2), dtype=int), np.zeros(3, dtype=int)), TypeError, "z"),
        (lambda: accuracy(np.zeros((3, 1)), np.zeros(3, dtype=int)), ValueError, "z"),
        (lambda: accuracy(np.full((2, 2), np.nan), np.zeros(2, dtype=int)), ValueError, "z"),
        (lambda: accuracy(np.zeros((3, 2)), np.zeros(3)), TypeError, "y"),
        (lambda: accuracy(np.zeros((3, 2)), np.array([0, 1, 2])), ValueError, "y"),
        (lambda: loss_and_accuracy_along(np.zeros((3, 2)), np.zeros(3, dtype=int), np.zeros((2, 3)),
                                         np.zeros((2, 3)), np.zeros(2)), ValueError, "W"),
        (lambda: loss_and_accuracy_along(np.zeros((3, 2)), np.zeros(3, dtype=int), np.zeros((2, 2)),
                                         np.zeros((2, 3)), np.zeros(2)), ValueError, "D"),
        (lambda: loss_and_accuracy_along(np.zeros((3, 2)), np.zeros(3, dtype=int), np.zeros((2, 2)),
                                         np.zeros((2, 2)), np.zeros((2, 2))), ValueError, "ts"),
    ],
)
def test_bad_input_raises_with_argument_name(call, error: type[Exception], name: str) -> None:
    with pytest.raises(error, match=rf"^{name} must"):
        call()

"""Tests for snippets.basics.depth_sawtooth: the tent network, piece counts, the one-hidden-layer bound."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.basics.depth_sawtooth import (
    count_pieces,
    pieces_of_deep,
    sawtooth,
    shallow_equivalent,
    shallow_pieces,
    tent_network,
)


def closed_form(k: int, x: np.ndarray) -> np.ndarray:
    t = (x * 2 ** (k - 1)) % 1.0  # 第几个齿里的位置
    return np.where(t <= 0.5, 2 * t, 2 - 2 * t) if k >= 1 else x


@pytest.mark.parametrize("k", range(1, 9))
def test_network_computes_the_sawtooth(k: int) -> None:
    x = np.linspace(0.0, 1.0, 2 ** (k + 2) + 1)[:-1]  # 1.0 的 % 1 为 0: 右端点单独检查
    np.testing.assert_allclose(sawtooth(k, x), closed_form(k, x), atol=1e-12)
    assert sawtooth(k, np.array([1.0]))[0] == pytest.approx(0.0)


def test_k1_hand_case_and_torch() -> None:
    x = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_array_equal(sawtooth(1, x), [0.0, 0.5, 1.0, 0.5, 0.0])
    params = tent_network(3)
    layers: list[torch.nn.Module] = []
    for W, b in params:
        lin = torch.nn.Linear(W.shape[1], W.shape[0]).double()
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W))
            lin.bias.copy_(torch.from_numpy(b))
        layers += [lin, torch.nn.ReLU()]
    net = torch.nn.Sequential(*layers[:-1])
    xs = np.linspace(0.0, 1.0, 97)
    np.testing.assert_allclose(net(torch.from_numpy(xs)[:, None]).detach().numpy()[:, 0], sawtooth(3, xs), atol=1e-14)


@pytest.mark.parametrize("k", range(1, 13))
def test_deep_pieces_double_with_every_layer(k: int) -> None:
    assert pieces_of_deep(k) == 2**k


def test_count_pieces_hand_cases() -> None:
    x = np.linspace(0.0, 3.0, 13)
    assert count_pieces(np.minimum(np.maximum(x - 1, 0), 1.0), x) == 3  # 0, 斜坡, 1
    assert count_pieces(2 * x + 1, x) == 1


def _brute_pieces(W: np.ndarray, b: np.ndarray, v: np.ndarray, lo: float, hi: float) -> int:
    kinks = np.array(sorted({lo, hi, *[c for c in -b / W if lo < c < hi]}))
    mids = (kinks[:-1] + kinks[1:]) / 2
    slopes = [np.sum(v * W * (W * m + b > 0)) for m in mids]
    return 1 + sum(1 for s0, s1 in zip(slopes, slopes[1:], strict=False) if abs(s1 - s0) > 1e-12)


def test_shallow_pieces_matches_brute_force_and_bound() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        m = int(rng.integers(1, 12))
        W, b, v = rng.normal(size=(3, m))
        n = shallow_pieces(W, b, v, -2.0, 2.0)
        assert n == _brute_pieces(W, b, v, -2.0, 2.0)
        assert n <= m + 1


def test_shallow_pieces_merges_coincident_kinks() -> None:
    # 两个单元折点都在 0.5, 斜率变化 +1 与 -1 相互抵消: 函数恒为 0, 只有 1 段; 不抵消时是 2 段
    W, b = np.ones(2), np.full(2, -0.5)
    assert shallow_pieces(W, b, np.array([1.0, -1.0]), 0.0, 1.0) == 1
    assert shallow_pieces(W, b, np.array([1.0, 1.0]), 0.0, 1.0) == 2


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5), st.floats(-5, 5)), min_size=1, max_size=15))
def test_one_hidden_layer_has_at_most_m_plus_1_pieces(units: list[tuple[float, float, float]]) -> None:
    W, b, v = (np.array(c) for c in zip(*units, strict=True))
    assert shallow_pieces(W, b, v, -10.0, 10.0) <= len(units) + 1


@pytest.mark.parametrize("k", [1, 4, 7])
def test_shallow_equivalent_equals_the_deep_network(k: int) -> None:
    W, b, v = shallow_equivalent(k)
    x = np.linspace(0.0, 1.0, 2 ** (k + 2) + 1)
    np.testing.assert_array_equal(np.maximum(np.outer(x, W) + b, 0.0) @ v, sawtooth(k, x))
    assert len(W) == 2**k and shallow_pieces(W, b, v, 0.0, 1.0) == 2**k


def test_bad_input() -> None:
    for fn in (tent_network, pieces_of_deep, shallow_equivalent):
        with pytest.raises(ValueError, match="k"):
            fn(0)
    with pytest.raises(TypeError, match="x"):
        sawtooth(2, [0.5])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="b"):
        shallow_pieces(np.ones(3), np.ones(2), np.ones(3), 0.0, 1.0)
    with pytest.raises(ValueError, match="lo"):
        shallow_pieces(np.ones(3), np.ones(3), np.ones(3), 1.0, 1.0)

"""Tests for snippets.nets.shufflenet: shuffle against a hand permutation, nn.ChannelShuffle and its inverse."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.nets.layer_table import count_params
from snippets.nets.shufflenet import (
    ShuffleUnit,
    channel_shuffle,
    group_reach,
    pointwise_memory_access,
    shuffle_permutation,
)


def test_hand_permutation() -> None:
    assert shuffle_permutation(6, 2).tolist() == [0, 3, 1, 4, 2, 5]  # 组 (0,1,2) 和 (3,4,5) 交错
    X = np.arange(6, dtype=np.float64).reshape(1, 6, 1, 1)
    assert channel_shuffle(X, 2)[0, :, 0, 0].tolist() == [0, 3, 1, 4, 2, 5]


@settings(max_examples=30, deadline=None)
@given(g=st.integers(1, 4), k=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_matches_torch_and_the_inverse_is_a_shuffle_with_c_over_g_groups(g: int, k: int, seed: int) -> None:
    C = g * k
    X = np.random.default_rng(seed).standard_normal((2, C, 3, 2))
    Y = channel_shuffle(X, g)
    np.testing.assert_array_equal(Y, nn.ChannelShuffle(g)(torch.from_numpy(X)).numpy())
    np.testing.assert_array_equal(Y, X[:, shuffle_permutation(C, g)])
    np.testing.assert_array_equal(channel_shuffle(Y, C // g), X)  # 逆: 用 C/g 组再混洗一次


def test_reach_without_shuffle_is_diagonal_with_shuffle_full() -> None:
    np.testing.assert_array_equal(group_reach(12, 3, shuffle=False), np.eye(3, dtype=bool))
    assert group_reach(12, 3, shuffle=True).all()
    # 每组只有 C/g = 2 个通道 < g = 4 组: 一次混洗只能把每组的通道分给 2 个组
    assert (group_reach(8, 4, shuffle=True).sum(axis=1) == 2).all()


def test_unit_shapes_and_params() -> None:
    u = ShuffleUnit(240, 240, groups=3, stride=1)
    assert u.eval()(torch.zeros(1, 240, 8, 8)).shape == (1, 240, 8, 8)
    mid = 60
    assert count_params(u) == (240 * mid // 3 + 2 * mid) + (9 * mid + 2 * mid) + (mid * 240 // 3 + 2 * 240)
    assert ShuffleUnit(240, 480, groups=3, stride=2).eval()(torch.zeros(1, 240, 8, 8)).shape == (1, 480, 4, 4)


def test_memory_access_minimal_at_equal_widths() -> None:
    B = 128 * 128  # c1 * c2 固定 (FLOPs 固定)
    macs = {c1: pointwise_memory_access(56, 56, c1, B // c1) for c1 in (16, 32, 64, 128, 256, 512, 1024)}
    assert min(macs, key=macs.__getitem__) == 128
    assert pointwise_memory_access(1, 2, 3, 4) == 2 * 7 + 12


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="groups"):
        channel_shuffle(np.zeros((1, 6, 1, 1)), 4)
    with pytest.raises(TypeError, match="X"):
        channel_shuffle([1.0], 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="C"):
        shuffle_permutation(0, 1)
    with pytest.raises(ValueError, match="groups"):
        group_reach(6, 0, True)
    with pytest.raises(ValueError, match="stride"):
        ShuffleUnit(8, 8, 2, 0)
    with pytest.raises(ValueError, match="stride"):
        ShuffleUnit(8, 8, 2, 3)
    with pytest.raises(ValueError, match="c_out"):
        ShuffleUnit(240, 120, 3, 1)
    with pytest.raises(ValueError, match="c_out"):
        ShuffleUnit(240, 240, 3, 2)
    with pytest.raises(ValueError, match="c1"):
        pointwise_memory_access(1, 1, 0, 1)

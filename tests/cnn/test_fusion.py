"""Tests for snippets.cnn.fusion: add vs concat before a conv (cost, the split identity, alignment)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.cnn.fusion import FuseThenConv, add_alignment_residual, concat_conv_split, fusion_cost
from snippets.cnn.saved_activations import saved_activation_bytes


@pytest.mark.parametrize("mode,c_a,c_b", [("add", 64, 64), ("concat", 64, 64), ("concat", 256, 48)])
def test_fusion_cost_matches_the_torch_conv_and_flop_counter(mode: str, c_a: int, c_b: int) -> None:
    from torch.utils.flop_counter import FlopCounterMode

    cost = fusion_cost(mode, c_a, c_b, c_out=32, kernel_size=3, h=7, w=5)
    conv = nn.Conv2d(cost.fused_channels, 32, 3, padding=1, bias=False)
    a, b = torch.zeros(1, c_a, 7, 5), torch.zeros(1, c_b, 7, 5)
    with FlopCounterMode(display=False) as fc:
        fused = a + b if mode == "add" else torch.cat([a, b], 1)
        conv(fused)
    assert cost.conv_params == sum(p.numel() for p in conv.parameters())
    assert 2 * cost.conv_macs == fc.get_total_flops()  # FlopCounterMode 按 2 x MACs 计
    assert cost.fused_elements == fused.numel()


def test_fusion_cost_hand_case_resnet_stage_channels() -> None:
    add = fusion_cost("add", 256, 256, 256, 3, 56, 56)
    cat = fusion_cost("concat", 256, 256, 256, 3, 56, 56)
    assert (add.conv_params, cat.conv_params) == (9 * 256 * 256, 9 * 512 * 256)
    assert cat.conv_macs == 2 * add.conv_macs == 2 * 589_824 * 56 * 56


@settings(max_examples=30, deadline=None)
@given(c_a=st.integers(1, 4), c_b=st.integers(1, 4), k=st.sampled_from([1, 3]), seed=st.integers(0, 10_000))
def test_concat_then_conv_equals_sum_of_two_convs_and_torch(c_a: int, c_b: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((2, c_a, 5, 6)), rng.standard_normal((2, c_b, 5, 6))
    W = rng.standard_normal((3, c_a + c_b, k, k))
    direct, split = concat_conv_split(A, B, W, padding=k // 2)
    ref = F.conv2d(torch.cat([torch.from_numpy(A), torch.from_numpy(B)], 1), torch.from_numpy(W), padding=k // 2)
    np.testing.assert_allclose(direct, ref.numpy(), atol=1e-12)
    np.testing.assert_allclose(split, direct, atol=1e-12)


def test_add_is_concat_with_tied_weights() -> None:
    rng = np.random.default_rng(1)
    A, B, W = rng.standard_normal((1, 4, 6, 6)), rng.standard_normal((1, 4, 6, 6)), rng.standard_normal((2, 4, 3, 3))
    direct, _ = concat_conv_split(A, B, np.concatenate([W, W], axis=1))
    ref = F.conv2d(torch.from_numpy(A + B), torch.from_numpy(W)).numpy()
    np.testing.assert_allclose(direct, ref, atol=1e-12)


def test_a_channel_permutation_is_harmless_only_for_concat() -> None:
    rng = np.random.default_rng(0)
    A, B, W = (rng.standard_normal((4, 8, 6, 6)), rng.standard_normal((4, 8, 6, 6)), rng.standard_normal((8, 8)))
    assert add_alignment_residual(A, B, W, np.arange(8)) < 1e-10
    assert add_alignment_residual(A, B, W, rng.permutation(8)) > 0.3
    # 拼接时, 打乱 B 的通道可以被权重的列重排精确抵消
    perm = rng.permutation(8)
    W4 = np.concatenate([W, W], axis=1)[:, :, None, None]
    Wp = np.concatenate([W, W[:, perm]], axis=1)[:, :, None, None]
    np.testing.assert_allclose(concat_conv_split(A, B[:, perm], Wp)[0], concat_conv_split(A, B, W4)[0], atol=1e-12)


def test_concat_saves_one_more_c_channel_map_than_add() -> None:
    x = torch.zeros(2, 3, 16, 16)
    add = saved_activation_bytes(FuseThenConv("add", 3, 8, 8), x)
    cat = saved_activation_bytes(FuseThenConv("concat", 3, 8, 8), x)
    one_map = 2 * 8 * 16 * 16 * 4  # N * c * H * W float32
    assert (add.total, cat.total) == (3 * one_map, 4 * one_map)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="mode"):
        fusion_cost("mul", 1, 1, 1, 1, 1, 1)
    with pytest.raises(ValueError, match="c_a == c_b"):
        fusion_cost("add", 2, 3, 1, 1, 1, 1)
    with pytest.raises(ValueError, match="kernel_size"):
        fusion_cost("add", 2, 2, 1, 0, 1, 1)
    with pytest.raises(ValueError, match="W must have"):
        concat_conv_split(np.zeros((1, 2, 4, 4)), np.zeros((1, 2, 4, 4)), np.zeros((1, 3, 1, 1)))
    with pytest.raises(TypeError, match="A"):
        concat_conv_split(np.zeros((1, 2, 4, 4), int), np.zeros((1, 2, 4, 4)), np.zeros((1, 4, 1, 1)))
    with pytest.raises(ValueError, match="perm"):
        add_alignment_residual(np.ones((1, 2, 2, 2)), np.ones((1, 2, 2, 2)), np.ones((2, 2)), np.array([0, 0]))
    with pytest.raises(ValueError, match="mode"):
        FuseThenConv("mul", 1, 1, 1)

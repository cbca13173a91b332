"""Tests for snippets.cnn.kernel_size: 27c^2 vs 49c^2, the 1x1 conv as a per-pixel linear map, the bottleneck."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets.cnn.conv import conv2d
from snippets.cnn.kernel_size import bottleneck_cost, compose_kernels, conv1x1, stacked_vs_single


@pytest.mark.parametrize("c", [1, 16, 64, 256])
def test_three_3x3_cost_27c2_and_one_7x7_costs_49c2(c: int) -> None:
    r = stacked_vs_single(c, 3)
    assert r["receptive_field"] == 7
    assert r["stacked_params"] == 27 * c * c and r["single_params"] == 49 * c * c
    stacked = nn.Sequential(*[nn.Conv2d(c, c, 3, bias=False) for _ in range(3)])
    assert r["stacked_params"] == sum(p.numel() for p in stacked.parameters())
    assert r["single_params"] == nn.Conv2d(c, c, 7, bias=False).weight.numel()


def test_two_3x3_replace_a_5x5_with_18c2_vs_25c2() -> None:
    r = stacked_vs_single(10, 2)
    assert (r["receptive_field"], r["stacked_params"], r["single_params"]) == (5, 1800, 2500)


def test_stacked_3x3_and_7x7_give_same_output_size() -> None:
    x = torch.zeros(1, 4, 32, 32)
    stacked = nn.Sequential(*[nn.Conv2d(4, 4, 3) for _ in range(3)])
    assert stacked(x).shape == nn.Conv2d(4, 4, 7)(x).shape == (1, 4, 26, 26)


def test_conv1x1_equals_torch_conv2d_and_a_linear_layer_per_pixel() -> None:
    rng = np.random.default_rng(0)
    X, W = rng.standard_normal((2, 6, 5, 4)), rng.standard_normal((3, 6))
    Y = conv1x1(X, W)
    expected = F.conv2d(torch.from_numpy(X), torch.from_numpy(W)[:, :, None, None]).numpy()
    np.testing.assert_allclose(Y, expected, rtol=1e-12, atol=1e-12)
    per_pixel = F.linear(torch.from_numpy(X).permute(0, 2, 3, 1), torch.from_numpy(W)).permute(0, 3, 1, 2)
    np.testing.assert_allclose(Y, per_pixel.numpy(), rtol=1e-12, atol=1e-12)


def test_inception_5x5_example_costs_120m_direct_and_12_4m_with_bottleneck() -> None:
    r = bottleneck_cost(28, 28, 192, 16, 32, 5)
    assert r["direct_macs"] == 28 * 28 * 32 * 5 * 5 * 192 == 120_422_400
    assert r["bottleneck_macs"] == 28 * 28 * 16 * 192 + 28 * 28 * 32 * 5 * 5 * 16 == 12_443_648
    assert r["direct_params"] == 153_600 and r["bottleneck_params"] == 3072 + 12_800
    direct = nn.Conv2d(192, 32, 5, padding=2, bias=False)
    bottleneck = nn.Sequential(nn.Conv2d(192, 16, 1, bias=False), nn.Conv2d(16, 32, 5, padding=2, bias=False))
    assert r["direct_params"] == sum(p.numel() for p in direct.parameters())
    assert r["bottleneck_params"] == sum(p.numel() for p in bottleneck.parameters())


def test_bad_input_raises_with_argument_name() -> None:
    with pytest.raises(ValueError, match="n_layers"):
        stacked_vs_single(8, 0)
    with pytest.raises(ValueError, match="W must have"):
        conv1x1(np.zeros((1, 3, 2, 2)), np.zeros((4, 2)))
    with pytest.raises(TypeError, match="kernel_size"):
        bottleneck_cost(28, 28, 192, 16, 32, 5.0)  # type: ignore[arg-type]


def test_three_linear_3x3_convs_collapse_into_one_7x7_but_not_with_relu() -> None:
    rng = np.random.default_rng(0)
    a, b, c = (rng.standard_normal((3, 3)) for _ in range(3))
    X = rng.standard_normal((1, 1, 12, 12))
    K = compose_kernels([a, b, c])
    assert K.shape == (7, 7)

    def conv(A: np.ndarray, k: np.ndarray) -> np.ndarray:
        return conv2d(A, k[None, None])

    np.testing.assert_allclose(conv(conv(conv(X, a), b), c), conv(X, K), rtol=1e-12, atol=1e-12)
    relu = lambda A: np.maximum(A, 0.0)  # noqa: E731
    assert not np.allclose(relu(conv(relu(conv(relu(conv(X, a)), b)), c)), relu(conv(X, K)))


def test_compose_kernels_rejects_empty_list() -> None:
    with pytest.raises(ValueError, match="kernels"):
        compose_kernels([])

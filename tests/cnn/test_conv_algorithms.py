"""Tests for snippets.cnn.conv_algorithms: Winograd and FFT against F.conv2d in float64, im2col memory, counts."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.cnn.conv import im2col
from snippets.cnn.conv_algorithms import (
    fft_conv2d,
    im2col_blowup,
    multiplication_counts,
    winograd_conv2d,
    winograd_f2x2_3x3,
    winograd_f23,
)


def _torch_conv(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    return F.conv2d(torch.from_numpy(X), torch.from_numpy(W)).numpy()


def test_winograd_f23_matches_direct_correlation_on_random_tiles() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        d, g = rng.standard_normal(4), rng.standard_normal(3)
        np.testing.assert_allclose(winograd_f23(d, g), np.correlate(d, g, "valid"), rtol=1e-12, atol=1e-12)


def test_winograd_f23_gets_every_bilinear_coefficient_right() -> None:
    # y_i = sum_m d[i + m] g[m]: with unit vectors only the pairs i + m = j give 1
    for j in range(4):
        for m in range(3):
            d, g = np.eye(4)[j], np.eye(3)[m]
            expected = np.array([1.0 if i + m == j else 0.0 for i in range(2)])
            np.testing.assert_allclose(winograd_f23(d, g), expected, atol=1e-15)


def test_winograd_f2x2_3x3_matches_torch_conv2d_float64() -> None:
    rng = np.random.default_rng(1)
    for _ in range(20):
        d, g = rng.standard_normal((4, 4)), rng.standard_normal((3, 3))
        np.testing.assert_allclose(winograd_f2x2_3x3(d, g), _torch_conv(d[None, None], g[None, None])[0, 0],
                                   rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape", [(1, 1, 4, 4), (2, 3, 10, 8), (1, 5, 6, 12)])
def test_tiled_winograd_layer_matches_torch_conv2d(shape: tuple[int, int, int, int]) -> None:
    rng = np.random.default_rng(2)
    X, W = rng.standard_normal(shape), rng.standard_normal((4, shape[1], 3, 3))
    np.testing.assert_allclose(winograd_conv2d(X, W), _torch_conv(X, W), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kernel", [(1, 1), (3, 3), (7, 7), (2, 5), (12, 9)])
def test_fft_conv2d_matches_torch_conv2d(kernel: tuple[int, int]) -> None:
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((12, 9)), rng.standard_normal(kernel)
    np.testing.assert_allclose(fft_conv2d(x, w), _torch_conv(x[None, None], w[None, None])[0, 0], atol=1e-10)


@pytest.mark.parametrize("H, W, k, s, p", [(56, 56, 3, 1, 1), (224, 224, 7, 2, 3), (9, 7, 2, 1, 0), (8, 8, 3, 2, 0)])
def test_im2col_blowup_equals_element_ratio_of_im2col(H: int, W: int, k: int, s: int, p: int) -> None:
    X = np.zeros((1, 1, H, W))
    cols, _ = im2col(X, k, s, p)
    assert im2col_blowup(H, W, k, s, p) == pytest.approx(cols.size / X.size, rel=1e-12)


def test_im2col_blowup_is_k_squared_for_same_padding() -> None:
    for k in (1, 3, 5, 7):
        assert im2col_blowup(32, 32, k, 1, k // 2) == pytest.approx(k * k)


def test_multiplication_counts_hand_values() -> None:
    c = multiplication_counts(64, 3)
    assert c["direct"] == 62 * 62 * 9
    assert c["winograd"] == pytest.approx(c["direct"] * 16 / 36)
    assert c["fft"] == pytest.approx(4 * (2 * 64 * 64 / 2 * 12 + 64 * 64))  # log2(64^2) = 12
    assert np.isnan(multiplication_counts(64, 5)["winograd"])
    # 这个模型下 n = 64 时 FFT 从 k = 9 起少于直接计算, k = 8 时仍多
    assert multiplication_counts(64, 8)["direct"] < multiplication_counts(64, 8)["fft"]
    assert multiplication_counts(64, 9)["direct"] > multiplication_counts(64, 9)["fft"]


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="d must"):
        winograd_f23(np.zeros(5), np.zeros(3))
    with pytest.raises(ValueError, match="d must"):
        winograd_f2x2_3x3(np.zeros((4, 4)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="X must"):
        winograd_conv2d(np.zeros((1, 1, 5, 6)), np.zeros((1, 1, 3, 3)))
    with pytest.raises(ValueError, match="W must"):
        winograd_conv2d(np.zeros((1, 2, 6, 6)), np.zeros((1, 1, 3, 3)))
    with pytest.raises(ValueError, match="w of shape"):
        fft_conv2d(np.zeros((4, 4)), np.zeros((5, 1)))
    with pytest.raises(TypeError, match="x must"):
        fft_conv2d(np.zeros((4, 4), dtype=int), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="kernel_size"):
        im2col_blowup(4, 4, 7)
    with pytest.raises(ValueError, match="n must"):
        multiplication_counts(60, 3)

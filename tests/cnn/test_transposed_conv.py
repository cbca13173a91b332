"""Tests for snippets.cnn.transposed_conv: F.conv_transpose2d, the matrix view, F.interpolate."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.cnn.conv import conv2d
from snippets.cnn.conv_backward import conv2d_backward
from snippets.cnn.transposed_conv import conv_matrix, conv_transpose2d, upsample_bilinear, upsample_nearest

CONFIGS = [(1, 0, 0, 1), (2, 0, 0, 1), (2, 1, 1, 1), (3, 1, 2, 1), (2, 0, 0, 2), (3, 2, 1, 2)]


@pytest.mark.parametrize("s, p, op, d", CONFIGS)
@pytest.mark.parametrize("k", [1, 3, 4])
def test_conv_transpose2d_matches_torch_float64(s: int, p: int, op: int, d: int, k: int) -> None:
    rng = np.random.default_rng(k)
    X, W, b = rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((3, 2, k, k)), rng.standard_normal(2)
    try:
        expected = F.conv_transpose2d(*(torch.from_numpy(a) for a in (X, W, b)), s, p, op, 1, d).numpy()
    except RuntimeError:
        with pytest.raises(ValueError):
            conv_transpose2d(X, W, b, s, p, op, d)
        return
    np.testing.assert_allclose(conv_transpose2d(X, W, b, s, p, op, d), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("s, p, op, d", [(2, 0, 2, 1), (1, 0, 1, 1), (2, 1, 2, 2), (3, 0, 3, 1)])
def test_output_padding_not_below_stride_and_dilation_is_rejected_by_torch_and_by_us(s: int, p: int, op: int,
                                                                                      d: int) -> None:
    X, W = np.zeros((1, 3, 4, 5)), np.zeros((3, 2, 3, 3))
    with pytest.raises(RuntimeError, match="output padding must be smaller"):
        F.conv_transpose2d(torch.from_numpy(X), torch.from_numpy(W), None, s, p, op, 1, d)
    with pytest.raises(ValueError, match="output_padding must be smaller"):
        conv_transpose2d(X, W, None, s, p, op, d)


@pytest.mark.parametrize("s, p", [(1, 0), (2, 1), (2, 0), (3, 1)])
def test_transposed_conv_is_the_input_gradient_of_conv(s: int, p: int) -> None:
    rng = np.random.default_rng(0)
    X, W = rng.standard_normal((2, 3, 9, 9)), rng.standard_normal((4, 3, 3, 3))
    dY = rng.standard_normal(conv2d(X, W, None, s, p).shape)
    rest = (9 + 2 * p - 3) % s  # 前向时被丢掉的行数, 由 output_padding 补回
    # conv 的权重 (O, C, k, k) 直接当作转置卷积的 (C_in=O, C_out=C, k, k)
    np.testing.assert_allclose(conv_transpose2d(dY, W, None, s, p, rest), conv2d_backward(dY, X, W, s, p)[0],
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("s, p", [(1, 0), (2, 1), (1, 1)])
def test_conv_is_a_matrix_and_transposed_conv_multiplies_by_its_transpose(s: int, p: int) -> None:
    rng = np.random.default_rng(1)
    kernel, x = rng.standard_normal((3, 3)), rng.standard_normal((5, 5))
    C = conv_matrix(kernel, 5, s, p)
    y = conv2d(x[None, None], kernel[None, None], stride=s, padding=p)
    np.testing.assert_allclose(C @ x.ravel(), y.ravel(), rtol=1e-12, atol=1e-12)
    v = rng.standard_normal(y.shape)
    rest = (5 + 2 * p - 3) % s
    np.testing.assert_allclose(C.T @ v.ravel(), conv_transpose2d(v, kernel[None, None], None, s, p, rest).ravel(),
                               rtol=1e-12, atol=1e-12)


def test_conv_matrix_by_hand_for_3x3_input_2x2_kernel() -> None:
    C = conv_matrix(np.array([[1.0, 2.0], [3.0, 4.0]]), 3)
    assert C.shape == (4, 9)
    np.testing.assert_array_equal(C[0], [1, 2, 0, 3, 4, 0, 0, 0, 0])
    np.testing.assert_array_equal(C[3], [0, 0, 0, 0, 1, 2, 0, 3, 4])


def test_checkerboard_overlap_counts() -> None:
    ones = np.ones((1, 1, 6, 6))
    k3 = conv_transpose2d(ones, np.ones((1, 1, 3, 3)), stride=2, padding=1, output_padding=1)[0, 0]
    k4 = conv_transpose2d(ones, np.ones((1, 1, 4, 4)), stride=2, padding=1)[0, 0]
    assert set(np.unique(k3[1:-1, 1:-1])) == {1.0, 2.0, 4.0}  # k 不能被 s 整除: 内部也不均匀
    assert set(np.unique(k4[1:-1, 1:-1])) == {4.0}  # k 被 s 整除: 内部均匀, 只剩边界
    up = conv2d(upsample_nearest(ones, 2), np.ones((1, 1, 3, 3)), padding=1)[0, 0]
    assert set(np.unique(up[1:-1, 1:-1])) == {9.0}


@pytest.mark.parametrize("scale", [1, 2, 3, 4])
@pytest.mark.parametrize("align_corners", [False, True])
def test_upsampling_matches_f_interpolate(scale: int, align_corners: bool) -> None:
    X = np.random.default_rng(scale).standard_normal((2, 3, 4, 5))
    Xt = torch.from_numpy(X)
    expected = F.interpolate(Xt, scale_factor=scale, mode="bilinear", align_corners=align_corners).numpy()
    np.testing.assert_allclose(upsample_bilinear(X, scale, align_corners), expected, rtol=1e-12, atol=1e-12)
    nearest = F.interpolate(Xt, scale_factor=scale, mode="nearest").numpy()
    np.testing.assert_array_equal(upsample_nearest(X, scale), nearest)


def test_bilinear_upsampling_of_1_2_by_hand() -> None:
    x = np.array([[[[1.0, 2.0]]]])
    np.testing.assert_allclose(upsample_bilinear(x, 2)[0, 0, 0], [1.0, 1.25, 1.75, 2.0])
    np.testing.assert_allclose(upsample_bilinear(x, 3, align_corners=True)[0, 0, 0], [1.0, 1.2, 1.4, 1.6, 1.8, 2.0])


def test_bad_input_raises_with_argument_name() -> None:
    with pytest.raises(ValueError, match="W must have"):
        conv_transpose2d(np.zeros((1, 2, 3, 3)), np.zeros((3, 1, 3, 3)))
    with pytest.raises(ValueError, match="kernel must have 2"):
        conv_matrix(np.zeros((1, 3, 3)), 5)
    with pytest.raises(ValueError, match="scale must be >= 1"):
        upsample_nearest(np.zeros((1, 1, 2, 2)), 0)
    with pytest.raises(TypeError, match="X must be a floating"):
        upsample_bilinear(np.zeros((1, 1, 2, 2), dtype=int), 2)

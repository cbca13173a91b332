"""Tests for snippets.cnn.conv: PyTorch in float64, loops vs im2col, the kernel flip, hand cases, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.cnn.conv import conv2d, conv2d_naive, convolve1d, correlate1d, im2col

CONFIGS = [  # (stride, padding, dilation)
    (1, 0, 1), (2, 1, 1), (3, 2, 1), (1, 1, 2), ((2, 1), (0, 2), (1, 3)), (2, 3, 2),
]


@pytest.mark.parametrize("stride, padding, dilation", CONFIGS)
@pytest.mark.parametrize("kernel", [(1, 1), (3, 3), (2, 4)])
def test_conv2d_matches_torch_conv2d_float64(stride, padding, dilation, kernel) -> None:
    rng = np.random.default_rng(0)
    X, W, b = rng.standard_normal((2, 3, 11, 10)), rng.standard_normal((4, 3, *kernel)), rng.standard_normal(4)
    expected = F.conv2d(torch.from_numpy(X), torch.from_numpy(W), torch.from_numpy(b), stride, padding, dilation)
    np.testing.assert_allclose(conv2d(X, W, b, stride, padding, dilation), expected.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("stride, padding, dilation", CONFIGS)
def test_im2col_matches_torch_unfold(stride, padding, dilation) -> None:
    X = np.random.default_rng(1).standard_normal((2, 3, 9, 8))
    cols, _ = im2col(X, (3, 2), stride, padding, dilation)
    expected = F.unfold(torch.from_numpy(X), (3, 2), dilation=dilation, padding=padding, stride=stride)
    np.testing.assert_array_equal(cols, expected.numpy())


@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 1), (3, 2)])
def test_naive_loops_equal_im2col(stride: int, padding: int) -> None:
    rng = np.random.default_rng(2)
    X, W, b = rng.standard_normal((2, 3, 8, 7)), rng.standard_normal((5, 3, 3, 3)), rng.standard_normal(5)
    np.testing.assert_allclose(conv2d_naive(X, W, b, stride, padding), conv2d(X, W, b, stride, padding),
                               rtol=1e-12, atol=1e-12)


def test_3x3_input_2x2_kernel_by_hand() -> None:
    # d2l 的例子: [[0,1,2],[3,4,5],[6,7,8]] 与 [[0,1],[2,3]] 互相关得 [[19,25],[37,43]]
    X = np.arange(9.0).reshape(1, 1, 3, 3)
    W = np.arange(4.0).reshape(1, 1, 2, 2)
    np.testing.assert_array_equal(conv2d(X, W)[0, 0], [[19.0, 25.0], [37.0, 43.0]])
    # 真正的卷积先把核转 180 度: [[3,2],[1,0]]
    np.testing.assert_array_equal(conv2d(X, W[..., ::-1, ::-1])[0, 0], [[5.0, 11.0], [23.0, 29.0]])


def test_convolve1d_equals_numpy_convolve_and_correlate1d_equals_torch_conv1d() -> None:
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal(20), rng.standard_normal(5)
    np.testing.assert_allclose(convolve1d(x, w), np.convolve(x, w, mode="valid"), rtol=1e-12, atol=1e-12)
    expected = F.conv1d(torch.from_numpy(x)[None, None], torch.from_numpy(w)[None, None])[0, 0].numpy()
    np.testing.assert_allclose(correlate1d(x, w), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(convolve1d(x, w), correlate1d(x, w[::-1]), rtol=0, atol=0)


def test_convolution_and_correlation_differ_for_asymmetric_kernel_and_agree_for_symmetric() -> None:
    x = np.array([0.0, 0.0, 1.0, 0.0, 0.0])
    np.testing.assert_array_equal(correlate1d(x, np.array([1.0, 2.0, 3.0])), [3.0, 2.0, 1.0])
    np.testing.assert_array_equal(convolve1d(x, np.array([1.0, 2.0, 3.0])), [1.0, 2.0, 3.0])
    sym = np.array([1.0, 2.0, 1.0])
    np.testing.assert_allclose(convolve1d(x, sym), correlate1d(x, sym), rtol=0, atol=1e-12)


@pytest.mark.parametrize("n_a, n_b", [(3, 4), (5, 2), (1, 6), (7, 7)])
def test_full_convolution_commutes_and_full_correlation_reverses_when_swapped(n_a: int, n_b: int) -> None:
    rng = np.random.default_rng(n_a * 10 + n_b)
    a, b = rng.standard_normal(n_a), rng.standard_normal(n_b)
    ab, ba = convolve1d(a, b, "full"), convolve1d(b, a, "full")
    assert ab.shape == (n_a + n_b - 1,)
    np.testing.assert_allclose(ab, ba, rtol=1e-12, atol=1e-12)  # 卷积可交换
    np.testing.assert_allclose(ab, np.convolve(a, b), rtol=1e-12, atol=1e-12)
    # 互相关交换两个参数后, 结果是原来的倒序 (a 与 b 都不对称时, 一般不等于原来的结果)
    np.testing.assert_allclose(correlate1d(b, a, "full"), correlate1d(a, b, "full")[::-1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(correlate1d(a, b, "full"), np.correlate(a, b, "full"), rtol=1e-12, atol=1e-12)
    if n_a > 1 and n_b > 1:
        assert not np.allclose(correlate1d(a, b, "full"), correlate1d(b, a, "full"))


def test_two_convolutions_merge_into_one_by_associativity() -> None:
    # (x * w1) * w2 = x * (w1 * w2): 合并两次卷积用的是结合律
    rng = np.random.default_rng(4)
    x, w1, w2 = rng.standard_normal(12), rng.standard_normal(3), rng.standard_normal(4)
    merged = convolve1d(w1, w2, "full")  # 长度 3 + 4 - 1 = 6
    for mode in ("valid", "full"):
        np.testing.assert_allclose(convolve1d(convolve1d(x, w1, mode), w2, mode), convolve1d(x, merged, mode),
                                   rtol=1e-12, atol=1e-12)
    # 两次互相关 (卷积层) 同样合并成一次互相关, 核仍是 w1 与 w2 的 full 卷积
    np.testing.assert_allclose(correlate1d(correlate1d(x, w1), w2), correlate1d(x, merged), rtol=1e-12, atol=1e-12)


def test_correlation_output_is_in_general_neither_mirror_nor_negative_of_convolution() -> None:
    x = np.array([1.0, 2.0, 0.0, 3.0, 1.0, 4.0])
    w = np.array([1.0, 2.0, 3.0])
    corr, conv = correlate1d(x, w), convolve1d(x, w)
    # 输入和核都是小整数, 结果是整数值: 用很小的容差比较, 不依赖浮点求和的顺序
    np.testing.assert_allclose(corr, [5.0, 11.0, 9.0, 17.0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(conv, [7.0, 9.0, 7.0, 15.0], rtol=0, atol=1e-12)
    assert not np.allclose(conv, corr[::-1]) and not np.allclose(conv, -corr)
    np.testing.assert_allclose(conv, correlate1d(x, w[::-1]), rtol=0, atol=1e-12)  # 翻转的是核, 不是输出
    antisym = np.array([-1.0, 0.0, 1.0])  # 翻转后变号的核: 两者才恰好差一个符号
    np.testing.assert_allclose(convolve1d(x, antisym), -correlate1d(x, antisym), rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "fn, args, error, match",
    [
        (convolve1d, (np.zeros(3), np.zeros(4)), ValueError, "w must have"),
        (convolve1d, (np.zeros(3), np.zeros(2), "same"), ValueError, "mode must be"),
        (correlate1d, (np.zeros(3, dtype=int), np.zeros(2)), TypeError, "x must be a floating"),
        (im2col, (np.zeros((1, 1, 2, 2)), 3), ValueError, "X of size"),
        (conv2d, (np.zeros((1, 2, 4, 4)), np.zeros((1, 3, 3, 3))), ValueError, "W must have in_channels"),
        (conv2d_naive, (np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 3, 3)), np.zeros(2)), ValueError, "b must have"),
    ],
    ids=["convolve1d", "convolve1d-mode", "correlate1d", "im2col", "conv2d", "conv2d_naive"],
)
def test_bad_input_raises_with_argument_name(fn, args, error, match) -> None:
    with pytest.raises(error, match=match):
        fn(*args)


def test_stride_zero_is_rejected_by_name() -> None:
    with pytest.raises(ValueError, match="stride must be >= 1"):
        conv2d(np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 3, 3)), stride=0)


@settings(max_examples=50, deadline=None)
@given(dy=st.integers(-7, 7), dx=st.integers(-7, 7), seed=st.integers(0, 2**16))
def test_circular_conv_commutes_with_circular_shifts(dy: int, dx: int, seed: int) -> None:
    # 平移等变: conv(shift(x)) == shift(conv(x)); 用循环填充, 边界上也严格成立
    rng = np.random.default_rng(seed)
    X, W = rng.standard_normal((1, 2, 8, 8)), rng.standard_normal((3, 2, 3, 3))

    def conv(A: np.ndarray) -> np.ndarray:
        return conv2d(np.pad(A, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="wrap"), W)

    def shift(A: np.ndarray) -> np.ndarray:
        return np.roll(A, (dy, dx), axis=(2, 3))

    np.testing.assert_allclose(conv(shift(X)), shift(conv(X)), rtol=1e-12, atol=1e-12)


def test_dense_layer_and_strided_conv_are_not_shift_equivariant() -> None:
    rng = np.random.default_rng(0)
    X, W = rng.standard_normal((1, 1, 8, 8)), rng.standard_normal((1, 1, 3, 3))
    M = rng.standard_normal((64, 64))
    shifted = np.roll(X, 1, axis=3)
    assert not np.allclose((M @ shifted.ravel()).reshape(8, 8), np.roll((M @ X.ravel()).reshape(8, 8), 1, axis=1))
    # 步幅 2: 平移 1 个像素后, 输出不是原输出的任何平移
    pad = ((0, 0), (0, 0), (1, 1), (1, 1))
    Y = conv2d(np.pad(X, pad, mode="wrap"), W, stride=2)
    Y1 = conv2d(np.pad(shifted, pad, mode="wrap"), W, stride=2)
    assert not any(np.allclose(Y1, np.roll(Y, t, axis=3)) for t in range(4))

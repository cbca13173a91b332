"""Tests for snippets.cnn.conv_backward: autograd in float64, full conv == col2im, central differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.cnn.conv import conv2d, im2col
from snippets.cnn.conv_backward import col2im, conv2d_backward, conv2d_input_grad_full

CONFIGS = [(1, 0, 1), (1, 1, 1), (2, 0, 1), (2, 1, 1), (3, 2, 1), (1, 2, 2), (2, 1, 2)]


def _torch_grads(X, W, b, dY, s, p, d):
    Xt, Wt, bt = (torch.tensor(a, requires_grad=True) for a in (X, W, b))
    F.conv2d(Xt, Wt, bt, s, p, d).backward(torch.from_numpy(dY))
    return Xt.grad.numpy(), Wt.grad.numpy(), bt.grad.numpy()


@pytest.mark.parametrize("s, p, d", CONFIGS)
def test_conv2d_backward_matches_torch_autograd(s: int, p: int, d: int) -> None:
    rng = np.random.default_rng(0)
    X, W, b = rng.standard_normal((2, 3, 10, 9)), rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    dY = rng.standard_normal(conv2d(X, W, b, s, p, d).shape)
    for ours, theirs in zip(conv2d_backward(dY, X, W, s, p, d), _torch_grads(X, W, b, dY, s, p, d), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize("s, p, d", CONFIGS)
def test_full_convolution_with_flipped_kernel_equals_col2im_gradient(s: int, p: int, d: int) -> None:
    rng = np.random.default_rng(1)
    X, W = rng.standard_normal((2, 3, 10, 9)), rng.standard_normal((4, 3, 3, 3))
    dY = rng.standard_normal(conv2d(X, W, None, s, p, d).shape)
    dX_full = conv2d_input_grad_full(dY, W, X.shape, s, p, d)
    np.testing.assert_allclose(dX_full, conv2d_backward(dY, X, W, s, p, d)[0], rtol=1e-11, atol=1e-12)


def test_gradients_match_central_differences() -> None:
    rng = np.random.default_rng(2)
    X, W, b = rng.standard_normal((1, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    G = rng.standard_normal((1, 3, 3, 3))  # L = sum(G * Y)

    def loss(X_: np.ndarray, W_: np.ndarray, b_: np.ndarray) -> float:
        return float(np.sum(G * conv2d(X_, W_, b_, stride=2, padding=1)))

    dX, dW, db = conv2d_backward(G, X, W, stride=2, padding=1)
    h = 1e-6
    for arr, grad, which in ((X, dX, 0), (W, dW, 1), (b, db, 2)):
        num = np.zeros_like(arr)
        for i in np.ndindex(arr.shape):
            e = np.zeros_like(arr)
            e[i] = h
            args_p, args_m = [X, W, b], [X, W, b]
            args_p[which], args_m[which] = arr + e, arr - e
            num[i] = (loss(*args_p) - loss(*args_m)) / (2 * h)
        np.testing.assert_allclose(grad, num, rtol=1e-6, atol=1e-8)


def test_col2im_is_the_adjoint_of_im2col() -> None:
    # <im2col(x), c> = <x, col2im(c)> 对任意 x, c 成立: col2im 就是 im2col 的转置
    rng = np.random.default_rng(3)
    X = rng.standard_normal((2, 3, 7, 6))
    cols, _ = im2col(X, 3, 2, 1, 1)
    C = rng.standard_normal(cols.shape)
    lhs = np.sum(cols * C)
    rhs = np.sum(X * col2im(C, X.shape, 3, 2, 1, 1))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)
    expected = F.fold(torch.from_numpy(C), (7, 6), 3, dilation=1, padding=1, stride=2).numpy()
    np.testing.assert_allclose(col2im(C, X.shape, 3, 2, 1, 1), expected, rtol=1e-12, atol=1e-12)


def test_input_gradient_of_1x3_by_hand() -> None:
    # 一维的例子: y_i = w0 x_i + w1 x_{i+1}, dY = [1, 1]: dx = [w0, w0 + w1, w1]
    W = np.array([[[[2.0, 5.0]]]])
    dY = np.ones((1, 1, 1, 2))
    dX, dW, db = conv2d_backward(dY, np.array([[[[1.0, 2.0, 3.0]]]]), W)
    np.testing.assert_array_equal(dX[0, 0, 0], [2.0, 7.0, 5.0])
    np.testing.assert_array_equal(dW[0, 0, 0], [3.0, 5.0])  # sum_i dY_i x_{i+a}
    np.testing.assert_array_equal(db, [2.0])


@pytest.mark.parametrize(
    "fn, args, match",
    [
        (col2im, (np.zeros((1, 4, 3)), (1, 1, 4, 4), 2), "cols must have shape"),
        (conv2d_backward, (np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 3, 3))), "dY must have"),
        (conv2d_input_grad_full, (np.zeros((1, 1, 2)), np.zeros((1, 1, 3, 3)), (1, 1, 4, 4)), "dY must have 4"),
    ],
    ids=["col2im", "conv2d_backward", "conv2d_input_grad_full"],
)
def test_bad_input_raises_with_argument_name(fn, args, match) -> None:
    with pytest.raises(ValueError, match=match):
        fn(*args)


def test_training_mode_batchnorm_backward_has_the_two_batch_statistics_terms() -> None:
    # 追问 "ReLU 和 BN 的反向传播放在哪" 的公式: dx = gamma / sqrt(var + eps) * (g - <g> - xhat <g xhat>)
    rng = np.random.default_rng(5)
    x, gamma, g = rng.standard_normal((4, 3, 5, 5)), rng.uniform(0.5, 2.0, 3), rng.standard_normal((4, 3, 5, 5))
    eps = 1e-5
    xt = torch.tensor(x, requires_grad=True)
    F.batch_norm(xt, None, None, torch.tensor(gamma), None, training=True, eps=eps).backward(torch.tensor(g))
    mu, var = x.mean(axis=(0, 2, 3), keepdims=True), x.var(axis=(0, 2, 3), keepdims=True)
    xhat, scale = (x - mu) / np.sqrt(var + eps), gamma[None, :, None, None] / np.sqrt(var + eps)

    def mean(a: np.ndarray) -> np.ndarray:  # 逐通道对 (N, H, W) 平均
        return a.mean(axis=(0, 2, 3), keepdims=True)

    dx = scale * (g - mean(g) - xhat * mean(g * xhat))
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-10, atol=1e-10)
    assert not np.allclose(scale * g, xt.grad.numpy(), atol=1e-3)  # 只乘局部 "导数" 是错的

"""Convolution vs cross-correlation, and the 2-D convolution layer by im2col (NCHW, PyTorch's arguments)."""

from __future__ import annotations

import numpy as np

from snippets.cnn._checks import check_array, pair


# --8<-- [start:one_d]
def correlate1d(x: np.ndarray, w: np.ndarray, mode: str = "valid") -> np.ndarray:
    """Cross-correlation y[i] = sum_m x[i + m] w[m] (what nn.Conv1d computes).

    Args:
        x: signal, shape (n,).
        w: kernel, shape (k,); k <= n in 'valid' mode.
        mode: "valid" (the kernel inside x) or "full" (every overlap: x padded by k - 1 zeros per side).

    Returns:
        Shape (n - k + 1,) for "valid", (n + k - 1,) for "full".
    """
    x, w = _check_1d(x, w, mode)
    k = w.size
    if mode == "full":
        x = np.pad(x, k - 1)  # 只要核与 x 有重叠就输出
    windows = np.lib.stride_tricks.sliding_window_view(x, k)  # (n_out, k)
    return windows @ w


def convolve1d(x: np.ndarray, w: np.ndarray, mode: str = "valid") -> np.ndarray:
    """True (mathematical) convolution: the same as correlate1d with the kernel reversed.

    Args:
        x, w, mode: as in correlate1d.

    Returns:
        Same shape as correlate1d; equals ``np.convolve(x, w, mode)``.
    """
    # 卷积 = 把核翻转后再滑动求内积
    return correlate1d(x, check_array(w, "w", 1)[::-1], mode)
# --8<-- [end:one_d]


def _check_1d(x: np.ndarray, w: np.ndarray, mode: str) -> tuple[np.ndarray, np.ndarray]:
    x, w = check_array(x, "x", 1), check_array(w, "w", 1)
    if mode not in ("valid", "full"):
        raise ValueError(f"mode must be 'valid' or 'full', got {mode!r}")
    if w.size == 0 or (mode == "valid" and w.size > x.size):
        raise ValueError(f"w must have 1 <= k <= n entries in 'valid' mode (k >= 1 in 'full'), got k={w.size}, "
                         f"n={x.size}")
    if x.size == 0:
        raise ValueError("x must not be empty")
    return x, w


def _check_conv(X: np.ndarray, W: np.ndarray, b: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    X, W = check_array(X, "X", 4), check_array(W, "W", 4)
    if W.shape[1] != X.shape[1]:
        raise ValueError(f"W must have in_channels = X.shape[1] = {X.shape[1]}, got W.shape {W.shape}")
    if b is not None:
        b = check_array(b, "b", 1)
        if b.shape != (W.shape[0],):
            raise ValueError(f"b must have shape ({W.shape[0]},), got {b.shape}")
    return X, W


# --8<-- [start:im2col]
def im2col(
    X: np.ndarray,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
) -> tuple[np.ndarray, tuple[int, int]]:
    """Unfold every receptive window of X into a column (like ``torch.nn.functional.unfold``).

    Args:
        X: input, shape (N, C, H, W).
        kernel_size, stride, padding, dilation: ints or (height, width) pairs, as in nn.Conv2d.

    Returns:
        cols of shape (N, C*kh*kw, OH*OW) and the output size (OH, OW).
    """
    X = check_array(X, "X", 4)
    (kh, kw), (sh, sw) = pair(kernel_size, "kernel_size", 1), pair(stride, "stride", 1)
    (ph, pw), (dh, dw) = pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    N, C, H, W = X.shape
    OH = (H + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    OW = (W + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if OH < 1 or OW < 1:
        raise ValueError(f"X of size {H}x{W} is smaller than the dilated kernel after padding")
    Xp = np.pad(X, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.empty((N, C, kh, kw, OH, OW), dtype=X.dtype)
    for a in range(kh):  # 只循环核内的 kh*kw 个位置, 每次取出所有窗口里的同一个位置
        for c in range(kw):
            r0, c0 = a * dh, c * dw
            cols[:, :, a, c] = Xp[:, :, r0 : r0 + sh * (OH - 1) + 1 : sh, c0 : c0 + sw * (OW - 1) + 1 : sw]
    return cols.reshape(N, C * kh * kw, OH * OW), (OH, OW)
# --8<-- [end:im2col]


# --8<-- [start:conv2d]
def conv2d(
    X: np.ndarray,
    W: np.ndarray,
    b: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
) -> np.ndarray:
    """2-D cross-correlation layer, the forward pass of nn.Conv2d (groups=1), by im2col + one matmul.

    Args:
        X: input, shape (N, C, H, W).
        W: weights, shape (C_out, C, kh, kw).
        b: bias, shape (C_out,), or None.
        stride, padding, dilation: ints or pairs, as in nn.Conv2d (zero padding).

    Returns:
        Y of shape (N, C_out, OH, OW).
    """
    X, W = _check_conv(X, W, b)
    C_out, C, kh, kw = W.shape
    cols, (OH, OW) = im2col(X, (kh, kw), stride, padding, dilation)  # (N, C*kh*kw, M), M = OH*OW 个窗口
    # 所有窗口共享同一组权重: 一次 (C_out, C*kh*kw) @ (C*kh*kw, M) 的矩阵乘
    Y = W.reshape(C_out, C * kh * kw) @ cols  # (N, C_out, M)
    if b is not None:
        Y = Y + b[:, None]
    return Y.reshape(X.shape[0], C_out, OH, OW)
# --8<-- [end:conv2d]


# --8<-- [start:naive]
def conv2d_naive(X: np.ndarray, W: np.ndarray, b: np.ndarray | None = None, stride: int = 1,
                 padding: int = 0) -> np.ndarray:
    """The same layer as four nested loops over (n, o, i, j): slow, but reads like the formula.

    Args:
        X: input, shape (N, C, H, W).
        W: weights, shape (C_out, C, k, k).
        b: bias, shape (C_out,), or None.
        stride, padding: ints.

    Returns:
        Y of shape (N, C_out, OH, OW).
    """
    X, W = _check_conv(X, W, b)
    (s, _), (p, _) = pair(stride, "stride", 1), pair(padding, "padding", 0)
    N, C, H, Wd = X.shape
    C_out, _, kh, kw = W.shape
    Xp = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)))
    OH, OW = (H + 2 * p - kh) // s + 1, (Wd + 2 * p - kw) // s + 1
    Y = np.zeros((N, C_out, OH, OW), dtype=X.dtype)
    for n in range(N):
        for o in range(C_out):
            for i in range(OH):
                for j in range(OW):
                    # Y[n,o,i,j] = sum_{c,a,c'} Xp[n, c, i*s + a, j*s + c'] * W[o, c, a, c']  (不翻转核)
                    Y[n, o, i, j] = np.sum(Xp[n, :, i * s : i * s + kh, j * s : j * s + kw] * W[o])
            if b is not None:
                Y[n, o] += b[o]
    return Y
# --8<-- [end:naive]

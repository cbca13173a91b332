"""Backward pass of the 2-D convolution layer: dX (col2im, or a full convolution with the flipped
kernel) and dW, db."""

from __future__ import annotations

import numpy as np

from snippets.cnn._checks import check_array, pair
from snippets.cnn.conv import conv2d, im2col


# --8<-- [start:col2im]
def col2im(
    cols: np.ndarray,
    X_shape: tuple[int, int, int, int],
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
) -> np.ndarray:
    """Adjoint of im2col: add every column entry back to the input pixel it was copied from.

    Args:
        cols: shape (N, C*kh*kw, OH*OW).
        X_shape: (N, C, H, W) of the input that im2col unfolded.
        kernel_size, stride, padding, dilation: as in im2col.

    Returns:
        Array of shape X_shape; a pixel seen by several windows receives the sum (like F.fold).
    """
    cols = check_array(cols, "cols", 3)
    (kh, kw), (sh, sw) = pair(kernel_size, "kernel_size", 1), pair(stride, "stride", 1)
    (ph, pw), (dh, dw) = pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    N, C, H, W = X_shape
    OH = (H + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    OW = (W + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if cols.shape != (N, C * kh * kw, OH * OW):
        raise ValueError(f"cols must have shape {(N, C * kh * kw, OH * OW)} for X_shape {X_shape}, got {cols.shape}")
    c6 = cols.reshape(N, C, kh, kw, OH, OW)
    Xp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for a in range(kh):
        for c in range(kw):
            r0, c0 = a * dh, c * dw
            # "+=" 而不是 "=": 窗口重叠时, 同一个像素从多个窗口收到梯度
            Xp[:, :, r0 : r0 + sh * (OH - 1) + 1 : sh, c0 : c0 + sw * (OW - 1) + 1 : sw] += c6[:, :, a, c]
    return Xp[:, :, ph : ph + H, pw : pw + W]
# --8<-- [end:col2im]


# --8<-- [start:backward]
def conv2d_backward(
    dY: np.ndarray,
    X: np.ndarray,
    W: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a loss L through Y = conv2d(X, W, b), given dY = dL/dY.

    Args:
        dY: upstream gradient, shape (N, C_out, OH, OW).
        X: the forward input, shape (N, C, H, W).
        W: weights, shape (C_out, C, kh, kw).
        stride, padding, dilation: the forward pass's arguments.

    Returns:
        (dX, dW, db) with shapes (N, C, H, W), (C_out, C, kh, kw), (C_out,).
    """
    dY, X, W = check_array(dY, "dY", 4), check_array(X, "X", 4), check_array(W, "W", 4)
    C_out, C, kh, kw = W.shape
    cols, (OH, OW) = im2col(X, (kh, kw), stride, padding, dilation)  # (N, C*kh*kw, M), M = OH*OW
    if dY.shape != (X.shape[0], C_out, OH, OW):
        raise ValueError(f"dY must have shape {(X.shape[0], C_out, OH, OW)}, got {dY.shape}")
    dY2 = dY.reshape(X.shape[0], C_out, OH * OW)  # (N, C_out, M)
    # Y = W2 @ cols  =>  dW2 = sum_n dY2 @ cols^T,  dcols = W2^T @ dY2
    dW = np.einsum("nol,nkl->ok", dY2, cols).reshape(W.shape)
    db = dY2.sum(axis=(0, 2))
    dcols = W.reshape(C_out, -1).T @ dY2  # (N, C*kh*kw, M)
    dX = col2im(dcols, X.shape, (kh, kw), stride, padding, dilation)  # type: ignore[arg-type]
    return dX, dW, db
# --8<-- [end:backward]


# --8<-- [start:full_conv]
def conv2d_input_grad_full(
    dY: np.ndarray,
    W: np.ndarray,
    X_shape: tuple[int, int, int, int],
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
) -> np.ndarray:
    """dX as a 'full' convolution of dY with the kernel flipped by 180 degrees (and in/out swapped).

    Args:
        dY: upstream gradient, shape (N, C_out, OH, OW).
        W: forward weights, shape (C_out, C, k, k).
        X_shape: (N, C, H, W) of the forward input.
        stride, padding, dilation: the forward pass's arguments (ints).

    Returns:
        dX of shape X_shape; equals conv2d_backward(...)[0].
    """
    dY, W = check_array(dY, "dY", 4), check_array(W, "W", 4)
    (s, _), (p, _), (d, _) = pair(stride, "stride", 1), pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    N, C, H, Wd = X_shape
    C_out, _, k, _ = W.shape
    OH, OW = dY.shape[2:]
    # 1) 步幅 s: 在 dY 的相邻元素之间插入 s - 1 个 0, 还原成"步幅为 1"时的位置
    up = np.zeros((N, C_out, (OH - 1) * s + 1, (OW - 1) * s + 1), dtype=dY.dtype)
    up[:, :, ::s, ::s] = dY
    # 2) full 卷积: 四周补 d(k-1) 个 0, 用翻转 180 度、交换输入/输出通道的核做互相关
    W_flip = W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)  # (C, C_out, k, k)
    dXp = conv2d(up, W_flip, padding=d * (k - 1), dilation=d)
    # 3) 前向时因整除被丢掉的末尾行/列没有参与计算, 梯度为 0; 再去掉 padding
    Hp, Wp = H + 2 * p, Wd + 2 * p
    dXp = np.pad(dXp, ((0, 0), (0, 0), (0, Hp - dXp.shape[2]), (0, Wp - dXp.shape[3])))
    return dXp[:, :, p : p + H, p : p + Wd]
# --8<-- [end:full_conv]

"""Transposed convolution (the gradient of a convolution), its matrix view, and interpolation upsampling."""

from __future__ import annotations

import numpy as np

from snippets.cnn._checks import check_array, check_int
from snippets.cnn.conv import conv2d
from snippets.cnn.conv_backward import col2im
from snippets.cnn.output_size import conv_transpose_output_size


# --8<-- [start:conv_transpose]
def conv_transpose2d(X: np.ndarray, W: np.ndarray, b: np.ndarray | None = None, stride: int = 1,
                     padding: int = 0, output_padding: int = 0, dilation: int = 1) -> np.ndarray:
    """nn.ConvTranspose2d's forward pass: the input-gradient of conv2d, applied to X.

    Args:
        X: input, shape (N, C_in, H, W).
        W: weights in PyTorch's layout (C_in, C_out, k, k).
        b: bias (C_out,) or None.
        stride, padding, output_padding, dilation: as in nn.ConvTranspose2d (ints).

    Returns:
        Shape (N, C_out, H_out, W_out), H_out = (H - 1)s - 2p + d(k - 1) + output_padding + 1.
    """
    X, W = check_array(X, "X", 4), check_array(W, "W", 4)
    if W.shape[0] != X.shape[1]:
        raise ValueError(f"W must have W.shape[0] = X.shape[1] = {X.shape[1]}, got {W.shape}")
    N, C_in, H, Wd = X.shape
    _, C_out, k, _ = W.shape
    H_out = conv_transpose_output_size(H, k, stride, padding, output_padding, dilation)
    W_out = conv_transpose_output_size(Wd, k, stride, padding, output_padding, dilation)
    # 每个输入像素把 "自身值 x 整个核" 贴到输出上 (步幅 s 移动), 重叠处相加: 正是 conv2d 反向里的 W^T dY + col2im
    cols = W.reshape(C_in, C_out * k * k).T @ X.reshape(N, C_in, H * Wd)  # (N, C_out*k*k, H*W)
    Y = col2im(cols, (N, C_out, H_out, W_out), k, stride, padding, dilation)
    if b is not None:
        Y = Y + check_array(b, "b", 1)[:, None, None]
    return Y
# --8<-- [end:conv_transpose]


# --8<-- [start:matrix]
def conv_matrix(kernel: np.ndarray, size: int, stride: int = 1, padding: int = 0) -> np.ndarray:
    """The matrix C with conv2d(x) = C @ x.ravel() for one channel: C is (OH*OW, size*size).

    Args:
        kernel: shape (k, k).
        size: side of the square input.
        stride, padding: the conv's arguments.

    Returns:
        C; its transpose C.T maps an (OH*OW,) vector back to (size*size,): transposed convolution.
    """
    kernel, n = check_array(kernel, "kernel", 2), check_int(size, "size", 1)
    basis = np.eye(n * n).reshape(n * n, 1, n, n)  # 第 i 个输入像素为 1 的 n*n 张图
    cols = conv2d(basis, kernel[None, None], stride=stride, padding=padding)  # (n*n, 1, OH, OW)
    return cols.reshape(n * n, -1).T  # 第 i 列 = 像素 i 对每个输出的贡献
# --8<-- [end:matrix]


# --8<-- [start:upsample]
def upsample_nearest(X: np.ndarray, scale: int) -> np.ndarray:
    """Nearest-neighbour upsampling by an integer factor: out[i, j] = x[i // s, j // s].

    Args:
        X: shape (N, C, H, W).
        scale: integer factor s >= 1.

    Returns:
        Shape (N, C, sH, sW).
    """
    X, s = check_array(X, "X", 4), check_int(scale, "scale", 1)
    return X.repeat(s, axis=2).repeat(s, axis=3)


def _source_coords(n_in: int, n_out: int, align_corners: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dst = np.arange(n_out, dtype=float)
    if align_corners:  # 两端像素的中心对齐: 0 -> 0, n_out-1 -> n_in-1
        src = dst * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    else:  # 像素看作面积为 1 的小方块, 对齐方块的边: 中心 dst + 0.5 对应 (dst + 0.5) n_in / n_out
        src = np.maximum((dst + 0.5) * n_in / n_out - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(int), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    return i0, i1, src - i0


def upsample_bilinear(X: np.ndarray, scale: int, align_corners: bool = False) -> np.ndarray:
    """Bilinear upsampling, F.interpolate(mode="bilinear") with an integer scale_factor.

    Args:
        X: shape (N, C, H, W).
        scale: integer factor s >= 1.
        align_corners: PyTorch's flag (default False).

    Returns:
        Shape (N, C, sH, sW).
    """
    X, s = check_array(X, "X", 4), check_int(scale, "scale", 1)
    N, C, H, W = X.shape
    r0, r1, wr = _source_coords(H, s * H, align_corners)
    c0, c1, wc = _source_coords(W, s * W, align_corners)
    rows = X[:, :, r0] * (1 - wr)[:, None] + X[:, :, r1] * wr[:, None]  # 先沿高度插值 (N, C, sH, W)
    return rows[..., c0] * (1 - wc) + rows[..., c1] * wc  # 再沿宽度插值
# --8<-- [end:upsample]



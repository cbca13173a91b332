"""Max, average and global average pooling (NCHW), max pooling's backward pass, and max unpooling."""

from __future__ import annotations

import numpy as np

from snippets.cnn._checks import check_array, check_int
from snippets.cnn.output_size import pool_output_size


def _windows(X: np.ndarray, kernel_size: int, stride: int, padding: int, ceil_mode: bool,
             fill: float) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Pad X with ``fill`` and return its (OH, OW, k, k) windows plus the flat input index of each entry."""
    N, C, H, W = X.shape
    k, s, p = kernel_size, stride, padding
    OH = pool_output_size(H, k, s, p, ceil_mode=ceil_mode)
    OW = pool_output_size(W, k, s, p, ceil_mode=ceil_mode)
    # ceil_mode 的最后一个窗口可能伸出 padding 之外: 右/下侧补到足够长
    Hp, Wp = max(H + 2 * p, (OH - 1) * s + k), max(W + 2 * p, (OW - 1) * s + k)
    Xp = np.full((N, C, Hp, Wp), fill, dtype=X.dtype)
    Xp[:, :, p : p + H, p : p + W] = X
    idx = np.full((Hp, Wp), -1)
    idx[p : p + H, p : p + W] = np.arange(H * W).reshape(H, W)  # 每个像素在 (H*W) 平面里的下标
    win = np.lib.stride_tricks.sliding_window_view(Xp, (k, k), axis=(2, 3))[:, :, ::s, ::s][:, :, :OH, :OW]
    win_idx = np.lib.stride_tricks.sliding_window_view(idx, (k, k))[::s, ::s][:OH, :OW]
    return win, win_idx, OH, OW


# --8<-- [start:max_pool]
def max_pool2d(X: np.ndarray, kernel_size: int, stride: int | None = None, padding: int = 0,
               ceil_mode: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling with PyTorch's indices (flat positions in each (H, W) plane, as return_indices=True).

    Args:
        X: input, shape (N, C, H, W).
        kernel_size: window side k.
        stride: defaults to k.
        padding: implicit -inf padding, at most k // 2.
        ceil_mode: keep a last partial window.

    Returns:
        (Y, indices), both of shape (N, C, OH, OW).
    """
    X = check_array(X, "X", 4)
    k = check_int(kernel_size, "kernel_size", 1)
    s = k if stride is None else check_int(stride, "stride", 1)
    win, win_idx, OH, OW = _windows(X, k, s, check_int(padding, "padding", 0), ceil_mode, -np.inf)
    N, C = X.shape[:2]
    flat = win.reshape(N, C, OH, OW, k * k)
    arg = flat.argmax(axis=-1)  # 并列时取第一个, 与 PyTorch CPU 实现相同
    Y = np.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]
    indices = win_idx.reshape(OH, OW, k * k)[np.arange(OH)[:, None], np.arange(OW)[None, :], arg]
    return Y, indices
# --8<-- [end:max_pool]


# --8<-- [start:avg_pool]
def avg_pool2d(X: np.ndarray, kernel_size: int, stride: int | None = None, padding: int = 0) -> np.ndarray:
    """Average pooling; zero padding counts in the mean (PyTorch's count_include_pad=True).

    Args:
        X: input, shape (N, C, H, W).
        kernel_size: window side k.
        stride: defaults to k.
        padding: zero padding, at most k // 2.

    Returns:
        Y of shape (N, C, OH, OW).
    """
    X = check_array(X, "X", 4)
    k = check_int(kernel_size, "kernel_size", 1)
    s = k if stride is None else check_int(stride, "stride", 1)
    win, _, _, _ = _windows(X, k, s, check_int(padding, "padding", 0), False, 0.0)
    return win.mean(axis=(-2, -1))


def global_avg_pool2d(X: np.ndarray) -> np.ndarray:
    """Mean over all of H and W (nn.AdaptiveAvgPool2d(1) followed by flatten).

    Args:
        X: input, shape (N, C, H, W).

    Returns:
        Shape (N, C): one number per channel, whatever H and W are.
    """
    return check_array(X, "X", 4).mean(axis=(2, 3))
# --8<-- [end:avg_pool]


# --8<-- [start:max_backward]
def max_pool2d_backward(dY: np.ndarray, indices: np.ndarray, X_shape: tuple[int, int, int, int]) -> np.ndarray:
    """dL/dX through max pooling: each window's gradient goes to its argmax, all other pixels get 0.

    Args:
        dY: upstream gradient, shape (N, C, OH, OW).
        indices: from max_pool2d, same shape.
        X_shape: (N, C, H, W).

    Returns:
        dX of shape X_shape.
    """
    dY = check_array(dY, "dY", 4)
    if np.shape(indices) != dY.shape:
        raise ValueError(f"indices must have dY's shape {dY.shape}, got {np.shape(indices)}")
    N, C, H, W = X_shape
    dX = np.zeros((N, C, H * W), dtype=dY.dtype)
    # 重叠窗口 (stride < k) 可能选中同一个像素: 用 add.at 累加, 不能直接赋值
    np.add.at(dX, (np.arange(N)[:, None, None], np.arange(C)[None, :, None], indices.reshape(N, C, -1)),
              dY.reshape(N, C, -1))
    return dX.reshape(X_shape)
# --8<-- [end:max_backward]


# --8<-- [start:unpool]
def max_unpool2d(Y: np.ndarray, indices: np.ndarray, output_size: tuple[int, int]) -> np.ndarray:
    """Max unpooling: put each pooled value back where its max came from, zeros elsewhere.

    Args:
        Y: pooled values, shape (N, C, OH, OW).
        indices: from max_pool2d, same shape.
        output_size: (H, W) of the map before pooling.

    Returns:
        Shape (N, C, H, W); equals nn.MaxUnpool2d when windows do not overlap.
    """
    Y = check_array(Y, "Y", 4)
    if np.shape(indices) != Y.shape:
        raise ValueError(f"indices must have Y's shape {Y.shape}, got {np.shape(indices)}")
    N, C = Y.shape[:2]
    H, W = output_size
    out = np.zeros((N, C, H * W), dtype=Y.dtype)
    # 与 PyTorch 一样是赋值: 重叠窗口选中同一位置时只留一个值 (而反向传播要累加)
    out[np.arange(N)[:, None, None], np.arange(C)[None, :, None], indices.reshape(N, C, -1)] = Y.reshape(N, C, -1)
    return out.reshape(N, C, H, W)
# --8<-- [end:unpool]

"""Padding modes of nn.Conv2d (zeros, reflect, replicate, circular) and padding="same" for any kernel size."""

from __future__ import annotations

import numpy as np

from snippets.cnn._checks import check_array, check_int
from snippets.cnn.conv import conv2d

MODES = ("zeros", "reflect", "replicate", "circular")


# --8<-- [start:pad]
def _source_index(n: int, before: int, after: int, mode: str) -> np.ndarray:
    """For each padded position along one axis, the input index it copies (-1: a zero)."""
    i = np.arange(-before, n + after)  # 填充后的坐标, 原图占 0..n-1
    if mode == "zeros":
        return np.where((i >= 0) & (i < n), i, -1)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)  # 复制最边上的像素
    if mode == "circular":
        return i % n  # 从另一边绕回来
    period = max(2 * (n - 1), 1)  # reflect: 以边缘像素为镜面, 边缘本身不重复 (..., 2, 1, 0, 1, 2, ...)
    j = np.abs(i) % period
    return np.where(j < n, j, period - j)


def pad2d(X: np.ndarray, pad: tuple[int, int, int, int], mode: str = "zeros") -> np.ndarray:
    """Pad the last two axes like ``F.pad(X, (left, right, top, bottom), mode)``.

    Args:
        X: input, shape (N, C, H, W).
        pad: (left, right, top, bottom), non-negative.
        mode: "zeros", "reflect", "replicate" or "circular" (nn.Conv2d's padding_mode).

    Returns:
        Shape (N, C, H + top + bottom, W + left + right).
    """
    X = check_array(X, "X", 4)
    left, right, top, bottom = _check_pad(pad, mode, X.shape[2], X.shape[3])
    rows = _source_index(X.shape[2], top, bottom, mode)  # (H + top + bottom,)
    cols = _source_index(X.shape[3], left, right, mode)  # (W + left + right,)
    out = X[:, :, np.maximum(rows, 0)][:, :, :, np.maximum(cols, 0)]
    if mode == "zeros":
        out = out * ((rows >= 0)[:, None] & (cols >= 0)[None, :])  # 越界的位置置 0
    return out
# --8<-- [end:pad]


def _check_pad(pad: tuple[int, int, int, int], mode: str, H: int, W: int) -> tuple[int, int, int, int]:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if not isinstance(pad, tuple) or len(pad) != 4:
        raise ValueError(f"pad must be a tuple (left, right, top, bottom), got {pad!r}")
    left, right, top, bottom = (check_int(p, "pad", 0) for p in pad)
    if mode == "reflect" and (max(left, right) >= W or max(top, bottom) >= H):
        raise ValueError(f"pad must be smaller than the input size for reflect, got {pad} for {H}x{W}")
    if mode == "circular" and (max(left, right) > W or max(top, bottom) > H):
        raise ValueError(f"pad must be at most the input size for circular, got {pad} for {H}x{W}")
    return left, right, top, bottom


# --8<-- [start:same]
def same_padding(kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    """(before, after) padding of padding="same" at stride 1, the way PyTorch splits it.

    Args:
        kernel_size: k.
        dilation: d.

    Returns:
        The total d(k - 1) split as (total // 2, total - total // 2): an odd total puts the extra
        row/column after (bottom/right).
    """
    k, d = check_int(kernel_size, "kernel_size", 1), check_int(dilation, "dilation", 1)
    total = d * (k - 1)  # 步幅 1 时输出 = 输入 + total - d(k-1) = 输入
    return total // 2, total - total // 2


def conv2d_same(X: np.ndarray, W: np.ndarray, dilation: int = 1, padding_mode: str = "zeros") -> np.ndarray:
    """nn.Conv2d(padding="same", stride=1) without bias: pad explicitly, then a valid convolution.

    Args:
        X: input, shape (N, C, H, W).
        W: weights, shape (C_out, C, kh, kw); kh, kw may be even.
        dilation: int.
        padding_mode: as in nn.Conv2d.

    Returns:
        Y of shape (N, C_out, H, W).
    """
    X, W = check_array(X, "X", 4), check_array(W, "W", 4)
    top, bottom = same_padding(W.shape[2], dilation)
    left, right = same_padding(W.shape[3], dilation)
    Xp = pad2d(X, (left, right, top, bottom), padding_mode)  # (N, C, H + d(kh-1), W + d(kw-1))
    return conv2d(Xp, W, dilation=dilation)
# --8<-- [end:same]

"""Upsampling in segmentation decoders: how many input pixels a transposed convolution sums at each output
(the checkerboard), and where PyTorch's bilinear and nearest resizing read from (align_corners)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int


# --8<-- [start:overlap]
def overlap_counts(n_in: int, kernel_size: int, stride: int, padding: int = 0) -> np.ndarray:
    """How many input pixels a 1-D transposed conv adds up at each output position: (n_out,).

    The 2-D count of a k x k kernel is the outer product of two of these.
    """
    n, k, s = check_int(n_in, "n_in", 1), check_int(kernel_size, "kernel_size", 1), check_int(stride, "stride", 1)
    p = check_int(padding, "padding", 0)
    full = np.zeros((n - 1) * s + k, dtype=np.int64)
    for i in range(n):
        full[i * s: i * s + k] += 1  # 输入像素 i 把整个核贴在输出的 [i*s, i*s + k) 上
    if 2 * p >= len(full):
        raise ValueError(f"padding={p} crops the whole output")
    return full[p: len(full) - p]  # padding 在转置卷积里是从两端裁掉 p 个
# --8<-- [end:overlap]


# --8<-- [start:coords]
def source_coords(n_in: int, n_out: int, align_corners: bool) -> np.ndarray:
    """Input coordinate that bilinear resizing (F.interpolate with size=) reads for each output index: (n_out,)."""
    n, m = check_int(n_in, "n_in", 1), check_int(n_out, "n_out", 1)
    i = np.arange(m, dtype=np.float64)
    if align_corners:  # 两端像素的中心对齐: 输出 0 -> 输入 0, 输出 m-1 -> 输入 n-1
        return i * ((n - 1) / (m - 1)) if m > 1 else np.zeros(m)
    return np.clip((i + 0.5) * n / m - 0.5, 0.0, n - 1)  # 像素是小方块, 对齐方块的边; 越界夹到边上


def nearest_indices(n_in: int, n_out: int) -> np.ndarray:
    """Input index F.interpolate(mode="nearest", size=) copies to each output index: floor(i * n_in / n_out)."""
    n, m = check_int(n_in, "n_in", 1), check_int(n_out, "n_out", 1)
    return np.minimum(np.floor(np.arange(m) * (n / m)).astype(np.int64), n - 1)
# --8<-- [end:coords]

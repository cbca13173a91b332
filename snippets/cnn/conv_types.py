"""A map of convolution types: their weight counts, and deformable convolution from scratch."""

from __future__ import annotations

import numpy as np

from snippets.cnn._checks import check_array, check_int, pair

KINDS = ("standard", "grouped", "depthwise", "pointwise", "separable", "dilated", "transposed", "deformable")


# --8<-- [start:params]
def conv_type_params(kind: str, c_in: int, c_out: int, k: int, groups: int = 1) -> int:
    """Number of weights (no bias) of one layer of each type, c_in -> c_out channels, k x k kernel.

    Args:
        kind: one of KINDS. "depthwise" needs c_out to be a multiple of c_in; "separable" is depthwise
            k x k (c_in -> c_in) then pointwise 1 x 1 (c_in -> c_out); "deformable" counts the main
            kernel plus the k x k conv (with bias) that predicts 2 k^2 offsets per position.
        groups: only for "grouped"; must divide c_in and c_out.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    for name, v in (("c_in", c_in), ("c_out", c_out), ("k", k), ("groups", groups)):
        check_int(v, name, 1)
    if kind == "grouped" and (c_in % groups or c_out % groups):
        raise ValueError(f"groups must divide c_in and c_out, got groups={groups}")
    if kind == "depthwise" and c_out % c_in:
        raise ValueError(f"depthwise needs c_out to be a multiple of c_in, got {c_in} -> {c_out}")
    if kind in ("standard", "dilated", "transposed"):
        return k * k * c_in * c_out  # 空洞只改变采样间隔, 转置只交换权重的两个通道维: 个数不变
    if kind == "grouped":
        return k * k * (c_in // groups) * c_out  # 每个输出通道只看 c_in/g 个输入通道
    if kind == "depthwise":
        return k * k * c_out  # groups = c_in: 每个输出通道只看 1 个输入通道
    if kind == "pointwise":
        return c_in * c_out  # 1x1
    if kind == "separable":
        return k * k * c_in + c_in * c_out
    offset_conv = k * k * c_in * (2 * k * k) + 2 * k * k  # 预测每个采样点的 (dy, dx)
    return k * k * c_in * c_out + offset_conv
# --8<-- [end:params]


# --8<-- [start:bilinear]
def bilinear_sample(X: np.ndarray, y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Sample X (C, H, W) at real positions (y, x) with bilinear weights; pixels outside count as 0.

    Args:
        X: (C, H, W); y, x: arrays of the same shape S (pixel coordinates, 0 = first pixel centre).

    Returns:
        (C, *S).
    """
    X = check_array(X, "X", 3)
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    if y.shape != x.shape:
        raise ValueError(f"y and x must have the same shape, got {y.shape} and {x.shape}")
    C, H, W = X.shape
    y0, x0 = np.floor(y).astype(int), np.floor(x).astype(int)
    out = np.zeros((C, *y.shape))
    for dy in (0, 1):
        for dx in (0, 1):
            yi, xi = y0 + dy, x0 + dx
            wgt = (1 - np.abs(y - yi)) * (1 - np.abs(x - xi))  # 四个整点邻居的双线性权重
            inside = (yi >= 0) & (yi < H) & (xi >= 0) & (xi < W)  # 图外的邻居取 0 (与补零一致)
            out += np.where(inside, wgt, 0.0) * X[:, yi.clip(0, H - 1), xi.clip(0, W - 1)]
    return out
# --8<-- [end:bilinear]


# --8<-- [start:deform]
def deform_conv2d(
    X: np.ndarray,
    offset: np.ndarray,
    W: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
) -> np.ndarray:
    """Deformable convolution v1 (Dai et al., 2017): each kernel tap reads X at its grid point + a learned offset.

    Args:
        X: (N, C, H, W).
        offset: (N, 2 * kh * kw, OH, OW); channels 2t, 2t+1 are (dy, dx) of tap t (row-major over kh x kw),
            the layout of torchvision.ops.deform_conv2d.
        W: (C_out, C, kh, kw).

    Returns:
        (N, C_out, OH, OW); with offset = 0 it is the ordinary convolution.
    """
    X = check_array(X, "X", 4)
    offset = check_array(offset, "offset", 4)
    W = check_array(W, "W", 4)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride, "stride", 1), pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    N, C, H, Wd = X.shape
    C_out, C_w, kh, kw = W.shape
    if C_w != C:
        raise ValueError(f"W must have {C} input channels, got {C_w}")
    OH = (H + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    OW = (Wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if offset.shape != (N, 2 * kh * kw, OH, OW):
        raise ValueError(f"offset must have shape {(N, 2 * kh * kw, OH, OW)}, got {offset.shape}")
    oy = np.arange(OH)[:, None] * sh - ph  # (OH, 1) 窗口左上角, 补零用坐标表示, 不真的补
    ox = np.arange(OW)[None, :] * sw - pw  # (1, OW)
    Y = np.zeros((N, C_out, OH, OW))
    for n in range(N):
        for t in range(kh * kw):
            i, j = divmod(t, kw)
            y = oy + i * dh + offset[n, 2 * t]  # (OH, OW) 规则网格 + 偏移
            x = ox + j * dw + offset[n, 2 * t + 1]
            cols = bilinear_sample(X[n], y, x)  # (C, OH, OW)
            Y[n] += np.einsum("oc,chw->ohw", W[:, :, i, j], cols)
    return Y
# --8<-- [end:deform]

"""RoI Pooling (Fast R-CNN) and RoI Align (Mask R-CNN) in NumPy, with RoI Align's backward pass.

Conventions follow torchvision.ops: rois are (K, 5) rows (batch_index, x1, y1, x2, y2) in image
coordinates, spatial_scale maps them onto the feature map (1 / stride), and feature pixel (i, j)
has its centre at the continuous point (j + 0.5, i + 0.5).
"""

from __future__ import annotations

import math

import numpy as np

from snippets._checks import check_int


def _check(X: np.ndarray, rois: np.ndarray, output_size: int, spatial_scale: float) -> tuple[int, float]:
    if not isinstance(X, np.ndarray) or X.ndim != 4 or not np.issubdtype(X.dtype, np.floating):
        raise ValueError(f"X must be a float array of shape (N, C, H, W), got {getattr(X, 'shape', type(X))}")
    if not isinstance(rois, np.ndarray) or rois.ndim != 2 or rois.shape[1] != 5 or not np.isfinite(rois).all():
        raise ValueError("rois must be a finite array of shape (K, 5): (batch_index, x1, y1, x2, y2)")
    b = rois[:, 0]
    if ((b != np.round(b)) | (b < 0) | (b >= X.shape[0])).any():
        raise ValueError("rois[:, 0] must be batch indices in [0, N)")
    if not isinstance(spatial_scale, (int, float)) or spatial_scale <= 0:
        raise ValueError(f"spatial_scale must be > 0, got {spatial_scale!r}")
    return check_int(output_size, "output_size", 1), float(spatial_scale)


# --8<-- [start:roi_pool]
def roi_pool(X: np.ndarray, rois: np.ndarray, output_size: int, spatial_scale: float = 1.0) -> np.ndarray:
    """RoI max pooling with Fast R-CNN's two quantisations; X (N, C, H, W) -> (K, C, P, P)."""
    P, scale = _check(X, rois, output_size, spatial_scale)
    N, C, H, W = X.shape
    out = np.zeros((len(rois), C, P, P))
    for k, (b, x1, y1, x2, y2) in enumerate(rois):
        # 第一次量化: RoI 的边界取整到特征图的格点 (C++ 的 round, 0.5 向远离 0 的方向)
        xs, ys = math.floor(x1 * scale + 0.5), math.floor(y1 * scale + 0.5)
        xe, ye = math.floor(x2 * scale + 0.5), math.floor(y2 * scale + 0.5)
        rw, rh = max(xe - xs + 1, 1), max(ye - ys + 1, 1)  # 端点都算在内, 所以 +1
        for ph in range(P):
            # 第二次量化: 每个 bin 的边界向外取整, 相邻 bin 可能共用一行, 大小也不相等
            h0 = min(max(math.floor(ph * rh / P) + ys, 0), H)
            h1 = min(max(math.ceil((ph + 1) * rh / P) + ys, 0), H)
            for pw in range(P):
                w0 = min(max(math.floor(pw * rw / P) + xs, 0), W)
                w1 = min(max(math.ceil((pw + 1) * rw / P) + xs, 0), W)
                if h1 > h0 and w1 > w0:  # 空的 bin 输出 0
                    out[k, :, ph, pw] = X[int(b), :, h0:h1, w0:w1].max(axis=(1, 2))
    return out
# --8<-- [end:roi_pool]


# --8<-- [start:roi_align]
def roi_align_matrix(roi: np.ndarray, H: int, W: int, output_size: int, spatial_scale: float = 1.0,
                     sampling_ratio: int = -1, aligned: bool = True) -> np.ndarray:
    """The linear map of RoI Align for one RoI: (P*P, H*W), so that out = M @ x for a flattened channel x."""
    if not isinstance(roi, np.ndarray) or roi.shape != (5,) or not np.isfinite(roi).all():
        raise ValueError("roi must be a finite array of shape (5,): (batch_index, x1, y1, x2, y2)")
    P, H, W = check_int(output_size, "output_size", 1), check_int(H, "H", 1), check_int(W, "W", 1)
    if isinstance(sampling_ratio, bool) or not isinstance(sampling_ratio, int):
        raise ValueError(f"sampling_ratio must be an int, got {sampling_ratio!r}")
    off = 0.5 if aligned else 0.0  # aligned=True: 像素 (i, j) 的中心在 (j + 0.5, i + 0.5), 减去半个像素
    x1, y1, x2, y2 = (float(v) * spatial_scale - off for v in roi[1:])
    rw, rh = x2 - x1, y2 - y1
    if not aligned:  # 旧行为: 强制 RoI 至少 1 个像素
        rw, rh = max(rw, 1.0), max(rh, 1.0)
    bw, bh = rw / P, rh / P  # bin 的大小是实数, 不取整
    gh = sampling_ratio if sampling_ratio > 0 else math.ceil(rh / P)  # 每个 bin 的采样点数 gh x gw
    gw = sampling_ratio if sampling_ratio > 0 else math.ceil(rw / P)
    M = np.zeros((P * P, H * W))
    count = max(gh * gw, 1)
    for ph in range(P):
        for pw in range(P):
            for iy in range(gh):
                y = y1 + ph * bh + (iy + 0.5) * bh / gh  # 采样点均匀分布在 bin 内
                for ix in range(gw):
                    x = x1 + pw * bw + (ix + 0.5) * bw / gw
                    for idx, wgt in _bilinear(y, x, H, W):
                        M[ph * P + pw, idx] += wgt / count
    return M


def _bilinear(y: float, x: float, H: int, W: int) -> list[tuple[int, float]]:
    """Flat indices and weights of the 4 neighbours of (y, x); a point beyond one pixel outside is 0."""
    if y < -1.0 or y > H or x < -1.0 or x > W:
        return []
    y, x = max(y, 0.0), max(x, 0.0)
    y0, x0 = int(y), int(x)
    if y0 >= H - 1:
        y0 = y1 = H - 1
        y = float(y0)
    else:
        y1 = y0 + 1
    if x0 >= W - 1:
        x0 = x1 = W - 1
        x = float(x0)
    else:
        x1 = x0 + 1
    ly, lx = y - y0, x - x0
    return [(y0 * W + x0, (1 - ly) * (1 - lx)), (y0 * W + x1, (1 - ly) * lx),
            (y1 * W + x0, ly * (1 - lx)), (y1 * W + x1, ly * lx)]


def roi_align(X: np.ndarray, rois: np.ndarray, output_size: int, spatial_scale: float = 1.0,
              sampling_ratio: int = -1, aligned: bool = True) -> np.ndarray:
    """RoI Align: average of bilinear samples in each bin, no rounding; X (N, C, H, W) -> (K, C, P, P)."""
    P, scale = _check(X, rois, output_size, spatial_scale)
    N, C, H, W = X.shape
    out = np.empty((len(rois), C, P, P))
    for k, roi in enumerate(rois):
        M = roi_align_matrix(roi, H, W, P, scale, sampling_ratio, aligned)  # (P*P, H*W)
        out[k] = (X[int(roi[0])].reshape(C, H * W) @ M.T).reshape(C, P, P)
    return out


def roi_align_backward(dY: np.ndarray, rois: np.ndarray, input_shape: tuple[int, int, int, int],
                       spatial_scale: float = 1.0, sampling_ratio: int = -1, aligned: bool = True) -> np.ndarray:
    """dL/dX (N, C, H, W) from dL/dY (K, C, P, P): each bin's gradient flows back along M's transpose."""
    if len(input_shape) != 4:
        raise ValueError(f"input_shape must be (N, C, H, W), got {input_shape!r}")
    N, C, H, W = input_shape
    _check(np.zeros((N, 1, 1, 1)), rois, 1, spatial_scale)
    if not isinstance(dY, np.ndarray) or dY.ndim != 4 or dY.shape[:2] != (len(rois), C) or dY.shape[2] != dY.shape[3]:
        raise ValueError(f"dY must have shape ({len(rois)}, {C}, P, P)")
    P = dY.shape[2]
    dX = np.zeros(input_shape)
    for k, roi in enumerate(rois):
        M = roi_align_matrix(roi, H, W, P, spatial_scale, sampling_ratio, aligned)
        dX[int(roi[0])] += (dY[k].reshape(C, P * P) @ M).reshape(C, H, W)
    return dX
# --8<-- [end:roi_align]

"""Affine (uniform) int8 quantization: scale and zero-point, per tensor or per channel, fake-quantize."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array

EPS = float(np.finfo(np.float32).eps)  # PyTorch 的 observer 给 scale 的下限


def _check_range(qmin: int, qmax: int) -> None:
    if not (isinstance(qmin, int) and isinstance(qmax, int)) or qmin >= qmax:
        raise ValueError(f"qmin and qmax must be ints with qmin < qmax, got {qmin}, {qmax}")


# --8<-- [start:qparams]
def qparams(
    x_min: np.ndarray | float, x_max: np.ndarray | float, qmin: int = -128, qmax: int = 127,
    symmetric: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Scale and zero-point that map [x_min, x_max] (stretched to contain 0) onto [qmin, qmax].

    Args:
        x_min, x_max: observed range, scalars (per tensor) or (C,) arrays (per channel).
        qmin, qmax: integer range, e.g. -128, 127 for int8 or 0, 255 for uint8.
        symmetric: zero-point fixed at the middle of the range, scale from max |x|.

    Returns:
        (scale, zero_point): float64 and int64 arrays with the shape of x_min.
    """
    _check_range(qmin, qmax)
    lo = np.minimum(np.asarray(x_min, dtype=np.float64), 0.0)  # 0 必须能被精确表示 (padding, ReLU 的 0)
    hi = np.maximum(np.asarray(x_max, dtype=np.float64), 0.0)
    if np.any(lo > hi) or not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
        raise ValueError("x_min and x_max must be finite with x_min <= x_max")
    if symmetric:
        scale = np.maximum(np.maximum(-lo, hi) / ((qmax - qmin) / 2), EPS)
        zero_point = np.full(scale.shape, (qmin + qmax + 1) // 2, dtype=np.int64)  # int8: 0, uint8: 128
    else:
        scale = np.maximum((hi - lo) / (qmax - qmin), EPS)
        zero_point = np.clip(qmin - np.round(lo / scale), qmin, qmax).astype(np.int64)
    return scale, zero_point


def fake_quantize(
    x: np.ndarray, scale: np.ndarray | float, zero_point: np.ndarray | int, qmin: int = -128,
    qmax: int = 127, axis: int | None = None,
) -> np.ndarray:
    """Quantize then dequantize: (clip(round(x / s) + z, qmin, qmax) - z) * s, in x's dtype.

    Args:
        x: float array, any shape.
        scale, zero_point: scalars (per tensor) or (x.shape[axis],) arrays (per channel).
        axis: the channel axis for per-channel parameters, None for per tensor.

    Returns:
        The array of values x would be stored as, same shape and dtype as x.
    """
    check_float_array(x, "x", tuple(range(1, 9)))
    _check_range(qmin, qmax)
    s, z = np.asarray(scale, dtype=x.dtype), np.asarray(zero_point)
    if axis is not None:  # (C,) -> 沿 axis 广播
        shape = [1] * x.ndim
        shape[axis] = -1
        s, z = s.reshape(shape), z.reshape(shape)
    inv = (1 / s).astype(x.dtype)  # 和 PyTorch 一样乘倒数: 舍入边界上的值与它一致
    q = np.clip(np.round(x * inv) + z, qmin, qmax)  # 存下的整数
    return ((q - z) * s).astype(x.dtype)
# --8<-- [end:qparams]


def quantization_mse(W: np.ndarray, per_channel: bool, qmin: int = -128, qmax: int = 127) -> float:
    """Mean squared error of symmetric fake-quantization of a weight matrix W (out, in)."""
    check_float_array(W, "W", (2,))
    if per_channel:  # 每个输出通道 (W 的每一行) 一组参数
        s, z = qparams(W.min(axis=1), W.max(axis=1), qmin, qmax, symmetric=True)
        Wq = fake_quantize(W, s, z, qmin, qmax, axis=0)
    else:
        s, z = qparams(W.min(), W.max(), qmin, qmax, symmetric=True)
        Wq = fake_quantize(W, float(s), int(z), qmin, qmax)
    return float(np.mean((W.astype(np.float64) - Wq) ** 2))

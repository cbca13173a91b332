"""Dropout from scratch: inverted dropout, channel (spatial) dropout, DropConnect and DropPath."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array


def _check_p(p: float) -> None:
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p < 1.0:
        raise ValueError(f"p must be a float in [0, 1), got {p!r}")


def _check_rng(rng: np.random.Generator) -> None:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")


# --8<-- [start:dropout]
def dropout(X: np.ndarray, p: float, rng: np.random.Generator, training: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Inverted dropout: zero each value with probability p, scale the kept ones by 1 / (1 - p).

    E[Y] = X, so evaluation needs no change: it returns X itself.

    Returns:
        Y (X's shape) and the keep mask (bool, X's shape; all True in evaluation).
    """
    check_float_array(X, "X", (1, 2, 3, 4))
    _check_p(p)
    _check_rng(rng)
    if not training or p == 0.0:
        return X, np.ones(X.shape, dtype=bool)
    keep = rng.random(X.shape) >= p  # 每个元素独立: 保留的概率 1 - p
    return X * keep / (1.0 - p), keep


def dropout_backward(dY: np.ndarray, keep: np.ndarray, p: float) -> np.ndarray:
    """The same mask and scale: dropped values get zero gradient."""
    check_float_array(dY, "dY", (1, 2, 3, 4))
    _check_p(p)
    if not isinstance(keep, np.ndarray) or keep.dtype != bool or keep.shape != dY.shape:
        raise ValueError(f"keep must be a bool array of dY's shape {dY.shape}")
    return dY * keep / (1.0 - p)
# --8<-- [end:dropout]


# --8<-- [start:variants]
def channel_dropout(X: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    """Spatial dropout (nn.Dropout2d): drop whole channels of (N, C, H, W), one draw per (n, c)."""
    check_float_array(X, "X", (4,))
    _check_p(p)
    _check_rng(rng)
    N, C = X.shape[:2]
    keep = rng.random((N, C, 1, 1)) >= p  # 相邻像素高度相关, 逐元素丢弃几乎不减少信息
    return X * keep / (1.0 - p)


def drop_path(X: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    """Stochastic depth / DropPath: drop a residual branch's whole output for some samples.

    Used as x + drop_path(f(x)): a dropped sample sees the identity, i.e. a shallower network.
    """
    check_float_array(X, "X", (2, 3, 4))
    _check_p(p)
    _check_rng(rng)
    keep = rng.random((X.shape[0],) + (1,) * (X.ndim - 1)) >= p  # 每个样本一次
    return X * keep / (1.0 - p)


def dropconnect_linear(x: np.ndarray, W: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    """DropConnect: drop individual weights of W (out, in) instead of activations; one mask per sample."""
    check_float_array(x, "x", (2,))
    check_float_array(W, "W", (2,))
    _check_p(p)
    _check_rng(rng)
    if x.shape[1] != W.shape[1]:
        raise ValueError(f"x has {x.shape[1]} features but W expects {W.shape[1]}")
    keep = rng.random((x.shape[0],) + W.shape) >= p  # (N, out, in)
    return np.einsum("noi,ni->no", W * keep, x) / (1.0 - p)
# --8<-- [end:variants]

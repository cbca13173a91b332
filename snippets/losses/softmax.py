"""Softmax and its relatives: logsumexp, log-softmax, temperature and the Jacobian."""

from __future__ import annotations

import numpy as np


def _check_logits(z: np.ndarray, axis: int, name: str = "z") -> np.ndarray:
    """Shared input check: a finite floating array with a valid, non-empty ``axis``."""
    z = np.asarray(z)
    if not np.issubdtype(z.dtype, np.floating):
        raise TypeError(f"{name} must be a floating array, got {z.dtype}")
    if z.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension, got a scalar")
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an int, got {type(axis).__name__}")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be in [{-z.ndim}, {z.ndim}) for {name}.ndim={z.ndim}, got {axis}")
    if z.shape[axis] == 0:
        raise ValueError(f"{name} must have at least one entry along axis {axis}")
    if not np.all(np.isfinite(z)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return z


def _check_temperature(temperature: float) -> None:
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.number)):
        raise TypeError(f"temperature must be a real number, got {type(temperature).__name__}")
    if not (np.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature must be > 0 and finite, got {temperature}")


def _check_probs(p: np.ndarray) -> np.ndarray:
    p = np.asarray(p)
    if not np.issubdtype(p.dtype, np.floating):
        raise TypeError(f"p must be a floating array, got {p.dtype}")
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"p must have shape (K,) with K >= 1, got {p.shape}")
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError("p must be finite and non-negative")
    if abs(float(p.sum()) - 1.0) > 1e-6:
        raise ValueError(f"p must sum to 1, got {float(p.sum())}")
    return p


# --8<-- [start:logsumexp]
def logsumexp(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(sum(exp(z))) along ``axis``, without overflow.

    Args:
        z: logits of any shape, floating.
        axis: the axis to reduce.

    Returns:
        Array of z's shape with ``axis`` removed.
    """
    z = _check_logits(z, axis)
    # log sum exp(z) = m + log sum exp(z - m), m = max(z):
    # 最大的一项变成 exp(0) = 1, exp 不会上溢; 且求和 >= 1, log 也不会得到 -inf
    m = np.max(z, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    return np.squeeze(out, axis=axis)
# --8<-- [end:logsumexp]


# --8<-- [start:softmax]
def softmax(z: np.ndarray, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """Numerically stable softmax of ``z / temperature`` along ``axis``.

    Args:
        z: logits of any shape, floating.
        axis: the axis that holds the K classes.
        temperature: tau > 0; tau < 1 sharpens, tau > 1 flattens the distribution.

    Returns:
        Probabilities, same shape as z, summing to 1 along ``axis``.
    """
    z = _check_logits(z, axis)
    _check_temperature(temperature)
    # softmax 平移不变: softmax(z - c) = softmax(z). 取 c = max(z), exp 的参数都 <= 0, 不会上溢;
    # 先减再除以 tau, 即使 tau 很小, (z - max) / tau 也只会趋向 -inf, exp 得 0 而不是 nan
    e = np.exp((z - np.max(z, axis=axis, keepdims=True)) / temperature)
    return e / np.sum(e, axis=axis, keepdims=True)
# --8<-- [end:softmax]


# --8<-- [start:naive]
def softmax_naive(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax straight from the formula exp(z_k) / sum_j exp(z_j); overflows for large z.

    Args:
        z: logits of any shape, floating.
        axis: the axis that holds the K classes.

    Returns:
        Same shape as z; nan where exp overflowed to inf (inf / inf), with NumPy's overflow warning.
    """
    z = _check_logits(z, axis)
    # 故意不做任何保护: float64 里 exp(710) 已经是 inf, NumPy 报 overflow, 随后 inf / inf 报 invalid 并给出 nan
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)
# --8<-- [end:naive]


# --8<-- [start:log_softmax]
def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(z)) computed as z - logsumexp(z), never taking log of 0.

    Args:
        z: logits of any shape, floating.
        axis: the axis that holds the K classes.

    Returns:
        Log-probabilities, same shape as z.
    """
    z = _check_logits(z, axis)
    # log softmax(z)_k = z_k - logsumexp(z). 先算 softmax 再取 log 会在 p_k 下溢为 0 时得到 -inf
    return z - np.expand_dims(logsumexp(z, axis=axis), axis)
# --8<-- [end:log_softmax]


# --8<-- [start:jacobian]
def softmax_jacobian(p: np.ndarray) -> np.ndarray:
    """Jacobian dp/dz of p = softmax(z), written in terms of p alone.

    Args:
        p: a probability vector, shape (K,).

    Returns:
        J with J[i, j] = dp_i / dz_j, shape (K, K).
    """
    p = _check_probs(p)
    # dp_i/dz_j = p_i (delta_ij - p_j), 即 J = diag(p) - p p^T: 对称, 每行和为 0
    # (所有 z_j 同时加 c, p 不变)
    return np.diag(p) - np.outer(p, p)
# --8<-- [end:jacobian]

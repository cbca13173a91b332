"""Margin-based softmax for face recognition: the target-class logit of L-Softmax, SphereFace, CosFace, ArcFace."""

from __future__ import annotations

from typing import Literal

import numpy as np

from snippets._checks import check_float_array

Method = Literal["softmax", "l-softmax", "sphereface", "cosface", "arcface"]
METHODS = ("softmax", "l-softmax", "sphereface", "cosface", "arcface")


def _check_theta(theta: np.ndarray) -> np.ndarray:
    theta = np.asarray(theta, dtype=np.float64)
    if not np.all(np.isfinite(theta)) or np.any(theta < 0) or np.any(theta > np.pi):
        raise ValueError("theta must be finite angles in [0, pi]")
    return theta


# --8<-- [start:psi]
def psi(theta: np.ndarray, m: int) -> np.ndarray:
    """L-Softmax / SphereFace's psi(theta) = (-1)^k cos(m theta) - 2k on [k pi/m, (k+1) pi/m].

    cos(m theta) alone is not monotonic on [0, pi]; psi continues it so that it keeps decreasing.
    Args: theta angles in [0, pi], any shape; m >= 1 an integer (m = 1 gives cos theta).
    Returns: psi(theta), same shape.
    """
    theta = _check_theta(theta)
    if isinstance(m, bool) or not isinstance(m, int) or m < 1:
        raise ValueError(f"m must be an int >= 1, got {m!r}")
    k = np.minimum(np.floor(m * theta / np.pi), m - 1)  # theta = pi belongs to the last piece
    return (-1.0) ** k * np.cos(m * theta) - 2 * k
# --8<-- [end:psi]


# --8<-- [start:target]
def target_logit(
    theta: np.ndarray, method: Method, m: float, s: float = 1.0, x_norm: float = 1.0, w_norm: float = 1.0
) -> np.ndarray:
    """The logit of the true class as a function of the angle theta between feature x and class weight W_y.

    Args:
        theta: angles in [0, pi], any shape.
        method: "softmax" (||W|| ||x|| cos theta), "l-softmax" (||W|| ||x|| psi(theta)), "sphereface"
            (||x|| psi(theta), W normalised), "cosface" (s (cos theta - m)), "arcface" (s cos(theta + m)).
        m: the margin: an integer for l-softmax / sphereface, an additive one for cosface / arcface.
        s: the scale of the normalised methods (cosface, arcface).
        x_norm, w_norm: ||x|| and ||W_y|| for the unnormalised methods.

    Returns:
        The target logit, same shape as theta.
    """
    theta = _check_theta(theta)
    _check_target(method, m, s, x_norm, w_norm)
    if method == "softmax":
        return w_norm * x_norm * np.cos(theta)
    if method == "l-softmax":
        return w_norm * x_norm * psi(theta, int(m))
    if method == "sphereface":
        return x_norm * psi(theta, int(m))  # ||W_y|| = 1 (and no bias)
    if method == "cosface":
        return s * (np.cos(theta) - m)  # ||W_y|| = ||x|| = 1, then scale s
    return s * np.cos(theta + m)  # arcface: the margin is added to the angle itself
# --8<-- [end:target]


def _check_target(method: str, m: float, s: float, x_norm: float, w_norm: float) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if method in ("l-softmax", "sphereface") and (isinstance(m, bool) or not isinstance(m, int) or m < 1):
        raise ValueError(f"m must be an int >= 1 for {method}, got {m!r}")
    for name, value in (("m", m), ("s", s), ("x_norm", x_norm), ("w_norm", w_norm)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if s == 0:
        raise ValueError("s must be > 0")


# --8<-- [start:arcface]
def arcface_logits(x: np.ndarray, W: np.ndarray, y: np.ndarray, s: float = 64.0, m: float = 0.5) -> np.ndarray:
    """ArcFace logits: s cos(theta_j) for every class, s cos(theta_y + m) for the true class.

    Args:
        x: features, shape (N, D).
        W: class weights (the classifier, out x in), shape (C, D).
        y: true classes, shape (N,), ints in [0, C).
        s: scale (the paper uses 64), m: additive angular margin in radians (the paper uses 0.5).

    Returns:
        Logits, shape (N, C), to be fed to softmax cross-entropy.
    """
    _check_arcface(x, W, y, s, m)
    x_hat = x / np.linalg.norm(x, axis=1, keepdims=True)  # (N, D), ||x|| = 1
    W_hat = W / np.linalg.norm(W, axis=1, keepdims=True)  # (C, D), ||W_j|| = 1
    cos = np.clip(x_hat @ W_hat.T, -1.0, 1.0)  # (N, C); rounding can leave |cos| slightly above 1
    rows = np.arange(len(y))
    logits = s * cos
    theta_y = np.arccos(cos[rows, y])  # (N,)
    logits[rows, y] = s * np.cos(theta_y + m)
    return logits
# --8<-- [end:arcface]


def _check_arcface(x: np.ndarray, W: np.ndarray, y: np.ndarray, s: float, m: float) -> None:
    check_float_array(x, "x", (2,))
    check_float_array(W, "W", (2,))
    if W.shape[1] != x.shape[1]:
        raise ValueError(f"W must have shape (C, D) with D = {x.shape[1]}, got {W.shape}")
    if np.any(np.linalg.norm(x, axis=1) == 0) or np.any(np.linalg.norm(W, axis=1) == 0):
        raise ValueError("x and W must have no all-zero rows (they are normalised)")
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must be an integer NumPy array, got {type(y).__name__}")
    if y.shape != (x.shape[0],) or np.any(y < 0) or np.any(y >= W.shape[0]):
        raise ValueError(f"y must have shape ({x.shape[0]},) with values in [0, {W.shape[0]})")
    if not (np.isfinite(s) and s > 0):
        raise ValueError(f"s must be > 0, got {s!r}")
    if not (np.isfinite(m) and 0 <= m < np.pi):
        raise ValueError(f"m must be in [0, pi), got {m!r}")

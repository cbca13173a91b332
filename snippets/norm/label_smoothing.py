"""Label smoothing: cross-entropy against (1 - eps) * one-hot + eps / K, as nn.CrossEntropyLoss(label_smoothing=eps)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array
from snippets.losses.softmax import log_softmax, softmax


def _check_targets(y: np.ndarray, K: int, eps: float) -> None:
    if isinstance(K, bool) or not isinstance(K, int) or K < 2:
        raise ValueError(f"K must be an int >= 2, got {K!r}")
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer) or y.ndim != 1:
        raise ValueError("y must be a 1-D integer array")
    if np.any(y < 0) or np.any(y >= K):
        raise ValueError(f"y must hold class indices in [0, {K})")
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"eps must be in [0, 1], got {eps!r}")


def _check(z: np.ndarray, y: np.ndarray, eps: float) -> None:
    check_float_array(z, "z", (2,))
    _check_targets(y, z.shape[1], eps)
    if y.shape != (z.shape[0],):
        raise ValueError(f"y must be an integer array of shape ({z.shape[0]},)")


# --8<-- [start:ls]
def smoothed_targets(y: np.ndarray, K: int, eps: float) -> np.ndarray:
    """q = (1 - eps) * one_hot(y) + eps / K: the true class gets 1 - eps + eps / K, every other eps / K."""
    _check_targets(y, K, eps)
    return (1.0 - eps) * np.eye(K)[y] + eps / K  # (N, K)


def label_smoothing_ce(z: np.ndarray, y: np.ndarray, eps: float) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(z) against the smoothed targets, and its gradient wrt z.

    Args:
        z: (N, K) logits; y: (N,) class indices; eps: the smoothing, PyTorch's ``label_smoothing``.

    Returns:
        the loss and dL/dz (N, K) = (softmax(z) - q) / N.
    """
    _check(z, y, eps)
    N, K = z.shape
    q = smoothed_targets(y, K, eps)
    loss = float(-(q * log_softmax(z, axis=1)).sum(axis=1).mean())
    return loss, (softmax(z, axis=1) - q) / N
# --8<-- [end:ls]


def optimal_logit_gap(K: int, eps: float) -> float:
    """z_true - z_other at the minimum (softmax(z) = q): log((1 - eps + eps/K) / (eps/K)); inf at eps = 0."""
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"eps must be in [0, 1], got {eps!r}")
    if isinstance(K, bool) or not isinstance(K, int) or K < 2:
        raise ValueError(f"K must be an int >= 2, got {K!r}")
    return float("inf") if eps == 0 else float(np.log((1 - eps + eps / K) / (eps / K)))

"""Why training minimises cross-entropy and not the error rate: accuracy has no useful gradient."""

from __future__ import annotations

import numpy as np

from snippets.losses.cross_entropy import cross_entropy


def _check_scores(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z, y = np.asarray(z), np.asarray(y)
    if not np.issubdtype(z.dtype, np.floating):
        raise TypeError(f"z must be a floating array, got {z.dtype}")
    if z.ndim != 2 or z.shape[0] == 0 or z.shape[1] < 2:
        raise ValueError(f"z must have shape (N, K) with N >= 1, K >= 2, got {z.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must be an integer array of class indices, got {y.dtype}")
    if y.shape != (z.shape[0],) or y.min() < 0 or y.max() >= z.shape[1]:
        raise ValueError(f"y must have shape ({z.shape[0]},) with values in [0, {z.shape[1]})")
    if not np.all(np.isfinite(z)):
        raise ValueError("z must be finite (no NaN or inf)")
    return z, y


# --8<-- [start:accuracy]
def accuracy(z: np.ndarray, y: np.ndarray) -> float:
    """Fraction of examples whose largest logit is the true class.

    Args:
        z: logits, shape (N, K).
        y: true class indices, shape (N,).

    Returns:
        A float in [0, 1].
    """
    z, y = _check_scores(z, y)
    # argmax 是分段常数: z 的微小变化要么不改变它, 要么让它跳变, 导数处处为 0 或不存在
    return float(np.mean(np.argmax(z, axis=1) == y))
# --8<-- [end:accuracy]


# --8<-- [start:path]
def loss_and_accuracy_along(
    X: np.ndarray, y: np.ndarray, W: np.ndarray, D: np.ndarray, ts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cross-entropy and accuracy of the linear classifier z = X (W + t D)^T along a line in W.

    Args:
        X: inputs, shape (N, D_in).
        y: class indices, shape (N,).
        W: starting weights, shape (K, D_in) (out x in).
        D: direction, shape (K, D_in).
        ts: step sizes t, shape (T,).

    Returns:
        (losses, accuracies), each of shape (T,).
    """
    X, W, D, ts = (np.asarray(a, dtype=np.float64) for a in (X, W, D, ts))
    if X.ndim != 2 or W.ndim != 2 or W.shape[1] != X.shape[1]:
        raise ValueError(f"W must have shape (K, {X.shape[1] if X.ndim == 2 else 'D'}), got {W.shape}")
    if D.shape != W.shape:
        raise ValueError(f"D must have the same shape as W {W.shape}, got {D.shape}")
    if ts.ndim != 1:
        raise ValueError(f"ts must have shape (T,), got {ts.shape}")
    Z = [X @ (W + t * D).T for t in ts]  # each (N, K)
    return (np.array([cross_entropy(z, y) for z in Z]), np.array([accuracy(z, y) for z in Z]))
# --8<-- [end:path]

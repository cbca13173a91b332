"""Sigmoid focal loss (RetinaNet) and its gradient, in NumPy, and how much of a loss the easy negatives carry."""

from __future__ import annotations

import numpy as np


def _check(z: np.ndarray, y: np.ndarray, alpha: float, gamma: float) -> None:
    if not isinstance(z, np.ndarray) or not np.issubdtype(z.dtype, np.floating) or not np.isfinite(z).all():
        raise TypeError("z must be a finite float NumPy array of logits")
    if not isinstance(y, np.ndarray) or y.shape != z.shape or not np.isin(y, (0, 1)).all():
        raise ValueError(f"y must be an array of 0/1 labels with the shape of z {z.shape}")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be in [0, 1], got {alpha!r}")
    if not gamma >= 0:
        raise ValueError(f"gamma must be >= 0, got {gamma!r}")


# --8<-- [start:focal]
def sigmoid_focal_loss(z: np.ndarray, y: np.ndarray, alpha: float = 0.25, gamma: float = 2.0) -> np.ndarray:
    """FL(p_t) = -alpha_t (1 - p_t)^gamma log(p_t), elementwise (Lin et al. 2017, eq. 5).

    p = sigmoid(z); p_t = p if y = 1 else 1 - p; alpha_t = alpha if y = 1 else 1 - alpha.
    gamma = 0 and alpha = 0.5 give half the binary cross-entropy.
    """
    _check(z, y, alpha, gamma)
    # log p_t = -softplus(-s z), s = 2y - 1: 稳定地算 log sigmoid
    s = 2.0 * y - 1.0
    log_pt = -(np.maximum(-s * z, 0) + np.log1p(np.exp(-np.abs(z))))
    pt = np.exp(log_pt)
    alpha_t = np.where(y == 1, alpha, 1 - alpha)
    return -alpha_t * (1 - pt) ** gamma * log_pt


def sigmoid_focal_loss_grad(z: np.ndarray, y: np.ndarray, alpha: float = 0.25, gamma: float = 2.0) -> np.ndarray:
    """dFL/dz elementwise: alpha_t s (1 - p_t)^gamma (gamma p_t log p_t + p_t - 1), s = 2y - 1."""
    _check(z, y, alpha, gamma)
    s = 2.0 * y - 1.0
    log_pt = -(np.maximum(-s * z, 0) + np.log1p(np.exp(-np.abs(z))))
    pt = np.exp(log_pt)
    alpha_t = np.where(y == 1, alpha, 1 - alpha)
    return alpha_t * s * (1 - pt) ** gamma * (gamma * pt * log_pt + pt - 1)
# --8<-- [end:focal]

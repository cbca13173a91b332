"""Regression losses of the residual r = y_hat - y: MSE, MAE, Huber, Smooth L1, and their gradients."""

from __future__ import annotations

from typing import Literal

import numpy as np

from snippets._checks import check_float_array

RegressionLoss = Literal["mse", "mae", "huber", "smooth_l1"]


def _check_pair(y_hat: np.ndarray, y: np.ndarray) -> None:
    check_float_array(y_hat, "y_hat", (1, 2))
    check_float_array(y, "y", (1, 2))
    if y.shape != y_hat.shape or y.size == 0:
        raise ValueError(f"y must have the non-empty shape of y_hat, got y_hat {y_hat.shape}, y {y.shape}")


def _check_positive(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")


# --8<-- [start:regression]
def mse(y_hat: np.ndarray, y: np.ndarray) -> float:
    """Mean of r^2 (like nn.MSELoss: no 1/2).  y_hat, y: same shape, (N,) or (N, D)."""
    _check_pair(y_hat, y)
    return float(np.mean((y_hat - y) ** 2))


def mae(y_hat: np.ndarray, y: np.ndarray) -> float:
    """Mean of |r| (nn.L1Loss)."""
    _check_pair(y_hat, y)
    return float(np.mean(np.abs(y_hat - y)))


def huber(y_hat: np.ndarray, y: np.ndarray, delta: float = 1.0) -> float:
    """Mean of r^2 / 2 for |r| <= delta, delta (|r| - delta / 2) beyond (nn.HuberLoss)."""
    _check_pair(y_hat, y)
    _check_positive("delta", delta)
    a = np.abs(y_hat - y)
    # 两段在 |r| = delta 处数值和一阶导数都相等: 0.5 delta^2 = delta (delta - delta / 2), 导数都是 delta
    return float(np.mean(np.where(a <= delta, 0.5 * a**2, delta * (a - 0.5 * delta))))


def smooth_l1(y_hat: np.ndarray, y: np.ndarray, beta: float = 1.0) -> float:
    """Mean of r^2 / (2 beta) for |r| < beta, |r| - beta / 2 beyond (nn.SmoothL1Loss) = Huber(delta=beta) / beta."""
    _check_pair(y_hat, y)
    _check_positive("beta", beta)
    a = np.abs(y_hat - y)
    return float(np.mean(np.where(a < beta, 0.5 * a**2 / beta, a - 0.5 * beta)))
# --8<-- [end:regression]


# --8<-- [start:grad]
def grad_wrt_residual(r: np.ndarray, loss: RegressionLoss, delta: float = 1.0) -> np.ndarray:
    """d loss / d r of one term, elementwise; ``delta`` is Huber's delta or Smooth L1's beta.

    MSE grows with r, MAE is sign(r) (0 at r = 0, PyTorch's choice), Huber is r clipped to [-delta, delta],
    Smooth L1 is r / beta clipped to [-1, 1].
    """
    check_float_array(r, "r", (0, 1, 2))
    _check_positive("delta", delta)
    if loss == "mse":
        return 2 * r
    if loss == "mae":
        return np.sign(r)
    if loss == "huber":
        return np.clip(r, -delta, delta)
    if loss == "smooth_l1":
        return np.clip(r / delta, -1.0, 1.0)
    raise ValueError(f"loss must be one of mse, mae, huber, smooth_l1, got {loss!r}")
# --8<-- [end:grad]

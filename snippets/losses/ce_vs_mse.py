"""Why classification uses cross-entropy, not MSE: the gradient through a saturated sigmoid."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from snippets.basics.activations import sigmoid
from snippets.losses.cross_entropy import binary_cross_entropy_with_logits

LossName = Literal["ce", "mse"]


def _check_logit_target(z: float | np.ndarray, y: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z, y = np.asarray(z), np.asarray(y)
    if not np.issubdtype(z.dtype, np.floating):
        raise TypeError(f"z must be a floating array, got {z.dtype}")
    if not np.all(np.isfinite(z)):
        raise ValueError("z must be finite (no NaN or inf)")
    if not (np.issubdtype(y.dtype, np.number) or y.dtype == bool) or not np.all((y >= 0) & (y <= 1)):
        raise ValueError("y must be a numeric target in [0, 1]")
    try:
        np.broadcast_shapes(z.shape, y.shape)
    except ValueError:
        raise ValueError(f"y must be broadcastable to z's shape {z.shape}, got {y.shape}") from None
    return z, y.astype(float)


# --8<-- [start:grads]
def mse_grad_wrt_logit(z: float | np.ndarray, y: float | np.ndarray) -> np.ndarray:
    """dL/dz for L = 0.5 (sigmoid(z) - y)^2.

    Args:
        z: logits, any shape.
        y: targets in [0, 1], broadcastable to z.

    Returns:
        (s - y) s (1 - s) with s = sigmoid(z), the broadcast shape.
    """
    z, y = _check_logit_target(z, y)
    s = sigmoid(z)
    # 链式法则多出的 s (1 - s) 就是 sigmoid 的导数: |z| 大时趋于 0, 哪怕预测完全错了
    return (s - y) * s * (1 - s)


def bce_grad_wrt_logit(z: float | np.ndarray, y: float | np.ndarray) -> np.ndarray:
    """dL/dz for L = -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))].

    Args:
        z: logits, any shape.
        y: targets in [0, 1], broadcastable to z.

    Returns:
        s - y with s = sigmoid(z), the broadcast shape.
    """
    z, y = _check_logit_target(z, y)
    # log 的导数 1/s 恰好抵消 sigmoid 的导数 s (1 - s): 梯度只剩误差本身
    return sigmoid(z) - y
# --8<-- [end:grads]


@dataclass(frozen=True)
class LogisticHistory:
    """What one training run of logistic regression recorded after each step.

    Attributes:
        loss: mean BCE on the training set after each step, shape (steps,).
        accuracy: training accuracy after each step, shape (steps,).
        w: final weights, shape (D,).
        b: final bias.
    """

    loss: np.ndarray
    accuracy: np.ndarray
    w: np.ndarray
    b: float


def _check_train(X: np.ndarray, y: np.ndarray, loss: str, lr: float, steps: int, w0: np.ndarray) -> None:
    if not isinstance(X, np.ndarray) or not np.issubdtype(X.dtype, np.floating) or X.ndim != 2:
        raise TypeError("X must be a floating array of shape (N, D)")
    if not isinstance(y, np.ndarray) or y.shape != (X.shape[0],) or not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must have shape (N,) = ({X.shape[0]},) with entries 0 or 1")
    if loss not in ("ce", "mse"):
        raise ValueError(f"loss must be 'ce' or 'mse', got {loss!r}")
    if not (isinstance(lr, (int, float)) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be an int >= 1, got {steps!r}")
    if not isinstance(w0, np.ndarray) or w0.shape != (X.shape[1],):
        raise ValueError(f"w0 must have shape (D,) = ({X.shape[1]},)")


# --8<-- [start:train]
def train_logistic(
    X: np.ndarray, y: np.ndarray, loss: LossName, lr: float, steps: int, w0: np.ndarray, b0: float
) -> LogisticHistory:
    """Full-batch gradient descent on logistic regression, trained with mean BCE or mean MSE.

    Args:
        X: inputs, shape (N, D).
        y: labels 0 or 1, shape (N,).
        loss: training objective, "ce" or "mse" (0.5 (sigmoid(z) - y)^2).
        lr: learning rate.
        steps: number of gradient steps.
        w0: initial weights, shape (D,).
        b0: initial bias.

    Returns:
        LogisticHistory; ``loss`` is always BCE so both objectives are measured on one scale.
    """
    _check_train(X, y, loss, lr, steps, w0)
    N = X.shape[0]
    grad_wrt_logit = bce_grad_wrt_logit if loss == "ce" else mse_grad_wrt_logit
    w, b = w0.astype(float), float(b0)
    losses, accuracy = np.empty(steps), np.empty(steps)
    for t in range(steps):
        dz = grad_wrt_logit(X @ w + b, y) / N  # (N,); 两种损失只在这一行不同
        w = w - lr * (X.T @ dz)  # z = X w + b  =>  dL/dw = X^T dz
        b = b - lr * float(dz.sum())
        z = X @ w + b
        losses[t] = binary_cross_entropy_with_logits(z, y.astype(float))
        accuracy[t] = np.mean((z > 0) == (y == 1))
    return LogisticHistory(loss=losses, accuracy=accuracy, w=w, b=b)
# --8<-- [end:train]


def _check_blobs(n: int, rng: np.random.Generator) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")


# --8<-- [start:data]
def make_blobs(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two 2-D Gaussian clusters, class 0 around (-1, -1) and class 1 around (1, 1).

    Args:
        n: number of points (n // 2 of class 0, the rest class 1), n >= 2.
        rng: source of randomness.

    Returns:
        X of shape (n, 2) and labels y of shape (n,) with entries 0 or 1.
    """
    _check_blobs(n, rng)
    y = np.repeat([0, 1], [n // 2, n - n // 2])  # (n,)
    centers = np.array([[-1.0, -1.0], [1.0, 1.0]])
    X = centers[y] + 0.7 * rng.standard_normal((n, 2))  # (n, 2)
    return X, y
# --8<-- [end:data]


# --8<-- [start:experiment]
def ce_vs_mse_experiment(
    seed: int = 0, n: int = 200, lr: float = 2.0, steps: int = 500
) -> dict[LossName, LogisticHistory]:
    """Train the same logistic regression with CE and with MSE from a confidently wrong start.

    Args:
        seed: seed of the data set.
        n: number of training points.
        lr: learning rate for both runs.
        steps: gradient steps for both runs.

    Returns:
        {"ce": history, "mse": history}.
    """
    X, y = make_blobs(n, np.random.default_rng(seed))
    # w0 = (-5, -5) 把 (1, 1) 附近的类 1 打成 z ~ -10: sigmoid 已饱和在错误的一侧
    w0, b0 = np.array([-5.0, -5.0]), 0.0
    return {loss: train_logistic(X, y, loss, lr, steps, w0, b0) for loss in ("ce", "mse")}
# --8<-- [end:experiment]

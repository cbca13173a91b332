"""Why classification uses cross-entropy, not MSE: the gradient through a saturated sigmoid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from snippets._checks import check_int
from snippets.basics.activations import sigmoid
from snippets.run_cache import shared_run

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
        objective: the objective being minimised (mean BCE or mean MSE) after each step, shape (steps,).
        accuracy: training accuracy after each step, shape (steps,).
        w: final weights, shape (D,).
        b: final bias.
    """

    loss: np.ndarray
    objective: np.ndarray
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
    check_int(steps, "steps", 1)
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
    bce, objective, accuracy = np.empty(steps), np.empty(steps), np.empty(steps)
    z = X @ w + b  # (N,)
    for t in range(steps):
        dz = grad_wrt_logit(z, y) / N  # (N,); 两种损失只在这一行不同
        w = w - lr * (X.T @ dz)  # z = X w + b  =>  dL/dw = X^T dz
        b = b - lr * float(dz.sum())
        z = X @ w + b
        bce[t] = np.mean(np.logaddexp(0.0, z) - z * y)  # log(1 + e^z) - z y: 同 BCEWithLogitsLoss, 不上溢
        # 记录被最小化的目标本身: 它逐步下降说明步长在稳定范围内, 没有振荡
        objective[t] = bce[t] if loss == "ce" else float(np.mean(0.5 * (sigmoid(z) - y) ** 2))
        accuracy[t] = np.mean((z > 0) == (y == 1))
    return LogisticHistory(loss=bce, objective=objective, accuracy=accuracy, w=w, b=b)
# --8<-- [end:train]


def _check_blobs(n: int, rng: np.random.Generator) -> None:
    check_int(n, "n", 2)
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


def _check_experiment(configs: Sequence[tuple[str, float]], seeds: Sequence[int], n: int, steps: int) -> None:
    if not configs or any(loss not in ("ce", "mse") or not lr > 0 for loss, lr in configs):
        raise ValueError(f"configs must be a non-empty list of (loss, lr), loss 'ce'/'mse', lr > 0, got {configs!r}")
    if len(seeds) == 0 or any(isinstance(s, bool) or not isinstance(s, int) or s < 0 for s in seeds):
        raise ValueError(f"seeds must be a non-empty list of ints >= 0, got {seeds!r}")
    check_int(steps, "steps", 1)
    _check_blobs(n, np.random.default_rng(0))


def first_step_reaching(accuracy: np.ndarray, level: float) -> int:
    """The first step (counted from 1) whose accuracy is >= level; len(accuracy) + 1 if none is.

    Args:
        accuracy: accuracy after each step, shape (steps,).
        level: the accuracy to reach, in (0, 1].

    Returns:
        A step number in 1..steps, or steps + 1 when the run never reached ``level``.
    """
    accuracy = np.asarray(accuracy)
    if accuracy.ndim != 1 or accuracy.size == 0:
        raise ValueError(f"accuracy must have shape (steps,), got {accuracy.shape}")
    if not 0 < level <= 1:
        raise ValueError(f"level must lie in (0, 1], got {level!r}")
    reached = accuracy >= level
    return int(np.argmax(reached)) + 1 if reached.any() else accuracy.size + 1


# --8<-- [start:experiment]
# 每种损失配一个学习率; 共用的 eta = 2 之外, 再给 MSE 4 倍和 16 倍的学习率, 给 CE 同样的 32
CONFIGS: tuple[tuple[LossName, float], ...] = (("ce", 2.0), ("ce", 32.0), ("mse", 2.0), ("mse", 8.0), ("mse", 32.0))


def ce_vs_mse_experiment(
    configs: Sequence[tuple[LossName, float]] = CONFIGS, seeds: Sequence[int] = tuple(range(11)),
    n: int = 200, steps: int = 1000,
) -> dict[tuple[LossName, float], list[LogisticHistory]]:
    """Train logistic regression from a confidently wrong start, per (loss, lr) and per data seed.

    Args:
        configs: (loss, lr) pairs to train.
        seeds: seeds of the data sets; every config sees the same data sets.
        n: number of training points per data set.
        steps: gradient steps of every run.

    Returns:
        {(loss, lr): [history for each seed]}.
    """
    _check_experiment(configs, seeds, n, steps)
    data = [make_blobs(n, np.random.default_rng(seed)) for seed in seeds]
    # w0 = (-5, -5) 把 (1, 1) 附近的类 1 打成 z ~ -10: sigmoid 已饱和在错误的一侧
    w0, b0 = np.array([-5.0, -5.0]), 0.0
    return {(loss, lr): [train_logistic(X, y, loss, lr, steps, w0, b0) for X, y in data] for loss, lr in configs}
# --8<-- [end:experiment]

# The site build runs this once for the figure and the notebook together (no effect elsewhere).
ce_vs_mse_experiment = shared_run(ce_vs_mse_experiment)

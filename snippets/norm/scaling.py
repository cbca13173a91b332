"""Input scaling: min-max and standardization, and what they do to gradient descent and to saturation."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array, check_int


# --8<-- [start:scalers]
def min_max_scale(X: np.ndarray, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    """Map each column of X linearly onto [low, high] (statistics from X itself).

    Args:
        X: (N, D) features; a constant column maps to ``low``.
    """
    check_float_array(X, "X", (2,))
    if not low < high:
        raise ValueError(f"low must be < high, got low={low!r}, high={high!r}")
    x_min, x_max = X.min(axis=0), X.max(axis=0)  # (D,)
    span = np.where(x_max > x_min, x_max - x_min, 1.0)
    return low + (high - low) * (X - x_min) / span


def standardize(X: np.ndarray, mean: np.ndarray, std: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """(X - mean) / std per column, with mean and std fitted on the TRAINING set only.

    Args:
        X: (N, D); mean, std: (D,), e.g. ``X_train.mean(0)``, ``X_train.std(0)``.
    """
    check_float_array(X, "X", (2,))
    for name, v in (("mean", mean), ("std", std)):
        check_float_array(v, name, (1,))
        if v.shape != (X.shape[1],):
            raise ValueError(f"{name} must have shape ({X.shape[1]},), got {v.shape}")
    if np.any(std < 0):
        raise ValueError("std must be >= 0")
    return (X - mean) / (std + eps)  # 常数列 std = 0: eps 避免除零, 该列变成 0
# --8<-- [end:scalers]


# --8<-- [start:gd]
def gd_least_squares(X: np.ndarray, y: np.ndarray, steps: int) -> np.ndarray:
    """Full-batch gradient descent on L(w) = ||X w - y||^2 / (2N) from w = 0, step 1/L.

    L is the largest eigenvalue of the Hessian X^T X / N, the largest step that never diverges
    on any direction; the number of steps to converge then grows with the condition number.

    Returns:
        (steps + 1, D) the iterates w_0 ... w_steps.
    """
    check_float_array(X, "X", (2,))
    check_float_array(y, "y", (1,))
    check_int(steps, "steps", 1)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    N, D = X.shape
    H = X.T @ X / N  # (D, D), 损失的 Hessian
    lr = 1.0 / np.linalg.eigvalsh(H)[-1]
    w = np.zeros(D)
    path = [w]
    for _ in range(steps):
        w = w - lr * (X.T @ (X @ w - y) / N)
        path.append(w)
    return np.array(path)
# --8<-- [end:gd]


def hessian_condition(X: np.ndarray) -> float:
    """Condition number (largest / smallest eigenvalue) of X^T X / N, the least-squares Hessian."""
    check_float_array(X, "X", (2,))
    eig = np.linalg.eigvalsh(X.T @ X / X.shape[0])
    if eig[0] <= 0:
        raise ValueError("X must have full column rank")
    return float(eig[-1] / eig[0])


def two_scale_data(
    seed: int, n: int = 200, scale: float = 100.0, offset: float = 500.0
) -> tuple[np.ndarray, np.ndarray]:
    """Regression data with a unit feature, a feature of std ``scale`` around ``offset``, and a bias column.

    Returns:
        X (n, 3) = [x1, x2, 1], y (n,) = 2 x1 + 0.03 x2 - 4 + noise.
    """
    check_int(seed, "seed", 0)
    check_int(n, "n", 3)
    rng = np.random.default_rng(seed)
    x1 = rng.standard_normal(n)
    x2 = offset + scale * rng.standard_normal(n)
    y = 2.0 * x1 + 0.03 * x2 - 4.0 + 0.1 * rng.standard_normal(n)
    return np.column_stack([x1, x2, np.ones(n)]), y


# --8<-- [start:saturation]
def saturated_share(X: np.ndarray, seed: int, units: int = 64, threshold: float = 4.0) -> float:
    """Share of pre-activations z = X W^T of a sigmoid layer with |z| > threshold.

    W ~ N(0, 1/D) (LeCun's scale, which assumes inputs of unit variance); at |z| > 4 the sigmoid's
    slope is below 0.018, a 14th of its maximum 1/4.
    """
    check_float_array(X, "X", (2,))
    check_int(seed, "seed", 0)
    check_int(units, "units", 1)
    D = X.shape[1]
    W = np.random.default_rng(seed).standard_normal((units, D)) / np.sqrt(D)  # (out, in)
    Z = X @ W.T  # (N, units)
    return float(np.mean(np.abs(Z) > threshold))
# --8<-- [end:saturation]


def steps_to_tolerance(X: np.ndarray, y: np.ndarray, rel_tol: float = 1e-6, max_steps: int = 10_000) -> int | None:
    """Steps of ``gd_least_squares`` until L(w) - L* <= rel_tol * (L(0) - L*); None if not within max_steps."""
    if not 0 < rel_tol < 1:
        raise ValueError(f"rel_tol must be in (0, 1), got {rel_tol!r}")
    path = gd_least_squares(X, y, max_steps)  # (max_steps + 1, D)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    losses = np.mean((path @ X.T - y) ** 2, axis=1) / 2  # (max_steps + 1,)
    best = float(np.mean((X @ w_star - y) ** 2) / 2)
    done = np.flatnonzero(losses - best <= rel_tol * (losses[0] - best))
    return int(done[0]) if done.size else None

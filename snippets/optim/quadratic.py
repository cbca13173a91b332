"""The ill-conditioned bowl f(x, y) = x^2 / 20 + y^2 and optimizer trajectories on it."""

from __future__ import annotations

from typing import Protocol

import numpy as np


class Optimizer(Protocol):
    """Anything with ``step(theta, grad) -> new theta`` (every optimizer in this chapter)."""

    def step(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray: ...


def _check_point(p: np.ndarray) -> np.ndarray:
    p = np.asarray(p)
    if not np.issubdtype(p.dtype, np.floating) or p.shape[-1:] != (2,):
        raise ValueError(f"p must be a floating array with last dimension 2, got {p.dtype} {p.shape}")
    return p


# --8<-- [start:bowl]
def bowl(p: np.ndarray) -> np.ndarray:
    """f(x, y) = x^2 / 20 + y^2; curvatures 1/10 along x and 2 along y (condition number 20).

    Args:
        p: points, shape (..., 2).

    Returns:
        f at each point, shape (...).
    """
    p = _check_point(p)
    return p[..., 0] ** 2 / 20 + p[..., 1] ** 2


def bowl_grad(p: np.ndarray) -> np.ndarray:
    """Gradient (x / 10, 2 y) of ``bowl``, shape of p."""
    p = _check_point(p)
    return np.stack([p[..., 0] / 10, 2 * p[..., 1]], axis=-1)


def trajectory(opt: Optimizer, start: tuple[float, float] = (-7.0, 2.0), steps: int = 30) -> np.ndarray:
    """Run ``opt`` on the bowl from ``start``; returns the visited points, shape (steps + 1, 2)."""
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps}")
    path = [np.asarray(start, dtype=float)]
    for _ in range(steps):
        path.append(opt.step(path[-1], bowl_grad(path[-1])))
    return np.array(path)
# --8<-- [end:bowl]

"""The ill-conditioned bowl f(x, y) = x^2 / 20 + y^2 and optimizer trajectories on it."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from snippets.optim._checks import check_hyper


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


# --8<-- [start:jitter]
def noisy_gd_1d(lr: float, steps: int, seed: int, h: float = 1.0, sigma: float = 1.0) -> np.ndarray:
    """Constant-lr SGD on f(theta) = h theta^2 / 2 whose gradient carries noise of std sigma.

    theta_t = theta_{t-1} - lr (h theta_{t-1} + sigma xi_t), xi_t ~ N(0, 1), theta_0 = 0 (the minimum).

    Args:
        lr: learning rate, 0 < lr * h < 2 (the stable range).
        steps: number of steps T.
        seed: seed of the noise.
        h: curvature; sigma: std of the gradient noise.

    Returns:
        theta_1..theta_T, shape (steps,).
    """
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps}")
    lr, h, sigma = check_hyper("lr", lr), check_hyper("h", h), check_hyper("sigma", sigma)
    if not 0 < lr * h < 2:
        raise ValueError(f"lr * h must be in (0, 2) (stable range), got lr={lr}, h={h}")
    xi = np.random.default_rng(seed).standard_normal(steps)
    theta, out = 0.0, np.empty(steps)
    for t in range(steps):
        theta = (1 - lr * h) * theta - lr * sigma * xi[t]
        out[t] = theta
    return out


def jitter_std(lr: float, h: float = 1.0, sigma: float = 1.0) -> float:
    """Stationary std of ``noisy_gd_1d``: sqrt(lr sigma^2 / (h (2 - lr h))), about sigma sqrt(lr / (2 h))."""
    lr, h, sigma = check_hyper("lr", lr), check_hyper("h", h), check_hyper("sigma", sigma)
    if not 0 < lr * h < 2:
        raise ValueError(f"lr * h must be in (0, 2) (stable range), got lr={lr}, h={h}")
    # Var = (1 - lr h)^2 Var + lr^2 sigma^2  =>  Var = lr^2 sigma^2 / (1 - (1 - lr h)^2)
    # 方差正比于 lr, 幅度 (标准差) 正比于 sqrt(lr)
    return float(np.sqrt(lr * sigma**2 / (h * (2 - lr * h))))
# --8<-- [end:jitter]

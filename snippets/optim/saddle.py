"""A saddle and two minima in 2-D, f(x, y) = x^2/2 + y^4/4 - y^2/2: GD, momentum and noisy GD near the saddle."""

from __future__ import annotations

import numpy as np

from snippets.optim._checks import check_hyper


# --8<-- [start:f]
def saddle_f(p: np.ndarray) -> np.ndarray:
    """f(x, y) = x^2/2 + y^4/4 - y^2/2 over the last axis (size 2): saddle (0, 0), minima (0, +-1), f = -1/4."""
    p = np.asarray(p, dtype=float)
    if p.shape[-1:] != (2,):
        raise ValueError(f"p must have a last axis of size 2, got shape {p.shape}")
    x, y = p[..., 0], p[..., 1]
    return x**2 / 2 + y**4 / 4 - y**2 / 2


def saddle_grad(p: np.ndarray) -> np.ndarray:
    """Gradient (x, y^3 - y), same shape as p."""
    p = np.asarray(p, dtype=float)
    if p.shape[-1:] != (2,):
        raise ValueError(f"p must have a last axis of size 2, got shape {p.shape}")
    return np.stack([p[..., 0], p[..., 1] ** 3 - p[..., 1]], axis=-1)


def saddle_hessian(p: np.ndarray) -> np.ndarray:
    """Hessian diag(1, 3 y^2 - 1) at one point p (2,)."""
    p = np.asarray(p, dtype=float)
    if p.shape != (2,):
        raise ValueError(f"p must have shape (2,), got {p.shape}")
    return np.diag([1.0, 3 * p[1] ** 2 - 1])


def critical_index(H: np.ndarray) -> float:
    """Index of a critical point: the fraction of the Hessian's eigenvalues that are negative."""
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.allclose(H, H.T):
        raise ValueError(f"H must be a symmetric square matrix, got shape {H.shape}")
    return float(np.mean(np.linalg.eigvalsh(H) < 0))
# --8<-- [end:f]


# --8<-- [start:run]
def descend(start: tuple[float, float], lr: float, steps: int, momentum: float = 0.0, noise: float = 0.0,
            seeds: tuple[int, ...] = (0,)) -> np.ndarray:
    """(Heavy-ball) gradient descent with optional Gaussian gradient noise, one path per seed.

    b = mu b + (grad f + noise * xi),  p = p - lr b,  xi ~ N(0, I): the noise stands in for SGD's.

    Returns:
        the paths, shape (len(seeds), steps + 1, 2).
    """
    lr, noise = check_hyper("lr", lr), check_hyper("noise", noise)
    momentum = check_hyper("momentum", momentum, 0.0, 1.0)
    if not isinstance(steps, int) or steps < 1 or len(seeds) == 0:
        raise ValueError(f"steps must be an int >= 1 and seeds non-empty, got steps={steps!r}, seeds={seeds}")
    rngs = [np.random.default_rng(s) for s in seeds]
    p = np.tile(np.asarray(start, dtype=float), (len(seeds), 1))  # (S, 2)
    v = np.zeros_like(p)
    path = [p]
    for _ in range(steps):
        xi = np.stack([r.standard_normal(2) for r in rngs])  # (S, 2), 每个种子自己的噪声序列
        v = momentum * v + saddle_grad(p) + noise * xi
        p = p - lr * v
        path.append(p)
    return np.stack(path, axis=1)
# --8<-- [end:run]


def escape_step(path: np.ndarray, level: float = 0.5) -> np.ndarray:
    """First step at which |y| > level for each path (S, T, 2); T (the path length) where it never happens."""
    path = np.asarray(path, dtype=float)
    if path.ndim != 3 or path.shape[2] != 2:
        raise ValueError(f"path must have shape (S, T, 2), got {path.shape}")
    out = np.abs(path[:, :, 1]) > check_hyper("level", level)
    return np.where(out.any(axis=1), out.argmax(axis=1), path.shape[1])


# --8<-- [start:goe]
def prob_all_positive(d: int, trials: int, seed: int) -> float:
    """Fraction of random symmetric d x d matrices (GOE: A = (G + G^T) / sqrt 2) with all eigenvalues > 0.

    Diagonal entries have variance 2, off-diagonal 1; equal variances would give another probability.
    """
    if not isinstance(d, int) or d < 1 or not isinstance(trials, int) or trials < 1:
        raise ValueError(f"d and trials must be ints >= 1, got d={d!r}, trials={trials!r}")
    G = np.random.default_rng(seed).standard_normal((trials, d, d))
    A = (G + G.transpose(0, 2, 1)) / np.sqrt(2)  # (trials, d, d), 对称
    return float(np.mean((np.linalg.eigvalsh(A) > 0).all(axis=1)))
# --8<-- [end:goe]

"""L1 and L2 penalties on a softmax regression over digits: soft-thresholding, shrinkage and max-norm."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array, check_int
from snippets.losses.softmax import softmax
from snippets.run_cache import shared_run


# --8<-- [start:prox]
def soft_threshold(w: np.ndarray, t: float) -> np.ndarray:
    """argmin_v  (v - w)^2 / 2 + t |v|, elementwise: shrink by t, and exactly 0 inside [-t, t]."""
    check_float_array(w, "w", (1, 2))
    if not t >= 0:
        raise ValueError(f"t must be >= 0, got {t!r}")
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)


def max_norm(W: np.ndarray, c: float) -> np.ndarray:
    """Project each row (one unit's incoming weights, W is (out, in)) onto the ball ||w||_2 <= c."""
    check_float_array(W, "W", (2,))
    if not c > 0:
        raise ValueError(f"c must be > 0, got {c!r}")
    norms = np.linalg.norm(W, axis=1, keepdims=True)  # (out, 1)
    return W * np.minimum(1.0, c / np.maximum(norms, 1e-300))
# --8<-- [end:prox]


# --8<-- [start:train]
def train_softmax_regression(
    X: np.ndarray, y: np.ndarray, lam: float, penalty: str, seed: int, steps: int = 300, lr: float = 0.5
) -> np.ndarray:
    """Full-batch gradient descent on mean cross-entropy + penalty; returns W (K, D).

    penalty: "none"; "l2" (lam/2 ||W||^2, a gradient step: W <- (1 - lr lam) W - lr g);
    "l1" (lam ||W||_1 by proximal gradient: a gradient step on the loss, then soft-threshold by lr lam);
    "l1-subgradient" (lam sign(W) added to the gradient, what autograd does with abs()).
    """
    check_float_array(X, "X", (2,))
    check_int(seed, "seed", 0)
    check_int(steps, "steps", 1)
    if penalty not in ("none", "l2", "l1", "l1-subgradient"):
        raise ValueError(f"penalty must be 'none', 'l2', 'l1' or 'l1-subgradient', got {penalty!r}")
    if not lam >= 0:
        raise ValueError(f"lam must be >= 0, got {lam!r}")
    N, D = X.shape
    K = int(y.max()) + 1
    Y = np.eye(K)[y]  # (N, K) one-hot
    W = 0.01 * np.random.default_rng(seed).standard_normal((K, D))
    for _ in range(steps):
        P = softmax(X @ W.T, axis=1)  # (N, K)
        G = (P - Y).T @ X / N  # (K, D), 交叉熵对 W 的梯度
        if penalty == "l2":
            W = W - lr * (G + lam * W)
        elif penalty == "l1":
            W = soft_threshold(W - lr * G, lr * lam)  # 近端梯度 (ISTA): 精确的 0
        elif penalty == "l1-subgradient":
            W = W - lr * (G + lam * np.sign(W))  # 在 0 附近来回跳, 很少恰好为 0
        else:
            W = W - lr * G
    return W
# --8<-- [end:train]


def digits_subset(seed: int, n: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """n random digits (a different subset per seed), standardized with their own statistics."""
    from sklearn.datasets import load_digits

    check_int(seed, "seed", 0)
    check_int(n, "n", 10)
    X, y = load_digits(return_X_y=True)
    idx = np.random.default_rng(seed).permutation(len(y))[:n]
    X = X[idx]
    return (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8), y[idx]  # 常数像素列变成 0


LAMS = (0.001, 0.003, 0.01, 0.03, 0.1)


@shared_run
def zero_share_sweep(
    lams: tuple[float, ...] = LAMS, seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
) -> dict[tuple[str, float], list[tuple[float, float]]]:
    """(share of exact zeros in W, training accuracy) per (penalty, lam), one run per seed on 500 digits."""
    out: dict[tuple[str, float], list[tuple[float, float]]] = {}
    for seed in seeds:
        X, y = digits_subset(seed, n=500)
        for penalty in ("l1", "l2", "l1-subgradient"):
            for lam in lams:
                W = train_softmax_regression(X, y, lam, penalty, seed, steps=200)
                acc = float(np.mean(np.argmax(X @ W.T, axis=1) == y))
                out.setdefault((penalty, lam), []).append((float(np.mean(W == 0.0)), acc))
    return out

"""Noise injection as regularization: Gaussian input noise in least squares equals an L2 penalty (Bishop, 1995)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array


def _check_sigma(sigma: float) -> None:
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float)) or not sigma >= 0:
        raise ValueError(f"sigma must be a float >= 0, got {sigma!r}")


def _check_xyw(X: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> None:
    check_float_array(X, "X", (2,))
    check_float_array(y, "y", (1,))
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have {X.shape[0]} entries, got {y.shape[0]}")
    if w is not None:
        check_float_array(w, "w", (1,))
        if w.shape[0] != X.shape[1]:
            raise ValueError(f"w must have {X.shape[1]} entries, got {w.shape[0]}")


# --8<-- [start:noise]
def noisy_mse(X: np.ndarray, y: np.ndarray, w: np.ndarray, sigma: float, rng: np.random.Generator) -> float:
    """(1/N) ||(X + E) w - y||^2 for one draw of E with i.i.d. N(0, sigma^2) entries; X: (N, d)."""
    # --8<-- [end:noise]
    _check_xyw(X, y, w)
    _check_sigma(sigma)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    # --8<-- [start:noise_body]
    E = sigma * rng.standard_normal(X.shape)  # 每个输入分量独立加噪声
    return float(np.mean(((X + E) @ w - y) ** 2))
    # --8<-- [end:noise_body]


# --8<-- [start:expected]
def expected_noisy_mse(X: np.ndarray, y: np.ndarray, w: np.ndarray, sigma: float) -> float:
    """E_E[noisy_mse] = (1/N) ||X w - y||^2 + sigma^2 ||w||^2: the clean loss plus an L2 penalty."""
    # --8<-- [end:expected]
    _check_xyw(X, y, w)
    _check_sigma(sigma)
    # --8<-- [start:expected_body]
    return float(np.mean((X @ w - y) ** 2) + sigma**2 * w @ w)  # 交叉项 E[E] = 0; E[(Ew)_n^2] = sigma^2 ||w||^2
    # --8<-- [end:expected_body]


def ridge(X: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
    """argmin_w (1/N) ||X w - y||^2 + lam ||w||^2 = (X^T X / N + lam I)^{-1} X^T y / N."""
    _check_xyw(X, y)
    if isinstance(lam, bool) or not isinstance(lam, (int, float)) or not lam >= 0:
        raise ValueError(f"lam must be a float >= 0, got {lam!r}")
    N, d = X.shape
    return np.linalg.solve(X.T @ X / N + lam * np.eye(d), X.T @ y / N)

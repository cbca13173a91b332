"""PCA from scratch (centre, SVD) and a Gaussian random projection, for reducing inputs before a network."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snippets._checks import check_float_array, check_int


@dataclass(frozen=True)
class PCAResult:
    """mean (D,), components (k, D) with orthonormal rows, explained_variance_ratio (k,)."""

    mean: np.ndarray
    components: np.ndarray
    explained_variance_ratio: np.ndarray


# --8<-- [start:pca]
def pca_fit(X: np.ndarray, k: int) -> PCAResult:
    """Top-k principal directions of X (N, D) from the SVD of the centred data."""
    check_float_array(X, "X", (2,))
    N, D = X.shape
    check_int(k, "k", 1)
    if k > min(N, D):
        raise ValueError(f"k must be <= min(N, D) = {min(N, D)}, got {k}")
    mean = X.mean(axis=0)  # (D,)
    U, S, Vt = np.linalg.svd(X - mean, full_matrices=False)  # Xc = U diag(S) Vt, Vt: (min(N, D), D)
    var = S**2 / (N - 1)  # 每个方向上的样本方差（与 sklearn 一样用 N - 1）
    return PCAResult(mean, Vt[:k], var[:k] / var.sum())


def pca_transform(X: np.ndarray, pca: PCAResult) -> np.ndarray:
    """Coordinates (N, k) of X in the principal directions: (X - mean) W^T with W = components."""
    check_float_array(X, "X", (2,))
    if X.shape[1] != pca.mean.shape[0]:
        raise ValueError(f"X must have {pca.mean.shape[0]} columns, got {X.shape[1]}")
    return (X - pca.mean) @ pca.components.T
# --8<-- [end:pca]


# --8<-- [start:projection]
def gaussian_projection(D: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """A (k, D) matrix with N(0, 1/k) entries: E||R x||^2 = ||x||^2 (Johnson–Lindenstrauss)."""
    check_int(D, "D", 1)
    check_int(k, "k", 1)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    return rng.normal(0.0, 1.0 / np.sqrt(k), size=(k, D))
# --8<-- [end:projection]


# --8<-- [start:synthetic]
def low_variance_signal(
    N: int, rng: np.random.Generator, spread: float = 5.0, gap: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """2-D two-class data: x0 ~ N(0, spread^2) carries no label; x1 = ±gap + N(0, 0.15^2) carries it.

    The label lives in the direction of smallest variance, so PCA to k = 1 keeps only x0.
    """
    check_int(N, "N", 2)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    if not (spread > 0 and gap > 0):
        raise ValueError(f"spread and gap must be > 0, got {spread!r}, {gap!r}")
    y = rng.integers(0, 2, N)
    X = np.column_stack([rng.normal(0.0, spread, N), np.where(y == 1, gap, -gap) + rng.normal(0.0, 0.15, N)])
    return X, y
# --8<-- [end:synthetic]

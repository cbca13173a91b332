"""Metrics from hard predictions: confusion matrix, precision / recall / F-beta, top-k accuracy."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array, check_int


def _check_labels(y: object, name: str, K: int) -> np.ndarray:
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{name} must be an integer NumPy array, got {type(y).__name__}")
    if y.ndim != 1 or y.size == 0 or y.min() < 0 or y.max() >= K:
        raise ValueError(f"{name} must be a non-empty 1-D array of class ids in [0, {K})")
    return y


# --8<-- [start:confusion]
def confusion_matrix(y: np.ndarray, y_hat: np.ndarray, K: int) -> np.ndarray:
    """C[i, j] = number of samples of true class i predicted as class j (scikit-learn's layout).

    Args:
        y, y_hat: class ids in [0, K), shape (N,).
    Returns:
        shape (K, K); for K = 2 the layout is [[TN, FP], [FN, TP]].
    """
    check_int(K, "K", 1)
    y, y_hat = _check_labels(y, "y", K), _check_labels(y_hat, "y_hat", K)
    if y.shape != y_hat.shape:
        raise ValueError(f"y_hat must have the shape of y {y.shape}, got {y_hat.shape}")
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (y, y_hat), 1)
    return C


def precision_recall_fbeta(y: np.ndarray, y_hat: np.ndarray, beta: float = 1.0) -> tuple[float, float, float]:
    """Binary precision TP/(TP+FP), recall TP/(TP+FN) and F_beta; 0 where a denominator is 0."""
    if not np.isfinite(beta) or beta <= 0:
        raise ValueError(f"beta must be a finite number > 0, got {beta!r}")
    (_, fp), (fn, tp) = confusion_matrix(y, y_hat, 2)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    # F_beta = (1 + b^2) P R / (b^2 P + R) = (1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP)
    den = (1 + beta**2) * tp + beta**2 * fn + fp
    return float(precision), float(recall), float((1 + beta**2) * tp / den) if den else 0.0
# --8<-- [end:confusion]


# --8<-- [start:topk]
def top_k_accuracy(y: np.ndarray, S: np.ndarray, k: int) -> float:
    """Fraction of samples whose true class is among the k highest scores.

    Args:
        y: class ids, shape (N,).  S: scores or logits, shape (N, K), no ties within a row.
    """
    check_float_array(S, "S", (2,))
    N, K = S.shape
    check_int(k, "k", 1)
    y = _check_labels(y, "y", K)
    if y.shape != (N,):
        raise ValueError(f"y must have shape ({N},), got {y.shape}")
    # rank of the true class = number of classes scored strictly higher
    rank = (S > S[np.arange(N), y][:, None]).sum(axis=1)  # (N,)
    return float(np.mean(rank < k))
# --8<-- [end:topk]

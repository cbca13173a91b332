"""Multi-label metrics: subset accuracy, Hamming loss, example- and label-based P/R/F1, mAP, thresholds."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_binary_matrix, check_float_array
from snippets.data.ranking import average_precision


def _pair(Y: np.ndarray, Y_hat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    Y, Y_hat = check_binary_matrix(Y, "Y", (2,)), check_binary_matrix(Y_hat, "Y_hat", (2,))
    if Y.shape != Y_hat.shape:
        raise ValueError(f"Y_hat must have the shape of Y {Y.shape}, got {Y_hat.shape}")
    return Y, Y_hat


def _check_zero_division(zero_division: float) -> None:
    if not (np.isnan(zero_division) or zero_division in (0.0, 1.0)):
        raise ValueError(f"zero_division must be 0.0, 1.0 or nan, got {zero_division!r}")


# --8<-- [start:basic]
def subset_accuracy(Y: np.ndarray, Y_hat: np.ndarray) -> float:
    """Fraction of samples whose whole label set is predicted exactly. Y, Y_hat: 0/1, shape (N, K)."""
    Y, Y_hat = _pair(Y, Y_hat)
    return float(np.mean((Y == Y_hat).all(axis=1)))


def hamming_loss(Y: np.ndarray, Y_hat: np.ndarray) -> float:
    """Fraction of the N*K (sample, label) entries that are wrong."""
    Y, Y_hat = _pair(Y, Y_hat)
    return float(np.mean(Y != Y_hat))
# --8<-- [end:basic]


# --8<-- [start:prf]
def _ratio(num: np.ndarray, den: np.ndarray, zero_division: float) -> np.ndarray:
    """num / den, and zero_division where den == 0 (0/0: the metric is undefined there)."""
    out = np.full(num.shape, zero_division, dtype=np.float64)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _mean(v: np.ndarray) -> float:
    """Mean that skips NaN (zero_division=nan drops the undefined entries), NaN if all are."""
    v = v[~np.isnan(v)]
    return float(v.mean()) if v.size else float("nan")


def multilabel_prf(
    Y: np.ndarray, Y_hat: np.ndarray, average: str, zero_division: float = 0.0
) -> tuple[float, float, float]:
    """Precision, recall, F1 for 0/1 matrices of shape (N, K).

    average: 'samples' (per row, then mean: example-based), 'macro' (per label, then mean),
    'micro' (pool all N*K entries, then one ratio).
    """
    Y, Y_hat = _pair(Y, Y_hat)
    _check_zero_division(zero_division)
    if average not in ("samples", "macro", "micro"):
        raise ValueError(f"average must be 'samples', 'macro' or 'micro', got {average!r}")
    axis = {"samples": 1, "macro": 0, "micro": None}[average]
    tp = np.asarray((Y * Y_hat).sum(axis=axis))
    n_pred, n_true = np.asarray(Y_hat.sum(axis=axis)), np.asarray(Y.sum(axis=axis))
    precision = _ratio(tp, n_pred, zero_division)
    recall = _ratio(tp, n_true, zero_division)
    f1 = _ratio(2 * tp, n_true + n_pred, zero_division)  # 2PR/(P+R) = 2TP/(2TP+FP+FN)
    return _mean(precision), _mean(recall), _mean(f1)
# --8<-- [end:prf]


# --8<-- [start:map]
def mean_average_precision(Y: np.ndarray, S: np.ndarray) -> float:
    """Macro mAP: the average precision of each label's ranking of the N samples, averaged over labels.

    Args:
        Y: 0/1, shape (N, K), each label with at least one positive and one negative.
        S: scores, shape (N, K).
    """
    Y = check_binary_matrix(Y, "Y", (2,))
    check_float_array(S, "S", (2,))
    if S.shape != Y.shape:
        raise ValueError(f"S must have the shape of Y {Y.shape}, got {S.shape}")
    return float(np.mean([average_precision(Y[:, k], S[:, k]) for k in range(Y.shape[1])]))


def best_thresholds(Y: np.ndarray, S: np.ndarray) -> np.ndarray:
    """For each label, the score threshold t (predict s >= t) that maximises F1 on (Y, S); shape (K,)."""
    Y = check_binary_matrix(Y, "Y", (2,))
    check_float_array(S, "S", (2,))
    if S.shape != Y.shape:
        raise ValueError(f"S must have the shape of Y {Y.shape}, got {S.shape}")
    t_best = np.empty(Y.shape[1])
    for k in range(Y.shape[1]):
        t = np.unique(S[:, k])  # (T,) candidate thresholds: F1 only changes at a sample's score
        pred = S[:, k][None, :] >= t[:, None]  # (T, N)
        tp = (pred & (Y[:, k] == 1)).sum(axis=1)
        f1 = 2 * tp / (pred.sum(axis=1) + Y[:, k].sum())
        t_best[k] = t[np.argmax(f1)]  # ties: the lowest such threshold
    return t_best
# --8<-- [end:map]

"""Calibration: reliability bins, expected calibration error (ECE), temperature scaling (Guo et al., 2017)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

from snippets._checks import check_binary_matrix, check_float_array, check_int


def _check_conf(confidence: object, correct: object) -> tuple[np.ndarray, np.ndarray]:
    check_float_array(confidence, "confidence", (1,))
    assert isinstance(confidence, np.ndarray)
    if confidence.size == 0 or confidence.min() < 0 or confidence.max() > 1:
        raise ValueError("confidence must be non-empty with values in [0, 1]")
    ok = check_binary_matrix(correct, "correct", (1,))
    if ok.shape != confidence.shape:
        raise ValueError(f"correct must have shape {confidence.shape}, got {ok.shape}")
    return confidence.astype(np.float64), ok


def _check_logits(z: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    check_float_array(z, "z", (2,))
    assert isinstance(z, np.ndarray)
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must be an integer NumPy array, got {type(y).__name__}")
    if y.shape != (z.shape[0],) or z.shape[0] == 0:
        raise ValueError(f"y must have shape ({z.shape[0]},) with N > 0, got {y.shape}")
    if y.min() < 0 or y.max() >= z.shape[1]:
        raise ValueError(f"y must hold class ids in [0, {z.shape[1]})")
    return z.astype(np.float64), y


# --8<-- [start:ece]
def reliability_bins(
    confidence: np.ndarray, correct: np.ndarray, n_bins: int = 15
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Equal-width bins B_m = ((m-1)/M, m/M] of the confidence (the first bin also holds 0).

    Args:
        confidence: top-class probability of each sample, shape (N,), values in [0, 1].
        correct: 1 where the top class is the true class, else 0, shape (N,).
        n_bins: M, the number of bins.
    Returns:
        (count, mean confidence, accuracy) per bin, each shape (M,); an empty bin holds 0, nan, nan.
    """
    conf, ok = _check_conf(confidence, correct)
    check_int(n_bins, "n_bins", 1)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    m = np.searchsorted(edges[1:-1], conf, side="left")  # a value on an edge joins the lower bin
    count = np.bincount(m, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(m, weights=conf, minlength=n_bins) / count
        acc = np.bincount(m, weights=ok.astype(np.float64), minlength=n_bins) / count
    return count, mean_conf, acc


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, n_bins: int = 15) -> float:
    """ECE = sum over non-empty bins of |B_m| / N * |acc(B_m) - conf(B_m)|."""
    count, mean_conf, acc = reliability_bins(confidence, correct, n_bins)
    full = count > 0
    return float(np.sum(count[full] / count.sum() * np.abs(acc[full] - mean_conf[full])))
# --8<-- [end:ece]


# --8<-- [start:temperature]
def softmax(z: np.ndarray, T: float = 1.0) -> np.ndarray:
    """Row-wise softmax(z / T) of logits z, shape (N, K) -> (N, K)."""
    check_float_array(z, "z", (2,))
    if not (isinstance(T, (int, float)) and not isinstance(T, bool)) or not T > 0:
        raise ValueError(f"T must be a number > 0, got {T!r}")
    s = z / T
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def nll(z: np.ndarray, y: np.ndarray, T: float = 1.0) -> float:
    """Mean negative log-likelihood of labels y (N,) under softmax(z / T), z shape (N, K)."""
    z, y = _check_logits(z, y)
    if not (isinstance(T, (int, float)) and not isinstance(T, bool)) or not T > 0:
        raise ValueError(f"T must be a number > 0, got {T!r}")
    s = z / T
    m = s.max(axis=1, keepdims=True)
    log_p = s - m - np.log(np.exp(s - m).sum(axis=1, keepdims=True))  # log softmax, (N, K)
    return float(-log_p[np.arange(len(y)), y].mean())


def fit_temperature(z_val: np.ndarray, y_val: np.ndarray, t_min: float = 0.05, t_max: float = 20.0) -> float:
    """The one T > 0 minimising the validation NLL of softmax(z_val / T).

    Searches u = log T in [log t_min, log t_max] with Brent's bounded method; the NLL is convex
    in 1/T, hence unimodal in log T, so the bounded search finds its minimum.
    Args:
        z_val: validation logits, shape (N, K).  y_val: class ids, shape (N,).
    """
    z, y = _check_logits(z_val, y_val)
    if not 0 < t_min < t_max:
        raise ValueError(f"t_min and t_max must satisfy 0 < t_min < t_max, got {t_min!r}, {t_max!r}")
    res = minimize_scalar(
        lambda u: nll(z, y, float(np.exp(u))),
        bounds=(np.log(t_min), np.log(t_max)),
        method="bounded",
        options={"xatol": 1e-8},
    )
    return float(np.exp(res.x))
# --8<-- [end:temperature]

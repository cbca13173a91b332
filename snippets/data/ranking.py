"""Threshold-free binary metrics: ROC curve and AUC (trapezoid and pairwise), PR curve and average precision."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_binary_matrix, check_float_array


def _check(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = check_binary_matrix(y, "y", (1,))
    check_float_array(s, "s", (1,))
    if s.shape != y.shape:
        raise ValueError(f"s must have the shape of y {y.shape}, got {s.shape}")
    if y.sum() == 0 or y.sum() == y.size:
        raise ValueError("y must hold both positives and negatives")
    return y, s


# --8<-- [start:counts]
def cumulative_counts(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """TP and FP when predicting positive for score >= t, at each distinct score t from high to low.

    Args:
        y: 0/1 labels, shape (N,).  s: scores, shape (N,).
    Returns:
        (tp, fp, thresholds), each shape (T,), T = number of distinct scores.
    """
    y, s = _check(y, s)
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    # the last index of each run of equal scores: tied samples cross the threshold together
    last = np.r_[np.flatnonzero(np.diff(s_sorted)), y.size - 1]
    tp = np.cumsum(y_sorted)[last]
    fp = (last + 1) - tp
    return tp, fp, s_sorted[last]
# --8<-- [end:counts]


# --8<-- [start:roc]
def roc_curve(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(FPR, TPR, thresholds), starting at (0, 0) with threshold +inf, one point per distinct score."""
    tp, fp, t = cumulative_counts(y, s)
    P, N = tp[-1], fp[-1]
    return np.r_[0.0, fp / N], np.r_[0.0, tp / P], np.r_[np.inf, t]


def trapezoid(x: np.ndarray, y: np.ndarray) -> float:
    """Area under the polyline through (x_i, y_i), x increasing."""
    check_float_array(x, "x", (1,))
    check_float_array(y, "y", (1,))
    if y.shape != x.shape or x.size < 2 or (np.diff(x) < 0).any():
        raise ValueError(f"y must have the shape of x {x.shape}, with at least 2 points and x non-decreasing")
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))


def auc_pairwise(y: np.ndarray, s: np.ndarray) -> float:
    """P(score of a random positive > score of a random negative), a tie counting 1/2."""
    y, s = _check(y, s)
    pos, neg = s[y == 1][:, None], s[y == 0][None, :]  # (P, 1), (1, N)
    return float(np.mean((pos > neg) + 0.5 * (pos == neg)))
# --8<-- [end:roc]


# --8<-- [start:pr]
def precision_recall_curve(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(precision, recall, thresholds) in scikit-learn's order: thresholds rising, then the point (1, 0)."""
    tp, fp, t = cumulative_counts(y, s)
    precision, recall = tp / (tp + fp), tp / tp[-1]  # tp + fp >= 1: each threshold is some sample's score
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], t[::-1]


def average_precision(y: np.ndarray, s: np.ndarray) -> float:
    """AP = sum_n (R_n - R_{n-1}) P_n: each recall step weighted by the precision where it is reached."""
    precision, recall, _ = precision_recall_curve(y, s)
    return float(-np.sum(np.diff(recall) * precision[:-1]))
# --8<-- [end:pr]


def average_precision_trapezoid(y: np.ndarray, s: np.ndarray) -> float:
    """Trapezoid area under the PR points (with the end point (recall 0, precision 1)); not sklearn's AP."""
    precision, recall, _ = precision_recall_curve(y, s)
    return trapezoid(recall[::-1], precision[::-1])

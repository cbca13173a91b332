"""ROC-AUC and AP of the same scorer as negatives outnumber positives more and more (synthetic scores)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int
from snippets.data.ranking import average_precision, roc_curve, trapezoid


# --8<-- [start:experiment]
def scores(n_pos: int, n_neg: int, seed: int, shift: float = 1.5) -> tuple[np.ndarray, np.ndarray]:
    """Labels and scores: positives ~ N(shift, 1), negatives ~ N(0, 1); returns (y (n,), s (n,))."""
    check_int(n_pos, "n_pos", 1)
    check_int(n_neg, "n_neg", 1)
    check_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    s = np.r_[rng.normal(shift, 1.0, n_pos), rng.normal(0.0, 1.0, n_neg)]
    return np.r_[np.ones(n_pos, np.int64), np.zeros(n_neg, np.int64)], s


def auc_and_ap(n_pos: int, ratios: tuple[int, ...], seeds: tuple[int, ...]) -> np.ndarray:
    """ROC-AUC and AP with n_neg = ratio * n_pos; shape (len(seeds), len(ratios), 2)."""
    out = np.empty((len(seeds), len(ratios), 2))
    for i, seed in enumerate(seeds):
        for j, ratio in enumerate(ratios):
            y, s = scores(n_pos, ratio * n_pos, seed)
            fpr, tpr, _ = roc_curve(y, s)
            out[i, j] = trapezoid(fpr, tpr), average_precision(y, s)
    return out
# --8<-- [end:experiment]

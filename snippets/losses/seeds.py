"""How this chapter reports an outcome that changes with the seed: median and range over the seeds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SeedSummary:
    """Median, smallest and largest value of one measurement over n seeds."""

    median: float
    low: float
    high: float
    n: int


# --8<-- [start:summary]
def summarize_seeds(values: Sequence[float] | np.ndarray) -> SeedSummary:
    """Median and range of one measurement taken once per seed.

    Args:
        values: one finite number per seed, shape (n,), n >= 1.

    Returns:
        SeedSummary(median, low, high, n).
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)):
        raise ValueError(f"values must be a non-empty 1-D array of finite numbers, got shape {v.shape}")
    # 只报告对所有种子都成立的东西: 中位数说典型值, 范围说最坏与最好, n 说样本有多少
    return SeedSummary(median=float(np.median(v)), low=float(v.min()), high=float(v.max()), n=int(v.size))
# --8<-- [end:summary]

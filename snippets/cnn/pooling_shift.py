"""How much does pooling damp the effect of shifting the input? A small measurement, repeated over seeds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from snippets.cnn._checks import check_int
from snippets.cnn.pooling import avg_pool2d, max_pool2d


# --8<-- [start:shift]
def shift_change(kind: str, kernel_size: int, shifts: np.ndarray, n: int = 200, size: int = 16,
                 density: float = 0.05, seed: int = 0) -> np.ndarray:
    """Mean relative change ||pool(shift_t x) - pool(x)|| / ||pool(x)|| for sparse non-negative maps x.

    The maps imitate ReLU feature maps: each pixel is U(0, 1) with probability ``density``, else 0.
    Shifts are circular along the width, so nothing leaves the map.

    Args:
        kind: "max", "avg" or "none" (no pooling, the map itself).
        kernel_size: pooling window = stride.
        shifts: integer shifts t, shape (T,).
        n: number of random maps.
        size: side of each map (a multiple of kernel_size).
        density: fraction of non-zero pixels.
        seed: seed of the maps.

    Returns:
        Mean relative change for each shift, shape (T,).
    """
    if kind not in ("max", "avg", "none"):
        raise ValueError(f"kind must be 'max', 'avg' or 'none', got {kind!r}")
    k, n, size = check_int(kernel_size, "kernel_size", 1), check_int(n, "n", 1), check_int(size, "size", 1)
    if size % k:
        raise ValueError(f"size must be a multiple of kernel_size = {k}, got {size}")
    if isinstance(density, bool) or not isinstance(density, (int, float, np.number)):
        raise TypeError(f"density must be a real number, got {type(density).__name__}")
    if not 0 < density <= 1:  # NaN 也不满足
        raise ValueError(f"density must be in (0, 1], got {density}")
    t_all = np.asarray(shifts)
    if t_all.ndim != 1 or not np.issubdtype(t_all.dtype, np.integer):
        raise TypeError(f"shifts must be a 1-D array of integers, got dtype {t_all.dtype}, shape {t_all.shape}")
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(n, 1, size, size)) * (rng.uniform(size=(n, 1, size, size)) < density)

    def pool(A: np.ndarray) -> np.ndarray:
        if kind == "max":
            return max_pool2d(A, k)[0]
        return avg_pool2d(A, k) if kind == "avg" else A

    P = pool(X)
    norms = np.linalg.norm(P.reshape(n, -1), axis=1)
    keep = norms > 0  # 全零的图没有定义相对变化
    out = []
    for t in t_all:
        diff = np.linalg.norm((pool(np.roll(X, t, axis=3)) - P).reshape(n, -1), axis=1)
        out.append(float(np.mean(diff[keep] / norms[keep])))
    return np.array(out)
# --8<-- [end:shift]


# --8<-- [start:seeds]
def shift_change_seeds(kind: str, kernel_size: int, shifts: np.ndarray, seeds: Sequence[int] = range(10), n: int = 200,
                       size: int = 16, density: float = 0.05) -> np.ndarray:
    """shift_change once per seed (a fresh set of random maps each time).

    Args:
        kind, kernel_size, shifts, n, size, density: as in shift_change.
        seeds: the seeds, at least 5 distinct ones.

    Returns:
        Shape (S, T): row i is the run with seeds[i].
    """
    if len(set(seeds)) < 5:  # 同一个种子重复 5 次只是同一组图, 不是 5 次独立的测量
        raise ValueError(f"seeds must hold at least 5 distinct seeds, got {sorted(set(seeds))}")
    return np.stack([shift_change(kind, kernel_size, shifts, n, size, density, seed=s) for s in seeds])


def median_range(runs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The robust summary reported on the page: median and range over the seeds.

    Args:
        runs: one row per seed, shape (S, ...) (a 1-D array is S single numbers).

    Returns:
        (median, minimum, maximum) over axis 0, each of shape runs.shape[1:].
    """
    runs = np.asarray(runs, dtype=float)
    if runs.ndim < 1 or runs.shape[0] < 1:
        raise ValueError(f"runs must have at least one seed along axis 0, got shape {runs.shape}")
    return np.median(runs, axis=0), runs.min(axis=0), runs.max(axis=0)
# --8<-- [end:seeds]

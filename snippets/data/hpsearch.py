"""Grid vs random search when only one of two hyper-parameters matters (Bergstra & Bengio, 2012)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int


# --8<-- [start:search]
def score(u: np.ndarray, c: float, width: float = 0.05, weak: float = 0.02) -> np.ndarray:
    """Validation score of trials u (B, 2) in [0, 1]^2: a narrow peak at c in the important u[:, 0],
    plus a weak linear effect of the unimportant u[:, 1]. Its maximum is about 1 + weak."""
    return np.exp(-(((u[:, 0] - c) / width) ** 2)) + weak * u[:, 1]


def grid_trials(side: int) -> np.ndarray:
    """The side x side grid of cell centres in [0, 1]^2, (side^2, 2): only `side` distinct values per axis."""
    check_int(side, "side", 1)
    g = (np.arange(side) + 0.5) / side
    return np.stack(np.meshgrid(g, g, indexing="ij"), axis=-1).reshape(-1, 2)


def random_trials(budget: int, rng: np.random.Generator) -> np.ndarray:
    """`budget` points uniform in [0, 1]^2, (budget, 2): `budget` distinct values on every axis."""
    check_int(budget, "budget", 1)
    return rng.uniform(size=(budget, 2))


def search_regret(side: int, seeds: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Best score missed (optimum minus best trial) by grid and by random search, one value per seed.

    Each seed places the peak c uniformly in [0.05, 0.95] and draws its own random trials; both
    methods get the same budget side^2.

    Returns:
        (grid_regret, random_regret), each (seeds,).
    """
    check_int(seeds, "seeds", 1)
    grid, out = grid_trials(side), []
    for s in range(seeds):
        rng = np.random.default_rng(s)
        c = rng.uniform(0.05, 0.95)
        best = score(np.array([[c, 1.0]]), c)[0]  # 最优点: 重要参数取 c, 次要参数取 1
        out.append([best - score(grid, c).max(), best - score(random_trials(side**2, rng), c).max()])
    regret = np.array(out)
    return regret[:, 0], regret[:, 1]
# --8<-- [end:search]

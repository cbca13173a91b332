"""Small tabular data: logistic regression and gradient boosting against a small MLP (scikit-learn models)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from snippets._checks import check_int
from snippets.run_cache import shared_run

MODELS = ("logistic", "boosting", "mlp")


@cache
def _breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)  # (569, 30), 0/1
    return X, y


# --8<-- [start:compare]
def make_model(name: str, seed: int) -> Any:  # 一个 scikit-learn 估计器
    """The three models, each with its usual defaults; features standardised where the model needs it."""
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if name == "logistic":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    if name == "boosting":  # 树模型不需要标准化
        return GradientBoostingClassifier(random_state=seed)
    if name == "mlp":  # 两个 64 单元的 ReLU 隐藏层, Adam, L2 = 1e-4
        return make_pipeline(StandardScaler(), MLPClassifier((64, 64), max_iter=500, random_state=seed))
    raise ValueError(f"name must be one of {MODELS}, got {name!r}")


def heldout_accuracy(name: str, n_train: int, seed: int) -> float:
    """Train on a stratified sample of n_train of the 569 tumours, return accuracy on all the others."""
    from sklearn.model_selection import train_test_split

    if name not in MODELS:
        raise ValueError(f"name must be one of {MODELS}, got {name!r}")
    check_int(n_train, "n_train", 4)
    check_int(seed, "seed", 0)
    X, y = _breast_cancer()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, train_size=n_train, stratify=y, random_state=seed)
    model = make_model(name, seed).fit(X_tr, y_tr)
    return float(np.mean(model.predict(X_te) == y_te))
# --8<-- [end:compare]


@shared_run
def accuracy_grid(sizes: Sequence[int] = (20, 50, 100), seeds: Sequence[int] = range(5)) -> np.ndarray:
    """Held-out accuracy, shape (models, sizes, seeds)."""
    for n in sizes:
        check_int(n, "sizes", 4)
    return np.array([[[heldout_accuracy(m, n, s) for s in seeds] for n in sizes] for m in MODELS])


def comparison_claims(grid: np.ndarray) -> dict[str, bool]:
    """The numbers dl_vs_ml.md states about accuracy_grid((20, 50, 100)), each True while the run still shows it."""
    if not isinstance(grid, np.ndarray) or grid.shape != (len(MODELS), 3, 5):
        shape = getattr(grid, "shape", grid)
        raise ValueError(f"grid must be accuracy_grid((20, 50, 100))'s (3, 3, 5) array, got {shape!r}")
    lr, gb, mlp = grid  # 每个 (sizes, seeds)
    med = np.median(grid, axis=2)  # (models, sizes)
    return {
        "n=20: boosting median 90.7% (87.2% to 93.3%)": f"{med[1, 0]:.1%} ({gb[0].min():.1%} to {gb[0].max():.1%})"
        == "90.7% (87.2% to 93.3%)",
        "n=100: logistic and MLP median 96.8%, boosting 91.0%": [f"{m:.1%}" for m in med[:, 2]]
        == ["96.8%", "91.0%", "96.8%"],
        "every size: logistic median >= MLP median": bool(np.all(med[0] >= med[2])),
        "seed 1: MLP above logistic at every size (the page says seeds split)": bool(np.all(mlp[:, 1] > lr[:, 1])),
        "every size: boosting has the lowest median and the widest range": bool(
            np.all(med[1] < np.minimum(med[0], med[2]))
            and np.all(np.ptp(gb, axis=1) > np.maximum(np.ptp(lr, axis=1), np.ptp(mlp, axis=1)))),
    }

"""Data leakage in model selection: feature selection fitted on all data before cross-validation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from snippets._checks import check_int


# --8<-- [start:leak]
def leakage_scores(seed: int, n: int = 60, p: int = 2000, k: int = 20, folds: int = 5) -> tuple[float, float]:
    """5-fold CV accuracy on pure noise (labels independent of X): (selection before CV, selection inside CV).

    Args:
        seed: draws X (n, p) ~ N(0, 1) and balanced random labels y (n,).
        n, p: samples and features.  k: features kept by SelectKBest(f_classif).
        folds: number of stratified folds.

    Returns:
        (leaky, honest) mean CV accuracy; the true accuracy of any classifier here is 0.5.
    """
    for name, v, low in (("seed", seed, 0), ("n", n, 10), ("p", p, 2), ("k", k, 1), ("folds", folds, 2)):
        check_int(v, name, low)
    if k > p:
        raise ValueError(f"k must be <= p = {p}, got {k}")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = rng.permutation(np.arange(n) % 2)  # 标签与 X 无关: 任何模型的真实正确率都是 0.5
    cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
    clf = LogisticRegression(max_iter=1000)
    # 错误: 在全部数据上挑出与 y 最相关的 k 个特征, 再做交叉验证. 验证折的标签已经参与了挑选
    X_sel = SelectKBest(f_classif, k=k).fit_transform(X, y)
    leaky = cross_val_score(clf, X_sel, y, cv=cv).mean()
    # 正确: 选择是模型的一部分, 每一折只在训练折上拟合 (Pipeline 保证这一点)
    honest = cross_val_score(make_pipeline(SelectKBest(f_classif, k=k), clf), X, y, cv=cv).mean()
    return float(leaky), float(honest)
# --8<-- [end:leak]


def leakage_experiment(seeds: Sequence[int] = tuple(range(8))) -> np.ndarray:
    """leakage_scores for each seed, (len(seeds), 2): columns leaky, honest."""
    if len(seeds) == 0:
        raise ValueError("seeds must not be empty")
    return np.array([leakage_scores(s) for s in seeds])

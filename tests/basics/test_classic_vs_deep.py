"""Tests for snippets.basics.classic_vs_deep: parameter counts, the stratified split, the page's comparison."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

from snippets.basics.classic_vs_deep import MODELS, comparison_claims, heldout_accuracy, make_model


def test_parameter_counts_match_fitted_models() -> None:
    X, y = load_breast_cancer(return_X_y=True)
    lr = make_model("logistic", 0).fit(X[:100], y[:100])[-1]
    mlp = make_model("mlp", 0).fit(X[:100], y[:100])[-1]
    assert lr.coef_.size + lr.intercept_.size == 31
    assert sum(c.size for c in mlp.coefs_) + sum(b.size for b in mlp.intercepts_) == 6209


def test_split_is_stratified_and_disjoint() -> None:
    X, y = load_breast_cancer(return_X_y=True)
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, train_size=50, stratify=y, random_state=3)
    assert len(set(tr) | set(te)) == 569 and not set(tr) & set(te)
    assert abs(y[tr].sum() - 50 * y.mean()) < 1


@pytest.mark.experiment
def test_page_comparison_over_five_seeds() -> None:
    # 20 个样本的结果由页面代码块的输出逐字检查; 这里检查 100 个样本
    med = {m: np.median([heldout_accuracy(m, 100, s) for s in range(5)]) for m in MODELS}
    assert med["logistic"] > 0.95 and med["mlp"] > 0.95
    assert med["boosting"] < min(med["logistic"], med["mlp"])


def test_comparison_claims_read_the_grid() -> None:
    grid = np.stack([np.full((3, 5), 0.968), np.full((3, 5), 0.91), np.full((3, 5), 0.968)])
    claims = comparison_claims(grid)
    assert claims["every size: logistic median >= MLP median"]
    assert not claims["seed 1: MLP above logistic at every size (the page says seeds split)"]
    assert not claims["every size: boosting has the lowest median and the widest range"]  # 范围都为 0
    with pytest.raises(ValueError, match="grid"):
        comparison_claims(grid[:, :2])


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="name"):
        make_model("svm", 0)
    with pytest.raises(ValueError, match="name"):
        heldout_accuracy("svm", 20, 0)
    with pytest.raises(ValueError, match="n_train"):
        heldout_accuracy("logistic", 2, 0)
    with pytest.raises(ValueError, match="seed"):
        heldout_accuracy("logistic", 20, -1)

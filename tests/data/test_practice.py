"""Tests for leakage, k-fold, grid vs random search and the debugging checks (snippets/data)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import KFold, StratifiedKFold

from snippets.data.debug import overfit_one_batch
from snippets.data.digits_mlp import digits_split, make_mlp
from snippets.data.hpsearch import grid_trials, random_trials, score, search_regret
from snippets.data.kfold import kfold_indices, stratified_fold_ids
from snippets.data.leakage import leakage_experiment, leakage_scores


# ---------- k-fold ----------
@pytest.mark.parametrize("n, k, seed", [(10, 3, None), (23, 5, None), (23, 5, 7), (100, 10, 0), (6, 6, 3)])
def test_kfold_matches_sklearn(n: int, k: int, seed: int | None) -> None:
    ref = KFold(k, shuffle=seed is not None, random_state=seed).split(np.zeros(n))
    for (train, test), (r_train, r_test) in zip(kfold_indices(n, k, seed), ref, strict=True):
        np.testing.assert_array_equal(train, r_train)
        np.testing.assert_array_equal(test, r_test)


@pytest.mark.filterwarnings("ignore:The least populated class")
@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=6, max_size=60), st.integers(2, 5))
def test_stratified_folds_match_sklearn(labels: list[int], k: int) -> None:
    y = np.array(labels)
    if np.bincount(y).max() < k:
        return  # sklearn 也拒绝: 没有一个类的样本数达到 k
    folds = stratified_fold_ids(y, k)
    ref = list(StratifiedKFold(k).split(np.zeros(len(y)), y))
    for i, (_, test) in enumerate(ref):
        np.testing.assert_array_equal(np.flatnonzero(folds == i), test)


def test_kfold_hand_case_and_stratified_balance() -> None:
    tests = [t.tolist() for _, t in kfold_indices(7, 3)]
    assert tests == [[0, 1, 2], [3, 4], [5, 6]]  # 前 7 % 3 = 1 折多一个
    y = np.array([0] * 6 + [1] * 3)
    folds = stratified_fold_ids(y, 3)
    assert [np.bincount(y[folds == i]).tolist() for i in range(3)] == [[2, 1], [2, 1], [2, 1]]


def test_kfold_bad_input_names_the_argument() -> None:
    with pytest.raises(ValueError, match="k"):
        kfold_indices(10, 1)
    with pytest.raises(ValueError, match="n"):
        kfold_indices(2, 3)
    with pytest.raises(ValueError, match="y"):
        stratified_fold_ids(np.zeros((3, 2)), 2)


# ---------- leakage ----------
@pytest.mark.experiment
def test_selection_before_cv_inflates_the_score_on_every_seed() -> None:
    acc = leakage_experiment()  # (8, 2): leaky, honest
    assert np.all((acc[:, 0] >= 0.79) & (acc[:, 0] <= 0.99))  # 图注: 0.80 到 0.98; 速答: 都在 80% 以上
    assert 0.9 < np.median(acc[:, 0]) < 0.95  # 图注: 中位数约 0.92
    assert np.all((acc[:, 1] >= 0.39) & (acc[:, 1] <= 0.61)) and abs(np.median(acc[:, 1]) - 0.5) < 0.05
    assert np.all(acc[:, 0] > acc[:, 1] + 0.2)


def test_leakage_bad_input_names_the_argument() -> None:
    with pytest.raises(ValueError, match="k"):
        leakage_scores(0, p=10, k=20)
    with pytest.raises(ValueError, match="folds"):
        leakage_scores(0, folds=1)
    with pytest.raises(ValueError, match="seeds"):
        leakage_experiment(seeds=())


# ---------- grid vs random ----------
def test_grid_has_side_distinct_values_random_has_budget() -> None:
    g = grid_trials(4)
    assert g.shape == (16, 2) and len(np.unique(g[:, 0])) == 4
    np.testing.assert_allclose(np.unique(g[:, 0]), [0.125, 0.375, 0.625, 0.875])
    assert len(np.unique(random_trials(16, np.random.default_rng(0))[:, 0])) == 16
    assert score(np.array([[0.3, 1.0]]), 0.3)[0] == pytest.approx(1.02)


@pytest.mark.experiment
def test_random_search_has_lower_median_regret_at_every_budget() -> None:
    for side in (3, 4, 5, 6, 8):
        grid, rand = search_regret(side)
        assert np.median(rand) < 0.5 * np.median(grid)
        assert 0.6 < np.mean(rand < grid)
    grid, rand = search_regret(2)  # 预算 4: 两种方法基本都找不到峰
    assert np.median(grid) > 0.8 and np.median(rand) > 0.8


def test_search_bad_input_names_the_argument() -> None:
    with pytest.raises(ValueError, match="side"):
        grid_trials(0)
    with pytest.raises(ValueError, match="budget"):
        random_trials(0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="seeds"):
        search_regret(3, seeds=0)


# ---------- debugging ----------
@pytest.mark.experiment
def test_overfit_one_batch_reaches_zero_but_double_softmax_stalls_above_its_floor() -> None:
    s = digits_split(0, 300)
    X, y = s.X_train[:32], s.y_train[:32]
    good = overfit_one_batch(make_mlp(64, 0), X, y)
    bad = overfit_one_batch(make_mlp(64, 0), X, y, softmax_first=True)
    assert abs(good[0] - math.log(10)) < 0.1  # 初始损失约为 ln K
    assert good[-1] < 0.01
    floor = math.log(math.e + 9) - 1  # 两次 softmax 的下界 (见 Softmax 一页)
    assert np.all(bad >= floor - 1e-6) and bad[-1] > 100 * good[-1]
    assert 1.55 <= bad[-1] < 1.65  # 页面: 100 步后仍在 1.6 左右


def test_detect_anomaly_names_the_backward_that_made_nan() -> None:
    x = torch.tensor([0.0, 4.0], requires_grad=True)
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="SqrtBackward0"):
        with torch.autograd.detect_anomaly():
            (torch.sqrt(x) * 0).sum().backward()


def test_overfit_bad_input_names_the_argument() -> None:
    X = np.zeros((4, 64), dtype=np.float32)
    with pytest.raises(ValueError, match="steps"):
        overfit_one_batch(make_mlp(4, 0), X, np.zeros(4, dtype=np.int64), steps=0)
    with pytest.raises(ValueError, match="y"):
        overfit_one_batch(make_mlp(4, 0), X, np.zeros(3, dtype=np.int64))

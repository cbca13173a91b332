"""Tests for snippets.cnn.pooling and pooling_shift: PyTorch in float64, hand cases, the shift experiment."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.cnn.pooling import avg_pool2d, global_avg_pool2d, max_pool2d, max_pool2d_backward, max_unpool2d
from snippets.cnn.pooling_shift import median_range, shift_change, shift_change_seeds

GRID = list(itertools.product([5, 6, 7], [2, 3], [1, 2, 3], [0, 1], [False, True]))


@pytest.mark.parametrize("H, k, s, p, ceil", GRID)
def test_max_pool2d_values_indices_and_backward_match_torch(H: int, k: int, s: int, p: int, ceil: bool) -> None:
    rng = np.random.default_rng(H * 100 + k * 10 + s)
    X = rng.standard_normal((2, 3, H, H + 1))  # 连续分布: 不会出现并列最大值
    Xt = torch.tensor(X, requires_grad=True)
    Yt, It = F.max_pool2d(Xt, k, s, p, ceil_mode=ceil, return_indices=True)
    Y, idx = max_pool2d(X, k, s, p, ceil)
    np.testing.assert_array_equal(Y, Yt.detach().numpy())
    np.testing.assert_array_equal(idx, It.numpy())
    dY = rng.standard_normal(Y.shape)
    Yt.backward(torch.from_numpy(dY))
    np.testing.assert_allclose(max_pool2d_backward(dY, idx, X.shape), Xt.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("H, k, s, p", [(6, 2, 2, 0), (7, 3, 2, 1), (5, 3, 1, 1), (8, 4, 4, 2)])
def test_avg_and_global_avg_pool_match_torch(H: int, k: int, s: int, p: int) -> None:
    X = np.random.default_rng(0).standard_normal((2, 3, H, H))
    Xt = torch.from_numpy(X)
    np.testing.assert_allclose(avg_pool2d(X, k, s, p), F.avg_pool2d(Xt, k, s, p).numpy(), rtol=1e-12, atol=1e-12)
    expected = F.adaptive_avg_pool2d(Xt, 1).flatten(1).numpy()
    np.testing.assert_allclose(global_avg_pool2d(X), expected, rtol=1e-12, atol=1e-12)


def test_max_unpool2d_matches_nn_maxunpool2d() -> None:
    X = np.random.default_rng(1).standard_normal((2, 3, 6, 8))
    Y, idx = max_pool2d(X, 2)
    expected = F.max_unpool2d(torch.from_numpy(Y), torch.from_numpy(idx), 2, output_size=(6, 8)).numpy()
    np.testing.assert_array_equal(max_unpool2d(Y, idx, (6, 8)), expected)


def test_pooling_by_hand_keeps_channels_and_has_no_parameters() -> None:
    X = np.array([[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 5.0], [0.0, 1.0, 3.0, 2.0], [2.0, 6.0, 1.0, 1.0]])
    Y, idx = max_pool2d(X[None, None], 2)
    np.testing.assert_array_equal(Y[0, 0], [[4.0, 5.0], [6.0, 3.0]])
    np.testing.assert_array_equal(idx[0, 0], [[4, 7], [13, 10]])
    np.testing.assert_array_equal(avg_pool2d(X[None, None], 2)[0, 0], [[2.5, 2.0], [2.25, 1.75]])
    # 梯度只流向每个窗口的最大值
    dX = max_pool2d_backward(np.ones((1, 1, 2, 2)), idx, (1, 1, 4, 4))[0, 0]
    assert dX.sum() == 4 and set(np.flatnonzero(dX)) == {4, 7, 13, 10}
    assert max_pool2d(np.zeros((2, 7, 4, 4)), 2)[0].shape[1] == 7  # 通道数不变
    assert sum(p.numel() for p in torch.nn.MaxPool2d(2).parameters()) == 0


def test_overlapping_windows_accumulate_gradient_on_a_shared_max() -> None:
    X = np.array([[[[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]]])  # 中间的 1 同时是两个 2x2 窗口 (s=1) 的最大值
    _, idx = max_pool2d(X, 2, stride=1)
    np.testing.assert_array_equal(idx[0, 0], [[1, 1]])
    np.testing.assert_array_equal(max_pool2d_backward(np.ones((1, 1, 1, 2)), idx, X.shape)[0, 0, 0], [0, 2, 0])


@pytest.mark.experiment
@pytest.mark.parametrize("seed", range(10))
def test_shift_experiment_shows_partial_robustness_that_fades_beyond_the_window_on_every_seed(seed: int) -> None:
    t = np.arange(9)
    none, max2, max4 = (shift_change(kind, k, t, seed=seed) for kind, k in [("none", 1), ("max", 2), ("max", 4)])
    assert none[0] == max2[0] == 0.0
    assert max2[1] < 0.75 * none[1] and max4[1] < 0.4 * none[1]  # 1 像素的平移: 池化后变化明显更小
    assert max4[1] < max2[1]  # 窗口越大越稳
    assert np.all((max2[2:] > 0.9 * none[2:]) & (max2[2:] < none[2:]))  # 平移达到窗口大小: 几乎和不池化一样敏感
    assert np.all(np.diff(max4[:5]) > 0)  # 变化随平移量增大, 不是"不变"
    # k = 4: t >= k 后停在不池化的约 0.77 倍, 并不回到不池化的水平
    assert np.all((max4[4:] > 0.7 * none[4:]) & (max4[4:] < 0.85 * none[4:]))
    # 图注: k = 2 时最大与平均池化几乎重合, k = 4 时平均池化略高
    avg2, avg4 = shift_change("avg", 2, t, seed=seed), shift_change("avg", 4, t, seed=seed)
    assert np.abs(avg2 - max2).max() < 0.03 and np.all(avg4[1:] > max4[1:])


def test_seed_runs_stack_one_row_per_seed_and_summarise_to_median_and_range() -> None:
    t = np.arange(3)
    runs = shift_change_seeds("max", 2, t, seeds=range(3, 8))
    assert runs.shape == (5, 3)
    np.testing.assert_allclose(runs[2], shift_change("max", 2, t, seed=5), rtol=1e-12)
    assert not np.allclose(runs[0], runs[1])  # 每个种子是新的一组随机图
    # density = 1 (每个像素都非零) 和一串 Python 整数的平移量都是合法输入
    assert shift_change("max", 2, [0, 1], n=3, density=1.0).shape == (2,)
    med, lo, hi = median_range(np.array([[3.0, 0.0], [1.0, 4.0], [2.0, 8.0]]))
    np.testing.assert_array_equal(np.stack([med, lo, hi]), [[2.0, 4.0], [1.0, 0.0], [3.0, 8.0]])


@pytest.mark.parametrize(
    "fn, args, error, match",
    [
        (max_pool2d, (np.zeros((1, 1, 4, 4)), 2, 2, 2), ValueError, "padding must be at most"),
        (avg_pool2d, (np.zeros((4, 4)), 2), ValueError, "X must have 4 dimensions"),
        (global_avg_pool2d, (np.zeros((1, 1, 2, 2), dtype=int),), TypeError, "X must be a floating"),
        (max_pool2d_backward, (np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 2)), (1, 1, 4, 4)), ValueError, "indices"),
        (max_unpool2d, (np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)), (4, 4)), ValueError, "indices"),
        (shift_change, ("min", 2, np.arange(3)), ValueError, "kind"),
        (shift_change, ("max", 3, np.arange(3)), ValueError, "size must be a multiple of kernel_size"),
        (shift_change, ("max", 2, np.arange(3), 10, 16, 0.0), ValueError, "density"),
        (shift_change, ("max", 2, np.arange(3), 10, 16, -0.1), ValueError, "density"),
        (shift_change, ("max", 2, np.arange(3), 10, 16, 1.5), ValueError, "density"),
        (shift_change, ("max", 2, np.arange(3), 10, 16, float("nan")), ValueError, "density"),
        (shift_change, ("max", 2, np.arange(3), 10, 16, "0.05"), TypeError, "density"),
        (shift_change, ("max", 2, np.array([0.0, 1.5])), TypeError, "shifts must be a 1-D array of integers"),
        (shift_change, ("max", 2, np.array([[0, 1]])), TypeError, "shifts must be a 1-D array of integers"),
        (shift_change_seeds, ("max", 2, np.arange(3), range(4)), ValueError, "seeds must hold at least 5"),
        (shift_change_seeds, ("max", 2, np.arange(3), [7, 7, 7, 7, 7]), ValueError, "at least 5 distinct seeds"),
        (shift_change_seeds, ("max", 2, np.arange(3), [0, 1, 2, 3, 3, 2]), ValueError, "at least 5 distinct seeds"),
        (median_range, (np.zeros((0, 3)),), ValueError, "runs must have at least one seed"),
    ],
    ids=["max_pool2d", "avg_pool2d", "global_avg_pool2d", "max_pool2d_backward", "max_unpool2d", "shift_change",
         "shift_change-size", "shift_change-density-0", "shift_change-density-negative", "shift_change-density-above-1",
         "shift_change-density-nan", "shift_change-density-str", "shift_change-float-shifts", "shift_change-2d-shifts",
         "shift_change_seeds", "shift_change_seeds-repeated", "shift_change_seeds-4-distinct", "median_range"],
)
def test_bad_input_raises_with_argument_name(fn, args, error, match) -> None:
    with pytest.raises(error, match=match):
        fn(*args)

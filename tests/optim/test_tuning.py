"""Tests for snippets.optim.tuning: the grid, the spread, and the lr-vs-momentum outcome on load_digits."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from snippets.optim.digits_sgd import train_softmax
from snippets.optim.tuning import lr_momentum_grid, spread

LRS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
MOMENTA = (0.0, 0.5, 0.9)


def test_grid_cells_are_the_runs_they_name() -> None:
    grid = lr_momentum_grid((0.1, 0.5), (0.0, 0.9), 1, (0, 1), batch_size=200)
    assert grid.shape == (2, 2, 2)
    np.testing.assert_allclose(grid[1, 1], train_softmax(200, 0.5, 1, (0, 1), momentum=0.9).loss[:, -1], rtol=1e-12)


def test_spread_hand_case() -> None:
    med = np.array([[2.0, 1.0], [0.5, 0.25], [1.0, 1.0]])
    np.testing.assert_allclose(spread(med, 0), [4.0, 4.0])
    np.testing.assert_allclose(spread(med, 1), [2.0, 2.0, 1.0])


@functools.cache
def _grid() -> np.ndarray:
    return lr_momentum_grid(LRS, MOMENTA, 2, (0, 1, 2, 3, 4))


@pytest.mark.experiment
def test_lr_moves_the_loss_more_than_momentum_once_lr_is_tuned() -> None:
    med = np.median(_grid(), axis=2)  # (7, 3)
    np.testing.assert_allclose(spread(med, 0), [10.4, 12.1, 14.0], atol=0.1)  # 每个 mu 下只改 eta: 都 > 10 倍
    np.testing.assert_allclose(med.min(axis=0), [0.208, 0.167, 0.153], atol=0.01)  # 每个 mu 调好 eta 后
    assert spread(med.min(axis=0)[None], 1)[0] < 1.5  # 调好 eta 后, 动量只再改变不到 1.5 倍
    assert list(np.array(LRS)[med.argmin(axis=0)]) == [3.0, 3.0, 0.3]
    s = spread(med, 1)
    assert 1.55 < s.min() < 1.65 and 6.6 < s.max() < 6.8  # 固定 eta 时改 mu 影响也不小: 它改变了有效步长


@pytest.mark.experiment
def test_momentum_acts_mostly_through_the_effective_step() -> None:
    med = np.median(_grid(), axis=2)
    for i in (2, 3, 4):  # eta = 0.1, 0.3, 1 且 mu = 0, 对比 eta / 10 且 mu = 0.9: 有效步长相同
        assert abs(med[i - 2, 2] / med[i, 0] - 1) < 0.15
    # 有效步长 3 和 10 (eta = 3, 10 且 mu = 0, 对比 eta = 0.3, 1 且 mu = 0.9): 不再等效, 动量大的低 20% 与 45% 以上
    assert med[3, 2] / med[5, 0] < 0.8 and med[4, 2] / med[6, 0] < 0.55
    unstable = _grid()[LRS.index(10.0), 2]  # 有效步长 100: 种子之间差很大
    assert 2.1 < np.median(unstable) < 2.2 and 1.1 < unstable.min() < 1.25 and 2.9 < unstable.max() < 3.0


def test_tuning_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="lrs and momenta"):
        lr_momentum_grid((), (0.0,), 1, (0,))
    with pytest.raises(ValueError, match="medians"):
        spread(np.array([1.0, 2.0]), 0)
    with pytest.raises(ValueError, match="axis"):
        spread(np.ones((2, 2)), 2)

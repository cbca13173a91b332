"""snippets.norm.fitting: the three regimes on digits over 5 seeds, early stopping hand cases, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.norm.fitting import Curves, early_stopping_step, fitting_runs, train_curves


@pytest.fixture(scope="module")
def runs() -> dict[str, list[Curves]]:
    return fitting_runs()


@pytest.mark.experiment
def test_underfit_model_is_bad_on_both_sets_with_no_gap(runs: dict[str, list[Curves]]) -> None:
    for r in runs["underfit"]:
        assert r.train_acc[-1] < 0.6 and r.val_acc[-1] < 0.6
        assert abs(r.train_loss[-1] - r.val_loss[-1]) < 0.15


@pytest.mark.experiment
def test_overfit_model_fits_training_set_and_leaves_a_large_gap(runs: dict[str, list[Curves]]) -> None:
    for r in runs["overfit"]:
        assert r.train_acc[-1] == 1.0 and r.val_acc[-1] < 0.93
        assert r.val_loss[-1] > 50 * r.train_loss[-1]


@pytest.mark.experiment
def test_more_data_narrows_the_gap_for_every_seed(runs: dict[str, list[Curves]]) -> None:
    for small, big in zip(runs["overfit"], runs["more data"], strict=True):
        assert big.val_acc[-1] > small.val_acc[-1] + 0.04
        assert big.val_loss[-1] < small.val_loss[-1] / 2


def test_early_stopping_hand_cases() -> None:
    v = np.array([5.0, 4.0, 3.0, 3.5, 3.2, 3.1, 2.9, 3.0])
    assert early_stopping_step(v, patience=3) == 2  # 3 次 (3.5, 3.2, 3.1) 都没有刷新 3.0
    assert early_stopping_step(v, patience=4) == 6  # 第 4 次 (2.9) 刷新了
    assert early_stopping_step(np.arange(5.0, 0.0, -1.0), patience=1) == 4


def test_curves_are_recorded_every_few_steps_from_step_zero() -> None:
    c = train_curves(4, 50, 0, steps=20, every=5)
    assert c.steps == (0, 5, 10, 15, 20) and len(c.val_acc) == 5


def test_bad_inputs_raise_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="patience"):
        early_stopping_step(np.ones(3), 0)
    with pytest.raises(ValueError, match="val_loss"):
        early_stopping_step(np.ones((2, 2)), 2)
    with pytest.raises(ValueError, match="width"):
        train_curves(0, 100, 0)
    with pytest.raises(ValueError, match="n_train"):
        train_curves(4, 5, 0)

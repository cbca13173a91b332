"""snippets.norm.dropout_experiment: what dropout does to the train/validation gap on 150 digits."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.norm.dropout_experiment import GapRun, dropout_gap_sweep, train_with_dropout


@pytest.fixture(scope="module")
def sweep() -> dict[float, list[GapRun]]:
    return dropout_gap_sweep()


@pytest.mark.experiment
def test_every_run_fits_the_training_set(sweep: dict[float, list[GapRun]]) -> None:
    assert all(r.train_accuracy > 0.999 for r in sweep[0.0])
    assert all(r.train_accuracy >= 0.98 for runs in sweep.values() for r in runs)


@pytest.mark.experiment
def test_more_dropout_raises_training_loss_and_narrows_the_loss_gap_for_every_seed(
    sweep: dict[float, list[GapRun]],
) -> None:
    for a, b, c in zip(sweep[0.0], sweep[0.2], sweep[0.5], strict=True):
        assert a.train_loss < b.train_loss < c.train_loss
        assert c.val_loss - c.train_loss < a.val_loss - a.train_loss


@pytest.mark.experiment
def test_validation_accuracy_moves_by_less_than_two_points(sweep: dict[float, list[GapRun]]) -> None:
    med = {p: float(np.median([r.val_accuracy for r in runs])) for p, runs in sweep.items()}
    assert all(abs(med[p] - med[0.0]) < 0.02 for p in med)
    assert all(0.915 <= m <= 0.935 for m in med.values())  # the page: medians 92% to 93%
    acc = [[r.val_accuracy for r in runs] for runs in sweep.values()]
    assert all(0.91 <= v <= 0.94 for a in acc for v in a)
    assert max(min(a) for a in acc) <= min(max(a) for a in acc)  # the three ranges overlap


def test_bad_inputs_raise_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="p must"):
        train_with_dropout(1.0, 0)
    with pytest.raises(ValueError, match="steps"):
        train_with_dropout(0.5, 0, steps=0)
    with pytest.raises(ValueError, match="n_train"):
        train_with_dropout(0.5, 0, n_train=5)

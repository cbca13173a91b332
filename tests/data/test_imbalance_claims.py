"""The claims the imbalance page makes about its 5-seed experiment (the same run as its figures)."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.data.imbalance_experiment import METHODS, imbalance_runs, imbalanced_digits, summary

pytestmark = pytest.mark.experiment


@pytest.fixture(scope="module")
def med() -> dict[str, tuple[float, float, float]]:
    """name -> median over seeds of (balanced accuracy, minority recall, accuracy at the training prior)."""
    runs = imbalance_runs()
    counts = np.bincount(imbalanced_digits(0).y_tr)
    prior = counts / counts.sum()
    out = {}
    for name, r in runs.items():
        assert r.shape == (5, 10)
        bal, mino = summary(r)
        out[name] = (float(np.median(bal)), float(np.median(mino)), float(np.median(r @ prior)))
    return out


def test_cutting_three_classes_hurts_them_and_hides_from_prior_weighted_accuracy(med: dict) -> None:
    assert med["CE"][1] < 0.65 and med["balanced data"][1] > 0.9
    assert abs(med["CE"][1] - 0.47) < 0.05  # 页面：“约 0.47”
    assert abs(med["CE"][2] - med["balanced data"][2]) < 0.02
    assert med["balanced data"][0] - med["CE"][0] > 0.1


def test_undersampling_and_threshold_moving_raise_minority_recall_to_about_078(med: dict) -> None:
    for name in ("undersample", "threshold moving"):
        assert abs(med[name][1] - 0.78) < 0.05
    assert med["undersample"][1] > med["CE"][1] + 0.15


def test_every_frequency_aware_remedy_raises_minority_recall_by_015(med: dict) -> None:
    for name in METHODS:
        if name not in ("CE", "focal loss", "tau-normalisation"):
            assert med[name][1] > med["CE"][1] + 0.15, name


def test_logit_adjustment_and_threshold_moving_have_the_top_two_balanced_accuracies(med: dict) -> None:
    ranked = sorted((n for n in METHODS), key=lambda n: med[n][0], reverse=True)
    assert set(ranked[:2]) == {"logit-adjusted loss", "threshold moving"}


def test_focal_loss_and_tau_norm_barely_move_and_undersampling_loses_to_oversampling(med: dict) -> None:
    for name in ("focal loss", "tau-normalisation"):
        assert med[name][1] - med["CE"][1] < 0.1
        assert abs(med[name][0] - med["CE"][0]) < 0.03
    assert med["undersample"][0] < med["oversample"][0]
    assert med["oversample"][1] < med["balanced data"][1] - 0.15
    assert med["CE"][1] < med["classifier re-training"][1] < med["threshold moving"][1]

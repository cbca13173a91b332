"""Tests for snippets.data.pr_vs_roc: AP falls as negatives grow, ROC-AUC stays at its population value."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm
from sklearn import metrics

from snippets.data.pr_vs_roc import auc_and_ap, scores


@pytest.mark.experiment
def test_ap_falls_with_every_seed_while_roc_auc_stays_near_its_population_value() -> None:
    ratios = (1, 10, 100)
    r = auc_and_ap(100, ratios, tuple(range(5)))
    assert (np.diff(r[:, :, 1], axis=1) < 0).all()
    population = norm.cdf(1.5 / np.sqrt(2))
    assert np.abs(np.median(r[:, :, 0], axis=0) - population).max() < 0.02


def test_values_match_sklearn() -> None:
    r = auc_and_ap(20, (1, 3), (0, 1))
    for i, seed in enumerate((0, 1)):
        for j, ratio in enumerate((1, 3)):
            y, s = scores(20, 20 * ratio, seed)
            assert r[i, j, 0] == pytest.approx(metrics.roc_auc_score(y, s))
            assert r[i, j, 1] == pytest.approx(metrics.average_precision_score(y, s))


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="n_neg"):
        scores(10, 0, 0)
    with pytest.raises(ValueError, match="seed"):
        scores(10, 10, -1)
    with pytest.raises(ValueError, match="n_pos"):
        auc_and_ap(0, (1,), (0,))

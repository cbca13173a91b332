"""snippets.norm.small_batch: BN's train/eval gap shrinks like 1/sqrt(B); GN has none."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.norm.family import group_norm
from snippets.norm.small_batch import bn_train_eval_gap, digits_features, gap_vs_batch_size


def test_digits_features_shape_and_relu() -> None:
    F = digits_features()
    assert F.shape == (1797, 8, 6, 6) and F.min() == 0.0


def test_gap_is_zero_when_the_batch_is_the_whole_set() -> None:
    F = digits_features()[:64]
    assert bn_train_eval_gap(F, 64, np.random.default_rng(0), n_batches=2) < 1e-6


@pytest.mark.experiment
def test_gap_falls_like_one_over_sqrt_batch_size_for_every_seed() -> None:
    runs = gap_vs_batch_size()
    Bs = sorted(runs)
    g = np.array([runs[B] for B in Bs])  # (batch sizes, seeds)
    assert np.all(g[0] > 5 * g[-1])
    scaled = np.median(g, axis=1) * np.sqrt(Bs)
    assert np.all((scaled > 0.12) & (scaled < 0.3))


def test_group_norm_of_a_sample_does_not_depend_on_its_batch_mates() -> None:
    F = digits_features()[:10]
    g, b = np.ones(8), np.zeros(8)
    alone = group_norm(F[:1], 4, g, b)[0]
    with_mates = group_norm(F, 4, g, b)[0][:1]
    np.testing.assert_allclose(alone, with_mates, rtol=1e-12, atol=1e-12)


def test_bad_inputs_raise_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="B must"):
        bn_train_eval_gap(np.ones((4, 2, 3, 3)), 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="F"):
        bn_train_eval_gap(np.ones((4, 2)), 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match="channels"):
        digits_features(channels=0)

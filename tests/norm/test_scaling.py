"""snippets.norm.scaling: scikit-learn's scalers, hand cases, the GD and saturation claims, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from snippets.norm.scaling import (
    gd_least_squares,
    hessian_condition,
    min_max_scale,
    saturated_share,
    standardize,
    steps_to_tolerance,
    two_scale_data,
)


def test_scalers_match_scikit_learn() -> None:
    X = np.random.default_rng(0).normal(5.0, 3.0, size=(50, 4))
    np.testing.assert_allclose(min_max_scale(X), MinMaxScaler().fit_transform(X), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(
        min_max_scale(X, -1.0, 1.0), MinMaxScaler((-1, 1)).fit_transform(X), rtol=1e-12, atol=1e-14
    )
    np.testing.assert_allclose(
        standardize(X, X.mean(0), X.std(0)), StandardScaler().fit_transform(X), rtol=1e-10, atol=1e-12
    )


def test_hand_case_min_max_and_constant_column() -> None:
    X = np.array([[0.0, 7.0], [5.0, 7.0], [10.0, 7.0]])
    np.testing.assert_allclose(min_max_scale(X, -1.0, 1.0), [[-1, -1], [0, -1], [1, -1]])
    np.testing.assert_allclose(standardize(X, X.mean(0), X.std(0))[:, 1], 0.0)


def test_gd_with_step_one_over_l_solves_an_identity_hessian_in_one_step() -> None:
    X = np.sqrt(4.0) * np.eye(4)  # X^T X / N = I
    y = np.array([1.0, -2.0, 3.0, 0.5])
    path = gd_least_squares(X, y, steps=1)
    np.testing.assert_allclose(path[1], np.linalg.solve(X, y), rtol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_standardizing_cuts_the_condition_number_and_gd_converges_only_then(seed: int) -> None:
    X, y = two_scale_data(seed)
    Xs = X.copy()
    Xs[:, :2] = standardize(X[:, :2], X[:, :2].mean(0), X[:, :2].std(0))
    assert hessian_condition(X) > 1e6
    assert hessian_condition(Xs) < 1.5
    assert steps_to_tolerance(X, y) is None
    steps = steps_to_tolerance(Xs, y)
    assert steps is not None and steps <= 5


@pytest.mark.parametrize("seed", range(5))
def test_raw_digit_pixels_saturate_a_lecun_initialized_sigmoid_layer(seed: int) -> None:
    D = load_digits().data
    assert 0.5 < saturated_share(D, seed) < 0.7
    assert saturated_share(standardize(D, D.mean(0), D.std(0)), seed) < 0.01


def test_bad_inputs_raise_naming_the_argument() -> None:
    X = np.ones((3, 2))
    with pytest.raises(TypeError, match="X"):
        min_max_scale(np.ones((3, 2), dtype=int))
    with pytest.raises(ValueError, match="low"):
        min_max_scale(X, 1.0, 0.0)
    with pytest.raises(ValueError, match="std"):
        standardize(X, np.zeros(2), np.ones(3))
    with pytest.raises(ValueError, match="std"):
        standardize(X, np.zeros(2), -np.ones(2))
    with pytest.raises(ValueError, match="steps"):
        gd_least_squares(X, np.ones(3), 0)
    with pytest.raises(ValueError, match="y"):
        gd_least_squares(X, np.ones(4), 3)
    with pytest.raises(ValueError, match="X"):
        hessian_condition(X)
    with pytest.raises(ValueError, match="seed"):
        two_scale_data(-1)
    with pytest.raises(ValueError, match="units"):
        saturated_share(X, 0, units=0)
    with pytest.raises(ValueError, match="rel_tol"):
        steps_to_tolerance(X, np.ones(3), rel_tol=2.0)

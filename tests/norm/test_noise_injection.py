"""snippets.norm.noise_injection: input noise in least squares equals an L2 penalty, checked three ways."""

from __future__ import annotations

import math

import numpy as np
import pytest

from snippets.norm.noise_injection import expected_noisy_mse, noisy_mse, ridge


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + 0.3 * rng.standard_normal(40)


def test_expected_noisy_loss_hand_case() -> None:
    X, y, w = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, 0.0]), np.array([2.0, 1.0])
    # 干净损失 ((2 - 1)^2 + 1^2) / 2 = 1, 加 sigma^2 ||w||^2 = 0.25 * 5
    assert math.isclose(expected_noisy_mse(X, y, w, 0.5), 1.0 + 1.25, rel_tol=1e-12)


def test_monte_carlo_average_of_noisy_loss_matches_the_penalised_loss() -> None:
    X, y = _data()
    w = np.array([0.8, -1.5, 0.2])
    rng = np.random.default_rng(1)
    draws = np.array([noisy_mse(X, y, w, 0.7, rng) for _ in range(4000)])
    se = draws.std() / math.sqrt(len(draws))
    assert abs(draws.mean() - expected_noisy_mse(X, y, w, 0.7)) < 5 * se


def test_ridge_with_lambda_sigma_squared_minimises_the_expected_noisy_loss() -> None:
    X, y = _data()
    sigma = 0.7
    w_star = ridge(X, y, sigma**2)
    f = lambda w: expected_noisy_mse(X, y, w, sigma)  # noqa: E731
    h = 1e-5
    grad = np.array([(f(w_star + h * e) - f(w_star - h * e)) / (2 * h) for e in np.eye(3)])  # 中心差分
    np.testing.assert_allclose(grad, 0.0, atol=1e-7)
    assert np.linalg.norm(w_star) < np.linalg.norm(ridge(X, y, 0.0))  # 收缩


def test_bad_inputs_name_the_argument() -> None:
    X, y, w = np.ones((3, 2)), np.ones(3), np.ones(2)
    with pytest.raises(ValueError, match="sigma"):
        expected_noisy_mse(X, y, w, -1.0)
    with pytest.raises(ValueError, match="w"):
        expected_noisy_mse(X, y, np.ones(3), 0.1)
    with pytest.raises(ValueError, match="y"):
        noisy_mse(X, np.ones(4), w, 0.1, np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng"):
        noisy_mse(X, y, w, 0.1, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lam"):
        ridge(X, y, -0.5)

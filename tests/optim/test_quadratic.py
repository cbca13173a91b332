"""Tests for snippets.optim.quadratic: the bowl, its gradient, and trajectories."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.optim.adaptive import Adam
from snippets.optim.quadratic import bowl, bowl_grad, trajectory
from snippets.optim.sgd import SGD


def test_bowl_grad_matches_torch_autograd() -> None:
    p = np.random.default_rng(0).standard_normal((7, 2)) * 5
    pt = torch.tensor(p, requires_grad=True)
    (pt[:, 0] ** 2 / 20 + pt[:, 1] ** 2).sum().backward()
    np.testing.assert_allclose(bowl_grad(p), pt.grad.numpy(), rtol=1e-14)
    np.testing.assert_allclose(bowl(p), (pt[:, 0] ** 2 / 20 + pt[:, 1] ** 2).detach().numpy(), rtol=1e-14)


def test_gd_on_the_bowl_contracts_each_coordinate_by_one_minus_lr_times_curvature() -> None:
    path = trajectory(SGD(0.95), steps=30)
    k = np.arange(31)
    # x 方向曲率 1/10, y 方向曲率 2: x_t = (1 - 0.095)^t x_0, y_t = (1 - 1.9)^t y_0 = (-0.9)^t y_0
    np.testing.assert_allclose(path[:, 0], -7.0 * 0.905**k, rtol=1e-12)
    np.testing.assert_allclose(path[:, 1], 2.0 * (-0.9) ** k, rtol=1e-12)


def test_trajectory_has_steps_plus_one_points_starting_at_start() -> None:
    path = trajectory(Adam(0.3), start=(1.0, -1.0), steps=5)
    assert path.shape == (6, 2)
    np.testing.assert_array_equal(path[0], [1.0, -1.0])


def test_bowl_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="p must"):
        bowl(np.zeros(3))
    with pytest.raises(ValueError, match="p must"):
        bowl_grad(np.zeros((2, 2), dtype=int))
    with pytest.raises(ValueError, match="steps"):
        trajectory(SGD(0.1), steps=0)

"""Tests for snippets.optim.quadratic: the bowl, its gradient, and trajectories."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.optim.adaptive import Adam
from snippets.optim.quadratic import bowl, bowl_grad, jitter_std, noisy_gd_1d, trajectory
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


@pytest.mark.experiment
def test_adam_lowest_y_on_the_bowl_is_minus_0_708_at_step_14() -> None:
    # 页面: Adam (lr 0.3) 的 y 从 2 冲过 0, 第 14 步到最低的 -0.708, 再摆回正值
    y = trajectory(Adam(0.3), start=(-7.0, 2.0), steps=30)[:, 1]
    assert int(np.argmin(y)) == 14
    np.testing.assert_allclose(y.min(), -0.708, atol=5e-4)
    assert y[-1] > 0.3


def test_noisy_gd_matches_torch_sgd_fed_the_same_noisy_gradients() -> None:
    lr, h, sigma = 0.3, 2.0, 0.5
    ours = noisy_gd_1d(lr, 200, seed=3, h=h, sigma=sigma)
    xi = np.random.default_rng(3).standard_normal(200)
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=lr)
    theirs = []
    for t in range(200):
        p.grad = h * p.detach().clone() + sigma * xi[t]
        opt.step()
        theirs.append(float(p.detach()[0]))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-14)


def test_jitter_std_is_the_fixed_point_of_the_variance_recursion() -> None:
    for lr, h, sigma in ((0.01, 1.0, 1.0), (0.5, 3.0, 0.2), (1.9, 1.0, 2.0)):
        var = jitter_std(lr, h, sigma) ** 2
        np.testing.assert_allclose((1 - lr * h) ** 2 * var + lr**2 * sigma**2, var, rtol=1e-12)


@pytest.mark.experiment
@pytest.mark.parametrize("seed", range(5))
def test_constant_lr_jitter_grows_like_sqrt_lr_not_like_lr(seed: int) -> None:
    # 每个种子单独成立: 实测的稳态标准差在理论值的 10% 以内, 学习率乘 4 时标准差约乘 2 (而不是 4)
    stds = {lr: noisy_gd_1d(lr, 21_000, seed)[1000:].std() for lr in (0.01, 0.04, 0.16)}
    for lr, s in stds.items():
        np.testing.assert_allclose(s, jitter_std(lr), rtol=0.1)
    for small, big in ((0.01, 0.04), (0.04, 0.16)):
        assert 1.7 < stds[big] / stds[small] < 2.4


def test_bowl_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="p must"):
        bowl(np.zeros(3))
    with pytest.raises(ValueError, match="p must"):
        bowl_grad(np.zeros((2, 2), dtype=int))
    with pytest.raises(ValueError, match="steps"):
        trajectory(SGD(0.1), steps=0)
    with pytest.raises(ValueError, match="lr"):
        noisy_gd_1d(2.5, 10, seed=0)
    with pytest.raises(ValueError, match="steps"):
        noisy_gd_1d(0.1, 0, seed=0)
    with pytest.raises(ValueError, match="lr"):
        jitter_std(0.0)

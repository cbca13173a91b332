"""Tests for snippets.basics.universal_approx: width helps tanh networks, never a polynomial activation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.basics.universal_approx import adam_update, best_output_layer_mse, fit_1d, predict_1d, target

X = np.linspace(-2.0, 2.0, 100)


def test_more_hidden_units_fit_the_target_better() -> None:
    # 页面的图: seed 0, 2000 步 Adam. H = 2 的误差 > 0.04; H = 8 与 64 都 < 5e-3
    _, mse2 = fit_1d(2, seed=0)
    _, mse8 = fit_1d(8, seed=0)
    assert mse2 > 0.04 and mse8 < 5e-3


def test_predict_1d_reproduces_the_reported_training_error() -> None:
    params, mse = fit_1d(8, seed=1, steps=200)
    assert np.mean((predict_1d(params, X) - target(X)) ** 2) == pytest.approx(mse, rel=1e-12)


@pytest.mark.parametrize("hidden", [2, 3, 8, 64, 256])
def test_square_activation_never_beats_the_best_quadratic(hidden: int) -> None:
    best_quadratic = np.mean((np.polyval(np.polyfit(X, target(X), 2), X) - target(X)) ** 2)
    mse = best_output_layer_mse(X, target(X), hidden, "square", seed=0)
    assert mse == pytest.approx(best_quadratic, rel=1e-8)
    assert mse > 0.4


def test_tanh_random_features_interpolate_with_enough_units() -> None:
    assert best_output_layer_mse(X, target(X), 64, "tanh", seed=0) < 1e-10
    assert best_output_layer_mse(X, target(X), 8, "tanh", seed=0) < 1e-2


def test_bad_input_raises_with_argument_name() -> None:
    with pytest.raises(ValueError, match="hidden must be an int >= 1"):
        fit_1d(0, seed=0)
    with pytest.raises(ValueError, match="lr must be a positive float"):
        fit_1d(4, seed=0, lr=-0.1)
    with pytest.raises(ValueError, match="x must be a 1-D array"):
        predict_1d(fit_1d(2, 0, steps=1)[0], X[:, None])
    with pytest.raises(ValueError, match="activation must be 'square' or 'tanh'"):
        best_output_layer_mse(X, X, 4, "cube", 0)
    with pytest.raises(ValueError, match="x and y must be 1-D arrays"):
        best_output_layer_mse(X, X[:5], 4, "tanh", 0)


def test_target_rejects_non_float_input() -> None:
    with pytest.raises(TypeError, match="x must be a floating numpy array"):
        target(np.array([1, 2]))



def test_adam_update_used_by_fit_1d_equals_torch_optim_adam_step_by_step() -> None:
    # 20 步, 每步一个新的随机梯度 (包括量级很小的分量), 与 torch.optim.Adam 的默认设置逐步比较
    rng = np.random.default_rng(0)
    p = rng.standard_normal((3, 4))
    m, v = np.zeros_like(p), np.zeros_like(p)
    tp = torch.tensor(p, requires_grad=True)
    opt = torch.optim.Adam([tp], lr=0.03)
    for t in range(1, 21):
        g = rng.standard_normal((3, 4)) * np.logspace(-6, 1, 12).reshape(3, 4)
        p, m, v = adam_update(p, g, m, v, t, 0.03)
        tp.grad = torch.tensor(g)
        opt.step()
        np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(m, opt.state[tp]["exp_avg"].numpy(), rtol=1e-12, atol=0)
        np.testing.assert_allclose(v, opt.state[tp]["exp_avg_sq"].numpy(), rtol=1e-12, atol=0)


def test_adam_update_rejects_bad_input() -> None:
    z = np.zeros(2)
    with pytest.raises(ValueError, match="p, g, m, v must have one shape"):
        adam_update(z, np.zeros(3), z, z, 1, 0.1)
    with pytest.raises(ValueError, match="t must be an int >= 1"):
        adam_update(z, z, z, z, 0, 0.1)

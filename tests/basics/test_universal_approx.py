"""Tests for snippets.basics.universal_approx: width helps tanh networks, never a polynomial activation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.basics.universal_approx import (
    adam_update,
    best_output_layer_mse,
    cosine_lr,
    fit_1d,
    predict_1d,
    target,
)

X = np.linspace(-2.0, 2.0, 100)


@pytest.mark.experiment
def test_two_hidden_units_stay_above_0_05_while_8_and_64_go_below_5e_3_on_every_seed() -> None:
    # 页面的图与表: 种子 0..4, 2000 步 Adam (余弦退火). 不比较 H = 8 与 H = 64 谁更低
    mse = {H: np.array([fit_1d(H, seed)[1] for seed in range(5)]) for H in (2, 8, 64)}
    assert np.all(mse[2] > 0.05)
    for H in (8, 64):
        assert np.all(mse[H] < 5e-3) and np.median(mse[H]) < 1e-3


def test_cosine_lr_equals_torch_cosine_annealing_step_by_step() -> None:
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.03)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=50)
    for t in range(1, 51):
        assert cosine_lr(0.03, t, 50) == pytest.approx(opt.param_groups[0]["lr"], rel=1e-12, abs=1e-15)
        opt.step()
        sched.step()
    with pytest.raises(ValueError, match=r"t must be an int in \[1, steps\]"):
        cosine_lr(0.03, 51, 50)


def test_predict_1d_reproduces_the_reported_training_error() -> None:
    params, mse = fit_1d(8, seed=1, steps=200)
    assert np.mean((predict_1d(params, X) - target(X)) ** 2) == pytest.approx(mse, rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("hidden", [2, 3, 8, 64, 256])
def test_square_activation_never_beats_the_best_quadratic(hidden: int, seed: int) -> None:
    # 页面图注: 从 H = 2 起每个种子 (0-4) 都停在最佳二次拟合的误差上
    best_quadratic = np.mean((np.polyval(np.polyfit(X, target(X), 2), X) - target(X)) ** 2)
    mse = best_output_layer_mse(X, target(X), hidden, "square", seed=seed)
    assert mse == pytest.approx(best_quadratic, rel=1e-8)
    assert mse > 0.4


def test_tanh_random_features_approximate_the_smooth_target_on_every_seed() -> None:
    for seed in range(5):
        assert best_output_layer_mse(X, target(X), 64, "tanh", seed) < 1e-10
        assert best_output_layer_mse(X, target(X), 8, "tanh", seed) < 1e-1


@pytest.mark.experiment
def test_the_same_features_cannot_fit_random_labels_so_it_is_not_interpolation() -> None:
    # 65 个特征 (64 个 tanh 单元加常数) 拟合 100 个随机 +-1 标签: 误差留在 0.45 以上 (页面: 中位数 0.64)
    labels = np.random.default_rng(0).choice([-1.0, 1.0], size=(5, 100))
    mse_by_width = {
        H: np.array([best_output_layer_mse(X, labels[seed], H, "tanh", seed) for seed in range(5)]) for H in (32, 64)
    }
    for mse in mse_by_width.values():
        assert np.all(mse > 0.45)
    assert np.median(mse_by_width[64]) == pytest.approx(0.64, abs=0.005)


def test_bad_input_raises_with_argument_name() -> None:
    with pytest.raises(ValueError, match="hidden must be an int >= 1"):
        fit_1d(0, seed=0)
    with pytest.raises(ValueError, match="lr must be a positive finite float"):
        fit_1d(4, seed=0, lr=-0.1)
    with pytest.raises(ValueError, match="x must be a 1-D array"):
        predict_1d(fit_1d(2, 0, steps=1)[0], X[:, None])
    with pytest.raises(ValueError, match="activation must be 'square' or 'tanh'"):
        best_output_layer_mse(X, X, 4, "cube", 0)
    with pytest.raises(ValueError, match="x and y must be 1-D arrays"):
        best_output_layer_mse(X, X[:5], 4, "tanh", 0)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 0}, ValueError, r"^n must be an int >= 2"),
        ({"n": 1}, ValueError, r"^n must be an int >= 2"),
        ({"n": 10.0}, ValueError, r"^n must be an int >= 2"),
        ({"seed": -1}, ValueError, r"^seed must be an int >= 0"),
        ({"seed": 1.5}, ValueError, r"^seed must be an int >= 0"),
        ({"lr": float("inf")}, ValueError, r"^lr must be a positive finite float"),
        ({"steps": 0}, ValueError, r"^steps must be an int >= 1"),
    ],
)
def test_fit_1d_rejects_bad_arguments(kwargs: dict, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        fit_1d(**({"hidden": 2, "seed": 0, "steps": 1} | kwargs))


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((X, X, -1, "tanh", 0), ValueError, r"^hidden must be an int >= 1"),
        ((X, X, 0, "tanh", 0), ValueError, r"^hidden must be an int >= 1"),
        ((X, X, True, "tanh", 0), ValueError, r"^hidden must be an int >= 1"),
        ((X, X, 4, "tanh", -1), ValueError, r"^seed must be an int >= 0"),
        ((X.tolist(), X, 4, "tanh", 0), TypeError, r"^x must be a floating numpy array"),
        ((X, np.arange(100), 4, "tanh", 0), TypeError, r"^y must be a floating numpy array"),
    ],
)
def test_best_output_layer_mse_rejects_bad_arguments(args: tuple, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        best_output_layer_mse(*args)


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
    for lr in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match=r"^lr must be a finite number >= 0"):
            adam_update(z, z, z, z, 1, lr)

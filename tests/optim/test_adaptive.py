"""Tests for snippets.optim.adaptive: AdaGrad, RMSprop, Adam, AMSGrad, AdamW against torch.optim."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.optim.adaptive import Adagrad, Adam, AdamW, RMSprop
from tests.optim._torch_loop import run_both


@pytest.mark.parametrize("cfg", [dict(lr=0.1), dict(lr=0.5, weight_decay=0.1), dict(lr=0.1, eps=1e-3)])
def test_adagrad_matches_torch_adagrad_for_200_steps(cfg: dict) -> None:
    ours, theirs = run_both(Adagrad(**cfg), lambda ps: torch.optim.Adagrad(ps, **cfg))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "cfg",
    [dict(lr=0.01), dict(lr=0.001, alpha=0.9), dict(lr=0.002, weight_decay=0.1),
     dict(lr=0.005, momentum=0.9), dict(lr=0.002, alpha=0.95, momentum=0.5, weight_decay=0.05)],
)
def test_rmsprop_matches_torch_rmsprop_for_200_steps(cfg: dict) -> None:
    # 学习率取小: 迭代到某个坐标的梯度在 0 附近来回时, g / sqrt(s) 会把舍入误差每步放大数倍
    # (两份实现都一样, 是动力学的混沌而不是公式差异), 200 步内不进入这个区域
    ours, theirs = run_both(RMSprop(**cfg), lambda ps: torch.optim.RMSprop(ps, **cfg))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


ADAM_CONFIGS = [
    dict(lr=0.01),
    dict(lr=0.01, betas=(0.8, 0.99)),
    dict(lr=0.01, weight_decay=0.1),
    dict(lr=0.01, amsgrad=True),
    dict(lr=0.05, betas=(0.5, 0.9), eps=1e-4, weight_decay=0.05, amsgrad=True),
]


@pytest.mark.parametrize("cfg", ADAM_CONFIGS, ids=str)
def test_adam_matches_torch_adam_for_200_steps(cfg: dict) -> None:
    ours, theirs = run_both(Adam(**cfg), lambda ps: torch.optim.Adam(ps, **cfg))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cfg", [dict(lr=0.01), dict(lr=0.01, weight_decay=0.3), dict(lr=0.02, amsgrad=True)], ids=str)
def test_adamw_matches_torch_adamw_for_200_steps(cfg: dict) -> None:
    ours, theirs = run_both(AdamW(**cfg), lambda ps: torch.optim.AdamW(ps, **cfg))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_adam_first_step_moves_every_coordinate_by_about_lr() -> None:
    # 偏差修正后 m_hat = g, v_hat = g^2: 第一步是 lr * sign(g), 与梯度大小无关
    g = np.array([1e-6, 3.0, -500.0])
    step = Adam(lr=0.1, eps=0.0).step(np.zeros(3), g)
    np.testing.assert_allclose(step, -0.1 * np.sign(g), rtol=1e-12)


def test_uncorrected_first_step_would_be_sqrt10_times_lr() -> None:
    # 第一步后 m = 0.1 g, v = 0.001 g^2 (都被初值 0 拉小); 不修正时 m / sqrt(v) = 0.1 / sqrt(0.001) = 3.16,
    # 修正后 m_hat / sqrt(v_hat) = 1
    opt = Adam(lr=1.0, eps=0.0)
    opt.step(np.zeros(1), np.array([2.0]))
    assert opt.m is not None and opt.v is not None
    np.testing.assert_allclose(opt.m, [0.2], rtol=1e-15)
    np.testing.assert_allclose(opt.v, [0.004], rtol=1e-12)
    np.testing.assert_allclose(opt.m / np.sqrt(opt.v), [np.sqrt(10)], rtol=1e-12)


def test_adamw_differs_from_adam_with_l2_of_the_same_lambda() -> None:
    from tests.optim._torch_loop import grad_field

    a, w = Adam(lr=0.01, weight_decay=0.1), AdamW(lr=0.01, weight_decay=0.1)
    ta = tw = np.random.default_rng(0).standard_normal((3, 4))
    for _ in range(100):
        ta, tw = a.step(ta, grad_field(ta)), w.step(tw, grad_field(tw))
    assert np.abs(ta - tw).max() > 1e-3


def test_adamw_decay_is_not_rescaled_but_l2_in_adam_is() -> None:
    # 梯度为 0 时: AdamW 每步把 theta 乘 (1 - lr * lambda); Adam + L2 的第一步则是 lr * sign(theta)
    theta = np.array([10.0, 0.01])
    np.testing.assert_allclose(AdamW(lr=0.1, weight_decay=0.5).step(theta, np.zeros(2)), theta * 0.95, rtol=1e-14)
    np.testing.assert_allclose(Adam(lr=0.1, weight_decay=0.5, eps=0.0).step(theta, np.zeros(2)), theta - 0.1,
                               rtol=1e-12)


@pytest.mark.parametrize(
    "make, match",
    [(lambda: Adagrad(lr=-0.1), "lr"), (lambda: Adagrad(eps=-1.0), "eps"), (lambda: RMSprop(alpha=1.0), "alpha"),
     (lambda: RMSprop(momentum=-0.1), "momentum"), (lambda: Adam(betas=(0.9, 1.0)), r"betas\[1\]"),
     (lambda: Adam(betas=(0.9,)), "betas"), (lambda: AdamW(weight_decay=-0.01), "weight_decay")],
)
def test_adaptive_optimizers_reject_bad_hyperparameters(make, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("opt", [Adagrad(), RMSprop(), Adam(), AdamW()], ids=lambda o: type(o).__name__)
def test_adaptive_step_rejects_mismatched_grad(opt: object) -> None:
    with pytest.raises(ValueError, match="grad"):
        opt.step(np.zeros(3), np.zeros(2))  # type: ignore[attr-defined]

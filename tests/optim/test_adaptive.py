"""Tests for snippets.optim.adaptive: AdaGrad, RMSprop, Adam, AMSGrad, AdamW against torch.optim."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.optim.adaptive import Adagrad, Adam, AdamW, RMSprop
from snippets.optim.sgd import SGD
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


def test_our_adamw_matches_torch_adam_with_decoupled_weight_decay() -> None:
    # torch 2.13.0: AdamW 是 Adam 的子类, 只把 decoupled_weight_decay 固定为 True
    assert issubclass(torch.optim.AdamW, torch.optim.Adam)
    cfg = dict(lr=0.01, weight_decay=0.3)
    ours, theirs = run_both(AdamW(**cfg), lambda ps: torch.optim.Adam(ps, decoupled_weight_decay=True, **cfg))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
    _, adamw = run_both(AdamW(**cfg), lambda ps: torch.optim.AdamW(ps, **cfg))
    np.testing.assert_allclose(adamw, theirs, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("alpha", [0.9, 0.99, 0.999])
def test_rmsprop_first_step_is_lr_over_sqrt_one_minus_alpha_times_sign(alpha: float) -> None:
    # s_1 = (1 - alpha) g^2 没有偏差修正: 第一步是 lr / sqrt(1 - alpha) * sign(g), alpha = 0.99 时是 10 lr
    g = np.array([2e-4, -3.0, 500.0])
    step = RMSprop(lr=0.01, alpha=alpha, eps=0.0).step(np.zeros(3), g)
    np.testing.assert_allclose(step, -0.01 / np.sqrt(1 - alpha) * np.sign(g), rtol=1e-12)


def test_rmsprop_step_under_a_constant_gradient_shrinks_as_one_over_sqrt_one_minus_alpha_to_the_t() -> None:
    opt, theta, steps = RMSprop(lr=1.0, alpha=0.99, eps=0.0), np.zeros(1), []
    for _ in range(300):
        new = opt.step(theta, np.array([0.7]))
        steps.append(float(theta[0] - new[0]))
        theta = new
    t = np.arange(1, 301)
    np.testing.assert_allclose(steps, 1 / np.sqrt(1 - 0.99**t), rtol=1e-12)


def _adam_step_bound(t: np.ndarray, beta1: float = 0.9, beta2: float = 0.999) -> np.ndarray:
    """Cauchy-Schwarz bound on |m_hat_t| / sqrt(v_hat_t) (eps = 0), reached when g_{t-k} ~ (beta1 / beta2)^k."""
    r = beta1**2 / beta2
    return ((1 - beta1) / (1 - beta1**t) * np.sqrt((1 - r**t) / (1 - r))
            * np.sqrt((1 - beta2**t) / (1 - beta2)))


@pytest.mark.experiment
def test_adam_step_reaches_its_bound_on_the_extremal_gradients_and_stays_below_it_elsewhere() -> None:
    # epsilon 不是步长的上限: eps = 0 时 |m_hat| / sqrt(v_hat) 本身就有界
    t = np.arange(1, 61)
    opt, theta, ratio = Adam(lr=1.0, eps=0.0), np.zeros(1), []
    for k in t:
        new = opt.step(theta, np.array([(0.999 / 0.9) ** k]))  # 按 beta2 / beta1 的倍数增长的梯度
        ratio.append(abs(float(new[0] - theta[0])))
        theta = new
    np.testing.assert_allclose(ratio, _adam_step_bound(t), rtol=1e-10)
    rng = np.random.default_rng(0)
    for _ in range(5):
        g = rng.standard_normal((300, 4)) * 10.0 ** rng.uniform(-6, 6, (300, 4))  # 跨 12 个数量级
        opt, theta = Adam(lr=1.0, eps=0.0), np.zeros(4)
        for k in range(300):
            new = opt.step(theta, g[k])
            assert np.all(np.abs(new - theta) <= _adam_step_bound(np.array(k + 1.0)) * (1 + 1e-12))
            theta = new
    np.testing.assert_allclose(_adam_step_bound(np.array(1e6)), 0.1 / np.sqrt(1e-3 * (1 - 0.81 / 0.999)), rtol=1e-9)
    # 算上偏差修正的界随 t 单调增大, 所以它的极限 7.27 (默认 beta) 就是对所有 t 的上界
    bound = _adam_step_bound(np.arange(1, 100_001, dtype=float))
    assert np.all(np.diff(bound) >= -1e-12) and bound[-1] < 7.2703


def test_adam_eps_only_shrinks_the_step_of_coordinates_with_tiny_gradients() -> None:
    # 梯度恒为 g 时 m_hat = g, v_hat = g^2: 步长 lr |g| / (|g| + eps), g = 1e-9, eps = 1e-8 时只有 lr / 11
    g = np.array([1e-9, 1e-3, 5.0])
    opt, theta = Adam(lr=1.0), np.zeros(3)
    for _ in range(20):
        new = opt.step(theta, g)
        np.testing.assert_allclose(theta - new, g / (g + 1e-8), rtol=1e-9)
        theta = new


def _run(opt: object, scale: float, steps: int = 100) -> np.ndarray:
    from tests.optim._torch_loop import grad_field

    theta = np.random.default_rng(0).standard_normal((3, 4))
    for _ in range(steps):
        theta = opt.step(theta, scale * grad_field(theta))  # type: ignore[attr-defined]
    return theta


@pytest.mark.experiment
@pytest.mark.parametrize("c", [0.5, 32.0])
def test_scaling_the_loss_by_c_is_a_learning_rate_change_only_for_plain_sgd(c: float) -> None:
    # 损失乘 c (求和 vs 求平均时 c = N; MSE 去掉 1/2 时 c = 2):
    # SGD: 等于 lr 乘 c (带 L2 时 lambda 还要除以 c); Adam (eps = 0): 完全不变; Adam + L2: 等于 lambda 除以 c
    np.testing.assert_allclose(_run(SGD(0.01 / c), c), _run(SGD(0.01), 1.0), rtol=1e-9)
    np.testing.assert_allclose(_run(SGD(0.01 / c, weight_decay=0.1 * c), c), _run(SGD(0.01, weight_decay=0.1), 1.0),
                               rtol=1e-9)
    np.testing.assert_allclose(_run(Adam(0.01, eps=0.0), c), _run(Adam(0.01, eps=0.0), 1.0), rtol=1e-9)
    np.testing.assert_allclose(_run(Adam(0.01, eps=0.0, weight_decay=0.1 * c), c),
                               _run(Adam(0.01, eps=0.0, weight_decay=0.1), 1.0), rtol=1e-9)
    np.testing.assert_allclose(_run(AdamW(0.01, eps=0.0, weight_decay=0.1), c),
                               _run(AdamW(0.01, eps=0.0, weight_decay=0.1), 1.0), rtol=1e-9)
    # 反过来: SGD 不改学习率时结果不同; Adam + L2 不改 lambda 时结果也不同
    assert np.abs(_run(SGD(0.01), c) - _run(SGD(0.01), 1.0)).max() > 1e-3
    assert np.abs(_run(Adam(0.01, weight_decay=0.1), c) - _run(Adam(0.01, weight_decay=0.1), 1.0)).max() > 1e-4


@pytest.mark.experiment
def test_adam_is_invariant_to_diagonal_gradient_rescaling_but_not_to_reparameterisation() -> None:
    from snippets.optim.quadratic import bowl_grad

    D = np.array([10.0, 0.1])
    start = np.array([-7.0, 2.0])
    plain, scaled, phi = start.copy(), start.copy(), start / D
    a, b, c = Adam(0.3, eps=0.0), Adam(0.3, eps=0.0), Adam(0.3, eps=0.0)
    for _ in range(30):
        plain = a.step(plain, bowl_grad(plain))
        scaled = b.step(scaled, D * bowl_grad(scaled))  # 梯度按坐标乘一个固定的正数
        phi = c.step(phi, D * bowl_grad(D * phi))  # 换元 theta = D phi, 在 phi 上跑 Adam
    np.testing.assert_allclose(scaled, plain, rtol=1e-12)
    assert np.abs(D * phi - plain).max() > 1.0


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


@pytest.mark.experiment
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


@pytest.mark.parametrize(
    "make, match",
    [(lambda: Adam(amsgrad="yes"), "amsgrad"), (lambda: Adam(amsgrad=1), "amsgrad"),
     (lambda: Adam(decoupled="False"), "decoupled"), (lambda: AdamW(amsgrad=None), "amsgrad")],
)
def test_adam_switches_must_be_bools(make, match: str) -> None:  # type: ignore[no-untyped-def]
    # 非空字符串 "False" 是真值: 不检查的话会悄悄打开开关
    with pytest.raises(TypeError, match=match):
        make()
    assert Adam(amsgrad=np.bool_(True)).amsgrad is True  # NumPy 的布尔值可以用


@pytest.mark.parametrize("opt", [Adagrad(), RMSprop(), Adam(), AdamW()], ids=lambda o: type(o).__name__)
def test_adaptive_step_rejects_mismatched_grad(opt: object) -> None:
    with pytest.raises(ValueError, match="grad"):
        opt.step(np.zeros(3), np.zeros(2))  # type: ignore[attr-defined]

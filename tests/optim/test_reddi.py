"""Tests for snippets.optim.reddi: Adam fails on Reddi et al.'s problem, AMSGrad does not."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.optim.reddi import average_regret, online_adam, reddi_gradient, theorem1_setting


def test_gradients_cycle_C_minus1_minus1() -> None:
    assert [reddi_gradient(t, 3.0) for t in range(1, 7)] == [3.0, -1.0, -1.0, 3.0, -1.0, -1.0]


@pytest.mark.experiment
def test_adam_drifts_to_the_worst_point_and_its_average_regret_stays_positive() -> None:
    xs = online_adam(3.0, 3000)
    assert xs[-300:].min() > 0.98
    regret = average_regret(xs, 3.0)
    assert regret[-1] > 0.6  # 最坏点 +1 的平均遗憾是 (C - 2) * 2 / 3 = 0.667


@pytest.mark.experiment
def test_amsgrad_goes_to_the_optimum_and_its_average_regret_vanishes() -> None:
    xs = online_adam(3.0, 3000, amsgrad=True)
    assert xs[-300:].max() < -0.99
    assert average_regret(xs, 3.0)[-1] < 0.02


@pytest.mark.experiment
def test_with_beta2_0_99_adam_converges_on_this_particular_sequence() -> None:
    # 这个序列的反例依赖 beta2 = 1/(1 + C^2) 这样短的记忆; 论文定理 2 (确定性) 与定理 3 (随机) 对任意
    # beta1 < sqrt(beta2) 各构造了另外的序列, 那些序列上 beta2 = 0.99 照样不收敛
    xs = online_adam(3.0, 3000, beta1=0.0, beta2=0.99)  # 只改 beta2
    assert xs[-300:].max() < -0.98
    xs = online_adam(3.0, 3000, beta1=0.9, beta2=0.99)  # 同时加上动量
    assert xs[-300:].max() < -0.99


@pytest.mark.experiment
def test_the_page_and_figure_run_uses_the_papers_theorem_1_setting() -> None:
    # 页面和图都用 theorem1_setting(3.0) 的常数跑; 检查这些常数就是定理 1 的 (beta1 = 0, beta2 = 1/(1 + C^2),
    # alpha < sqrt(1 - beta2)), 而且 online_adam 的默认值给出同一条轨迹
    from snippets.optim.figures import _online_iterates

    s = theorem1_setting(3.0)
    assert s.beta1 == pytest.approx(0.0, abs=1e-15)
    np.testing.assert_allclose(s.beta2, 0.1, rtol=1e-15)
    assert 0 < s.alpha < np.sqrt(1 - s.beta2)
    for ams in (False, True):
        run = online_adam(s.C, 3000, amsgrad=ams, **s.as_kwargs())
        np.testing.assert_allclose(online_adam(3.0, 3000, amsgrad=ams), run, rtol=1e-15, atol=0)
        np.testing.assert_allclose(_online_iterates(ams), run, rtol=1e-15, atol=0)
    # 同一个 C 下换成别的 beta2 或 alpha, 轨迹就不同: 上面的相等不是因为参数不起作用
    assert np.abs(online_adam(3.0, 30, beta2=0.2) - online_adam(3.0, 30, **s.as_kwargs())).max() > 1e-3
    assert np.abs(online_adam(3.0, 30, alpha=0.3) - online_adam(3.0, 30, **s.as_kwargs())).max() > 1e-3


@pytest.mark.parametrize("C, alpha", [(3.0, 0.95), (3.0, 1.2), (10.0, 0.999)])
def test_theorem1_setting_rejects_a_step_size_outside_the_theorem(C: float, alpha: float) -> None:
    # 定理 1 要求 alpha < sqrt(1 - beta2): C = 3 时上界是 sqrt(0.9) = 0.9487, C = 10 时是 sqrt(100/101) = 0.9950
    with pytest.raises(ValueError, match="alpha"):
        theorem1_setting(C, alpha)
    theorem1_setting(C, 0.9 * np.sqrt(1 - 1 / (1 + C**2)))  # 上界以内的 alpha 被接受


def test_first_round_by_hand() -> None:
    # t = 1: g = C = 3, v = 0.9 * 9 = 8.1 (beta2 = 0.1), step alpha * 3 / sqrt(8.1) = 0.5 * 1.054
    xs = online_adam(3.0, 2, eps=0.0)
    np.testing.assert_allclose(xs[1], -0.5 * 3 / np.sqrt(8.1), rtol=1e-12)


def test_reddi_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="C"):
        online_adam(1.5, 10)
    with pytest.raises(ValueError, match="C must be > 2"):
        theorem1_setting(2.0)
    with pytest.raises(ValueError, match="steps"):
        online_adam(3.0, 0)
    with pytest.raises(ValueError, match="x0"):
        online_adam(3.0, 10, x0=2.0)
    with pytest.raises(ValueError, match="t must"):
        reddi_gradient(0, 3.0)
    with pytest.raises(ValueError, match="xs"):
        average_regret(np.zeros((2, 2)), 3.0)

"""Tests for snippets.optim.reddi: Adam fails on Reddi et al.'s problem, AMSGrad does not."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.optim.reddi import average_regret, online_adam, reddi_gradient


def test_gradients_cycle_C_minus1_minus1() -> None:
    assert [reddi_gradient(t, 3.0) for t in range(1, 7)] == [3.0, -1.0, -1.0, 3.0, -1.0, -1.0]


def test_adam_drifts_to_the_worst_point_and_its_average_regret_stays_positive() -> None:
    xs = online_adam(3.0, 3000)
    assert xs[-300:].min() > 0.98
    regret = average_regret(xs, 3.0)
    assert regret[-1] > 0.6  # 最坏点 +1 的平均遗憾是 (C - 2) * 2 / 3 = 0.667


def test_amsgrad_goes_to_the_optimum_and_its_average_regret_vanishes() -> None:
    xs = online_adam(3.0, 3000, amsgrad=True)
    assert xs[-300:].max() < -0.99
    assert average_regret(xs, 3.0)[-1] < 0.02


def test_with_beta2_0_99_adam_converges_on_this_particular_sequence() -> None:
    # 这个序列的反例依赖 beta2 = 1/(1 + C^2) 这样短的记忆; 论文定理 2 (确定性) 与定理 3 (随机) 对任意
    # beta1 < sqrt(beta2) 各构造了另外的序列, 那些序列上 beta2 = 0.99 照样不收敛
    xs = online_adam(3.0, 3000, beta1=0.0, beta2=0.99)  # 只改 beta2
    assert xs[-300:].max() < -0.98
    xs = online_adam(3.0, 3000, beta1=0.9, beta2=0.99)  # 同时加上动量
    assert xs[-300:].max() < -0.99


def test_theorem_1_step_size_condition_holds_for_the_run() -> None:
    # 定理 1 要求 alpha < sqrt(1 - beta2); 这里 alpha = 0.5, beta2 = 1/(1 + 9) = 0.1
    assert 0.5 < np.sqrt(1 - 1 / (1 + 3.0**2))


def test_first_round_by_hand() -> None:
    # t = 1: g = C = 3, v = 0.9 * 9 = 8.1 (beta2 = 0.1), step alpha * 3 / sqrt(8.1) = 0.5 * 1.054
    xs = online_adam(3.0, 2, eps=0.0)
    np.testing.assert_allclose(xs[1], -0.5 * 3 / np.sqrt(8.1), rtol=1e-12)


def test_reddi_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="C"):
        online_adam(1.5, 10)
    with pytest.raises(ValueError, match="steps"):
        online_adam(3.0, 0)
    with pytest.raises(ValueError, match="x0"):
        online_adam(3.0, 10, x0=2.0)
    with pytest.raises(ValueError, match="t must"):
        reddi_gradient(0, 3.0)
    with pytest.raises(ValueError, match="xs"):
        average_regret(np.zeros((2, 2)), 3.0)

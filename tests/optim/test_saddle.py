"""Tests for snippets.optim.saddle: derivatives, critical points and their index, escape from the saddle, GOE."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.optim.saddle import (
    critical_index,
    descend,
    escape_step,
    prob_all_positive,
    saddle_f,
    saddle_grad,
    saddle_hessian,
)


def test_gradient_and_hessian_match_central_differences() -> None:
    rng = np.random.default_rng(0)
    h = 1e-5
    for p in rng.uniform(-1.5, 1.5, (5, 2)):
        num_g = [(saddle_f(p + h * e) - saddle_f(p - h * e)) / (2 * h) for e in np.eye(2)]
        np.testing.assert_allclose(saddle_grad(p), num_g, rtol=1e-7, atol=1e-9)
        num_H = np.array([(saddle_grad(p + h * e) - saddle_grad(p - h * e)) / (2 * h) for e in np.eye(2)])
        np.testing.assert_allclose(saddle_hessian(p), num_H, rtol=1e-7, atol=1e-9)


def test_critical_points_and_their_index() -> None:
    for p, idx, f in (((0.0, 0.0), 0.5, 0.0), ((0.0, 1.0), 0.0, -0.25), ((0.0, -1.0), 0.0, -0.25)):
        np.testing.assert_allclose(saddle_grad(np.array(p)), [0.0, 0.0], atol=1e-15)
        assert critical_index(saddle_hessian(np.array(p))) == idx
        assert saddle_f(np.array(p)) == pytest.approx(f)
    assert critical_index(-np.eye(3)) == 1.0 and critical_index(np.diag([1.0, -2.0, 3.0, -4.0])) == 0.5


def test_descend_one_step_by_hand() -> None:
    # p0 = (1, 2): grad = (1, 8 - 2) = (1, 6); noise 0, lr 0.1 -> (0.9, 1.4); 动量第一步相同
    for mu in (0.0, 0.9):
        np.testing.assert_allclose(descend((1.0, 2.0), 0.1, 1, momentum=mu)[0, 1], [0.9, 1.4])
    # 第二步带动量: b2 = 0.9 * (1, 6) + grad(0.9, 1.4) = (0.9 + 0.9, 5.4 + 1.344)
    p2 = descend((1.0, 2.0), 0.1, 2, momentum=0.9)[0, 2]
    np.testing.assert_allclose(p2, [0.9 - 0.1 * 1.8, 1.4 - 0.1 * (5.4 + 1.4**3 - 1.4)])


@pytest.mark.experiment
def test_gd_stays_on_the_saddle_line_momentum_and_noise_escape() -> None:
    exact = descend((1.5, 0.0), 0.1, 300)
    assert escape_step(exact)[0] == 301 and np.abs(exact[0, -1]).max() < 1e-12  # 停在鞍点
    assert escape_step(descend((1.5, 1e-6), 0.1, 300))[0] == 139  # 手算: ln(5e5) / ln(1.1) ~ 138
    assert escape_step(descend((1.5, 1e-6), 0.1, 300, momentum=0.9))[0] == 50
    k = escape_step(descend((1.5, 0.0), 0.1, 300, noise=0.1, seeds=tuple(range(10))))
    assert np.median(k) == 36.5 and k.min() == 26 and k.max() == 67
    assert k.max() < 139  # 每个种子都比 y0 = 1e-6 的 GD 先离开


def test_goe_probability_of_a_minimum_hand_case_and_decay() -> None:
    assert prob_all_positive(1, 100_000, 1) == pytest.approx(0.5, abs=0.005)
    assert prob_all_positive(2, 100_000, 2) == pytest.approx((2 - np.sqrt(2)) / 4, abs=0.004)  # 手推, 见页面
    p = [prob_all_positive(d, 100_000, d) for d in (1, 2, 3, 4, 5)]
    ratios = np.array(p[1:]) / np.array(p[:-1])  # 维数每加 1, 概率乘的因子越来越小: 比指数衰减更快
    assert np.all(np.diff(ratios) < 0) and ratios[0] < 0.5 and p[4] < 1e-3


def test_saddle_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="p must"):
        saddle_f(np.zeros(3))
    with pytest.raises(ValueError, match="p must"):
        saddle_grad(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="p must"):
        saddle_hessian(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="H must"):
        critical_index(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="lr"):
        descend((0.0, 0.0), -0.1, 3)
    with pytest.raises(ValueError, match="steps"):
        descend((0.0, 0.0), 0.1, 0)
    with pytest.raises(ValueError, match="path"):
        escape_step(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="trials"):
        prob_all_positive(2, 0, 0)

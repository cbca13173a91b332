"""Tests for snippets.optim.sgd: step-for-step equality with torch.optim.SGD, the two momentum forms."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.optim.sgd import SGD, MomentumLrInside
from tests.optim._torch_loop import run_both

SGD_CONFIGS = [
    dict(lr=0.05),
    dict(lr=0.05, weight_decay=0.1),
    dict(lr=0.02, momentum=0.9),
    dict(lr=0.02, momentum=0.9, dampening=0.5),
    dict(lr=0.02, momentum=0.9, weight_decay=0.05),
    dict(lr=0.02, momentum=0.9, nesterov=True),
    dict(lr=0.02, momentum=0.5, nesterov=True, weight_decay=0.1),
]


@pytest.mark.parametrize("cfg", SGD_CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_sgd_matches_torch_sgd_for_200_steps(cfg: dict) -> None:
    ours, theirs = run_both(SGD(**cfg), lambda ps: torch.optim.SGD(ps, **cfg))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_sgd_one_step_by_hand() -> None:
    opt = SGD(lr=0.1, momentum=0.9, weight_decay=0.5)
    theta = np.array([2.0])
    theta = opt.step(theta, np.array([1.0]))  # g = 1 + 0.5 * 2 = 2, buf = 2
    np.testing.assert_allclose(theta, [1.8], rtol=1e-15)
    theta = opt.step(theta, np.array([1.0]))  # g = 1 + 0.9 = 1.9, buf = 0.9 * 2 + 1.9 = 3.7
    np.testing.assert_allclose(theta, [1.8 - 0.37], rtol=1e-15)


def test_lr_inside_velocity_equals_torch_momentum_while_lr_is_constant() -> None:
    ours, theirs = run_both(MomentumLrInside(lr=0.02, momentum=0.9),
                            lambda ps: torch.optim.SGD(ps, lr=0.02, momentum=0.9))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.experiment
def test_the_two_momentum_forms_differ_right_after_the_lr_changes() -> None:
    a, b = SGD(lr=0.1, momentum=0.9), MomentumLrInside(lr=0.1, momentum=0.9)
    ta = tb = np.array([1.0, -2.0, 0.5])
    for step in range(20):
        if step == 10:
            a.lr = b.lr = 0.01  # 学习率衰减 10 倍
        ta_new, tb_new = a.step(ta, ta), b.step(tb, tb)  # f = |theta|^2 / 2 的梯度就是 theta
        if step < 10:
            np.testing.assert_allclose(ta_new, tb_new, rtol=1e-12, atol=1e-14)
        ta, tb = ta_new, tb_new
    # PyTorch 形式: 衰减立刻作用到整个速度上, 步子立刻缩小 10 倍; 另一种形式的旧速度还要衰减一阵
    assert np.linalg.norm(ta - tb) > 1e-3


def test_first_step_after_lr_drop_is_ten_times_smaller_only_in_pytorch_form() -> None:
    a, b = SGD(lr=0.1, momentum=0.9), MomentumLrInside(lr=0.1, momentum=0.9)
    theta = np.array([1.0])
    for _ in range(5):
        a.step(theta, np.array([1.0]))
        b.step(theta, np.array([1.0]))
    a.lr = b.lr = 0.01
    step_a = a.step(theta, np.array([1.0])) - theta
    step_b = b.step(theta, np.array([1.0])) - theta
    buf = sum(0.9**k for k in range(6))  # 6 次梯度 1 累积出的缓冲
    np.testing.assert_allclose(step_a, [-0.01 * buf], rtol=1e-14)
    np.testing.assert_allclose(step_b, [-(0.1 * 0.9 * sum(0.9**k for k in range(5)) + 0.01)], rtol=1e-14)


@pytest.mark.parametrize(
    "kwargs, match",
    [(dict(lr=-1.0), "lr"), (dict(lr=0.0), "lr must be > 0"), (dict(lr=float("nan")), "lr"),
     (dict(lr=0.1, momentum=1.0), "momentum"), (dict(lr=0.1, dampening=2.0), "dampening"),
     (dict(lr=0.1, weight_decay=-1.0), "weight_decay"), (dict(lr=0.1, nesterov=True), "nesterov")],
)
def test_sgd_rejects_bad_hyperparameters(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        SGD(**kwargs)


def test_step_rejects_bad_theta_and_grad() -> None:
    with pytest.raises(ValueError, match="grad"):
        SGD(0.1).step(np.zeros(3), np.zeros(4))
    with pytest.raises(TypeError, match="theta"):
        SGD(0.1).step(np.zeros(3, dtype=int), np.zeros(3))
    with pytest.raises(ValueError, match="momentum"):
        MomentumLrInside(0.1, momentum=-0.5)
    with pytest.raises(ValueError, match="lr must be > 0"):
        MomentumLrInside(0.0, momentum=0.9)
    with pytest.raises(TypeError, match="lr"):
        MomentumLrInside("0.1", momentum=0.9)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="nesterov"):
        SGD(0.1, momentum=0.9, nesterov="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="grad"):
        MomentumLrInside(0.1, 0.9).step(np.zeros(2), np.array([np.nan, 0.0]))

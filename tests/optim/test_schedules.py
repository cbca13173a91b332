"""Tests for snippets.optim.schedules against torch.optim.lr_scheduler."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch

from snippets.optim.schedules import cosine_lr, linear_lr, range_test_lr, step_lr, warmup_cosine_lr


def _torch_lrs(make: Callable[[torch.optim.Optimizer], object], lr0: float, n: int) -> list[float]:
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr0)
    sched = make(opt)
    lrs = []
    for _ in range(n):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()  # type: ignore[attr-defined]
    return lrs


@pytest.mark.parametrize("step_size, gamma", [(30, 0.1), (7, 0.5), (1, 0.9)])
def test_step_lr_matches_torch_steplr(step_size: int, gamma: float) -> None:
    theirs = _torch_lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size, gamma), 0.1, 100)
    np.testing.assert_allclose([step_lr(t, 0.1, step_size, gamma) for t in range(100)], theirs, rtol=1e-12)


@pytest.mark.parametrize("T_max, eta_min", [(100, 0.0), (50, 1e-3), (7, 0.01)])
def test_cosine_lr_matches_torch_cosine_annealing_up_to_t_max(T_max: int, eta_min: float) -> None:
    theirs = _torch_lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max, eta_min), 0.1, T_max + 1)
    ours = [cosine_lr(t, 0.1, T_max, eta_min) for t in range(T_max + 1)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("start, end, total", [(1 / 3, 1.0, 5), (0.1, 1.0, 10), (1.0, 0.2, 20)])
def test_linear_lr_matches_torch_linearlr(start: float, end: float, total: int) -> None:
    theirs = _torch_lrs(lambda o: torch.optim.lr_scheduler.LinearLR(o, start, end, total), 0.1, 40)
    np.testing.assert_allclose([linear_lr(t, 0.1, start, end, total) for t in range(40)], theirs, rtol=1e-12)


@pytest.mark.parametrize("warmup, total", [(5, 30), (10, 100), (2, 12)])
def test_warmup_cosine_matches_torch_sequential_linear_then_cosine(warmup: int, total: int) -> None:
    def make(o: torch.optim.Optimizer) -> object:
        lin = torch.optim.lr_scheduler.LinearLR(o, 1 / warmup, 1.0, warmup - 1)
        cos = torch.optim.lr_scheduler.CosineAnnealingLR(o, total - warmup)
        return torch.optim.lr_scheduler.SequentialLR(o, [lin, cos], milestones=[warmup])

    theirs = _torch_lrs(make, 0.1, total + 1)
    ours = [warmup_cosine_lr(t, 0.1, warmup, total) for t in range(total + 1)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-15)


def test_schedules_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="step_size"):
        step_lr(3, 0.1, 0)
    with pytest.raises(ValueError, match="T_max"):
        cosine_lr(11, 0.1, 10)
    with pytest.raises(ValueError, match="start_factor"):
        linear_lr(0, 0.1, start_factor=0.0)
    with pytest.raises(ValueError, match="warmup"):
        warmup_cosine_lr(0, 0.1, 10, 10)
    with pytest.raises(ValueError, match="t must"):
        step_lr(-1, 0.1, 5)


@pytest.mark.parametrize("start, end, num_it", [(1e-7, 10.0, 100), (1e-4, 0.02, 37)])
def test_range_test_linear_matches_torch_linearlr_and_exp_matches_exponentiallr(start: float, end: float,
                                                                               num_it: int) -> None:
    # 线性 (Smith 2017): 以 end 为基准, 因子从 start/end 线性升到 1; 指数 (fast.ai): 每步乘同一个 gamma
    lin = _torch_lrs(lambda o: torch.optim.lr_scheduler.LinearLR(o, start / end, 1.0, num_it - 1), end, num_it)
    gamma = (end / start) ** (1 / (num_it - 1))
    exp = _torch_lrs(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma), start, num_it)
    np.testing.assert_allclose([range_test_lr(i, start, end, num_it) for i in range(num_it)], lin, rtol=1e-9)
    np.testing.assert_allclose([range_test_lr(i, start, end, num_it, "exp") for i in range(num_it)], exp, rtol=1e-9)


def test_linear_sweep_from_1e_7_to_10_spends_almost_every_iteration_above_0_1() -> None:
    # 这就是宽范围扫描改用指数的原因: 线性时 100 步里 99 步都在 0.1 以上, 指数时每个数量级约 12 步
    lin = np.array([range_test_lr(i, 1e-7, 10.0, 100) for i in range(100)])
    exp = np.array([range_test_lr(i, 1e-7, 10.0, 100, "exp") for i in range(100)])
    assert int((lin >= 0.1).sum()) == 99 and int((exp >= 0.1).sum()) == 25
    np.testing.assert_allclose(exp[1:] / exp[:-1], (1e8) ** (1 / 99), rtol=1e-12)


def test_range_test_lr_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="num_it"):
        range_test_lr(0, 1e-3, 1.0, 1)
    with pytest.raises(ValueError, match="start"):
        range_test_lr(0, 1.0, 0.1, 10)
    with pytest.raises(ValueError, match="mode"):
        range_test_lr(0, 1e-3, 1.0, 10, "cosine")

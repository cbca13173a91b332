"""Tests for snippets.optim.schedules against torch.optim.lr_scheduler."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch

from snippets.optim.schedules import cosine_lr, linear_lr, step_lr, warmup_cosine_lr


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

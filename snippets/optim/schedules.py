"""Learning-rate schedules as closed-form functions of the step t (epoch or iteration)."""

from __future__ import annotations

import math

import numpy as np

from snippets.optim._checks import check_hyper


def _check_step(t: int, name: str = "t") -> int:
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
        raise ValueError(f"{name} must be a non-negative int, got {t!r}")
    return int(t)


# --8<-- [start:schedules]
def step_lr(t: int, lr0: float, step_size: int, gamma: float = 0.1) -> float:
    """torch StepLR: lr0 * gamma^(t // step_size)."""
    _check_step(t)
    if _check_step(step_size, "step_size") == 0:
        raise ValueError("step_size must be >= 1")
    return check_hyper("lr0", lr0) * check_hyper("gamma", gamma) ** (t // step_size)


def cosine_lr(t: int, lr0: float, T_max: int, eta_min: float = 0.0) -> float:
    """torch CosineAnnealingLR for 0 <= t <= T_max: half a cosine from lr0 down to eta_min."""
    _check_step(t)
    if _check_step(T_max, "T_max") == 0 or t > T_max:
        raise ValueError(f"T_max must be >= max(1, t), got T_max={T_max}, t={t}")
    lr0, eta_min = check_hyper("lr0", lr0), check_hyper("eta_min", eta_min)
    return eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2


def linear_lr(t: int, lr0: float, start_factor: float = 1 / 3, end_factor: float = 1.0,
              total_iters: int = 5) -> float:
    """torch LinearLR: the factor goes linearly from start_factor to end_factor in total_iters steps."""
    _check_step(t)
    if _check_step(total_iters, "total_iters") == 0:
        raise ValueError("total_iters must be >= 1")
    start = check_hyper("start_factor", start_factor, 0.0, 1.0, closed_high=True)
    end = check_hyper("end_factor", end_factor, 0.0, 1.0, closed_high=True)
    if start == 0:
        raise ValueError("start_factor must be > 0")  # 与 PyTorch 相同: 因子 0 会让 lr 永远为 0
    return check_hyper("lr0", lr0) * (start + (end - start) * min(t, total_iters) / total_iters)


def warmup_cosine_lr(t: int, lr0: float, warmup: int, total: int, eta_min: float = 0.0) -> float:
    """Linear warm-up from lr0 / warmup to lr0 over ``warmup`` steps, then cosine to eta_min at ``total``."""
    _check_step(t)
    if _check_step(warmup, "warmup") == 0 or _check_step(total, "total") <= warmup or t > total:
        raise ValueError(f"need 1 <= warmup < total and t <= total, got warmup={warmup}, total={total}, t={t}")
    if t < warmup:
        # 预热: 前几步 Adam 的二阶矩估计还不可靠, 大模型一开始用满学习率容易发散
        return linear_lr(t, lr0, start_factor=1 / warmup, end_factor=1.0, total_iters=warmup - 1) if warmup > 1 \
            else lr0
    return cosine_lr(t - warmup, lr0, total - warmup, eta_min)
# --8<-- [end:schedules]


# --8<-- [start:range_test]
def range_test_lr(i: int, start: float, end: float, num_it: int, mode: str = "linear") -> float:
    """Learning rate of iteration i = 0..num_it-1 of an LR range test that sweeps from start to end.

    Args:
        i: iteration index, 0 <= i < num_it.
        start, end: first and last learning rate, 0 < start < end.
        num_it: number of iterations (>= 2).
        mode: "linear" (Smith 2017: equal steps in lr) or "exp" (fast.ai's lr_find: equal steps in log lr).

    Returns:
        The learning rate of iteration i.
    """
    if _check_step(num_it, "num_it") < 2 or not 0 <= _check_step(i, "i") < num_it:
        raise ValueError(f"need num_it >= 2 and 0 <= i < num_it, got i={i}, num_it={num_it}")
    start, end = check_hyper("start", start), check_hyper("end", end)
    if not 0 < start < end:
        raise ValueError(f"need 0 < start < end, got start={start}, end={end}")
    frac = i / (num_it - 1)
    if mode == "linear":
        return start + (end - start) * frac
    if mode == "exp":
        # 每一步把 lr 乘同一个倍数: 在对数轴上均匀, 从 1e-7 扫到 10 时每个数量级分到同样多的迭代
        return start * (end / start) ** frac
    raise ValueError(f"mode must be 'linear' or 'exp', got {mode!r}")
# --8<-- [end:range_test]

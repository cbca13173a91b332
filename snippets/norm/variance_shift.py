"""Dropout before BN: BN's running variance is learned on dropped-out activations, evaluation sees a smaller one."""

from __future__ import annotations

import math

import torch

from snippets._checks import check_int


def _check(p: float, mu: float, sigma: float) -> None:
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got {p!r}")
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0, got {sigma!r}")
    if not math.isfinite(mu):
        raise ValueError(f"mu must be finite, got {mu!r}")


# --8<-- [start:ratio]
def eval_std_after_bn(p: float, mu: float, sigma: float) -> float:
    """Std of BN's output in evaluation when dropout(p) precedes it; 1 would mean no shift.

    Input a has mean mu, variance sigma^2. Training: d = r a / (1 - p) has mean mu and
    Var_train = (sigma^2 + mu^2) / (1 - p) - mu^2, which BN's running_var learns.
    Evaluation: dropout is off, Var = sigma^2, so BN outputs std sigma / sqrt(Var_train).
    """
    _check(p, mu, sigma)
    var_train = (sigma**2 + mu**2) / (1.0 - p) - mu**2
    return sigma / math.sqrt(var_train)
# --8<-- [end:ratio]


def simulate_eval_std(p: float, mu: float, sigma: float, seed: int, steps: int = 150, C: int = 8) -> float:
    """Train nn.Dropout(p) -> nn.BatchNorm1d(C, affine=False) on N(mu, sigma^2) batches; eval output std."""
    _check(p, mu, sigma)
    check_int(seed, "seed", 0)
    check_int(steps, "steps", 1)
    g = torch.Generator().manual_seed(2 * seed)  # 数据
    # dropout 的掩码用全局生成器; 两者种子相同会得到同一个随机流, 掩码与数据相关
    torch.manual_seed(2 * seed + 1)
    net = torch.nn.Sequential(torch.nn.Dropout(p), torch.nn.BatchNorm1d(C, affine=False, dtype=torch.float64))
    net.train()
    with torch.no_grad():
        for _ in range(steps):  # 只更新运行统计量
            net(mu + sigma * torch.randn(64, C, generator=g, dtype=torch.float64))
        net.eval()
        out = net(mu + sigma * torch.randn(5_000, C, generator=g, dtype=torch.float64))
    return float(out.std(dim=0).mean())

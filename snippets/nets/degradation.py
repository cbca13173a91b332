"""The degradation problem at small scale: plain vs residual MLPs of growing depth on load_digits."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

from snippets._checks import check_int
from snippets.run_cache import shared_run


# --8<-- [start:nets]
class Block(nn.Module):
    """Linear-BN-ReLU-Linear-BN, then (+ x if residual) and ReLU: a basic block without convolution."""

    def __init__(self, width: int, residual: bool) -> None:
        super().__init__()
        self.fc1, self.bn1 = nn.Linear(width, width, bias=False), nn.BatchNorm1d(width)
        self.fc2, self.bn2 = nn.Linear(width, width, bias=False), nn.BatchNorm1d(width)
        self.residual = residual

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, width) -> (N, width)
        out = self.bn2(self.fc2(F.relu(self.bn1(self.fc1(x)))))
        return F.relu(out + x if self.residual else out)  # 两个网络只差这一个加号


def make_net(depth: int, residual: bool, width: int = 32, in_features: int = 64,
             num_classes: int = 10) -> nn.Sequential:
    """An MLP with ``depth`` weighted layers: input layer, (depth - 2) / 2 blocks, output layer."""
    depth, width = check_int(depth, "depth", 2), check_int(width, "width", 1)
    if depth % 2:
        raise ValueError(f"depth must be even (2 + 2 * blocks), got {depth}")
    blocks = [Block(width, residual) for _ in range((depth - 2) // 2)]
    return nn.Sequential(nn.Linear(in_features, width, bias=False), nn.BatchNorm1d(width), nn.ReLU(),
                         *blocks, nn.Linear(width, num_classes))
# --8<-- [end:nets]


def digits() -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn's bundled 8x8 digits (1797 images, no download), pixels scaled to [0, 1]."""
    X, y = load_digits(return_X_y=True)
    return torch.tensor(X / 16.0, dtype=torch.float32), torch.tensor(y)


# --8<-- [start:train]
def train_error(depth: int, residual: bool, seed: int, steps: int = 120, lr: float = 0.05,
                batch_size: int = 64) -> float:
    """Train with SGD + momentum 0.9 on all 1797 digits; return the final training error (eval mode)."""
    steps, batch_size = check_int(steps, "steps", 1), check_int(batch_size, "batch_size", 2)
    if not isinstance(lr, float) or not lr > 0:
        raise ValueError(f"lr must be a positive float, got {lr!r}")
    X, y = digits()
    g = torch.Generator().manual_seed(check_int(seed, "seed", 0))
    torch.manual_seed(seed)  # 初始化权重
    net = make_net(depth, residual)
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
    for _ in range(steps):
        idx = torch.randint(0, len(X), (batch_size,), generator=g)
        loss = F.cross_entropy(net(X[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        return float((net(X).argmax(1) != y).float().mean())
# --8<-- [end:train]


@shared_run
def degradation_experiment(depths: tuple[int, ...] = (4, 10, 22), seeds: tuple[int, ...] = (0, 1, 2, 3, 4),
                           steps: int = 120) -> dict[tuple[str, int], np.ndarray]:
    """Training error for every (net, depth) over the seeds: {("plain" | "residual", depth): errors}."""
    if not depths or not seeds:
        raise ValueError("depths and seeds must be non-empty")
    torch.set_num_threads(1)  # 小矩阵: 单线程更快, 也与核数无关
    return {(name, d): np.array([train_error(d, name == "residual", s, steps) for s in seeds])
            for name in ("plain", "residual") for d in depths}


# --8<-- [start:grads]
def grad_norms(depth: int, residual: bool, seed: int, batch_size: int = 256) -> np.ndarray:
    """||dL/dW|| of every Linear layer at initialisation, input layer first (train mode, one batch)."""
    X, y = digits()
    g = torch.Generator().manual_seed(check_int(seed, "seed", 0))
    torch.manual_seed(seed)
    net = make_net(depth, residual)
    idx = torch.randint(0, len(X), (check_int(batch_size, "batch_size", 2),), generator=g)
    F.cross_entropy(net(X[idx]), y[idx]).backward()
    return np.array([float(m.weight.grad.norm()) for m in net.modules()  # type: ignore[union-attr]
                     if isinstance(m, nn.Linear)])
# --8<-- [end:grads]


@shared_run
def grad_norm_runs(depth: int = 22, seeds: tuple[int, ...] = (0, 1, 2, 3, 4)) -> dict[str, np.ndarray]:
    """grad_norms for every seed: {"plain" | "residual": (seeds, layers)}."""
    if not seeds:
        raise ValueError("seeds must be non-empty")
    return {name: np.array([grad_norms(depth, name == "residual", s) for s in seeds]) for name in ("plain", "residual")}

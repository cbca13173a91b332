"""Why BN helps: per-step training loss with and without BN, and with noise injected after BN."""

from __future__ import annotations

import numpy as np
import torch

from snippets._checks import check_int
from snippets.norm.bn_experiment import digits_split, make_mlp
from snippets.run_cache import shared_run

KINDS = ("plain", "bn", "bn+noise")


# --8<-- [start:noise]
class NoisyBatchNorm1d(torch.nn.BatchNorm1d):
    """BN, then (training only) a random per-step scale and shift, as in Santurkar et al. (2018), §2.1.

    Each step draws per-unit shift mu ~ U(-1, 1) and scale c ~ U(0.5, 2), then multiplies every
    value by c * (1 + 0.2 eps1) and adds mu + 0.2 eps2 (eps standard normal, per sample and unit):
    the next layer sees a distribution whose mean and variance change at every step.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (B, units)
        y = super().forward(x)
        if not self.training:
            return y
        B, D = y.shape
        mu = torch.rand(D) * 2 - 1
        c = 0.5 + 1.5 * torch.rand(D)
        return y * c * (1 + 0.2 * torch.randn(B, D)) + mu + 0.2 * torch.randn(B, D)
# --8<-- [end:noise]


def make_net(kind: str, width: int = 64, depth: int = 4) -> torch.nn.Sequential:
    """bn_experiment's MLP (Linear -> [BN] -> ReLU per hidden layer); "bn+noise" uses the noisy BN."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    net = make_mlp(kind != "plain", width, depth)
    if kind == "bn+noise":  # BN layers draw no random numbers at init: the Linear weights stay the same
        for i, layer in enumerate(net):
            if isinstance(layer, torch.nn.BatchNorm1d):
                net[i] = NoisyBatchNorm1d(layer.num_features)
    return net


# --8<-- [start:train]
def step_losses(kind: str, lr: float, seed: int, steps: int = 150, batch_size: int = 64) -> np.ndarray:
    """Plain SGD on load_digits; the minibatch cross-entropy of every step, shape (steps,).

    After a non-finite loss the run has diverged: the remaining entries are inf.
    """
    # --8<-- [end:train]
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"lr must be a float > 0, got {lr!r}")
    check_int(seed, "seed", 0)
    check_int(steps, "steps", 1)
    check_int(batch_size, "batch_size", 2)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # 矩阵很小, 多线程只增加开销
    try:
        return _step_losses(kind, lr, seed, steps, batch_size)
    finally:
        torch.set_num_threads(threads)


def _step_losses(kind: str, lr: float, seed: int, steps: int, batch_size: int) -> np.ndarray:
    # --8<-- [start:train_body]
    X, y, _, _ = digits_split()  # 1297 个训练样本, 标准化
    torch.manual_seed(seed)
    model = make_net(kind)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    out = np.full(steps, np.inf)
    for t in range(steps):
        idx = torch.randint(len(y), (batch_size,), generator=g)
        loss = torch.nn.functional.cross_entropy(model(X[idx]), y[idx])
        if not torch.isfinite(loss):
            break  # 发散: 余下的步记为 inf
        out[t] = loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return out
    # --8<-- [end:train_body]


LRS = (0.05, 0.5, 2.0)
NOISE_LRS = (0.5, 2.0)  # 加噪声的 BN 只在这两个学习率上跑, 省构建时间


@shared_run
def bn_step_runs(seeds: tuple[int, ...] = (0, 1, 2, 3, 4), steps: int = 80) -> dict[tuple[str, float], np.ndarray]:
    """{(kind, lr): per-step losses of shape (seeds, steps)}."""
    configs = [(k, lr) for lr in LRS for k in KINDS if k != "bn+noise" or lr in NOISE_LRS]
    return {(k, lr): np.array([step_losses(k, lr, s, steps) for s in seeds]) for k, lr in configs}

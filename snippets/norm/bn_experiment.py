"""BN vs no BN: a small MLP on scikit-learn's digits, trained with plain SGD at several learning rates."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits

from snippets._checks import check_int
from snippets.run_cache import shared_run


@dataclass(frozen=True)
class Run:
    """One training run: training loss per epoch and the final validation accuracy."""

    train_loss: tuple[float, ...]
    val_accuracy: float


@functools.lru_cache(maxsize=4)
def digits_split(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """load_digits standardized with the training statistics; 1297 train / 500 validation samples."""
    check_int(seed, "seed", 0)
    X, y = load_digits(return_X_y=True)
    perm = np.random.default_rng(seed).permutation(len(y))
    X, y = X[perm], y[perm]
    X_tr, X_va, y_tr, y_va = X[:1297], X[1297:], y[:1297], y[1297:]
    mu, sd = X_tr.mean(axis=0), X_tr.std(axis=0) + 1e-8
    f = lambda a: torch.tensor((a - mu) / sd, dtype=torch.float32)  # noqa: E731
    return f(X_tr), torch.tensor(y_tr), f(X_va), torch.tensor(y_va)


# --8<-- [start:mlp]
def make_mlp(bn: bool, width: int = 64, depth: int = 4) -> torch.nn.Sequential:
    """64 -> width x depth -> 10; each hidden layer Linear -> [BatchNorm1d] -> ReLU.

    With BN the Linear layers have no bias: BN subtracts the batch mean, which removes any bias.
    """
    if not isinstance(bn, bool):
        raise TypeError(f"bn must be a bool, got {type(bn).__name__}")
    check_int(width, "width", 1)
    check_int(depth, "depth", 1)
    layers: list[torch.nn.Module] = []
    d_in = 64
    for _ in range(depth):
        layers.append(torch.nn.Linear(d_in, width, bias=not bn))
        if bn:
            layers.append(torch.nn.BatchNorm1d(width))
        layers.append(torch.nn.ReLU())
        d_in = width
    layers.append(torch.nn.Linear(d_in, 10))
    return torch.nn.Sequential(*layers)
# --8<-- [end:mlp]


def train_digits(bn: bool, lr: float, seed: int, epochs: int = 3, batch_size: int = 64) -> Run:
    """Plain SGD on digits; a diverged run (non-finite loss) reports loss inf and accuracy 0.1."""
    check_int(seed, "seed", 0)
    check_int(epochs, "epochs", 1)
    check_int(batch_size, "batch_size", 2)
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    X_tr, y_tr, X_va, y_va = digits_split()
    torch.manual_seed(seed)
    model = make_mlp(bn)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(epochs):
        model.train()
        total, count = 0.0, 0
        for idx in torch.randperm(len(y_tr), generator=g).split(batch_size):
            if len(idx) < 2:
                continue  # BN 需要每批至少两个样本
            loss = torch.nn.functional.cross_entropy(model(X_tr[idx]), y_tr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total, count = total + loss.item() * len(idx), count + len(idx)
        losses.append(total / count)
        if not np.isfinite(losses[-1]):
            return Run(tuple([float("inf")] * epochs), 0.1)
    model.eval()  # 推理用运行统计量
    with torch.no_grad():
        acc = (model(X_va).argmax(dim=1) == y_va).float().mean().item()
    return Run(tuple(losses), acc)


LRS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)


@shared_run
def bn_lr_sweep(
    lrs: tuple[float, ...] = LRS, seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
) -> dict[tuple[bool, float], list[Run]]:
    """Every (bn, lr) pair trained once per seed (on one thread: tiny matrices, no gain from more)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return {(bn, lr): [train_digits(bn, lr, s) for s in seeds] for bn in (False, True) for lr in lrs}
    finally:
        torch.set_num_threads(threads)

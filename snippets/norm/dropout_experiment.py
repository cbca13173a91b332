"""Dropout's effect on the train/validation gap: a wide MLP on 150 digits, full-batch Adam."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from snippets._checks import check_int
from snippets.norm.bn_experiment import digits_split
from snippets.run_cache import shared_run


@dataclass(frozen=True)
class GapRun:
    """Accuracies (and cross-entropy) after training, on the 150 training and 500 validation digits."""

    train_accuracy: float
    val_accuracy: float
    train_loss: float
    val_loss: float


def train_with_dropout(p: float, seed: int, steps: int = 100, n_train: int = 150, width: int = 128) -> GapRun:
    """64 -> width -> width -> 10 with ReLU and nn.Dropout(p) after each hidden layer; Adam lr 1e-3."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got {p!r}")
    check_int(seed, "seed", 0)
    check_int(steps, "steps", 1)
    check_int(n_train, "n_train", 10)
    X_tr, y_tr, X_va, y_va = digits_split()
    X_tr, y_tr = X_tr[:n_train], y_tr[:n_train]
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(64, width), torch.nn.ReLU(), torch.nn.Dropout(p),
        torch.nn.Linear(width, width), torch.nn.ReLU(), torch.nn.Dropout(p),
        torch.nn.Linear(width, 10),
    )  # fmt: skip
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for _ in range(steps):
        loss = torch.nn.functional.cross_entropy(model(X_tr), y_tr)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()  # 评估: 关闭 dropout
    with torch.no_grad():
        out_tr, out_va = model(X_tr), model(X_va)
        return GapRun(
            (out_tr.argmax(1) == y_tr).float().mean().item(),
            (out_va.argmax(1) == y_va).float().mean().item(),
            torch.nn.functional.cross_entropy(out_tr, y_tr).item(),
            torch.nn.functional.cross_entropy(out_va, y_va).item(),
        )


@shared_run
def dropout_gap_sweep(
    ps: tuple[float, ...] = (0.0, 0.2, 0.5), seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
) -> dict[float, list[GapRun]]:
    """Every dropout rate trained once per seed, on one thread."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return {p: [train_with_dropout(p, s) for s in seeds] for p in ps}
    finally:
        torch.set_num_threads(threads)

"""Underfitting and overfitting on scikit-learn's digits: training and validation curves, early stopping."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from snippets._checks import check_int
from snippets.norm.bn_experiment import digits_split
from snippets.run_cache import shared_run


@dataclass(frozen=True)
class Curves:
    """Cross-entropy and accuracy every ``every`` steps (index 0 is step 0), on training and validation sets."""

    steps: tuple[int, ...]
    train_loss: tuple[float, ...]
    val_loss: tuple[float, ...]
    train_acc: tuple[float, ...]
    val_acc: tuple[float, ...]


def train_curves(width: int, n_train: int, seed: int, steps: int = 150, every: int = 5) -> Curves:
    """64 -> width -> 10 (ReLU), full-batch Adam lr 3e-3 on the first n_train training digits."""
    check_int(width, "width", 1)
    check_int(n_train, "n_train", 10)
    check_int(seed, "seed", 0)
    check_int(steps, "steps", 1)
    check_int(every, "every", 1)
    X_tr, y_tr, X_va, y_va = digits_split()
    X_tr, y_tr = X_tr[:n_train], y_tr[:n_train]
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(64, width), torch.nn.ReLU(), torch.nn.Linear(width, 10))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    rec: dict[str, list[float]] = {k: [] for k in ("tl", "vl", "ta", "va")}
    kept = []
    for step in range(steps + 1):
        if step % every == 0:
            with torch.no_grad():
                for X, y, kl, ka in ((X_tr, y_tr, "tl", "ta"), (X_va, y_va, "vl", "va")):
                    out = model(X)
                    rec[kl].append(torch.nn.functional.cross_entropy(out, y).item())
                    rec[ka].append((out.argmax(1) == y).float().mean().item())
            kept.append(step)
        if step == steps:
            break
        loss = torch.nn.functional.cross_entropy(model(X_tr), y_tr)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return Curves(tuple(kept), *(tuple(rec[k]) for k in ("tl", "vl", "ta", "va")))


CONFIGS = {"underfit": (2, 1297), "overfit": (128, 100), "more data": (128, 600)}


@shared_run
def fitting_runs(seeds: tuple[int, ...] = (0, 1, 2, 3, 4)) -> dict[str, list[Curves]]:
    """Each configuration of CONFIGS (width, n_train) trained once per seed, on one thread."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return {name: [train_curves(w, n, s) for s in seeds] for name, (w, n) in CONFIGS.items()}
    finally:
        torch.set_num_threads(threads)


# --8<-- [start:early_stop]
def early_stopping_step(val_loss: np.ndarray, patience: int) -> int:
    """Index at which training stops: the best so far has not improved for ``patience`` evaluations.

    Returns the index of the best validation loss seen up to that point (the weights one restores).
    """
    check_int(patience, "patience", 1)
    if not isinstance(val_loss, np.ndarray) or val_loss.ndim != 1 or val_loss.size == 0:
        raise ValueError("val_loss must be a non-empty 1-D array")
    best, best_i = np.inf, 0
    for i, v in enumerate(val_loss):
        if v < best:
            best, best_i = float(v), i
        elif i - best_i >= patience:
            break  # patience 次评估都没有刷新最好值: 停止
    return best_i
# --8<-- [end:early_stop]

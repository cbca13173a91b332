"""Random one-pixel shifts as regularization: a small CNN on 50 load_digits images, with and without."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from snippets._checks import check_int
from snippets.data.augment import random_shift
from snippets.data.digits_mlp import digits_split, one_thread
from snippets.run_cache import shared_run


@dataclass(frozen=True)
class AugRun:
    """Accuracy on the (unshifted) training images and on the held-out images after training."""

    train_acc: float
    val_acc: float


# --8<-- [start:train]
@one_thread
def train_with_shifts(seed: int, augment: bool, n_train: int = 50, steps: int = 200) -> AugRun:
    """Conv(1->8, 3x3, pad 1)-ReLU-MaxPool(2)-Linear(128->10), Adam lr 0.01, batches of 64 drawn with
    replacement from n_train images.

    With augment, every image of every batch is moved by its own random (dy, dx) in {-1, 0, 1}^2.
    """
    # --8<-- [end:train]
    check_int(seed, "seed", 0)
    if not isinstance(augment, bool):
        raise TypeError(f"augment must be a bool, got {type(augment).__name__}")
    check_int(steps, "steps", 1)
    # --8<-- [start:train_body]
    split = digits_split(seed, n_train)  # 分层抽取 n_train 张训练图, 其余 1797 - n_train 张做验证
    X = split.X_train.reshape(-1, 1, 8, 8)  # (n_train, 1, 8, 8), 像素在 [0, 1]
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),  # (B, 8, 4, 4)
        torch.nn.Flatten(), torch.nn.Linear(128, 10),
    )  # fmt: skip
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    rng = np.random.default_rng(seed)
    y = torch.from_numpy(split.y_train)
    for _ in range(steps):
        idx = rng.integers(0, n_train, 64)
        xb = random_shift(X[idx], 1, rng) if augment else X[idx]
        loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(xb)), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        acc = lambda A, t: float((model(torch.from_numpy(A.reshape(-1, 1, 8, 8))).argmax(1).numpy() == t).mean())  # noqa: E731
        return AugRun(acc(split.X_train, split.y_train), acc(split.X_test, split.y_test))
    # --8<-- [end:train_body]


@shared_run
def shift_aug_runs(seeds: tuple[int, ...] = (0, 1, 2, 3, 4), n_train: int = 50) -> dict[bool, list[AugRun]]:
    """{augment: [AugRun per seed]}: the same seeds (same split, init and batches) with and without shifts."""
    return {aug: [train_with_shifts(s, aug, n_train) for s in seeds] for aug in (False, True)}


def shift_aug_claims(runs: dict[bool, list[AugRun]]) -> dict[str, bool]:
    """The comparisons the augmentation page states, evaluated on a run of shift_aug_runs."""
    tr = {a: np.array([r.train_acc for r in runs[a]]) for a in (False, True)}
    va = {a: np.array([r.val_acc for r in runs[a]]) for a in (False, True)}
    gain = va[True] - va[False]  # 同一种子配对
    return {
        "training accuracy >= 0.99 for every run": bool(min(tr[False].min(), tr[True].min()) >= 0.99),
        "median validation accuracy up by 1 to 3 points": bool(0.01 <= np.median(gain) <= 0.03),
        "at least 4 of 5 seeds gain": bool((gain > 0).sum() >= 4),
        "no seed loses more than 1 point": bool(gain.min() > -0.01),
        "median train-validation gap smaller with shifts": bool(
            np.median(tr[True] - va[True]) < np.median(tr[False] - va[False])
        ),
        "median validation accuracy about 0.857 -> 0.871": bool(
            0.85 <= np.median(va[False]) <= 0.865 and 0.865 <= np.median(va[True]) <= 0.88
        ),
        "medians differ by 1 to 2 points": bool(0.01 <= np.median(va[True]) - np.median(va[False]) <= 0.02),
        "median gap about 0.14 -> 0.13": bool(
            0.13 <= np.median(tr[False] - va[False]) <= 0.15 and 0.12 <= np.median(tr[True] - va[True]) <= 0.135
        ),
        "seeds closer together with shifts": bool(np.ptp(va[True]) < np.ptp(va[False])),
    }

"""Transfer learning on load_digits: pre-train on digits 0-4, then fine-tune on digits 5-9 with few labels."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.datasets import load_digits

from snippets._checks import check_int
from snippets.run_cache import shared_run

SOURCE = (0, 1, 2, 3, 4)  # classes the body is pre-trained on
TARGET = (5, 6, 7, 8, 9)  # classes of the new task (relabelled 0..4)
METHODS = ("scratch", "linear probe", "fine-tune 0.1x", "fine-tune 1x")  # body lr / head lr: 1, 0, 0.1, 1


def make_body(seed: int, hidden: int = 64) -> torch.nn.Sequential:
    """Two hidden layers Linear(64, hidden) -> ReLU -> Linear(hidden, hidden) -> ReLU, float64."""
    check_int(seed, "seed", 0)
    check_int(hidden, "hidden", 1)
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(64, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, hidden), torch.nn.ReLU()
    ).double()


# --8<-- [start:groups]
def param_groups(
    body: torch.nn.Module, head: torch.nn.Module, body_lr: float, head_lr: float
) -> list[dict[str, object]]:
    """Optimizer parameter groups for fine-tuning: a small lr for the pre-trained body, a larger one for the head.

    body_lr == 0 means a frozen body (a linear probe): its parameters get requires_grad=False and are
    left out of the optimizer, so no optimizer step (weight decay, momentum) can move them.
    """
    for name, m in (("body", body), ("head", head)):
        if not isinstance(m, torch.nn.Module):
            raise TypeError(f"{name} must be a torch.nn.Module, got {type(m).__name__}")
    if body_lr < 0:
        raise ValueError(f"body_lr must be >= 0, got {body_lr}")
    if head_lr <= 0:
        raise ValueError(f"head_lr must be > 0, got {head_lr}")
    frozen = body_lr == 0
    for p in body.parameters():
        p.requires_grad_(not frozen)
    groups: list[dict[str, object]] = [{"params": list(head.parameters()), "lr": head_lr}]
    if not frozen:
        groups.insert(0, {"params": list(body.parameters()), "lr": body_lr})
    return groups
# --8<-- [end:groups]


def digits_transfer_split(seed: int, n_per_class: int = 10) -> dict[str, np.ndarray]:
    """Source set (all digits 0-4) and a target task on digits 5-9 with ``n_per_class`` training labels per class.

    The remaining target images are the test set.

    Returns float64 pixels in [0, 1], (N, 64), and int64 labels; target labels are shifted to 0..4.
    """
    check_int(seed, "seed", 0)
    check_int(n_per_class, "n_per_class", 1)
    if n_per_class > 100:
        raise ValueError(f"n_per_class must be <= 100 to leave a test set, got {n_per_class}")
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    rng = np.random.default_rng(seed)
    src = np.isin(y, SOURCE)
    train_idx = np.concatenate([rng.choice(np.flatnonzero(y == c), n_per_class, replace=False) for c in TARGET])
    test_mask = np.isin(y, TARGET)
    test_mask[train_idx] = False
    return {
        "X_src": X[src], "y_src": y[src].astype(np.int64),
        "X_tr": X[train_idx], "y_tr": y[train_idx].astype(np.int64) - 5,
        "X_te": X[test_mask], "y_te": y[test_mask].astype(np.int64) - 5,
    }


# --8<-- [start:fit]
def fit(body: torch.nn.Module, head: torch.nn.Module, X: np.ndarray, y: np.ndarray,
        body_lr: float, head_lr: float, steps: int = 150) -> None:
    """Full-batch Adam on cross-entropy of head(body(X)); body_lr = 0 freezes the body."""
    check_int(steps, "steps", 1)
    if X.ndim != 2 or len(X) != len(y):
        raise ValueError(f"X must be (N, 64) with one label per row in y, got X {X.shape}, y {y.shape}")
    opt = torch.optim.Adam(param_groups(body, head, body_lr, head_lr))
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)  # (N, 64) float64, (N,) int64
    for _ in range(steps):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(head(body(Xt)), yt).backward()
        opt.step()


def transfer_run(seed: int, n_per_class: int = 10, lr: float = 1e-2) -> dict[str, float]:
    """Test accuracy on digits 5-9: new net, linear probe on the pre-trained body, fine-tuning (body lr 0.1x, 1x)."""
    if lr <= 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    d = digits_transfer_split(seed, n_per_class)
    source = make_body(seed)
    fit(source, torch.nn.Linear(64, 5).double(), d["X_src"], d["y_src"], lr, lr)  # pre-train on 0-4
    acc = {}
    for method in METHODS:
        body = make_body(seed + 1000) if method == "scratch" else make_body(seed)
        if method != "scratch":
            body.load_state_dict(source.state_dict())  # copy the pre-trained weights
        head = torch.nn.Linear(64, 5).double()  # a new head for the new classes
        body_lr = {"scratch": lr, "linear probe": 0.0, "fine-tune 0.1x": 0.1 * lr, "fine-tune 1x": lr}[method]
        fit(body, head, d["X_tr"], d["y_tr"], body_lr, lr)
        with torch.no_grad():
            pred = head(body(torch.from_numpy(d["X_te"]))).argmax(1).numpy()
        acc[method] = float((pred == d["y_te"]).mean())
    return acc
# --8<-- [end:fit]


@shared_run
def transfer_runs(seeds: tuple[int, ...] = tuple(range(5)), n_per_class: int = 10) -> dict[str, np.ndarray]:
    """transfer_run over ``seeds``: method -> (len(seeds),) test accuracies."""
    if not isinstance(seeds, tuple) or not seeds:
        raise ValueError(f"seeds must be a non-empty tuple, got {seeds!r}")
    runs = [transfer_run(s, n_per_class) for s in seeds]
    return {m: np.array([r[m] for r in runs]) for m in METHODS}

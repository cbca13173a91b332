"""An over-confident MLP on scikit-learn's digits, then temperature scaling fitted on a validation split."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits

from snippets._checks import check_int
from snippets.data.calibration import expected_calibration_error, fit_temperature, nll, softmax
from snippets.run_cache import shared_run

N_TRAIN, N_VAL = 300, 500  # the remaining 1797 - 800 = 997 digits are the test set


@dataclass(frozen=True)
class CalibrationRun:
    """One seed: fitted T, test accuracy and ECE (15 bins) before/after scaling, and the test outputs."""

    T: float
    acc_before: float
    acc_after: float
    ece_before: float
    ece_after: float
    nll_before: float
    nll_after: float
    z_test: np.ndarray  # (997, 10) logits
    y_test: np.ndarray  # (997,)


# --8<-- [start:train]
def train_digits_mlp(seed: int, steps: int = 600, hidden: int = 128) -> tuple[np.ndarray, ...]:
    """Train a 64-hidden-hidden-10 ReLU MLP full-batch with Adam on 300 digits, long past fitting them.

    Returns:
        (z_val (500, 10), y_val (500,), z_test (997, 10), y_test (997,)), logits as float64.
    """
    check_int(seed, "seed", 0)
    check_int(steps, "steps", 1)
    check_int(hidden, "hidden", 1)
    X, y = load_digits(return_X_y=True)
    perm = np.random.default_rng(seed).permutation(len(y))
    tr, va, te = perm[:N_TRAIN], perm[N_TRAIN : N_TRAIN + N_VAL], perm[N_TRAIN + N_VAL :]
    Xt = torch.tensor(X / 16.0, dtype=torch.float32)  # pixels 0..16 -> [0, 1], (1797, 64)
    yt = torch.tensor(y)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(64, hidden), torch.nn.ReLU(),
        torch.nn.Linear(hidden, hidden), torch.nn.ReLU(),
        torch.nn.Linear(hidden, 10),
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: one thread is faster than several waiting on each other
    try:
        for _ in range(steps):  # no weight decay, no early stopping: the training NLL is pushed towards 0
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(Xt[tr]), yt[tr]).backward()
            opt.step()
    finally:
        torch.set_num_threads(threads)
    with torch.no_grad():
        z = model(Xt).double().numpy()  # (1797, 10)
    return z[va], y[va], z[te], y[te]
# --8<-- [end:train]


@shared_run
def calibration_experiment(seeds: tuple[int, ...] = (0, 1, 2, 3, 4), n_bins: int = 15) -> list[CalibrationRun]:
    """For each seed: train, fit T on the validation logits, measure the test set before and after."""
    if not seeds or not all(isinstance(s, int) and s >= 0 for s in seeds):
        raise ValueError(f"seeds must be a non-empty tuple of ints >= 0, got {seeds!r}")
    check_int(n_bins, "n_bins", 1)
    runs = []
    for seed in seeds:
        z_val, y_val, z_test, y_test = train_digits_mlp(seed)
        T = fit_temperature(z_val, y_val)
        out = []
        for t in (1.0, T):
            p = softmax(z_test, t)  # (997, 10)
            correct = (p.argmax(axis=1) == y_test).astype(np.int64)
            ece = expected_calibration_error(p.max(axis=1), correct, n_bins)
            out.append((float(correct.mean()), ece, nll(z_test, y_test, t)))
        (acc0, ece0, nll0), (acc1, ece1, nll1) = out
        runs.append(CalibrationRun(T, acc0, acc1, ece0, ece1, nll0, nll1, z_test, y_test))
    return runs

"""Test-time augmentation (one-pixel shifts) and a 2-model ensemble on digits, over several seeds."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from sklearn.datasets import load_digits

from snippets._checks import check_float_array, check_int
from snippets.run_cache import shared_run

SHIFTS = ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1))


# --8<-- [start:shift]
def shift_images(X: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Move every image in X (N, H, W) by dy rows and dx columns; pixels moved in are 0."""
    check_float_array(X, "X", (3,))
    N, H, W = X.shape
    if not (isinstance(dy, int) and isinstance(dx, int)) or abs(dy) >= H or abs(dx) >= W:
        raise ValueError(f"dy and dx must be ints smaller than the image, got {dy!r}, {dx!r}")
    out = np.zeros_like(X)
    rows_to, cols_to = slice(max(dy, 0), H + min(dy, 0)), slice(max(dx, 0), W + min(dx, 0))
    rows_from, cols_from = slice(max(-dy, 0), H + min(-dy, 0)), slice(max(-dx, 0), W + min(-dx, 0))
    out[:, rows_to, cols_to] = X[:, rows_from, cols_from]
    return out
# --8<-- [end:shift]


# --8<-- [start:tta]
def tta_probs(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
              shifts: tuple[tuple[int, int], ...] = SHIFTS) -> np.ndarray:
    """Mean of predict(shifted X) over the shifts; predict maps (N, H, W) images to (N, K) probabilities."""
    if not callable(predict):
        raise TypeError(f"predict must be callable, got {type(predict).__name__}")
    if not shifts:
        raise ValueError("shifts must not be empty")
    return np.mean([predict(shift_images(X, dy, dx)) for dy, dx in shifts], axis=0)


def ensemble_probs(probs: list[np.ndarray]) -> np.ndarray:
    """Average of the members' (N, K) probabilities (soft voting)."""
    if not probs or any(p.shape != probs[0].shape for p in probs):
        raise ValueError("probs must be a non-empty list of arrays of one shape")
    return np.mean(probs, axis=0)
# --8<-- [end:tta]


def train_digit_mlp(X: np.ndarray, y: np.ndarray, seed: int, steps: int = 300,
                    augment: bool = True) -> Callable[[np.ndarray], np.ndarray]:
    """64-64-10 MLP, Adam lr 0.01, batch 64; with augment each batch is shifted by a random one-pixel move."""
    check_float_array(X, "X", (3,))
    check_int(seed, "seed", 0)
    check_int(steps, "steps", 1)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    rng = np.random.default_rng(seed)
    yt = torch.tensor(y)
    for _ in range(steps):
        idx = rng.integers(0, len(y), 64)
        xb = X[idx]
        if augment:
            dy, dx = SHIFTS[rng.integers(len(SHIFTS))]
            xb = shift_images(xb, dy, dx)
        loss = torch.nn.functional.cross_entropy(model(torch.tensor(xb, dtype=torch.float32)), yt[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()

    def predict(images: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return torch.softmax(model(torch.tensor(images, dtype=torch.float32)), dim=1).double().numpy()

    return predict


def run_tta_ensemble(seed: int, steps: int = 300) -> dict[str, float]:
    """Test accuracy of one model, its TTA, a 2-model ensemble and both; 2/3 train, 1/3 test split by seed."""
    check_int(seed, "seed", 0)
    X, y = load_digits(return_X_y=True)
    X = X.reshape(-1, 8, 8) / 16.0
    perm = np.random.default_rng(seed).permutation(len(y))
    n_tr = 2 * len(y) // 3
    tr, te = perm[:n_tr], perm[n_tr:]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        a, b = (train_digit_mlp(X[tr], y[tr], 2 * seed + j, steps) for j in (0, 1))
    finally:
        torch.set_num_threads(threads)
    probs = {
        "single": a(X[te]),
        "single + TTA": tta_probs(a, X[te]),
        "2-model ensemble": ensemble_probs([a(X[te]), b(X[te])]),
        "ensemble + TTA": ensemble_probs([tta_probs(a, X[te]), tta_probs(b, X[te])]),
    }
    return {name: float((p.argmax(1) == y[te]).mean()) for name, p in probs.items()}


@shared_run
def tta_ensemble_runs(seeds: tuple[int, ...] = (0, 1, 2, 3, 4)) -> dict[str, np.ndarray]:
    """name -> (seeds,) test accuracies."""
    runs = [run_tta_ensemble(s) for s in seeds]
    return {name: np.array([r[name] for r in runs]) for name in runs[0]}


def tta_claims(runs: dict[str, np.ndarray]) -> dict[str, bool]:
    """Each comparison improve_accuracy.md states, evaluated on a tta_ensemble_runs() result."""
    single = runs["single"]
    gain = {name: runs[name] - single for name in ("single + TTA", "2-model ensemble", "ensemble + TTA")}
    return {
        "single model: median above 0.9": bool(np.median(single) > 0.9),
        "TTA: median paired gain 1 to 3 points": bool(0.01 < np.median(gain["single + TTA"]) < 0.03),
        "ensemble: median paired gain below 1 point, no seed loses more than 1": bool(
            0.0 <= np.median(gain["2-model ensemble"]) < 0.01 and gain["2-model ensemble"].min() > -0.01),
        "both: highest median accuracy": bool(
            np.median(runs["ensemble + TTA"]) == max(np.median(v) for v in runs.values())),
        "every variant and seed: change between -1 and +4 points": all(
            g.min() > -0.01 and g.max() < 0.04 for g in gain.values()),
    }

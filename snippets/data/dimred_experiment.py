"""PCA / random projection to k dimensions before a small MLP on digits: accuracy and compute against k."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits

from snippets._checks import check_int
from snippets.data.pca import gaussian_projection, pca_fit, pca_transform
from snippets.run_cache import shared_run

KS = (2, 4, 8, 16, 32)


@dataclass(frozen=True)
class DimRun:
    """Test accuracy for one reduction method and k (k = 64: no reduction)."""

    accuracy: float


def mlp_multiply_adds(d_in: int, hidden: int = 32, classes: int = 10) -> int:
    """Multiply-adds of one forward pass of a d_in -> hidden -> classes MLP for one sample (biases not counted)."""
    check_int(d_in, "d_in", 1)
    check_int(hidden, "hidden", 1)
    check_int(classes, "classes", 1)
    return d_in * hidden + hidden * classes


def train_mlp(X_tr: np.ndarray, y_tr: np.ndarray, X_te: np.ndarray, y_te: np.ndarray, seed: int,
              steps: int = 200, hidden: int = 32) -> DimRun:
    """A D -> hidden -> 10 MLP (inputs standardised with training statistics), Adam lr 0.01, batch 64."""
    check_int(seed, "seed", 0)
    check_int(steps, "steps", 1)
    mu, sd = X_tr.mean(0), X_tr.std(0) + 1e-8
    Xt = torch.tensor((X_tr - mu) / sd, dtype=torch.float32)
    Xe = torch.tensor((X_te - mu) / sd, dtype=torch.float32)
    yt = torch.tensor(y_tr)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(X_tr.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        idx = torch.randint(len(yt), (64,), generator=g)
        loss = torch.nn.functional.cross_entropy(model(Xt[idx]), yt[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        acc = (model(Xe).argmax(1).numpy() == y_te).mean()
    return DimRun(float(acc))


def run_dimred(seed: int, ks: tuple[int, ...] = KS, steps: int = 200) -> dict[tuple[str, int], DimRun]:
    """('none', 64), ('pca', k) and ('random', k) for each k; 2/3 train, 1/3 test split drawn by seed."""
    check_int(seed, "seed", 0)
    X, y = load_digits(return_X_y=True)
    perm = np.random.default_rng(seed).permutation(len(y))
    n_tr = 2 * len(y) // 3
    X_tr, y_tr, X_te, y_te = X[perm[:n_tr]], y[perm[:n_tr]], X[perm[n_tr:]], y[perm[n_tr:]]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        out = {("none", 64): train_mlp(X_tr, y_tr, X_te, y_te, seed, steps)}
        for k in ks:
            p = pca_fit(X_tr, k)  # 只用训练集拟合，且不看标签
            out["pca", k] = train_mlp(pca_transform(X_tr, p), y_tr, pca_transform(X_te, p), y_te, seed, steps)
            R = gaussian_projection(64, k, np.random.default_rng(seed))
            out["random", k] = train_mlp(X_tr @ R.T, y_tr, X_te @ R.T, y_te, seed, steps)
    finally:
        torch.set_num_threads(threads)
    return out


@shared_run
def dimred_runs(seeds: tuple[int, ...] = (0, 1, 2, 3, 4)) -> dict[tuple[str, int], list[DimRun]]:
    """Every (method, k) over the seeds."""
    runs = [run_dimred(s) for s in seeds]
    return {key: [r[key] for r in runs] for key in runs[0]}


def dimred_claims(runs: dict[tuple[str, int], list[DimRun]]) -> dict[str, bool]:
    """Each accuracy comparison the page states, evaluated on a dimred_runs() result (medians over seeds)."""
    med = {key: float(np.median([r.accuracy for r in v])) for key, v in runs.items()}
    lo = {key: min(r.accuracy for r in v) for key, v in runs.items()}
    base = med["none", 64]
    return {
        "no reduction: median above 0.95": base > 0.95,
        "PCA 16 and 32 within 0.02 of no reduction": all(abs(med["pca", k] - base) < 0.02 for k in (16, 32)),
        "PCA 2, 4, 8 more than 0.03 below no reduction": all(med["pca", k] < base - 0.03 for k in (2, 4, 8)),
        "random 2, 4, 8 more than 0.05 below PCA": all(med["random", k] < med["pca", k] - 0.05 for k in (2, 4, 8)),
        "random below PCA at 16": med["random", 16] < med["pca", 16],
        "PCA 16 above 0.94 on every seed": lo["pca", 16] > 0.94,
    }

"""PCA / random projection to k dimensions before a small MLP on digits: accuracy and time against k."""

from __future__ import annotations

import functools
import time
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
    """Test accuracy and training seconds for one reduction method and k (k = 64: no reduction)."""

    accuracy: float
    seconds: float


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
    start = time.perf_counter()
    for _ in range(steps):
        idx = torch.randint(len(yt), (64,), generator=g)
        loss = torch.nn.functional.cross_entropy(model(Xt[idx]), yt[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        acc = (model(Xe).argmax(1).numpy() == y_te).mean()
    return DimRun(float(acc), seconds)


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
@functools.lru_cache(maxsize=2)  # 一个进程里（如测试）图和断言共用同一次运行
def dimred_runs(seeds: tuple[int, ...] = (0, 1, 2, 3, 4)) -> dict[tuple[str, int], list[DimRun]]:
    """Every (method, k) over the seeds."""
    runs = [run_dimred(s) for s in seeds]
    return {key: [r[key] for r in runs] for key in runs[0]}

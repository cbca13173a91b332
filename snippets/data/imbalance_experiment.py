"""Imbalanced digits: a small MLP trained with each remedy, scored per class over several seeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits

from snippets._checks import check_int
from snippets.data.imbalance import (
    balanced_accuracy,
    class_balanced_probs,
    class_weights,
    confusion,
    focal_loss,
    logit_adjusted_loss,
    per_class_recall,
    posthoc_adjust,
    resample_indices,
    tau_normalize,
)
from snippets.run_cache import shared_run

MINORITY = (3, 5, 8)  # 这三类只保留训练样本的 FRACTION
FRACTION = 0.06
K = 10


@dataclass(frozen=True)
class Split:
    """Training set with some classes subsampled; a balanced test set (half of digits)."""

    X_tr: np.ndarray  # (N_tr, 64), pixels / 16
    y_tr: np.ndarray  # (N_tr,)
    X_te: np.ndarray  # (N_te, 64)
    y_te: np.ndarray  # (N_te,)


# --8<-- [start:split]
def imbalanced_digits(seed: int, minority: tuple[int, ...] = MINORITY, fraction: float = FRACTION) -> Split:
    """Half of each digit class for testing; of the other half keep `fraction` of the minority classes."""
    check_int(seed, "seed", 0)
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"fraction must be in (0, 1], got {fraction!r}")
    if not all(isinstance(k, int) and 0 <= k < K for k in minority):
        raise ValueError(f"minority must hold class ids in [0, {K}), got {minority!r}")
    X, y = load_digits(return_X_y=True)
    rng = np.random.default_rng(seed)
    tr, te = [], []
    for k in range(K):
        idx = rng.permutation(np.flatnonzero(y == k))
        half = len(idx) // 2
        keep = max(2, round(fraction * half)) if k in minority else half
        tr.append(idx[:keep])
        te.append(idx[half:])
    i_tr, i_te = np.concatenate(tr), np.concatenate(te)
    return Split(X[i_tr] / 16.0, y[i_tr], X[i_te] / 16.0, y[i_te])
# --8<-- [end:split]


def make_mlp(seed: int, hidden: int = 32) -> torch.nn.Sequential:
    """64 -> hidden -> ReLU -> 10; the classifier has no bias, so tau-normalisation acts on all of it."""
    check_int(seed, "seed", 0)
    check_int(hidden, "hidden", 1)
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(64, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, K, bias=False))


Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
Sampler = Callable[[torch.Generator], torch.Tensor]


def fit(params: list[torch.nn.Parameter], forward: Callable[[torch.Tensor], torch.Tensor], X: torch.Tensor,
        y: torch.Tensor, loss_fn: Loss, sampler: Sampler, seed: int, steps: int, lr: float = 0.01) -> None:
    """Adam on mini-batches drawn by `sampler` (a function of a torch Generator returning indices)."""
    opt = torch.optim.Adam(params, lr=lr)
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        idx = sampler(g)
        loss = loss_fn(forward(X[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()


METHODS = ("CE", "undersample", "oversample", "class-balanced sampler", "inverse-frequency weights",
           "effective-number weights", "focal loss", "logit-adjusted loss", "threshold moving",
           "classifier re-training", "tau-normalisation")


ALL = ("balanced data", *METHODS)


def run_imbalance(
    seed: int, steps: int = 300, batch_size: int = 64, methods: tuple[str, ...] = ALL
) -> dict[str, np.ndarray]:
    """Per-class test recall (K,) of each named method ('balanced data': nothing removed, plain CE).

    Runs on one torch thread: tiny matrices gain nothing from more threads.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _run_imbalance(seed, steps, batch_size, methods)
    finally:
        torch.set_num_threads(threads)


def _run_imbalance(seed: int, steps: int, batch_size: int, methods: tuple[str, ...]) -> dict[str, np.ndarray]:
    check_int(seed, "seed", 0)
    unknown = set(methods) - {"balanced data", *METHODS}
    if unknown:
        raise ValueError(f"methods has unknown names: {sorted(unknown)}")
    check_int(steps, "steps", 1)
    check_int(batch_size, "batch_size", 1)
    s = imbalanced_digits(seed)
    full = imbalanced_digits(seed, fraction=1.0)
    counts = np.bincount(s.y_tr, minlength=K)
    prior = counts / counts.sum()
    X_te = torch.tensor(s.X_te, dtype=torch.float32)
    ce = torch.nn.functional.cross_entropy

    def uniform(n: int) -> Sampler:
        return lambda g: torch.randint(n, (batch_size,), generator=g)

    def weighted(p: np.ndarray) -> Sampler:
        pt = torch.tensor(p)
        return lambda g: torch.multinomial(pt, batch_size, replacement=True, generator=g)

    def train(X: np.ndarray, y: np.ndarray, loss_fn: Loss, sampler: Sampler | None = None) -> torch.nn.Sequential:
        model = make_mlp(seed)
        Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
        fit(list(model.parameters()), model, Xt, yt, loss_fn, sampler or uniform(len(y)), seed, steps)
        return model

    def recall(pred: np.ndarray) -> np.ndarray:
        return per_class_recall(confusion(s.y_te, pred, K))

    def logits(model: torch.nn.Module) -> np.ndarray:
        with torch.no_grad():
            return model(X_te).double().numpy()

    out: dict[str, np.ndarray] = {}
    if "balanced data" in methods:
        out["balanced data"] = recall(logits(train(full.X_tr, full.y_tr, ce)).argmax(1))
    base = train(s.X_tr, s.y_tr, ce)
    z = logits(base)
    out["CE"] = recall(z.argmax(1))
    rng = np.random.default_rng(seed)
    for mode, name in (("under", "undersample"), ("over", "oversample")):
        if name in methods:
            i = resample_indices(s.y_tr, mode, rng)
            out[name] = recall(logits(train(s.X_tr[i], s.y_tr[i], ce)).argmax(1))
    cb = weighted(class_balanced_probs(s.y_tr))
    if "class-balanced sampler" in methods:
        out["class-balanced sampler"] = recall(logits(train(s.X_tr, s.y_tr, ce, cb)).argmax(1))
    for kind, name in (("inverse", "inverse-frequency weights"), ("effective", "effective-number weights")):
        if name in methods:
            w = torch.tensor(class_weights(counts, kind), dtype=torch.float32)

            def weighted_ce(z: torch.Tensor, y: torch.Tensor, w: torch.Tensor = w) -> torch.Tensor:
                return ce(z, y, weight=w)

            out[name] = recall(logits(train(s.X_tr, s.y_tr, weighted_ce)).argmax(1))
    if "focal loss" in methods:
        out["focal loss"] = recall(logits(train(s.X_tr, s.y_tr, focal_loss)).argmax(1))
    if "logit-adjusted loss" in methods:
        pt = torch.tensor(prior, dtype=torch.float32)
        la = train(s.X_tr, s.y_tr, lambda z, y: logit_adjusted_loss(z, y, pt))
        out["logit-adjusted loss"] = recall(logits(la).argmax(1))
    out["threshold moving"] = recall(posthoc_adjust(z, prior))
    feat, classifier = base[:2], base[2]
    assert isinstance(classifier, torch.nn.Linear)
    if "classifier re-training" in methods:
        # 解耦训练：冻结 base 的特征层，只用类别均衡采样重训分类器（cRT）
        head = torch.nn.Linear(classifier.in_features, K, bias=False)
        torch.manual_seed(seed)
        head.reset_parameters()
        Xt, yt = torch.tensor(s.X_tr, dtype=torch.float32), torch.tensor(s.y_tr)
        with torch.no_grad():
            H = feat(Xt)
        fit(list(head.parameters()), head, H, yt, ce, cb, seed, steps // 2)
        out["classifier re-training"] = recall(logits(torch.nn.Sequential(feat, head)).argmax(1))
    W = classifier.weight.detach().double().numpy()  # (K, hidden)
    with torch.no_grad():
        H_te = feat(X_te).double().numpy()
    out["tau-normalisation"] = recall((H_te @ tau_normalize(W).T).argmax(1))
    return {name: out[name] for name in methods}


@shared_run
def imbalance_runs(seeds: tuple[int, ...] = (0, 1, 2, 3, 4)) -> dict[str, np.ndarray]:
    """Per-class recall of every method: name -> (seeds, K)."""
    runs = [run_imbalance(s) for s in seeds]
    return {name: np.stack([r[name] for r in runs]) for name in runs[0]}


def summary(recalls: np.ndarray, minority: tuple[int, ...] = MINORITY) -> tuple[np.ndarray, np.ndarray]:
    """Balanced accuracy and mean minority recall of each seed, from a (seeds, K) recall array."""
    if recalls.ndim != 2 or recalls.shape[1] != K:
        raise ValueError(f"recalls must have shape (seeds, {K}), got {recalls.shape}")
    return recalls.mean(axis=1), recalls[:, list(minority)].mean(axis=1)


def imbalance_claims(runs: dict[str, np.ndarray]) -> dict[str, bool]:
    """Each comparison imbalance.md states, evaluated on an imbalance_runs() result (medians over seeds)."""
    counts = np.bincount(imbalanced_digits(0).y_tr, minlength=K)  # 每个种子的类别计数相同
    prior = counts / counts.sum()
    med = {}
    for name, r in runs.items():
        bal, mino = summary(r)
        med[name] = (float(np.median(bal)), float(np.median(mino)), float(np.median(r @ prior)))
    ce, full = med["CE"], med["balanced data"]
    ranked = sorted(METHODS, key=lambda n: med[n][0], reverse=True)
    return {
        "CE minority recall below 0.65 and about 0.47; all data above 0.9": ce[1] < 0.65 and abs(ce[1] - 0.47) < 0.05
        and full[1] > 0.9,
        "minority mean recall on every seed: CE below 0.7, all data above": bool(
            summary(runs["CE"])[1].max() < 0.7 < summary(runs["balanced data"])[1].min()),
        "prior-weighted accuracy: CE within 0.01 of all data": abs(ce[2] - full[2]) < 0.01,
        "balanced accuracy: all data more than 0.1 above CE": full[0] - ce[0] > 0.1,
        "undersample and threshold moving: minority recall about 0.78": all(
            abs(med[n][1] - 0.78) < 0.05 for n in ("undersample", "threshold moving")),
        "every frequency-aware remedy: minority recall 0.15 above CE": all(
            med[n][1] > ce[1] + 0.15 for n in METHODS if n not in ("CE", "focal loss", "tau-normalisation")),
        "logit-adjusted loss and threshold moving: top two balanced accuracies": set(ranked[:2])
        == {"logit-adjusted loss", "threshold moving"},
        "their medians about 0.91, ranges within 0.89-0.95; the others' medians below 0.90": all(
            abs(med[n][0] - 0.91) < 0.01 and 0.89 <= summary(runs[n])[0].min() and summary(runs[n])[0].max() <= 0.95
            for n in ("logit-adjusted loss", "threshold moving")) and all(med[n][0] < 0.90 for n in ranked[2:]),
        "ranges overlap: best oversample seed above the worst of the top two": summary(runs["oversample"])[0].max()
        > min(summary(runs[n])[0].min() for n in ("logit-adjusted loss", "threshold moving")),
        "focal loss and tau-norm: minority recall less than 0.1 above CE, balanced accuracy within 0.03": all(
            med[n][1] - ce[1] < 0.1 and abs(med[n][0] - ce[0]) < 0.03 for n in ("focal loss", "tau-normalisation")),
        "undersample below oversample in balanced accuracy": med["undersample"][0] < med["oversample"][0],
        "oversample minority recall more than 0.15 below all data": med["oversample"][1] < full[1] - 0.15,
        "minority recall: CE < classifier re-training < threshold moving": ce[1] < med["classifier re-training"][1]
        < med["threshold moving"][1],
    }


__all__ = ["balanced_accuracy", "imbalance_claims", "imbalance_runs", "imbalanced_digits", "run_imbalance", "summary"]

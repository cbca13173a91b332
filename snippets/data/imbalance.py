"""Class imbalance: metrics, class weights, losses and post-hoc corrections (NumPy and PyTorch)."""

from __future__ import annotations

import numpy as np
import torch

from snippets._checks import check_float_array, check_int


def _check_labels(y: object, name: str, K: int | None = None) -> np.ndarray:
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{name} must be an integer NumPy array, got {type(y).__name__}")
    if y.ndim != 1 or len(y) == 0 or y.min() < 0 or (K is not None and y.max() >= K):
        raise ValueError(f"{name} must be a non-empty 1-D array of class ids in [0, K)")
    return y


# --8<-- [start:metrics]
def confusion(y: np.ndarray, y_hat: np.ndarray, K: int) -> np.ndarray:
    """(K, K) counts: row = true class, column = predicted class (sklearn's convention)."""
    check_int(K, "K", 2)
    _check_labels(y, "y", K)
    _check_labels(y_hat, "y_hat", K)
    if y.shape != y_hat.shape:
        raise ValueError(f"y and y_hat must have the same shape, got {y.shape} and {y_hat.shape}")
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (y, y_hat), 1)
    return C


def per_class_recall(C: np.ndarray) -> np.ndarray:
    """recall_k = C[k, k] / sum_j C[k, j]: the share of class k that is found."""
    return np.diag(C) / C.sum(axis=1)


def balanced_accuracy(C: np.ndarray) -> float:
    """Mean of the per-class recalls: every class counts the same, however rare."""
    return float(per_class_recall(C).mean())


def macro_f1(C: np.ndarray) -> float:
    """Unweighted mean over classes of F1_k = 2 TP / (2 TP + FP + FN); 0 where a class is never hit."""
    tp = np.diag(C).astype(np.float64)
    fp, fn = C.sum(axis=0) - tp, C.sum(axis=1) - tp
    denom = 2 * tp + fp + fn
    return float(np.mean(np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)))
# --8<-- [end:metrics]


# --8<-- [start:weights]
def class_weights(counts: np.ndarray, kind: str = "inverse", beta: float = 0.99) -> np.ndarray:
    """Per-class loss weights, scaled so that they sum to K.

    inverse:   w_k ∝ 1 / n_k
    effective: w_k ∝ (1 - beta) / (1 - beta**n_k)   (Cui et al. 2019, E_n = (1 - beta**n) / (1 - beta))
    """
    if kind not in ("inverse", "effective"):
        raise ValueError(f"kind must be 'inverse' or 'effective', got {kind!r}")
    if not 0.0 < beta < 1.0:
        raise ValueError(f"beta must be in (0, 1), got {beta!r}")
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 1 or len(counts) < 2 or (counts <= 0).any():
        raise ValueError("counts must be a 1-D array of at least 2 positive class sizes")
    if kind == "inverse":
        w = 1.0 / counts
    else:
        effective_number = (1.0 - beta**counts) / (1.0 - beta)  # 1 <= E_n <= min(n, 1/(1-beta))
        w = 1.0 / effective_number
    return w * len(counts) / w.sum()
# --8<-- [end:weights]


# --8<-- [start:losses]
def focal_loss(z: torch.Tensor, y: torch.Tensor, gamma: float = 2.0) -> torch.Tensor:
    """Mean of -(1 - p_y)^gamma log p_y over the batch; gamma = 0 is cross-entropy.  z: (N, K), y: (N,)."""
    if gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma!r}")
    log_p = torch.log_softmax(z, dim=1).gather(1, y[:, None])[:, 0]  # (N,): log p_y
    return (-((1.0 - log_p.exp()) ** gamma) * log_p).mean()


def logit_adjusted_loss(z: torch.Tensor, y: torch.Tensor, prior: torch.Tensor, tau: float = 1.0) -> torch.Tensor:
    """Cross-entropy on z + tau * log(prior) (Menon et al. 2021); at test time use z alone.

    With tau = 1 this is the balanced softmax of Ren et al. (2020).  z: (N, K), prior: (K,) sums to 1.
    """
    if tau < 0:
        raise ValueError(f"tau must be >= 0, got {tau!r}")
    if prior.ndim != 1 or prior.shape[0] != z.shape[1] or (prior <= 0).any():
        raise ValueError("prior must be a positive (K,) tensor matching z's columns")
    return torch.nn.functional.cross_entropy(z + tau * torch.log(prior), y)
# --8<-- [end:losses]


# --8<-- [start:posthoc]
def posthoc_adjust(z: np.ndarray, prior: np.ndarray, tau: float = 1.0) -> np.ndarray:
    """Predict argmax_k z_k - tau * log(prior_k); tau = 1 is argmax p_k / prior_k (threshold moving)."""
    check_float_array(z, "z", (2,))
    if tau < 0:
        raise ValueError(f"tau must be >= 0, got {tau!r}")
    if prior.shape != (z.shape[1],) or (prior <= 0).any():
        raise ValueError("prior must be a positive (K,) array matching z's columns")
    return np.argmax(z - tau * np.log(prior), axis=1)


def tau_normalize(W: np.ndarray, tau: float = 1.0) -> np.ndarray:
    """Rows w_k / ||w_k||^tau of the classifier W (K, D) (Kang et al. 2020); tau = 0 leaves W alone."""
    check_float_array(W, "W", (2,))
    if tau < 0:
        raise ValueError(f"tau must be >= 0, got {tau!r}")
    return W / np.linalg.norm(W, axis=1, keepdims=True) ** tau
# --8<-- [end:posthoc]


# --8<-- [start:sampling]
def resample_indices(y: np.ndarray, mode: str, rng: np.random.Generator) -> np.ndarray:
    """Indices of a re-sampled training set with equal class counts.

    over:  every class drawn with replacement up to the largest class size (originals kept)
    under: every class drawn without replacement down to the smallest class size
    """
    _check_labels(y, "y")
    if mode not in ("over", "under"):
        raise ValueError(f"mode must be 'over' or 'under', got {mode!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    classes = np.unique(y)
    counts = np.array([(y == k).sum() for k in classes])
    target = counts.max() if mode == "over" else counts.min()
    out = []
    for k in classes:
        idx = np.flatnonzero(y == k)
        if mode == "over":
            out.append(np.concatenate([idx, rng.choice(idx, target - len(idx), replace=True)]))
        else:
            out.append(rng.choice(idx, target, replace=False))
    return rng.permutation(np.concatenate(out))


def class_balanced_probs(y: np.ndarray) -> np.ndarray:
    """Sampling probability of each example, ∝ 1 / n_{y_i}: every class is drawn equally often."""
    _check_labels(y, "y")
    counts = np.bincount(y)
    p = 1.0 / counts[y]
    return p / p.sum()
# --8<-- [end:sampling]

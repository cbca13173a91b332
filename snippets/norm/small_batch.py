"""How far BN's training-mode output is from its evaluation-mode output, as a function of the batch size."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array, check_int
from snippets.norm.family import normalize
from snippets.run_cache import shared_run


def digits_features(seed: int = 0, channels: int = 8) -> np.ndarray:
    """Digits (1797, 1, 8, 8) through a fixed random 3x3 conv and ReLU: CNN-like features (1797, C, 6, 6)."""
    from sklearn.datasets import load_digits

    check_int(seed, "seed", 0)
    check_int(channels, "channels", 1)
    images = load_digits().images / 16.0  # (N, 8, 8), pixel values in [0, 1]
    K = np.random.default_rng(seed).standard_normal((channels, 3, 3)) / 3.0  # (C, 3, 3)
    patches = np.lib.stride_tricks.sliding_window_view(images, (3, 3), axis=(1, 2))  # (N, 6, 6, 3, 3)
    return np.maximum(np.einsum("nhwij,cij->nchw", patches, K), 0.0)  # (N, C, 6, 6)


# --8<-- [start:gap]
def bn_train_eval_gap(F: np.ndarray, B: int, rng: np.random.Generator, n_batches: int = 20) -> float:
    """RMS of (training-mode x_hat with batch statistics) - (x_hat with the statistics of all of F).

    The second is what evaluation mode computes once the running statistics have converged; the
    difference is the noise a batch of B samples puts into every activation. GroupNorm's is 0.
    """
    check_float_array(F, "F", (4,))
    check_int(B, "B", 1)
    check_int(n_batches, "n_batches", 1)
    mu = F.mean(axis=(0, 2, 3), keepdims=True)  # (1, C, 1, 1): 总体统计量
    sd = np.sqrt(F.var(axis=(0, 2, 3), keepdims=True) + 1e-5)
    sq = []
    for _ in range(n_batches):
        batch = F[rng.choice(len(F), size=B, replace=False)]  # (B, C, H, W)
        x_train, _ = normalize(batch, axes=(0, 2, 3))  # 本批的统计量
        sq.append(np.mean((x_train - (batch - mu) / sd) ** 2))
    return float(np.sqrt(np.mean(sq)))
# --8<-- [end:gap]


BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64)


@shared_run
def gap_vs_batch_size(
    batch_sizes: tuple[int, ...] = BATCH_SIZES, seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
) -> dict[int, list[float]]:
    """bn_train_eval_gap for every batch size, once per seed (the seed draws the batches)."""
    F = digits_features()
    return {B: [bn_train_eval_gap(F, B, np.random.default_rng(s)) for s in seeds] for B in batch_sizes}

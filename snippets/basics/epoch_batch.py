"""Epoch, iteration and batch size: how many batches an epoch has, with and without drop_last."""

from __future__ import annotations

import numpy as np


def _check_counts(n: int, batch_size: int) -> None:
    for name, value, low in (("n", n, 0), ("batch_size", batch_size, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"{name} must be an int >= {low}, got {value!r}")


# --8<-- [start:iterations]
def iterations_per_epoch(n: int, batch_size: int, drop_last: bool = False) -> int:
    """Number of batches (= parameter updates) in one pass over n samples.

    Args:
        n: number of samples in the data set.
        batch_size: samples per batch.
        drop_last: drop the last, smaller batch when n is not a multiple of batch_size.

    Returns:
        floor(n / B) with drop_last, ceil(n / B) without; the same as len(torch.utils.data.DataLoader).
    """
    _check_counts(n, batch_size)
    return n // batch_size if drop_last else -(-n // batch_size)  # -(-a // b) 是整数上取整


def batch_sizes(n: int, batch_size: int, drop_last: bool = False) -> list[int]:
    """Sizes of the batches of one epoch, in order: full batches, then the remainder unless dropped."""
    _check_counts(n, batch_size)
    full, rest = divmod(n, batch_size)
    return [batch_size] * full + ([rest] if rest and not drop_last else [])
# --8<-- [end:iterations]


# --8<-- [start:epoch_batches]
def epoch_batches(n: int, batch_size: int, rng: np.random.Generator, drop_last: bool = False) -> list[np.ndarray]:
    """Shuffle the indices 0..n-1 once and cut them into batches: one epoch of a shuffled loader.

    Args:
        n: number of samples; batch_size: samples per batch.
        rng: source of the permutation (a new one every epoch).
        drop_last: as in ``iterations_per_epoch``.

    Returns:
        a list of index arrays; each sample appears at most once, and exactly once unless dropped.
    """
    _check_counts(n, batch_size)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    perm = rng.permutation(n)
    stops = np.cumsum([0] + batch_sizes(n, batch_size, drop_last))
    return [perm[a:b] for a, b in zip(stops[:-1], stops[1:], strict=True)]
# --8<-- [end:epoch_batches]

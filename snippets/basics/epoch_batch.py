"""Epoch, iteration and batch size: how many batches an epoch has, with and without drop_last."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int


def _check_counts(n: int, batch_size: int) -> None:
    check_int(n, "n", 0)
    check_int(batch_size, "batch_size", 1)


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


# --8<-- [start:accumulation]
def accumulation_weights(micro_batch_sizes: list[int]) -> np.ndarray:
    """Weight of every sample in the update when k micro-batch mean losses are each divided by k and summed.

    Sample i of micro-batch j gets 1 / (k N_j) ("mean of means"); one batch of all n samples gives 1 / n.
    The two agree only when every N_j is the same, so a short last micro-batch weighs its samples more.

    Args:
        micro_batch_sizes: N_1, ..., N_k, each an int >= 1.

    Returns:
        weights of shape (n,), n = N_1 + ... + N_k, in micro-batch order; they sum to 1.
    """
    if (not isinstance(micro_batch_sizes, list) or not micro_batch_sizes
            or any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in micro_batch_sizes)):
        raise ValueError(f"micro_batch_sizes must be a non-empty list of ints >= 1, got {micro_batch_sizes!r}")
    k = len(micro_batch_sizes)
    return np.concatenate([np.full(size, 1.0 / (k * size)) for size in micro_batch_sizes])
# --8<-- [end:accumulation]


# --8<-- [start:shards]
def shard_indices(order: np.ndarray, num_replicas: int, rank: int, drop_last: bool = False) -> np.ndarray:
    """The sample indices one rank (process) gets in an epoch, like torch.utils.data.DistributedSampler.

    Every rank must run the same number of iterations (during each backward pass DDP all-reduces the
    gradients bucket by bucket, collectives that all ranks must join), so every rank gets the same
    number of samples: without drop_last the order is padded by repeating its first indices up to a
    multiple of num_replicas, with drop_last its tail is cut off.

    Args:
        order: this epoch's order of the n sample indices, shape (n,) (a permutation when shuffling).
        num_replicas: number of ranks; rank: this rank, 0 <= rank < num_replicas.
        drop_last: cut instead of pad.

    Returns:
        indices of shape (ceil(n / R),) without drop_last, (floor(n / R),) with it; rank r takes every R-th from r.
    """
    if not isinstance(order, np.ndarray) or order.ndim != 1 or len(order) < 1:
        raise ValueError("order must be a non-empty 1-D array of sample indices")
    if isinstance(num_replicas, bool) or not isinstance(num_replicas, int) or num_replicas < 1:
        raise ValueError(f"num_replicas must be an int >= 1, got {num_replicas!r}")
    if isinstance(rank, bool) or not isinstance(rank, int) or not 0 <= rank < num_replicas:
        raise ValueError(f"rank must be an int in [0, num_replicas), got {rank!r}")
    n = len(order)
    per_rank = n // num_replicas if drop_last else -(-n // num_replicas)
    total = per_rank * num_replicas
    if total > n:  # 补齐: 从头重复样本 (n 很小时可能要重复好几遍)
        order = np.resize(order, total)  # np.resize 循环重复
    return order[:total][rank::num_replicas]
# --8<-- [end:shards]

"""Tests for snippets.basics.epoch_batch: batch counts and sizes equal torch.utils.data.DataLoader's."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

from snippets.basics.epoch_batch import (
    accumulation_weights,
    batch_sizes,
    epoch_batches,
    iterations_per_epoch,
    shard_indices,
)


@pytest.mark.parametrize("n", [1, 7, 100, 1000, 1001])
@pytest.mark.parametrize("batch_size", [1, 3, 32, 100, 2000])
@pytest.mark.parametrize("drop_last", [False, True])
def test_iterations_and_batch_sizes_equal_dataloader(n: int, batch_size: int, drop_last: bool) -> None:
    loader = DataLoader(TensorDataset(torch.arange(n)), batch_size=batch_size, shuffle=True, drop_last=drop_last)
    assert iterations_per_epoch(n, batch_size, drop_last) == len(loader)
    assert batch_sizes(n, batch_size, drop_last) == [len(b[0]) for b in loader]


def test_seed_example_1000_samples_batch_100_gives_10_iterations() -> None:
    assert iterations_per_epoch(1000, 100) == 10
    assert iterations_per_epoch(1000, 100, drop_last=True) == 10
    assert iterations_per_epoch(1050, 100) == 11 and iterations_per_epoch(1050, 100, drop_last=True) == 10


def test_an_epoch_visits_every_sample_exactly_once_unless_dropped() -> None:
    rng = np.random.default_rng(0)
    kept = np.concatenate(epoch_batches(1050, 100, rng))
    np.testing.assert_array_equal(np.sort(kept), np.arange(1050))
    dropped = np.concatenate(epoch_batches(1050, 100, rng, drop_last=True))
    assert len(dropped) == 1000 and len(np.unique(dropped)) == 1000


def test_bad_input_raises_with_argument_name() -> None:
    with pytest.raises(ValueError, match="batch_size must be an int >= 1"):
        iterations_per_epoch(10, 0)
    with pytest.raises(ValueError, match="n must be an int >= 0"):
        batch_sizes(-1, 4)
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        epoch_batches(10, 4, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="micro_batch_sizes must be a non-empty list of ints >= 1"):
        accumulation_weights([4, 0])
    with pytest.raises(ValueError, match="micro_batch_sizes must be a non-empty list of ints >= 1"):
        accumulation_weights([])
    with pytest.raises(ValueError, match="order must be a non-empty 1-D array"):
        shard_indices(np.arange(6).reshape(2, 3), 2, 0)
    with pytest.raises(ValueError, match="num_replicas must be an int >= 1"):
        shard_indices(np.arange(6), 0, 0)
    with pytest.raises(ValueError, match=r"rank must be an int in \[0, num_replicas\)"):
        shard_indices(np.arange(6), 2, 2)


def test_batchnorm1d_rejects_a_single_sample_but_batchnorm2d_accepts_one_with_spatial_positions() -> None:
    # 页面的说法: 报错的条件是 "每个通道只有一个值", 而不是 "批里只有一个样本"
    torch.manual_seed(0)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        torch.nn.BatchNorm1d(4).train()(torch.randn(1, 4))
    out = torch.nn.BatchNorm2d(4).train()(torch.randn(1, 4, 2, 2))
    assert out.shape == (1, 4, 2, 2) and bool(torch.isfinite(out).all())
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        torch.nn.BatchNorm2d(4).train()(torch.randn(1, 4, 1, 1))


@pytest.mark.parametrize("n", [1, 3, 10, 17, 100])
@pytest.mark.parametrize("num_replicas", [1, 2, 4, 8, 16])
@pytest.mark.parametrize("drop_last", [False, True])
def test_shard_indices_equal_distributed_sampler_for_every_rank(n: int, num_replicas: int, drop_last: bool) -> None:
    for shuffle in (False, True):
        # 打乱时 DistributedSampler 用种子 seed + epoch 生成排列; 把同一个排列交给我们的函数
        order = torch.randperm(n, generator=torch.Generator().manual_seed(3 + 2)).numpy() if shuffle else np.arange(n)
        for rank in range(num_replicas):
            sampler = DistributedSampler(
                list(range(n)), num_replicas, rank, shuffle=shuffle, seed=3, drop_last=drop_last
            )
            sampler.set_epoch(2)
            np.testing.assert_array_equal(shard_indices(order, num_replicas, rank, drop_last), list(sampler))


def test_every_rank_gets_the_same_number_of_samples_padding_repeats_cutting_drops() -> None:
    shards = [shard_indices(np.arange(10), 4, rank) for rank in range(4)]
    assert {len(s) for s in shards} == {3}  # ceil(10 / 4)
    seen = np.concatenate(shards)
    assert sorted(set(seen.tolist())) == list(range(10)) and len(seen) == 12  # 两个样本出现了两次
    cut = [shard_indices(np.arange(10), 4, rank, drop_last=True) for rank in range(4)]
    assert {len(s) for s in cut} == {2} and sorted(np.concatenate(cut).tolist()) == list(range(8))


@given(st.lists(st.integers(1, 50), min_size=1, max_size=8))
def test_accumulation_weights_sum_to_one_and_equal_one_over_n_only_for_equal_sizes(sizes: list[int]) -> None:
    w = accumulation_weights(sizes)
    assert len(w) == sum(sizes) and w.sum() == pytest.approx(1.0, rel=1e-12)
    assert np.allclose(w, 1 / sum(sizes), rtol=1e-12, atol=0) == (len(set(sizes)) == 1)


@pytest.mark.parametrize("sizes", [[4, 4, 2], [3, 3, 3], [5, 1], [1, 1, 1, 7]])
def test_accumulated_gradient_in_torch_is_the_accumulation_weights_times_per_sample_gradients(sizes: list[int]) -> None:
    # 常见写法: 每个小批次 loss.mean() / k, backward 累加; 与按权重加权的逐样本梯度相同
    n, k = sum(sizes), len(sizes)
    g = torch.Generator().manual_seed(0)
    X, y = torch.randn(n, 3, generator=g, dtype=torch.float64), torch.randn(n, generator=g, dtype=torch.float64)
    w = torch.randn(3, generator=g, dtype=torch.float64, requires_grad=True)
    start = 0
    for size in sizes:
        Xb, yb = X[start:start + size], y[start:start + size]
        (((Xb @ w - yb) ** 2).mean() / k).backward()  # 梯度累加到 w.grad
        start += size
    per_sample = torch.stack([torch.autograd.grad((X[i] @ w - y[i]) ** 2, w)[0] for i in range(n)])  # (n, 3)
    expected = accumulation_weights(sizes) @ per_sample.numpy()
    np.testing.assert_allclose(w.grad.numpy(), expected, rtol=1e-12, atol=1e-14)

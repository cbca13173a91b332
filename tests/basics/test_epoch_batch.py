"""Tests for snippets.basics.epoch_batch: batch counts and sizes equal torch.utils.data.DataLoader's."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from snippets.basics.epoch_batch import batch_sizes, epoch_batches, iterations_per_epoch


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


def test_batchnorm1d_rejects_a_single_sample_but_batchnorm2d_accepts_one_with_spatial_positions() -> None:
    # 页面的说法: 报错的条件是 "每个通道只有一个值", 而不是 "批里只有一个样本"
    torch.manual_seed(0)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        torch.nn.BatchNorm1d(4).train()(torch.randn(1, 4))
    out = torch.nn.BatchNorm2d(4).train()(torch.randn(1, 4, 2, 2))
    assert out.shape == (1, 4, 2, 2) and bool(torch.isfinite(out).all())
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        torch.nn.BatchNorm2d(4).train()(torch.randn(1, 4, 1, 1))

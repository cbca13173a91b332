"""snippets.norm.dropblock: the gamma formula, the block shape, kept share over many draws, eval identity."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from snippets.norm.dropblock import DropBlock2d, block_mask_from_seeds, dropblock, dropblock_gamma, expected_kept_share


def test_gamma_hand_case() -> None:
    # keep_prob 0.9, b = 3, 16 x 16: 0.1 / 9 * 256 / 196
    assert math.isclose(dropblock_gamma(0.9, 3, 16, 16), 0.1 / 9 * 256 / 196, rel_tol=1e-12)
    assert dropblock_gamma(1.0, 3, 16, 16) == 0.0
    # b = 1: ordinary dropout rate
    assert math.isclose(dropblock_gamma(0.8, 1, 5, 7), 0.2, rel_tol=1e-12)


def test_one_seed_drops_one_block_at_the_right_place() -> None:
    seeds = np.zeros((1, 1, 4, 4))  # H = W = 6, b = 3
    seeds[0, 0, 1, 2] = 1.0
    M = block_mask_from_seeds(seeds, 3)[0, 0]
    expected = np.ones((6, 6))
    expected[1:4, 2:5] = 0.0  # 行 1..3, 列 2..4
    np.testing.assert_array_equal(M, expected)


def test_block_mask_equals_brute_force_union_of_squares_and_torch_max_pool() -> None:
    rng = np.random.default_rng(0)
    for b, H, W in ((1, 5, 5), (2, 6, 7), (3, 8, 8), (4, 9, 6)):
        seeds = (rng.random((2, 3, H - b + 1, W - b + 1)) < 0.15).astype(float)
        brute = np.ones((2, 3, H, W))
        for n, c, u, v in zip(*np.nonzero(seeds), strict=True):
            brute[n, c, u : u + b, v : v + b] = 0.0
        np.testing.assert_array_equal(block_mask_from_seeds(seeds, b), brute)
        Mt = DropBlock2d(0.9, b).mask_from_seeds(torch.from_numpy(seeds)).numpy()
        np.testing.assert_array_equal(Mt, brute)


@pytest.mark.parametrize(("keep_prob", "b"), [(0.9, 3), (0.8, 5), (0.95, 7)])
def test_kept_share_over_many_draws_matches_expectation_and_keep_prob(keep_prob: float, b: int) -> None:
    m, H = 2000, 16  # m 张独立的特征图
    Y = dropblock(np.ones((m, 1, H, H)), keep_prob, b, np.random.default_rng(1))
    share = (Y != 0).reshape(m, -1).mean(axis=1)  # 每张图的保留比例, 在 [0, 1] 内且相互独立
    t = 5 * share.std() / math.sqrt(m)  # 均值的 5 个标准误 (m 个独立样本)
    assert abs(share.mean() - expected_kept_share(keep_prob, b, H, H)) < t
    # 块之间的重叠让实际保留比例略高于 keep_prob
    assert 0.0 <= expected_kept_share(keep_prob, b, H, H) - keep_prob < 0.03


def test_rescaling_keeps_the_sum_and_eval_is_identity() -> None:
    X = np.ones((8, 4, 12, 12))
    Y = dropblock(X, 0.85, 3, np.random.default_rng(2))
    assert math.isclose(Y.sum(), X.sum(), rel_tol=1e-12)  # 乘以 count(M) / count_ones(M)
    assert dropblock(X, 0.85, 3, np.random.default_rng(2), training=False) is X
    m = DropBlock2d(0.85, 3).eval()
    xt = torch.randn(2, 3, 12, 12)
    assert torch.equal(m(xt), xt)
    m.train()
    torch.manual_seed(0)
    yt = m(torch.ones(64, 4, 12, 12))
    assert math.isclose(yt.sum().item(), 64 * 4 * 144, rel_tol=1e-5)
    assert 0.8 < (yt != 0).float().mean().item() < 0.92


def test_bad_inputs_name_the_argument() -> None:
    X, rng = np.ones((1, 1, 5, 5)), np.random.default_rng(0)
    with pytest.raises(ValueError, match="keep_prob"):
        dropblock(X, 0.0, 3, rng)
    with pytest.raises(ValueError, match="block_size"):
        dropblock(X, 0.9, 6, rng)
    with pytest.raises(TypeError, match="X"):
        dropblock(X.astype(int), 0.9, 3, rng)
    with pytest.raises(TypeError, match="rng"):
        dropblock(X, 0.9, 3, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seeds"):
        block_mask_from_seeds(np.full((1, 1, 3, 3), 0.5), 3)
    with pytest.raises(ValueError, match="H"):
        dropblock_gamma(0.9, 3, 0, 5)
    with pytest.raises(ValueError, match="keep_prob"):
        DropBlock2d(1.5, 3)
    with pytest.raises(ValueError, match="keep_prob"):
        expected_kept_share(-0.1, 3, 8, 8)

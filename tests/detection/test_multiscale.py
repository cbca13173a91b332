"""Tests for snippets.detection.multiscale: SSD scales and mining by hand, FPN level, FPN wiring against NumPy."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.detection.multiscale import FPN, fpn_level, hard_negative_mining, ssd_box_shapes, ssd_scales


def test_ssd_scales_hand_case() -> None:
    np.testing.assert_allclose(ssd_scales(6), [0.2, 0.34, 0.48, 0.62, 0.76, 0.9], rtol=1e-12)
    np.testing.assert_allclose(ssd_scales(2, 0.1, 0.5), [0.1, 0.5], rtol=1e-15)


def test_ssd_box_shapes_keep_area_and_ratio() -> None:
    wh = ssd_box_shapes(0.2, 0.34)
    np.testing.assert_allclose(wh[:5, 0] * wh[:5, 1], 0.04, rtol=1e-12)  # 面积都是 s_k^2
    np.testing.assert_allclose(wh[:5, 0] / wh[:5, 1], [1, 2, 3, 0.5, 1 / 3], rtol=1e-12)
    np.testing.assert_allclose(wh[5], [np.sqrt(0.2 * 0.34)] * 2, rtol=1e-12)


def test_hard_negative_mining_hand_case() -> None:
    loss = np.array([0.1, 2.0, 0.5, 3.0, 0.2, 1.0, 0.9, 4.0])
    pos = np.array([False, False, False, False, False, True, False, True])
    keep = hard_negative_mining(loss, pos, 3)
    # 2 个正样本、比例 3 -> 6 个负样本, 正好是全部负样本; 比例 1 时选损失最大的 2 个负样本 (3.0 和 2.0)
    assert keep.all()
    assert np.flatnonzero(hard_negative_mining(loss, pos, 1)).tolist() == [1, 3, 5, 7]
    assert np.flatnonzero(hard_negative_mining(loss, np.zeros(8, dtype=bool), 3)).tolist() == []
    # 正样本自己的损失再大也不占负样本的名额
    assert np.flatnonzero(hard_negative_mining(np.array([9.0, 1.0, 2.0, 3.0]), np.array([True, False, False, False]), 2)
                          ).tolist() == [0, 2, 3]


def test_hard_negative_mining_picks_the_largest_losses() -> None:
    rng = np.random.default_rng(0)
    loss = rng.exponential(1.0, 500)
    pos = rng.uniform(size=500) < 0.05
    keep = hard_negative_mining(loss, pos, 3)
    neg = keep & ~pos
    assert neg.sum() == 3 * pos.sum()
    assert loss[neg].min() >= loss[~pos & ~keep].max()


def test_fpn_level_hand_cases() -> None:
    sides = np.array([32.0, 56.0, 112.0, 223.0, 224.0, 448.0, 1000.0])
    # log2(s / 224): 32 -> -2.8 (k = 1 -> 截到 2), 56 -> -2, 112 -> -1, 223 -> 3 (刚不到 224), 224 -> 4, 448 -> 5
    assert fpn_level(sides, sides).tolist() == [2, 2, 3, 3, 4, 5, 5]
    assert fpn_level(np.array([448.0]), np.array([112.0])).tolist() == [4]  # sqrt(wh) = 224


def test_fpn_shapes_and_parameter_count() -> None:
    torch.manual_seed(0)
    fpn = FPN([256, 512, 1024, 2048], 256)
    feats = [torch.zeros(1, c, 16 // 2**i, 16 // 2**i) for i, c in enumerate([256, 512, 1024, 2048])]
    outs = fpn(feats)
    assert [tuple(o.shape) for o in outs] == [(1, 256, 16, 16), (1, 256, 8, 8), (1, 256, 4, 4), (1, 256, 2, 2)]
    n = sum(p.numel() for p in fpn.parameters())
    assert n == 256 * (256 + 512 + 1024 + 2048) + 4 * 256 + 4 * (256 * 256 * 9 + 256)  # 手算
    # 尺寸不整除时 (奇数边长) 也能对齐
    odd = [torch.zeros(1, c, s, s) for c, s in zip([256, 512, 1024, 2048], [13, 7, 4, 2], strict=True)]
    assert [o.shape[-1] for o in fpn(odd)] == [13, 7, 4, 2]


def test_fpn_top_down_wiring_matches_numpy() -> None:
    torch.manual_seed(1)
    chans, d = [3, 4, 5], 2
    fpn = FPN(chans, d).double()
    with torch.no_grad():  # 输出的 3x3 卷积设为恒等, 只检查横向连接与自顶向下的路径
        for conv in fpn.output:
            conv.weight.zero_()
            conv.bias.zero_()
            for c in range(d):
                conv.weight[c, c, 1, 1] = 1.0
    rng = np.random.default_rng(0)
    xs = [rng.normal(size=(1, c, 8 // 2**i, 8 // 2**i)) for i, c in enumerate(chans)]
    outs = fpn([torch.from_numpy(x) for x in xs])
    W = [lat.weight.detach().numpy()[:, :, 0, 0] for lat in fpn.lateral]  # (d, C_l)
    b = [lat.bias.detach().numpy() for lat in fpn.lateral]
    lat = [np.einsum("oc,nchw->nohw", W[i], xs[i]) + b[i][None, :, None, None] for i in range(3)]
    p4 = lat[2]
    p3 = lat[1] + p4.repeat(2, axis=2).repeat(2, axis=3)  # 最近邻上采样 = 每个像素复制成 2x2
    p2 = lat[0] + p3.repeat(2, axis=2).repeat(2, axis=3)
    for o, ref in zip(outs, [p2, p3, p4], strict=True):
        np.testing.assert_allclose(o.detach().numpy(), ref, rtol=1e-12, atol=1e-12)


def test_bad_input_names_the_argument() -> None:
    with pytest.raises(ValueError, match="m must"):
        ssd_scales(1)
    with pytest.raises(ValueError, match="s_min"):
        ssd_scales(6, 0.9, 0.2)
    with pytest.raises(ValueError, match="s_k"):
        ssd_box_shapes(0.5, 0.2)
    with pytest.raises(ValueError, match="ratios"):
        ssd_box_shapes(0.2, 0.3, ratios=(-1.0,))
    with pytest.raises(ValueError, match="loss"):
        hard_negative_mining(np.array([np.nan]), np.array([True]))
    with pytest.raises(ValueError, match="positive"):
        hard_negative_mining(np.array([1.0]), np.array([1]))
    with pytest.raises(ValueError, match="neg_pos_ratio"):
        hard_negative_mining(np.array([1.0]), np.array([True]), -1)
    with pytest.raises(ValueError, match="w and h"):
        fpn_level(np.array([0.0]), np.array([1.0]))
    with pytest.raises(ValueError, match="k0"):
        fpn_level(np.array([1.0]), np.array([1.0]), k0=7)
    with pytest.raises(ValueError, match="canonical"):
        fpn_level(np.array([1.0]), np.array([1.0]), canonical=0.0)
    with pytest.raises(ValueError, match="in_channels"):
        FPN([])
    with pytest.raises(ValueError, match="feats"):
        FPN([4, 8])([torch.zeros(1, 4, 4, 4)])

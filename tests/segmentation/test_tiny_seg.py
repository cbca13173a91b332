"""Tests for snippets.segmentation.tiny_seg: exact masks, model shapes, claims logic, and a tiny trained run."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.segmentation.metrics import confusion_matrix, seg_scores
from snippets.segmentation.tiny_seg import (
    CONFIGS,
    SIZE,
    K,
    TinyFCN,
    TinyUNet,
    dice_loss_torch,
    experiment_claims,
    experiment_scores,
    experiment_summary,
    make_seg_shapes,
    predict,
    seg_run,
    train_seg,
)


def test_make_seg_shapes_labels_are_exact_and_the_rare_class_is_rare() -> None:
    X, Y = make_seg_shapes(200, np.random.default_rng(0), rare=True)
    assert X.shape == (200, 1, SIZE, SIZE) and Y.shape == (200, SIZE, SIZE) and Y.dtype == np.int64
    assert set(np.unique(Y).tolist()) == {0, 1, 2, 3}
    freq = np.bincount(Y.ravel(), minlength=K) / Y.size
    assert freq[3] < 0.01 < freq[2] < freq[1] < freq[0]
    with_rare = (Y == 3).any(axis=(1, 2)).mean()
    assert 0.1 < with_rare < 0.3                     # 约五分之一的图有小方块
    _, Yb = make_seg_shapes(50, np.random.default_rng(0), rare=False)
    assert (Yb == 3).any(axis=(1, 2)).mean() > 0.9   # 均衡版每张图都画了 (偶尔被后画的形状盖住)
    # 小方块比其余形状暗: 无噪声时, 标签决定亮度区间
    Xc, Yc = make_seg_shapes(30, np.random.default_rng(1))
    bright = Xc[:, 0][(Yc == 1) | (Yc == 2)]
    dark = Xc[:, 0][Yc == 3]
    assert dark.size > 0 and bright.mean() > 0.6 and 0.2 < dark.mean() < 0.5


def test_shapes_stay_within_their_sizes() -> None:
    _, Y = make_seg_shapes(60, np.random.default_rng(2), rare=False)
    full_squares, full_bars = 0, 0
    for lab in Y:
        for c, longest in ((1, 10), (2, 16), (3, 4)):
            rows, cols = np.nonzero(lab == c)
            if rows.size == 0:
                continue
            h, w = np.ptp(rows) + 1, np.ptp(cols) + 1    # 外接框; 被遮挡时只会更小
            assert max(h, w) <= longest and (c != 2 or min(h, w) <= 2)
            if rows.size == h * w:                       # 一个实心矩形
                full_squares += c == 1 and h == w and h >= 6
                full_bars += c == 2 and min(h, w) == 2 and max(h, w) >= 8
    assert full_squares > 20 and full_bars > 20


def test_models_map_an_image_to_k_logits_per_pixel() -> None:
    x = torch.zeros(2, 1, SIZE, SIZE)
    assert TinyUNet()(x).shape == (2, K, SIZE, SIZE)
    assert TinyFCN()(x).shape == (2, K, SIZE, SIZE)


def test_claims_on_made_up_scores() -> None:
    good = {cfg: np.zeros((5, 2, K)) for cfg in CONFIGS}
    good[("unet", "ce")][:, 0] = [0.99, 0.9, 0.8, 0.0]
    good[("fcn", "ce")][:, 0] = [0.95, 0.8, 0.3, 0.0]
    good[("unet", "dice")][:, 0] = [0.99, 0.9, 0.8, 0.5]
    good[("unet", "dice")][0, 0, 1:3] = [0.95, 0.85]   # 一个种子上 Dice 的方块和细条都略好 (0.05)
    good[("unet", "dice")][1, 0, 1:3] = [0.85, 0.4]    # 另一个种子上都更差 (细条低 0.4)
    good[("unet", "dice")][2, 0, 3] = 0.2              # 小方块: 每个种子都 > 0.1, 中位数 0.5
    good[("unet", "ce+dice")][:, 0] = [0.99, 0.9, 0.8, 0.5]
    good[("unet", "ce+dice")][4, 0, 3] = 0.0           # 一个种子上 CE+Dice 漏掉小方块
    assert all(experiment_claims(good).values())
    summary = experiment_summary(good)
    np.testing.assert_allclose(summary["bar gap"], (0.5, 0.5, 0.5))
    np.testing.assert_allclose(summary["CE+Dice rare"], (0.5, 0.0, 0.5))
    np.testing.assert_allclose(summary["Dice rare"], (0.5, 0.2, 0.5))

    def broken(cfg: tuple[str, str], index: tuple[int, ...], value: float) -> dict[str, bool]:
        scores = {c: v.copy() for c, v in good.items()}
        scores[cfg][index] = value
        return experiment_claims(scores)

    fcn_bar = broken(("fcn", "ce"), (2, 0, 2), 0.85)   # 一个种子上 FCN 的细条更好
    assert not fcn_bar["U-Net beats FCN on bg, square and bar, every seed"]
    assert not fcn_bar["gap on the thin bar > 0.2 on every seed"]
    assert not broken(("fcn", "ce"), (2, 0, 2), 0.65)["gap on the thin bar > 0.2 on every seed"]  # 差 0.15
    dice_rare = "Dice: rare-class IoU > 0.1 on every seed, median > 0.3"
    assert not broken(("unet", "dice"), (2, 0, 3), 0.05)[dice_rare]           # 一个种子只有 0.05
    assert not broken(("unet", "ce+dice"), (4, 0, 3), 0.1)["CE+Dice: rare-class IoU < 0.05 on at least one seed"]
    cost = "Dice vs CE on square and bar: never 0.1 above on a seed, more than 0.05 below on some seed"
    assert not broken(("unet", "dice"), (0, 0, 2), 0.91)[cost]               # 一个种子上细条高出 0.11
    no_loss = {c: v.copy() for c, v in good.items()}
    no_loss[("unet", "dice")][1, 0, 1:3] = [0.86, 0.76]                       # 最多只低 0.04
    assert not experiment_claims(no_loss)[cost]
    low = {c: v.copy() for c, v in good.items()}
    low[("unet", "dice")][:3, 0, 3] = 0.2                                     # 中位数 0.2
    assert not experiment_claims(low)[dice_rare]


@pytest.mark.experiment
def test_tiny_run_unet_segments_the_bar_better_and_dice_finds_the_rare_class() -> None:
    X, Y = make_seg_shapes(64, np.random.default_rng(10_000))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        iou = {cfg: seg_scores(confusion_matrix(Y, predict(train_seg(0, *cfg, steps=60), X), K)).iou
               for cfg in [("unet", "ce"), ("fcn", "ce"), ("unet", "dice")]}
    finally:
        torch.set_num_threads(threads)
    assert iou[("unet", "ce")][2] > iou[("fcn", "ce")][2] + 0.2
    assert iou[("unet", "ce")][3] < 0.1 < iou[("unet", "dice")][3]


def test_bad_input_names_the_argument() -> None:
    with pytest.raises(ValueError, match="n must"):
        make_seg_shapes(0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="arch"):
        train_seg(0, arch="segnet")
    with pytest.raises(ValueError, match="batch"):
        train_seg(0, n_train=4, batch=8)
    with pytest.raises(ValueError, match="steps"):
        train_seg(0, steps=0)
    with pytest.raises(ValueError, match="seed"):
        train_seg(-1)
    with pytest.raises(ValueError, match="X must"):
        predict(TinyUNet(), np.zeros((1, 1, 8, 8)))
    with pytest.raises(ValueError, match="n_test"):
        seg_run(0, n_test=2)
    with pytest.raises(ValueError, match="n_seeds"):
        experiment_scores(0)
    with pytest.raises(ValueError, match="scores"):
        experiment_claims({("unet", "ce"): np.zeros((5, 2, K))})
    with pytest.raises(ValueError, match="scores"):
        experiment_summary({("unet", "ce"): np.zeros((5, 2, K))})
    with pytest.raises(ValueError, match="c must"):
        TinyUNet(0)
    with pytest.raises(ValueError, match="c must"):
        TinyFCN(0)
    with pytest.raises(ValueError, match="logits"):
        dice_loss_torch(torch.zeros(1, 4, 3, 3), torch.zeros(1, 3, 2, dtype=torch.long))

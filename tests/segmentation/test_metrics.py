"""Tests for snippets.segmentation.metrics: a per-pixel loop, scikit-learn, hand cases, Jensen's inequality."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, f1_score, jaccard_score
from sklearn.metrics import confusion_matrix as sk_confusion_matrix

from snippets.segmentation.metrics import confusion_matrix, dataset_miou, dice_from_iou, disc_mask, seg_scores


def confusion_loop(y_true: np.ndarray, y_pred: np.ndarray, K: int, ignore_index: int = 255) -> np.ndarray:
    cm = np.zeros((K, K), dtype=np.int64)
    for t, p in zip(y_true.ravel(), y_pred.ravel(), strict=True):
        if t != ignore_index:
            cm[t, p] += 1
    return cm


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_confusion_matrix_equals_per_pixel_loop_with_ignored_pixels(K: int, H: int, W: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, K, (2, H, W))
    y_true[rng.random((2, H, W)) < 0.2] = 255
    y_pred = rng.integers(0, K, (2, H, W))
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, K), confusion_loop(y_true, y_pred, K))


@pytest.mark.parametrize("seed", range(5))
def test_scores_match_scikit_learn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    K = 4
    y_true = rng.integers(0, K, (3, 8, 9))
    y_pred = np.where(rng.random(y_true.shape) < 0.6, y_true, rng.integers(0, K, y_true.shape))
    t, p, labels = y_true.ravel(), y_pred.ravel(), list(range(K))
    cm = confusion_matrix(y_true, y_pred, K)
    np.testing.assert_array_equal(cm, sk_confusion_matrix(t, p, labels=labels))
    s = seg_scores(cm)
    np.testing.assert_allclose(s.pixel_acc, accuracy_score(t, p), rtol=1e-12)
    np.testing.assert_allclose(s.iou, jaccard_score(t, p, labels=labels, average=None), rtol=1e-12)
    np.testing.assert_allclose(s.miou, jaccard_score(t, p, labels=labels, average="macro"), rtol=1e-12)
    np.testing.assert_allclose(s.fwiou, jaccard_score(t, p, labels=labels, average="weighted"), rtol=1e-12)
    np.testing.assert_allclose(s.dice, f1_score(t, p, labels=labels, average=None), rtol=1e-12)
    np.testing.assert_allclose(s.mdice, f1_score(t, p, labels=labels, average="macro"), rtol=1e-12)


def test_hand_case_two_by_two() -> None:
    # 真值 [[0, 1], [1, 1]], 预测 [[0, 0], [1, 1]]: 类 0 TP=1 FP=1, 类 1 TP=2 FN=1
    s = seg_scores(confusion_matrix(np.array([[0, 1], [1, 1]]), np.array([[0, 0], [1, 1]]), 2))
    np.testing.assert_allclose(s.iou, [1 / 2, 2 / 3], rtol=1e-15)
    np.testing.assert_allclose(s.dice, [2 / 3, 4 / 5], rtol=1e-15)
    np.testing.assert_allclose([s.pixel_acc, s.fwiou], [3 / 4, 1 / 4 * 1 / 2 + 3 / 4 * 2 / 3], rtol=1e-15)


def test_absent_class_is_left_out_of_the_mean_but_a_false_positive_counts() -> None:
    y = np.zeros((1, 2, 2), dtype=np.int64)
    s = seg_scores(confusion_matrix(y, y, 3))  # 类 1、2 既没出现也没被预测
    assert np.isnan(s.iou[1:]).all() and s.miou == 1.0
    p = y.copy()
    p[0, 0, 0] = 2                              # 类 2 没出现却被预测了一个像素: IoU 0, 进平均
    s = seg_scores(confusion_matrix(y, p, 3))
    np.testing.assert_allclose([s.iou[0], s.iou[2], s.miou], [3 / 4, 0.0, 3 / 8], rtol=1e-15)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=6))
def test_dice_is_2iou_over_1_plus_iou_per_class_and_mean_dice_is_at_most_that_of_miou(
        counts: list[tuple[int, int, int]]) -> None:
    tp, fp, fn = np.array(counts, dtype=np.float64).T
    keep = tp + fp + fn > 0
    if not keep.any():
        return
    iou, dice = tp[keep] / (tp + fp + fn)[keep], 2 * tp[keep] / (2 * tp + fp + fn)[keep]
    np.testing.assert_allclose(dice_from_iou(iou), dice, rtol=1e-12, atol=1e-15)
    assert dice.mean() <= dice_from_iou(iou.mean()) + 1e-12  # Jensen: 2x/(1+x) 是凹函数


def test_seg_scores_dice_equals_dice_from_iou() -> None:
    rng = np.random.default_rng(0)
    s = seg_scores(confusion_matrix(rng.integers(0, 3, (4, 5)), rng.integers(0, 3, (4, 5)), 3))
    np.testing.assert_allclose(s.dice, dice_from_iou(s.iou), rtol=1e-12)
    s = seg_scores(confusion_matrix(np.zeros((2, 2), dtype=np.int64), np.zeros((2, 2), dtype=np.int64), 3))
    np.testing.assert_allclose(dice_from_iou(s.iou), s.dice, rtol=1e-12)  # 类 1、2 并集为空: 两边都是 NaN


def test_ignored_pixels_change_nothing() -> None:
    rng = np.random.default_rng(1)
    t, p = rng.integers(0, 3, (6, 6)), rng.integers(0, 3, (6, 6))
    t2, p2 = np.pad(t, 2, constant_values=255), np.pad(p, 2, constant_values=1)  # 一圈 255, 预测随便
    np.testing.assert_array_equal(confusion_matrix(t2, p2, 3), confusion_matrix(t, p, 3))


def test_dataset_miou_hand_case_big_and_small_image() -> None:
    big_t = np.zeros((10, 10), dtype=np.int64)
    big_t[:5] = 1                                 # 50 个目标像素, 全部预测对
    small_t = np.zeros((10, 10), dtype=np.int64)
    small_t[0, :2] = 1                            # 2 个目标像素, 全部漏掉
    acc, per_image = dataset_miou([big_t, small_t], [big_t, np.zeros_like(small_t)], 2)
    np.testing.assert_allclose(acc, (148 / 150 + 50 / 52) / 2, rtol=1e-15)
    np.testing.assert_allclose(per_image, (1.0 + (98 / 100 + 0.0) / 2) / 2, rtol=1e-15)


def test_disc_mask_area_tends_to_pi_r_squared() -> None:
    np.testing.assert_allclose(disc_mask(201, 80.0).sum(), np.pi * 80**2, rtol=2e-3)
    assert disc_mask(4, 1.0).sum() == 4  # 中心 (2, 2), 四个像素中心距离 sqrt(0.5) < 1


def test_bad_input_names_the_argument() -> None:
    y = np.zeros((2, 2), dtype=np.int64)
    with pytest.raises(TypeError, match="y_true"):
        confusion_matrix(y.astype(float), y, 2)
    with pytest.raises(TypeError, match="y_pred"):
        confusion_matrix(y, y.astype(float), 2)
    with pytest.raises(ValueError, match="y_pred"):
        confusion_matrix(y, np.zeros((3,), dtype=np.int64), 2)
    with pytest.raises(ValueError, match="y_true"):
        confusion_matrix(y + 2, y, 2)
    with pytest.raises(ValueError, match="y_pred"):
        confusion_matrix(y, y - 1, 2)
    with pytest.raises(ValueError, match="num_classes"):
        confusion_matrix(y, y, 0)
    with pytest.raises(TypeError, match="cm"):
        seg_scores(np.eye(2))
    with pytest.raises(ValueError, match="cm"):
        seg_scores(np.zeros((2, 2), dtype=np.int64))
    with pytest.raises(ValueError, match="y_true"):
        dataset_miou([], [], 2)
    with pytest.raises(ValueError, match="iou"):
        dice_from_iou(1.5)
    with pytest.raises(ValueError, match="radius"):
        disc_mask(4, 0.0)
    with pytest.raises(ValueError, match="size"):
        disc_mask(0, 1.0)

"""Tests for snippets.segmentation.panoptic: a hand-computed PQ case, uniqueness of IoU > 0.5 matches
(property over random partitions), identity and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from snippets.segmentation.panoptic import mask_iou, panoptic_quality, segments
from snippets.segmentation.scene import panoptic_scene


def hand_case() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """4 x 8 maps, class 0 stuff, class 1 things (the page's example)."""
    gt_sem, gt_inst = np.zeros((4, 8), int), np.zeros((4, 8), int)
    gt_sem[:, 0:2], gt_inst[:, 0:2] = 1, 1  # A: 8 像素
    gt_sem[0:2, 4:6], gt_inst[0:2, 4:6] = 1, 2  # B: 4 像素
    pr_sem, pr_inst = np.zeros((4, 8), int), np.zeros((4, 8), int)
    pr_sem[1:4, 0:2], pr_inst[1:4, 0:2] = 1, 1  # a: 6 像素, 与 A 的 IoU 6/8
    pr_sem[:, 5], pr_inst[:, 5] = 1, 2  # b: 与 B 的 IoU 2/6
    pr_sem[0:2, 7], pr_inst[0:2, 7] = 1, 3  # c: 凭空多出来
    return gt_sem, gt_inst, pr_sem, pr_inst


def test_hand_case_matches_paper_definitions() -> None:
    r = panoptic_quality(*hand_case(), num_classes=2)
    np.testing.assert_array_equal(r.tp, [1, 1])
    np.testing.assert_array_equal(r.fp, [0, 2])
    np.testing.assert_array_equal(r.fn, [0, 1])
    np.testing.assert_allclose(r.iou_sum, [16 / 24, 0.75], rtol=1e-12)  # stuff: 交 16, 并 24
    np.testing.assert_allclose([r.pq, r.sq, r.rq], [(2 / 3 + 0.3) / 2, (2 / 3 + 0.75) / 2, (1 + 0.4) / 2],
                               rtol=1e-12)
    assert abs(r.pq - r.sq * r.rq) > 0.01  # 类别平均之后 PQ 不再等于 SQ x RQ


def test_perfect_prediction_has_pq_one_and_class_absent_everywhere_is_skipped() -> None:
    sem, inst = panoptic_scene(32)
    r = panoptic_quality(sem, inst, sem, inst, num_classes=6)  # 类别 4, 5 不出现
    assert (r.pq, r.sq, r.rq) == (1.0, 1.0, 1.0)


def test_segments_split_touching_instances_of_one_class() -> None:
    sem, inst = panoptic_scene(64)
    labels, masks = segments(sem, inst)
    assert labels.tolist() == [0, 1, 2, 2, 3]
    assert masks.sum() == sem.size and (masks.sum(0) == 1).all()  # 每个像素恰好属于一个段
    assert ndimage.label(sem == 2)[1] == 1  # 语义图上两个圆盘连成一块


@st.composite
def two_partitions(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    a = np.array(draw(st.lists(st.integers(0, 3), min_size=24, max_size=24))).reshape(4, 6)
    b = np.array(draw(st.lists(st.integers(0, 3), min_size=24, max_size=24))).reshape(4, 6)
    return a, b


@settings(max_examples=40, deadline=None)
@given(two_partitions())
def test_iou_above_half_matches_are_unique_and_iou_matches_brute_force(maps: tuple[np.ndarray, np.ndarray]) -> None:
    g, p = maps
    zero = np.zeros_like(g)
    _, gm = segments(g, zero)
    _, pm = segments(p, zero)
    iou = mask_iou(gm, pm)
    m = iou > 0.5
    assert (m.sum(0) <= 1).all() and (m.sum(1) <= 1).all()  # 不重叠的段: 至多一个 IoU > 0.5 的伙伴
    for i in range(len(gm)):  # 逐对数像素的暴力 IoU
        for j in range(len(pm)):
            inter = int(np.sum(gm[i] & pm[j]))
            union = int(np.sum(gm[i] | pm[j]))
            assert abs(iou[i, j] - inter / union) < 1e-12


def test_mask_iou_by_hand() -> None:
    A = np.zeros((1, 2, 4), bool)
    A[0, :, :2] = True
    B = np.zeros((2, 2, 4), bool)
    B[0, :, 1:3] = True
    np.testing.assert_allclose(mask_iou(A, B), [[2 / 6, 0.0]])


@pytest.mark.parametrize(("args", "match"), [
    ((np.zeros((2, 2)), np.zeros((2, 2), int)), "map_sem"),
    ((np.zeros((2, 2), int), np.zeros((2, 3), int)), "map_sem and map_inst"),
    ((np.zeros((2,), int), np.zeros((2,), int)), "map_sem"),
    ((-np.ones((2, 2), int), np.zeros((2, 2), int)), "map_sem"),
])
def test_segments_rejects_bad_maps(args: tuple[np.ndarray, np.ndarray], match: str) -> None:
    with pytest.raises((TypeError, ValueError), match=match):
        segments(*args)


def test_panoptic_quality_rejects_bad_num_classes() -> None:
    z = np.zeros((2, 2), int)
    with pytest.raises(ValueError, match="num_classes"):
        panoptic_quality(z, z, z + 3, z, num_classes=2)
    with pytest.raises(ValueError, match="num_classes"):
        panoptic_quality(z, z, z, z, num_classes=0)


def test_mask_iou_rejects_bad_input() -> None:
    with pytest.raises(TypeError, match="A"):
        mask_iou(np.zeros((1, 2, 2), int), np.zeros((1, 2, 2), bool))
    with pytest.raises(TypeError, match="B"):
        mask_iou(np.zeros((1, 2, 2), bool), np.zeros((2, 2), bool))
    with pytest.raises(ValueError, match="same"):
        mask_iou(np.zeros((1, 2, 2), bool), np.zeros((1, 2, 3), bool))

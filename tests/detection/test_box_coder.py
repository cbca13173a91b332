"""Tests for snippets.detection.box_coder and anchors: round trips, hand cases, PyTorch's smooth_l1_loss."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.detection.anchors import generate_anchors, match_anchors
from snippets.detection.box_coder import BBOX_XFORM_CLIP, decode, encode, iou_loss, smooth_l1
from snippets.detection.boxes import box_iou, generalized_box_iou
from tests.detection.test_boxes import random_boxes


@pytest.mark.parametrize("weights", [(1.0, 1.0, 1.0, 1.0), (10.0, 10.0, 5.0, 5.0)])
@pytest.mark.parametrize("seed", [0, 1])
def test_decode_inverts_encode(weights: tuple[float, float, float, float], seed: int) -> None:
    anchors, gt = random_boxes(20, seed), random_boxes(20, seed + 50)
    np.testing.assert_allclose(decode(anchors, encode(anchors, gt, weights), weights), gt, rtol=1e-12, atol=1e-12)


def test_encode_hand_case_and_weights_are_inverse_variances() -> None:
    anchor = np.array([[0.0, 0.0, 10.0, 20.0]])  # 中心 (5, 10), 10 x 20
    gt = np.array([[2.0, 4.0, 22.0, 24.0]])  # 中心 (12, 14), 20 x 20
    t = encode(anchor, gt)
    np.testing.assert_allclose(t, [[7 / 10, 4 / 20, math.log(2.0), 0.0]], rtol=1e-15)
    np.testing.assert_allclose(encode(anchor, gt, (10.0, 10.0, 5.0, 5.0)), t / [0.1, 0.1, 0.2, 0.2], rtol=1e-14)


def test_encoding_is_invariant_to_translation_and_scale() -> None:
    anchors, gt = random_boxes(10, 3), random_boxes(10, 4)
    t = encode(anchors, gt)
    np.testing.assert_allclose(encode(anchors + 7.0, gt + 7.0), t, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(encode(anchors * 3.0, gt * 3.0), t, rtol=1e-10, atol=1e-12)


def test_decode_clips_huge_log_scale() -> None:
    anchor = np.array([[0.0, 0.0, 16.0, 16.0]])
    out = decode(anchor, np.array([[0.0, 0.0, 100.0, 100.0]]))
    np.testing.assert_allclose(out[0, 2] - out[0, 0], 16 * math.exp(BBOX_XFORM_CLIP), rtol=1e-12)  # = 1000


@pytest.mark.parametrize("beta", [1.0, 1 / 9, 0.5])
def test_smooth_l1_matches_torch(beta: float) -> None:
    x = np.linspace(-3, 3, 121)
    expected = F.smooth_l1_loss(torch.from_numpy(x), torch.zeros(121, dtype=torch.float64), beta=beta, reduction="none")
    np.testing.assert_allclose(smooth_l1(x, beta), expected.numpy(), rtol=1e-14, atol=1e-15)


def test_smooth_l1_gradient_is_bounded_by_one_and_l2_near_zero() -> None:
    x = torch.linspace(-5, 5, 201, dtype=torch.float64, requires_grad=True)
    F.smooth_l1_loss(x, torch.zeros_like(x), beta=1.0, reduction="sum").backward()
    assert x.grad is not None and float(x.grad.abs().max()) <= 1.0
    h = 1e-6
    xs = np.linspace(-5, 5, 201)
    num = (smooth_l1(xs + h) - smooth_l1(xs - h)) / (2 * h)
    np.testing.assert_allclose(num, x.grad.numpy(), atol=1e-6)


def test_iou_loss_equals_one_minus_diagonal() -> None:
    p, g = random_boxes(8, 5), random_boxes(8, 6)
    np.testing.assert_allclose(iou_loss(p, g, "iou"), 1 - np.diag(box_iou(p, g)), rtol=1e-14)
    np.testing.assert_allclose(iou_loss(p, g, "giou"), 1 - np.diag(generalized_box_iou(p, g)), rtol=1e-14)


def test_anchors_hand_case_shapes_areas_and_ratios() -> None:
    A = generate_anchors(2, 3, stride=16, sizes=(32.0, 64.0), ratios=(0.5, 1.0, 2.0))
    assert A.shape == (2 * 3 * 6, 4)
    np.testing.assert_allclose(A[0], [8 - 32 / math.sqrt(0.5) / 2, 8 - 32 * math.sqrt(0.5) / 2,
                                      8 + 32 / math.sqrt(0.5) / 2, 8 + 32 * math.sqrt(0.5) / 2], rtol=1e-14)
    w, h = A[:, 2] - A[:, 0], A[:, 3] - A[:, 1]
    np.testing.assert_allclose(np.sqrt(w * h)[:6], [32, 32, 32, 64, 64, 64], rtol=1e-12)
    np.testing.assert_allclose((h / w)[:6], [0.5, 1, 2, 0.5, 1, 2], rtol=1e-12)
    centres = (A[::6, :2] + A[::6, 2:]) / 2  # 每个格子的第一个锚框
    np.testing.assert_allclose(centres, [[8, 8], [24, 8], [40, 8], [8, 24], [24, 24], [40, 24]])


def test_matching_thresholds_and_best_anchor_rule() -> None:
    gt = np.array([[0.0, 0.0, 10.0, 10.0]])
    anchors = np.array([[0.0, 0.0, 10.0, 9.0],  # IoU 0.9 -> 正
                        [0.0, 0.0, 10.0, 5.0],  # IoU 0.5 -> 忽略
                        [0.0, 0.0, 10.0, 2.0],  # IoU 0.2 -> 负
                        [20.0, 20.0, 30.0, 30.0]])  # 0 -> 负
    labels, matched = match_anchors(anchors, gt)
    assert labels.tolist() == [1, -1, 0, 0] and matched.tolist() == [0, -1, -1, -1]
    # 没有锚框达到 0.7: 最佳锚框规则让 IoU 0.5 的那个成为正样本
    labels, matched = match_anchors(anchors[1:], gt)
    assert labels.tolist() == [1, 0, 0] and matched.tolist() == [0, -1, -1]
    labels, _ = match_anchors(anchors[1:], gt, allow_low_quality=False)
    assert labels.tolist() == [-1, 0, 0]
    labels, matched = match_anchors(anchors, np.zeros((0, 4)))
    assert labels.tolist() == [0, 0, 0, 0]


def test_matching_every_gts_best_anchor_is_positive_but_may_point_to_another_gt() -> None:
    anchors = generate_anchors(8, 8, 16, sizes=(32.0, 64.0), ratios=(0.5, 1.0, 2.0))
    gt = random_boxes(6, 9, size=100.0)
    labels, matched = match_anchors(anchors, gt)
    iou = box_iou(anchors, gt)  # (A, G)
    assert (labels[iou.argmax(axis=0)] == 1).all()  # 每个真值的最佳锚框都是正样本
    assert (iou.max(axis=1)[labels == 0] < 0.3).all()
    np.testing.assert_array_equal(matched[labels == 1], iou.argmax(axis=1)[labels == 1])
    # 但它被分给与它 IoU 最大的真值: 这个种子里真值 0 的最佳锚框与真值 1 重叠更多, 真值 0 没有分到锚框
    assert 0 not in set(matched[labels == 1].tolist())


def test_bad_input_names_the_argument() -> None:
    b = random_boxes(3, 0)
    with pytest.raises(ValueError, match="anchors and gt"):
        encode(b, b[:2])
    with pytest.raises(ValueError, match="weights"):
        encode(b, b, (1.0, 1.0, 0.0, 1.0))
    with pytest.raises(ValueError, match="t must be"):
        decode(b, np.zeros((2, 4)))
    with pytest.raises(ValueError, match="beta"):
        smooth_l1(np.zeros(3), 0.0)
    with pytest.raises(TypeError, match="x must be"):
        smooth_l1(np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="kind"):
        iou_loss(b, b, "diou")
    with pytest.raises(ValueError, match="feat_h"):
        generate_anchors(0, 2, 16)
    with pytest.raises(ValueError, match="ratios"):
        generate_anchors(2, 2, 16, ratios=(-1.0,))
    with pytest.raises(ValueError, match="low"):
        match_anchors(b, b, high=0.3, low=0.7)

"""Tests for snippets.detection.rpn: the loss against PyTorch in float64, a hand case, sampling and proposals."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.detection.anchors import generate_anchors, match_anchors
from snippets.detection.box_coder import encode
from snippets.detection.boxes import box_iou
from snippets.detection.rpn import proposals, rpn_loss, sample_anchors
from tests.detection.test_boxes import random_boxes


def _setup(seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    anchors = generate_anchors(6, 8, 16, sizes=(32.0, 64.0), ratios=(0.5, 1.0, 2.0))  # 288 个锚框
    gt = random_boxes(4, seed, size=90.0) + 5.0
    labels, matched = match_anchors(anchors, gt)
    targets = np.zeros((len(anchors), 4))
    pos = labels == 1
    targets[pos] = encode(anchors[pos], gt[matched[pos]])
    logits, deltas = rng.standard_normal(len(anchors)) * 3, rng.standard_normal((len(anchors), 4))
    sampled = sample_anchors(labels, rng, batch_size=64)
    return anchors, labels, targets, logits, deltas, sampled


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("lam, n_reg, beta", [(10.0, 48, 1.0), (1.0, None, 1 / 9)])
def test_rpn_loss_matches_torch_float64(seed: int, lam: float, n_reg: int | None, beta: float) -> None:
    anchors, labels, targets, logits, deltas, sampled = _setup(seed)
    cls, reg = rpn_loss(logits, deltas, labels, targets, sampled, lam=lam, n_reg=n_reg, beta=beta)
    s, pos = torch.from_numpy(sampled), torch.from_numpy(sampled & (labels == 1))
    lt = torch.from_numpy(labels).double()
    exp_cls = F.binary_cross_entropy_with_logits(torch.from_numpy(logits)[s], lt[s], reduction="mean")
    exp_reg = F.smooth_l1_loss(torch.from_numpy(deltas)[pos], torch.from_numpy(targets)[pos], beta=beta,
                               reduction="sum") * lam / (int(s.sum()) if n_reg is None else n_reg)
    np.testing.assert_allclose([cls, reg], [float(exp_cls), float(exp_reg)], rtol=1e-12)


def test_rpn_loss_hand_case() -> None:
    labels = np.array([1, 0, -1, 0])
    sampled = np.array([True, True, False, True])
    logits = np.array([0.0, 0.0, 5.0, 0.0])  # 三个被采样的都输出 0: 每个 BCE = log 2
    targets = np.zeros((4, 4))
    deltas = np.zeros((4, 4))
    deltas[0] = [0.05, 0.0, 0.0, 2.0]  # beta = 1/9: 0.05 在二次区 (0.5 * 0.0025 * 9), 2.0 在线性区 (2 - 1/18)
    cls, reg = rpn_loss(logits, deltas, labels, targets, sampled, lam=10.0, n_reg=2)
    assert math.isclose(cls, math.log(2), rel_tol=1e-14)
    assert math.isclose(reg, 10 * (0.5 * 0.05**2 * 9 + 2 - 1 / 18) / 2, rel_tol=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_sampling_counts_and_never_ignored(seed: int) -> None:
    _, labels, *_ = _setup(seed)
    s = sample_anchors(labels, np.random.default_rng(seed), batch_size=64, positive_fraction=0.25)
    n_pos = min(int((labels == 1).sum()), 16)
    assert int((s & (labels == 1)).sum()) == n_pos and int(s.sum()) == 64
    assert not (s & (labels == -1)).any()
    np.testing.assert_array_equal(s, sample_anchors(labels, np.random.default_rng(seed), 64, 0.25))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_proposals_are_clipped_sorted_and_pass_nms(seed: int) -> None:
    anchors, labels, targets, logits, deltas, _ = _setup(seed)
    boxes, scores = proposals(anchors, logits, deltas * 0.3, (100, 130), pre_nms_top_n=200, post_nms_top_n=40)
    assert 0 < len(boxes) <= 40
    assert (boxes[:, [0, 2]] >= 0).all() and (boxes[:, [0, 2]] <= 130).all()
    assert (boxes[:, [1, 3]] >= 0).all() and (boxes[:, [1, 3]] <= 100).all()
    assert np.all(np.diff(scores) <= 0)
    iou = box_iou(boxes, boxes)
    assert (iou[np.triu_indices(len(boxes), 1)] <= 0.7).all()
    assert set(scores.tolist()) <= set(np.sort(logits)[::-1][:200].tolist())  # 只来自分数最高的 200 个锚框


def test_perfect_predictions_decode_to_the_ground_truth() -> None:
    anchors = generate_anchors(4, 4, 16, sizes=(32.0,), ratios=(1.0,))
    gt = np.array([[10.0, 12.0, 40.0, 38.0]])
    labels, matched = match_anchors(anchors, gt)
    logits = np.where(labels == 1, 5.0, -5.0)
    deltas = np.zeros((len(anchors), 4))
    deltas[labels == 1] = encode(anchors[labels == 1], gt[matched[labels == 1]])
    boxes, _ = proposals(anchors, logits, deltas, (64, 64), post_nms_top_n=1)
    np.testing.assert_allclose(boxes, gt, rtol=1e-12)


def test_bad_input_names_the_argument() -> None:
    anchors, labels, targets, logits, deltas, sampled = _setup(0)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="labels"):
        sample_anchors(np.array([2, 0]), rng)
    with pytest.raises(ValueError, match="batch_size"):
        sample_anchors(labels, rng, batch_size=0)
    with pytest.raises(ValueError, match="positive_fraction"):
        sample_anchors(labels, rng, positive_fraction=0.0)
    with pytest.raises(ValueError, match="logits"):
        rpn_loss(logits[:-1], deltas, labels, targets, sampled)
    with pytest.raises(ValueError, match="sampled"):
        rpn_loss(logits, deltas, labels, targets, np.ones(len(labels), dtype=bool))
    with pytest.raises(TypeError, match="logits"):
        rpn_loss(list(logits), deltas, labels, targets, sampled)
    with pytest.raises(ValueError, match="lam"):
        rpn_loss(logits, deltas, labels, targets, sampled, lam=-1.0)
    with pytest.raises(ValueError, match="n_reg"):
        rpn_loss(logits, deltas, labels, targets, sampled, n_reg=0)
    with pytest.raises(ValueError, match="logits must be"):
        proposals(anchors, logits[:5], deltas, (100, 100))
    with pytest.raises(ValueError, match="image_size"):
        proposals(anchors, logits, deltas, (0, 100))

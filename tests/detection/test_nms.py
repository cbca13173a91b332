"""Tests for snippets.detection.nms: a brute-force reference, hand cases (ties, identical boxes, empty), Soft-NMS."""

from __future__ import annotations

import math

import numpy as np
import pytest

from snippets.detection.nms import batched_nms, nms, soft_nms
from tests.detection.test_boxes import brute, random_boxes


def nms_reference(boxes: np.ndarray, scores: np.ndarray, t: float) -> list[int]:
    """The textbook loop: repeatedly take the best remaining box and delete its overlaps (scalar IoU)."""
    remaining = sorted(range(len(boxes)), key=lambda i: (-scores[i], i))
    keep = []
    while remaining:
        i = remaining.pop(0)
        keep.append(i)
        remaining = [j for j in remaining if brute(boxes[i], boxes[j])["iou"] <= t]
    return keep


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("t", [0.0, 0.3, 0.5, 0.7, 1.0])
def test_nms_matches_reference(seed: int, t: float) -> None:
    boxes = random_boxes(40, seed, size=20.0)
    scores = np.random.default_rng(seed).uniform(size=40)
    assert nms(boxes, scores, t).tolist() == nms_reference(boxes, scores, t)


def test_hand_cases_ties_identical_and_empty() -> None:
    b = np.array([[0.0, 0.0, 10.0, 10.0], [1.0, 0.0, 11.0, 10.0], [20.0, 20.0, 30.0, 30.0]])
    # IoU(0, 1) = 90 / 110 = 0.818: at 0.5 box 1 goes, at 0.9 it stays
    assert nms(b, np.array([0.9, 0.8, 0.7]), 0.5).tolist() == [0, 2]
    assert nms(b, np.array([0.9, 0.8, 0.7]), 0.9).tolist() == [0, 1, 2]
    assert nms(b, np.array([0.8, 0.9, 0.7]), 0.5).tolist() == [1, 2]
    # tie: equal scores, the lower index wins
    assert nms(b, np.array([0.5, 0.5, 0.5]), 0.5).tolist() == [0, 2]
    same = np.array([[0.0, 0.0, 1.0, 1.0]] * 3)
    assert nms(same, np.array([0.1, 0.3, 0.2]), 0.99).tolist() == [1]  # IoU = 1 > 0.99
    assert nms(same, np.array([0.1, 0.3, 0.2]), 1.0).tolist() == [1, 2, 0]  # nothing exceeds 1
    assert nms(np.zeros((0, 4)), np.zeros(0), 0.5).tolist() == []


def test_batched_nms_never_suppresses_across_classes() -> None:
    boxes = random_boxes(60, 7, size=15.0)
    rng = np.random.default_rng(7)
    scores, labels = rng.uniform(size=60), rng.integers(0, 3, size=60)
    keep = batched_nms(boxes, scores, labels, 0.5)
    expected: list[int] = []
    for c in range(3):
        idx = np.flatnonzero(labels == c)
        expected += [int(idx[i]) for i in nms_reference(boxes[idx], scores[idx], 0.5)]
    assert sorted(keep.tolist()) == sorted(expected)
    assert np.all(np.diff(scores[keep]) <= 0)  # 按分数降序
    same = np.array([[0.0, 0.0, 1.0, 1.0]] * 2)
    assert batched_nms(same, np.array([0.9, 0.8]), np.array([0, 1]), 0.5).tolist() == [0, 1]
    assert batched_nms(np.zeros((0, 4)), np.zeros(0), np.zeros(0, dtype=int), 0.5).tolist() == []


def test_soft_nms_hand_case_linear_and_gaussian() -> None:
    b = np.array([[0.0, 0.0, 10.0, 10.0], [1.0, 0.0, 11.0, 10.0], [20.0, 20.0, 30.0, 30.0]])
    s = np.array([0.9, 0.8, 0.7])
    o = 90 / 110
    keep, new = soft_nms(b, s, method="linear", iou_threshold=0.3)
    assert keep.tolist() == [0, 2, 1]  # 0.8 (1 - 0.818) = 0.145 < 0.7
    np.testing.assert_allclose(new, [0.9, 0.7, 0.8 * (1 - o)], rtol=1e-12)
    keep, new = soft_nms(b, s, method="gaussian", sigma=0.5)
    np.testing.assert_allclose(new, [0.9, 0.7, 0.8 * math.exp(-(o**2) / 0.5)], rtol=1e-12)
    # 分数降到 score_threshold 以下就被丢弃
    keep, _ = soft_nms(b, s, method="linear", iou_threshold=0.3, score_threshold=0.2)
    assert keep.tolist() == [0, 2]


@pytest.mark.parametrize("seed", range(4))
def test_soft_nms_limits_huge_sigma_is_sorting_and_linear_zero_threshold_decays_everything(seed: int) -> None:
    boxes = random_boxes(30, seed, size=20.0)
    scores = np.random.default_rng(seed).uniform(0.1, 1, size=30)
    keep, new = soft_nms(boxes, scores, method="gaussian", sigma=1e12, score_threshold=0.0)
    assert keep.tolist() == np.argsort(-scores, kind="stable").tolist()  # 不衰减: 只是排序
    np.testing.assert_allclose(new, scores[keep], rtol=1e-9)
    keep, new = soft_nms(boxes, scores, method="linear", iou_threshold=1.0, score_threshold=0.0)
    assert keep.tolist() == np.argsort(-scores, kind="stable").tolist()  # 只有 IoU = 1 才衰减


def test_soft_nms_keeps_every_box_without_threshold_and_scores_never_increase() -> None:
    boxes = random_boxes(25, 11, size=10.0)
    scores = np.random.default_rng(11).uniform(0.1, 1, size=25)
    keep, new = soft_nms(boxes, scores, method="gaussian", score_threshold=0.0)
    assert sorted(keep.tolist()) == list(range(25))
    assert np.all(new <= scores[keep] + 1e-15)


def test_bad_input_names_the_argument() -> None:
    b = random_boxes(3, 0)
    with pytest.raises(ValueError, match="scores must be"):
        nms(b, np.zeros(2), 0.5)
    with pytest.raises(ValueError, match="iou_threshold"):
        nms(b, np.zeros(3), 1.5)
    with pytest.raises(TypeError, match="boxes"):
        nms(b.astype(int), np.zeros(3), 0.5)
    with pytest.raises(ValueError, match="labels"):
        batched_nms(b, np.zeros(3), np.zeros(3), 0.5)
    with pytest.raises(ValueError, match="method"):
        soft_nms(b, np.zeros(3), method="hard")
    with pytest.raises(ValueError, match="sigma"):
        soft_nms(b, np.zeros(3), sigma=0.0)

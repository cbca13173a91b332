"""Tests for snippets.detection.assign: ATSS by hand and against a loop, DETR's matching against all permutations."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from snippets.detection.anchors import generate_anchors
from snippets.detection.assign import atss_assign, atss_candidates, hungarian_match, matching_cost
from snippets.detection.boxes import box_iou, cxcywh_to_xyxy, generalized_box_iou


def test_atss_hand_case_threshold_is_mean_plus_std() -> None:
    gt = np.array([[0.0, 0.0, 10.0, 10.0]])
    anchors = np.array([
        [0.0, 0.0, 10.0, 10.0],  # 第 0 层: 中心距离 0, IoU 1
        [0.0, 2.5, 10.0, 7.5],  # 第 0 层: 中心距离 0, IoU 1/2
        [20.0, 20.0, 30.0, 30.0],  # 第 0 层: 远, 不是候选
        [-5.0, -5.0, 15.0, 15.0],  # 第 1 层: 中心距离 0, IoU 1/4
        [-10.0, -10.0, 30.0, 30.0],  # 第 1 层: 中心距离 5 sqrt(2), IoU 1/16
        [100.0, 100.0, 140.0, 140.0],  # 第 1 层: 远
    ])
    matched, thr = atss_assign(anchors, (3, 3), gt, topk=2)
    # IoU (1, 1/2, 1/4, 1/16): 均值 29/64, 无偏标准差 26/64 -> 阈值 55/64
    np.testing.assert_allclose(thr, [55 / 64], rtol=1e-14)
    assert matched.tolist() == [0, -1, -1, -1, -1, -1]


def test_atss_candidates_are_the_k_nearest_centres_on_each_level() -> None:
    gt = np.array([[0.0, 0.0, 10.0, 10.0]])
    anchors = np.array([[20.0, 20.0, 30.0, 30.0], [0.0, 2.5, 10.0, 7.5], [0.0, 0.0, 10.0, 10.0],
                        [100.0, 100.0, 140.0, 140.0], [-10.0, -10.0, 30.0, 30.0], [-5.0, -5.0, 15.0, 15.0]])
    # 第 0 层中心距离 (21.2, 0, 0): 取下标 1, 2 (并列按下标); 第 1 层 (134, 7.1, 0): 取 5, 4
    assert atss_candidates(anchors, (3, 3), gt, topk=2)[:, 0].tolist() == [1, 2, 5, 4]
    assert atss_candidates(anchors, (3, 3), gt, topk=9).shape == (6, 1)  # k 大于层内锚框数时取全部
    with pytest.raises(ValueError, match="num_per_level"):
        atss_candidates(anchors, (3, 2), gt)


def test_atss_two_candidates_and_unbiased_std_select_nothing() -> None:
    # k L = 2 时 mean + std(ddof=1) = (x + y)/2 + |x - y|/sqrt(2) > max(x, y): 没有正样本
    gt = np.array([[0.0, 0.0, 10.0, 10.0]])
    anchors = np.array([[0.0, 0.0, 10.0, 10.0], [0.0, 2.5, 10.0, 7.5]])
    matched, thr = atss_assign(anchors, (1, 1), gt, topk=1)
    assert thr[0] > 1 and (matched == -1).all()


def loop_atss(anchors: np.ndarray, levels: tuple[int, ...], gt: np.ndarray, k: int) -> np.ndarray:
    """Algorithm 1 of the paper written with loops, one gt at a time."""
    iou = box_iou(anchors, gt)
    ca = (anchors[:, :2] + anchors[:, 2:]) / 2
    best = np.full(len(anchors), -1)
    best_iou = np.full(len(anchors), -np.inf)
    for j, b in enumerate(gt):
        c = (b[:2] + b[2:]) / 2
        cand: list[int] = []
        start = 0
        for n in levels:
            d = [float(np.hypot(*(ca[i] - c))) for i in range(start, start + n)]
            cand += [start + i for i in sorted(range(n), key=lambda i: (d[i], i))[:k]]
            start += n
        vals = iou[cand, j]
        t = vals.mean() + vals.std(ddof=1)
        for i in cand:
            inside = b[0] < ca[i, 0] < b[2] and b[1] < ca[i, 1] < b[3]
            if iou[i, j] >= t and inside and iou[i, j] > best_iou[i]:
                best[i], best_iou[i] = j, iou[i, j]
    return best


@pytest.mark.parametrize("seed", range(5))
def test_atss_matches_a_loop_over_gts_on_random_scenes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    levels = [generate_anchors(8, 8, 8, sizes=(64.0,), ratios=(1.0,)),
              generate_anchors(4, 4, 16, sizes=(128.0,), ratios=(1.0,)),
              generate_anchors(2, 2, 32, sizes=(256.0,), ratios=(1.0,))]
    anchors = np.concatenate(levels)
    xy = rng.uniform(0, 50, (4, 2))
    gt = np.concatenate([xy, xy + rng.uniform(5, 60, (4, 2))], axis=1)
    matched, _ = atss_assign(anchors, (64, 16, 4), gt, topk=5)
    np.testing.assert_array_equal(matched, loop_atss(anchors, (64, 16, 4), gt, 5))
    assert (matched >= 0).any()


def test_atss_positive_centres_lie_inside_their_box() -> None:
    anchors = generate_anchors(16, 16, 4, sizes=(16.0, 32.0), ratios=(0.5, 2.0))
    gt = np.array([[3.0, 5.0, 20.0, 50.0], [30.0, 30.0, 60.0, 40.0]])
    matched, _ = atss_assign(anchors, (len(anchors),), gt, topk=9)
    c = (anchors[:, :2] + anchors[:, 2:]) / 2
    for i in np.flatnonzero(matched >= 0):
        b = gt[matched[i]]
        assert b[0] < c[i, 0] < b[2] and b[1] < c[i, 1] < b[3]


def brute_force(cost: np.ndarray) -> float:
    Q, G = cost.shape
    return min(sum(cost[p[j], j] for j in range(G)) for p in itertools.permutations(range(Q), G))


@pytest.mark.parametrize("seed", range(5))
def test_hungarian_matches_brute_force_over_all_permutations(seed: int) -> None:
    rng = np.random.default_rng(seed)
    Q, G, K = 6, 3, 4
    logits = rng.normal(0, 2, (Q, K + 1))
    prob = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    pb = np.concatenate([rng.uniform(0.2, 0.8, (Q, 2)), rng.uniform(0.05, 0.3, (Q, 2))], axis=1)
    gb = np.concatenate([rng.uniform(0.2, 0.8, (G, 2)), rng.uniform(0.05, 0.3, (G, 2))], axis=1)
    labels = rng.integers(0, K, G)
    C = matching_cost(prob, pb, labels, gb)
    rows, cols = hungarian_match(C)
    assert len(set(rows.tolist())) == G and sorted(cols.tolist()) == list(range(G))  # 一对一
    assert C[rows, cols].sum() == pytest.approx(brute_force(C), rel=1e-12)
    # 代价与 PyTorch 写法 (DETR 的 HungarianMatcher) 一致
    p, b, g = torch.from_numpy(prob), torch.from_numpy(pb), torch.from_numpy(gb)
    ref = 5 * torch.cdist(b, g, p=1) - p[:, torch.from_numpy(labels)] - 2 * torch.from_numpy(
        generalized_box_iou(cxcywh_to_xyxy(pb), cxcywh_to_xyxy(gb)))
    np.testing.assert_allclose(C, ref.numpy(), rtol=1e-12, atol=1e-12)


def test_matching_cost_hand_case() -> None:
    prob = np.array([[0.7, 0.1, 0.2]])
    b = np.array([[0.5, 0.5, 0.2, 0.2]])
    C = matching_cost(prob, b, np.array([0]), b.copy())  # 同一个框: L1 为 0, GIoU 为 1
    np.testing.assert_allclose(C, [[-0.7 + 0 - 2.0]], rtol=1e-14)


def test_bad_input_names_the_argument() -> None:
    a = np.array([[0.0, 0.0, 1.0, 1.0]])
    with pytest.raises(ValueError, match="num_per_level"):
        atss_assign(a, (2,), a)
    with pytest.raises(ValueError, match="topk"):
        atss_assign(a, (1,), a, topk=0)
    with pytest.raises(TypeError, match="anchors"):
        atss_assign(np.zeros((1, 4), dtype=int), (1,), a)
    prob = np.array([[0.5, 0.5]])
    with pytest.raises(ValueError, match="prob"):
        matching_cost(np.array([[0.5, 0.6]]), np.array([[0.5, 0.5, 0.1, 0.1]]), np.array([0]),
                      np.array([[0.5, 0.5, 0.1, 0.1]]))
    with pytest.raises(ValueError, match="gt_labels"):
        matching_cost(prob, np.array([[0.5, 0.5, 0.1, 0.1]]), np.array([1]), np.array([[0.5, 0.5, 0.1, 0.1]]))
    with pytest.raises(ValueError, match="pred_boxes"):
        matching_cost(prob, np.zeros((2, 4)), np.array([0]), np.array([[0.5, 0.5, 0.1, 0.1]]))
    with pytest.raises(ValueError, match="cost"):
        hungarian_match(np.array([[np.inf]]))

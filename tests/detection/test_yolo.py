"""Tests for snippets.detection.yolo: wh-IoU against box_iou, k-means fixed point, decoding, task-aligned assignment."""

from __future__ import annotations

import math

import numpy as np
import pytest

from snippets.detection.boxes import box_iou, cxcywh_to_xyxy
from snippets.detection.scenes import box_shapes
from snippets.detection.yolo import kmeans_anchors, task_aligned_assign, wh_iou, yolov2_decode


def test_wh_iou_equals_box_iou_of_centred_boxes() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.uniform(1, 50, (7, 2)), rng.uniform(1, 50, (4, 2))
    centred = lambda wh: cxcywh_to_xyxy(np.concatenate([np.zeros_like(wh), wh], axis=1))  # noqa: E731
    np.testing.assert_allclose(wh_iou(a, b), box_iou(centred(a), centred(b)), rtol=1e-12)
    np.testing.assert_allclose(wh_iou(np.array([[2.0, 8.0]]), np.array([[4.0, 4.0]])), [[8 / 24]], rtol=1e-15)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_kmeans_is_a_fixed_point_each_box_nearest_to_its_centroid(k: int) -> None:
    wh = box_shapes(1, n=400)
    c, avg = kmeans_anchors(wh, k, np.random.default_rng(1), iters=300)
    iou = wh_iou(wh, c)
    assign = iou.argmax(axis=1)
    for j in range(k):  # 每个中心是分到它的框的均值 (收敛)
        np.testing.assert_allclose(c[j], wh[assign == j].mean(axis=0), rtol=1e-9)
    np.testing.assert_allclose(avg, iou.max(axis=1).mean(), rtol=1e-14)
    assert np.all(np.diff(c.prod(axis=1)) >= 0)  # 按面积排序


def test_kmeans_recovers_two_well_separated_shapes() -> None:
    rng = np.random.default_rng(2)
    wh = np.concatenate([np.array([10.0, 30.0]) * rng.uniform(0.97, 1.03, (50, 2)),
                         np.array([200.0, 100.0]) * rng.uniform(0.97, 1.03, (50, 2))])
    c, avg = kmeans_anchors(wh, 2, rng)
    np.testing.assert_allclose(c, [[10, 30], [200, 100]], rtol=0.02)
    assert avg > 0.9


def test_yolov2_decode_hand_case_and_centre_stays_in_its_cell() -> None:
    t = np.zeros((2, 3, 1, 4))
    t[1, 2, 0] = [0.0, 0.0, math.log(2.0), 0.0]
    out = yolov2_decode(t, np.array([[10.0, 20.0]]), stride=32)
    np.testing.assert_allclose(out[1, 2, 0], [(0.5 + 2) * 32, (0.5 + 1) * 32, 20.0, 20.0], rtol=1e-15)
    big = np.random.default_rng(0).normal(0, 50, (4, 5, 2, 4))
    b = yolov2_decode(big, np.array([[10.0, 20.0], [30.0, 5.0]]), stride=16)
    cx = np.arange(5)[None, :, None] * 16
    cy = np.arange(4)[:, None, None] * 16
    assert ((b[..., 0] >= cx) & (b[..., 0] <= cx + 16) & (b[..., 1] >= cy) & (b[..., 1] <= cy + 16)).all()


def test_task_aligned_assign_hand_case() -> None:
    gt = np.array([[0.0, 0.0, 20.0, 20.0]])
    points = np.array([[5.0, 5.0], [10.0, 10.0], [15.0, 15.0], [30.0, 30.0]])
    pred = np.array([[0.0, 0.0, 20.0, 20.0], [0.0, 0.0, 20.0, 10.0], [0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 20.0, 20.0]])
    scores = np.array([[0.2], [0.9], [0.9], [0.99]])
    # t = s^0.5 u^6: 0.447 * 1, 0.949 * 0.5^6 = 0.0148, 0.949 * 0.25^6 = 0.00023; 第 4 个点在框外
    assert task_aligned_assign(points, scores, pred, gt, np.array([0]), topk=1).tolist() == [0, -1, -1, -1]
    assert task_aligned_assign(points, scores, pred, gt, np.array([0]), topk=2).tolist() == [0, 0, -1, -1]
    # beta = 0: 只看分数, 第二个点 (0.9) 排在第一个 (0.2) 前
    assert task_aligned_assign(points, scores, pred, gt, np.array([0]), topk=1, beta=0.0).tolist() == [-1, 0, -1, -1]


def test_task_aligned_assign_conflict_goes_to_higher_iou() -> None:
    gt = np.array([[0.0, 0.0, 20.0, 20.0], [5.0, 5.0, 25.0, 25.0]])
    points = np.array([[12.0, 12.0]])
    pred = np.array([[5.0, 5.0, 24.0, 24.0]])  # 与第二个真值重叠更多
    out = task_aligned_assign(points, np.array([[0.5, 0.5]]), pred, gt, np.array([0, 1]), topk=1)
    assert out.tolist() == [1]


def test_bad_input_names_the_argument() -> None:
    wh = np.ones((3, 2))
    with pytest.raises(ValueError, match="wh must"):
        wh_iou(wh[:, :1], wh)
    with pytest.raises(ValueError, match="centroids must hold positive"):
        wh_iou(wh, -wh)
    with pytest.raises(ValueError, match="k must"):
        kmeans_anchors(wh, 4, np.random.default_rng(0))
    with pytest.raises(ValueError, match="iters"):
        kmeans_anchors(wh, 2, np.random.default_rng(0), iters=0)
    with pytest.raises(ValueError, match="t must"):
        yolov2_decode(np.zeros((2, 2, 3, 4)), wh[:2], 16)
    with pytest.raises(ValueError, match="stride"):
        yolov2_decode(np.zeros((2, 2, 2, 4)), wh[:2], 0)
    with pytest.raises(ValueError, match="topk"):
        task_aligned_assign(np.zeros((1, 2)), np.zeros((1, 1)), np.zeros((1, 4)), np.zeros((1, 4)),
                            np.array([0]), topk=0)
    with pytest.raises(ValueError, match="points"):
        task_aligned_assign(np.zeros((2, 2)), np.zeros((1, 1)), np.zeros((1, 4)), np.zeros((1, 4)), np.array([0]))
    with pytest.raises(ValueError, match="seed"):
        box_shapes(0.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n must"):
        box_shapes(0, n=1)


@pytest.mark.parametrize("seed", [0, 1])
def test_euclidean_variant_matches_sklearn_lloyd_from_the_same_start(seed: int) -> None:
    from sklearn.cluster import KMeans

    wh = box_shapes(seed, n=300)
    start = wh[np.random.default_rng(seed).choice(len(wh), 4, replace=False)]
    ours, _ = kmeans_anchors(wh, 4, np.random.default_rng(seed), iters=300, distance="euclidean")
    ref = KMeans(n_clusters=4, init=start, n_init=1, max_iter=300, tol=0.0, algorithm="lloyd").fit(wh)
    ref_c = ref.cluster_centers_[np.argsort(ref.cluster_centers_.prod(axis=1))]
    np.testing.assert_allclose(ours, ref_c, rtol=1e-9)
    with pytest.raises(ValueError, match="distance"):
        kmeans_anchors(wh, 2, np.random.default_rng(0), distance="l1")


@pytest.mark.experiment
def test_iou_distance_beats_euclidean_for_every_seed_and_k_as_the_figure_says() -> None:
    from snippets.detection.yolo import wh_iou as iou_of

    for seed in range(5):
        boxes = box_shapes(seed)
        for k in (2, 3, 5, 7, 9):
            _, a = kmeans_anchors(boxes, k, np.random.default_rng(seed))
            e, _ = kmeans_anchors(boxes, k, np.random.default_rng(seed), distance="euclidean")
            assert a > iou_of(boxes, e).max(axis=1).mean(), (seed, k)

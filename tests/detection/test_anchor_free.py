"""Tests for snippets.detection.anchor_free: FCOS round trip, centre-ness by hand, level assignment, heatmaps, peaks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.detection.anchor_free import (
    FCOS_RANGES,
    centerness,
    centernet_focal_loss,
    draw_heatmap,
    fcos_assign,
    fcos_decode,
    fcos_encode,
    fcos_points,
    gaussian_radius,
    heatmap_peaks,
    max_pool3x3,
)
from snippets.detection.boxes import box_iou


def test_fcos_encode_hand_case_and_decode_round_trip() -> None:
    pts = np.array([[20.0, 30.0], [0.0, 0.0]])
    box = np.array([[10.0, 20.0, 50.0, 40.0]])
    d = fcos_encode(pts, box)
    np.testing.assert_array_equal(d[0, 0], [10, 10, 30, 10])  # l, t, r, b
    assert (d[1, 0] <= 0).any()  # (0, 0) 在框外: 有一个距离不为正
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 100, (50, 2))
    boxes = np.concatenate([xy, xy + rng.uniform(1, 60, (50, 2))], axis=1)
    p = rng.uniform(0, 160, (50, 2))
    ltrb = fcos_encode(p, boxes)[np.arange(50), np.arange(50)]  # 每个点配自己的框
    np.testing.assert_allclose(fcos_decode(p, ltrb), boxes, rtol=1e-12, atol=1e-12)


@given(st.floats(1, 100), st.floats(1, 100), st.floats(1, 100), st.floats(1, 100))
@settings(max_examples=50, deadline=None)
def test_centerness_is_in_0_1_and_symmetric(left: float, t: float, r: float, b: float) -> None:
    c = centerness(np.array([left, t, r, b]))
    assert 0 < c <= 1 + 1e-12
    np.testing.assert_allclose(c, centerness(np.array([r, b, left, t])), rtol=1e-12)


def test_centerness_hand_cases() -> None:
    np.testing.assert_allclose(centerness(np.array([[5.0, 7.0, 5.0, 7.0]])), [1.0])  # 中心
    np.testing.assert_allclose(centerness(np.array([1.0, 2.0, 3.0, 2.0])), math.sqrt(1 / 3), rtol=1e-15)
    np.testing.assert_allclose(centerness(np.array([1.0, 1.0, 9.0, 9.0])), 1 / 9, rtol=1e-15)
    np.testing.assert_allclose(centerness(np.array([1e-9, 5.0, 10.0, 5.0])), 1e-5, rtol=1e-6)  # 贴着左边: 趋于 0


def test_fcos_points_hand_case() -> None:
    np.testing.assert_array_equal(fcos_points(2, 3, 8), [[4, 4], [12, 4], [20, 4], [4, 12], [12, 12], [20, 12]])


def test_fcos_assign_by_regression_range_and_smallest_area() -> None:
    big = np.array([[0.0, 0.0, 300.0, 300.0]])
    small = np.array([[90.0, 90.0, 130.0, 130.0]])
    boxes = np.concatenate([big, small])
    p = np.array([[100.0, 100.0], [150.0, 150.0], [400.0, 400.0]])
    # 点 (100, 100): 到大框的最大距离 200 -> 只在 (128, 256]; 到小框最大 30 -> (0, 64]
    assert fcos_assign(p, *FCOS_RANGES[0], boxes).tolist() == [1, -1, -1]
    assert fcos_assign(p, *FCOS_RANGES[2], boxes).tolist() == [0, 0, -1]
    # 同一层、同时落在两个框内: 取面积小的
    both = np.array([[0.0, 0.0, 60.0, 60.0], [20.0, 20.0, 60.0, 60.0]])
    assert fcos_assign(np.array([[40.0, 40.0]]), 0.0, 64.0, both).tolist() == [1]
    assert fcos_assign(p, 0.0, 64.0, np.zeros((0, 4))).tolist() == [-1, -1, -1]


def test_every_point_of_a_box_lands_on_exactly_one_level() -> None:
    box = np.array([[13.0, 7.0, 213.0, 95.0]])
    p = np.random.default_rng(1).uniform([14, 8], [212, 94], (200, 2))
    hits = np.stack([fcos_assign(p, lo, hi, box) for lo, hi in FCOS_RANGES])  # (5, P)
    assert ((hits == 0).sum(axis=0) >= 1).all()  # 框内的点至少在一层是正样本 (边界上可能两层)


@pytest.mark.parametrize("h, w", [(10.0, 10.0), (20.0, 80.0), (150.0, 37.0)])
def test_gaussian_radius_meets_min_overlap_in_its_tightest_case(h: float, w: float) -> None:
    o = 0.7
    r = gaussian_radius(h, w, o)
    box = np.array([[0.0, 0.0, w, h]])
    shifted = np.array([[r, r, w + r, h + r]])
    shrunk = np.array([[r, r, w - r, h - r]])
    grown = np.array([[-r, -r, w + r, h + r]])
    ious = [box_iou(box, x)[0, 0] for x in (shifted, shrunk, grown)]
    assert min(ious) == pytest.approx(o, rel=1e-9)  # 最紧的一种情况恰好等于 o
    assert all(i >= o - 1e-9 for i in ious)


def test_draw_heatmap_peaks_at_centres_and_sigma() -> None:
    Y = draw_heatmap((20, 30), np.array([[5, 4], [20, 12]]), np.array([3.0, 6.0]))
    assert Y[4, 5] == 1.0 and Y[12, 20] == 1.0 and (Y == 1).sum() == 2
    sigma = 7 / 6
    np.testing.assert_allclose(Y[4, 6], math.exp(-1 / (2 * sigma**2)), rtol=1e-14)


def test_centernet_focal_loss_hand_case_and_torch() -> None:
    Y = np.array([[1.0, 0.5, 0.0]])
    Y_hat = np.array([[0.8, 0.4, 0.1]])
    ref = (-(0.2**2) * math.log(0.8) - (0.5**4) * 0.4**2 * math.log(0.6) - 0.1**2 * math.log(0.9)) / 1
    assert centernet_focal_loss(Y_hat, Y) == pytest.approx(ref, rel=1e-14)
    rng = np.random.default_rng(0)
    Y = draw_heatmap((16, 16), np.array([[3, 3], [10, 12]]), np.array([2.0, 3.0]))
    Yh = rng.uniform(0.01, 0.99, Y.shape)
    yt, pt = torch.from_numpy(Y), torch.from_numpy(Yh)
    pos = yt.eq(1)
    t = torch.where(pos, -(1 - pt) ** 2 * torch.log(pt), -((1 - yt) ** 4) * pt**2 * torch.log(1 - pt))
    assert centernet_focal_loss(Yh, Y) == pytest.approx(float(t.sum() / pos.sum()), rel=1e-12)


def test_max_pool_matches_torch_and_peaks_match_brute_force() -> None:
    rng = np.random.default_rng(3)
    heat = rng.uniform(0, 1, (3, 9, 11)).round(1)  # 取一位小数: 有并列的邻居
    ref = F.max_pool2d(torch.from_numpy(heat)[None], 3, stride=1, padding=1)[0].numpy()
    np.testing.assert_array_equal(max_pool3x3(heat), ref)
    s, c, y, x = heat_peaks = heatmap_peaks(heat, k=1000)
    brute = set()
    C, H, W = heat.shape
    for ci in range(C):
        for i in range(H):
            for j in range(W):
                nb = [heat[ci, a, b] for a in range(max(i - 1, 0), min(i + 2, H))
                      for b in range(max(j - 1, 0), min(j + 2, W))]
                if heat[ci, i, j] >= max(nb):
                    brute.add((ci, i, j))
    assert set(zip(c.tolist(), y.tolist(), x.tolist(), strict=True)) == brute
    assert np.all(np.diff(s) <= 0) and len(heat_peaks[0]) == len(brute)
    s3, *_ = heatmap_peaks(heat, k=3)
    np.testing.assert_array_equal(s3, s[:3])


def test_bad_input_names_the_argument() -> None:
    with pytest.raises(ValueError, match="points"):
        fcos_encode(np.zeros((3, 3)), np.zeros((1, 4)))
    with pytest.raises(TypeError, match="boxes"):
        fcos_encode(np.zeros((3, 2)), np.zeros((1, 4), dtype=int))
    with pytest.raises(ValueError, match="ltrb"):
        fcos_decode(np.zeros((3, 2)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="ltrb"):
        centerness(np.array([0.0, 1.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="stride"):
        fcos_points(2, 2, 0)
    with pytest.raises(ValueError, match="lo"):
        fcos_assign(np.zeros((1, 2)), 64.0, 0.0, np.zeros((1, 4)))
    with pytest.raises(ValueError, match="min_overlap"):
        gaussian_radius(10.0, 10.0, 1.5)
    with pytest.raises(ValueError, match="h and w"):
        gaussian_radius(0.0, 10.0)
    with pytest.raises(ValueError, match="centres"):
        draw_heatmap((4, 4), np.array([[1.5, 2.0]]), np.array([1.0]))
    with pytest.raises(ValueError, match="radii"):
        draw_heatmap((4, 4), np.array([[1, 2]]), np.array([-1.0]))
    with pytest.raises(ValueError, match="Y_hat"):
        centernet_focal_loss(np.array([1.0]), np.array([1.0]))
    with pytest.raises(ValueError, match="Y must"):
        centernet_focal_loss(np.array([0.5]), np.array([2.0]))
    with pytest.raises(ValueError, match="heat"):
        heatmap_peaks(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="heat"):
        max_pool3x3(np.zeros(4))
    with pytest.raises(ValueError, match="k must"):
        heatmap_peaks(np.zeros((1, 4, 4)), k=0)

"""Tests for snippets.detection.boxes: brute-force loops, hand cases from the papers' formulas, properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.detection.boxes import (
    box_area,
    box_iou,
    complete_box_iou,
    cxcywh_to_xyxy,
    distance_box_iou,
    generalized_box_iou,
    xyxy_to_cxcywh,
)


def random_boxes(n: int, seed: int, size: float = 10.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, size, (n, 2))
    wh = rng.uniform(0.5, size / 2, (n, 2))
    return np.concatenate([xy, xy + wh], axis=1)


def brute(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """IoU, GIoU, DIoU, CIoU of two boxes, written out scalar by scalar from the papers' definitions."""
    ax1, ay1, ax2, ay2 = a
    bx1, by1, bx2, by2 = b
    iw = max(0.0, min(ax2, bx2) - max(ax1, bx1))
    ih = max(0.0, min(ay2, by2) - max(ay1, by1))
    inter = iw * ih
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    iou = inter / union
    cw, ch = max(ax2, bx2) - min(ax1, bx1), max(ay2, by2) - min(ay1, by1)
    giou = iou - (cw * ch - union) / (cw * ch)
    rho2 = ((ax1 + ax2) / 2 - (bx1 + bx2) / 2) ** 2 + ((ay1 + ay2) / 2 - (by1 + by2) / 2) ** 2
    diou = iou - rho2 / (cw**2 + ch**2)
    v = 4 / math.pi**2 * (math.atan((bx2 - bx1) / (by2 - by1)) - math.atan((ax2 - ax1) / (ay2 - ay1))) ** 2
    alpha = v / (1 - iou + v) if v > 0 else 0.0
    return {"iou": iou, "giou": giou, "diou": diou, "ciou": diou - alpha * v}


FNS = {"iou": box_iou, "giou": generalized_box_iou, "diou": distance_box_iou, "ciou": complete_box_iou}


@pytest.mark.parametrize("kind", list(FNS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pairwise_matches_brute_force_loop(kind: str, seed: int) -> None:
    a, b = random_boxes(7, seed), random_boxes(5, seed + 100)
    expected = np.array([[brute(x, y)[kind] for y in b] for x in a])
    np.testing.assert_allclose(FNS[kind](a, b), expected, rtol=1e-12, atol=1e-12)


def test_hand_computed_cases() -> None:
    a = np.array([[0.0, 0.0, 2.0, 2.0]])
    b = np.array([[1.0, 1.0, 3.0, 3.0], [3.0, 0.0, 4.0, 1.0], [0.0, 0.0, 2.0, 2.0]])
    # 交集 1, 并集 4 + 4 - 1 = 7; 外接框 3 x 3 = 9; 中心距离平方 2, 外接框对角线平方 18
    np.testing.assert_allclose(box_iou(a, b), [[1 / 7, 0.0, 1.0]], rtol=1e-15)
    np.testing.assert_allclose(generalized_box_iou(a, b), [[1 / 7 - 2 / 9, -3 / 8, 1.0]], rtol=1e-14)
    # 第二个框: 外接框 4 x 2 = 8, 并集 5; 中心 (1, 1) 与 (3.5, 0.5): rho^2 = 6.5, c^2 = 16 + 4
    np.testing.assert_allclose(distance_box_iou(a, b), [[1 / 7 - 2 / 18, -6.5 / 20, 1.0]], rtol=1e-14)
    # 同样的宽高比 (正方形): v = 0, CIoU = DIoU
    np.testing.assert_allclose(complete_box_iou(a, b), distance_box_iou(a, b), rtol=1e-15)


def test_ciou_penalises_a_different_aspect_ratio_with_the_same_centre() -> None:
    a = np.array([[0.0, 0.0, 2.0, 2.0]])
    b = np.array([[-1.0, 0.5, 3.0, 1.5]])  # 同中心, 4 x 1
    iou = 2 / 6
    v = 4 / math.pi**2 * (math.atan(4.0) - math.atan(1.0)) ** 2
    np.testing.assert_allclose(distance_box_iou(a, b), [[iou]], rtol=1e-14)
    np.testing.assert_allclose(complete_box_iou(a, b), [[iou - v / (1 - iou + v) * v]], rtol=1e-14)


def test_conversions_round_trip_and_area() -> None:
    b = random_boxes(6, 3)
    np.testing.assert_allclose(cxcywh_to_xyxy(xyxy_to_cxcywh(b)), b, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(xyxy_to_cxcywh(np.array([[1.0, 2.0, 5.0, 3.0]])), [[3.0, 2.5, 4.0, 1.0]])
    np.testing.assert_allclose(box_area(b), np.prod(xyxy_to_cxcywh(b)[:, 2:], axis=1), rtol=1e-12)


def test_empty_inputs_give_empty_matrices_and_degenerate_boxes_give_zero() -> None:
    assert box_iou(np.zeros((0, 4)), random_boxes(3, 0)).shape == (0, 3)
    point = np.array([[1.0, 1.0, 1.0, 1.0]])
    assert box_iou(point, point)[0, 0] == 0.0  # 两个面积为 0 的框: 0, 不是 NaN


coord = st.floats(-50, 50, allow_nan=False)
size = st.floats(0.1, 40, allow_nan=False)


@st.composite
def box_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    def one() -> list[float]:
        x, y, w, h = draw(coord), draw(coord), draw(size), draw(size)
        return [x, y, x + w, y + h]
    return np.array([one(), one()]), np.array([one(), one(), one()])


@settings(max_examples=200, deadline=None)
@given(box_pairs())
def test_properties_symmetry_and_ranges(pair: tuple[np.ndarray, np.ndarray]) -> None:
    a, b = pair
    for fn in FNS.values():
        np.testing.assert_allclose(fn(a, b), fn(b, a).T, rtol=1e-12, atol=1e-12)
    iou, giou = box_iou(a, b), generalized_box_iou(a, b)
    assert ((iou >= 0) & (iou <= 1 + 1e-12)).all()
    assert ((giou > -1) & (giou <= iou + 1e-12)).all()  # GIoU in (-1, 1], never above IoU
    diou, ciou = distance_box_iou(a, b), complete_box_iou(a, b)
    assert ((diou > -1) & (diou <= iou + 1e-12) & (ciou <= diou + 1e-12)).all()
    np.testing.assert_allclose(np.diag(box_iou(a, a)), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.diag(generalized_box_iou(a, a)), 1.0, rtol=1e-12)


def test_bad_input_names_the_argument() -> None:
    good = random_boxes(2, 0)
    with pytest.raises(TypeError, match="a must be a float"):
        box_iou(good.astype(int), good)
    with pytest.raises(ValueError, match="b must have shape"):
        box_iou(good, good[:, :3])
    with pytest.raises(ValueError, match="boxes must satisfy"):
        box_area(good[:, [2, 3, 0, 1]])
    with pytest.raises(ValueError, match="boxes must be finite"):
        xyxy_to_cxcywh(np.array([[0.0, 0.0, np.nan, 1.0]]))
    with pytest.raises(ValueError, match="boxes must be finite with w, h >= 0"):
        cxcywh_to_xyxy(np.array([[0.0, 0.0, -1.0, 1.0]]))
    with pytest.raises(ValueError, match="a must satisfy"):
        generalized_box_iou(good[:, [2, 1, 0, 3]], good)
    with pytest.raises(ValueError, match="b must be finite"):
        distance_box_iou(good, np.full((1, 4), np.inf))
    with pytest.raises(ValueError, match="a and b need positive heights"):
        complete_box_iou(np.array([[0.0, 1.0, 2.0, 1.0]]), good)

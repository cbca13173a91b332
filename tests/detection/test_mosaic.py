"""Tests for snippets.detection.mosaic: hand-built quadrants, box shifts and clipping, and the filters."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.detection.mosaic import mosaic


def _solid() -> list[np.ndarray]:
    return [np.full((60, 80, 1), float(v)) for v in (1, 2, 3, 4)]


def test_mosaic_hand_case_pixels_and_boxes() -> None:
    bx = [np.array([[10.0, 10.0, 70.0, 50.0]]),
          np.array([[0.0, 0.0, 20.0, 20.0], [60.0, 5.0, 78.0, 15.0]]),
          np.array([[30.0, 0.0, 79.0, 40.0]]),
          np.array([[5.0, 5.0, 25.0, 25.0]])]
    canvas, b, src = mosaic(_solid(), bx, 100, (40, 70))
    # 图 0 的左上角在 (-40, 10): 只看得到它的右边 40 列; 画布最上面 10 行是填充
    assert canvas[:10, :, 0].max() == 0.0
    assert (canvas[10:70, :40, 0] == 1).all() and (canvas[10:70, 40:, 0] == 2).all()
    assert (canvas[70:, :40, 0] == 3).all() and (canvas[70:, 40:, 0] == 4).all()
    np.testing.assert_array_equal(b, [[0, 20, 30, 60],  # 图 0: 平移 (-40, 10), 左边被截
                                      [40, 10, 60, 30],  # 图 1: 平移 (40, 10); 第二个框移到 x >= 100, 被丢掉
                                      [0, 70, 39, 100],  # 图 2: 平移 (-40, 70), 左、下被截
                                      [45, 75, 65, 95]])  # 图 3: 平移 (40, 70)
    assert src.tolist() == [0, 1, 2, 3]


def test_mosaic_drops_boxes_that_are_mostly_cut_off() -> None:
    bx = [np.array([[0.0, 0.0, 44.0, 20.0]]), np.zeros((0, 4)), np.zeros((0, 4)), np.zeros((0, 4))]
    # 图 0 平移 (-40, 10): 框变成 [-40, 10, 4, 30], 可见 4 x 20 = 80 / 880 < 0.1 -> 丢掉
    _, b, _ = mosaic(_solid(), bx, 100, (40, 70))
    assert len(b) == 0
    _, b, _ = mosaic(_solid(), bx, 100, (40, 70), min_visible=0.05)
    np.testing.assert_array_equal(b, [[0, 10, 4, 30]])
    _, b, _ = mosaic(_solid(), bx, 100, (40, 70), min_side=5.0, min_visible=0.0)
    assert len(b) == 0  # 宽只剩 4 px < 5


def test_mosaic_boxes_stay_inside_their_quadrant_on_random_cases() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        ims = [rng.uniform(size=(int(rng.integers(20, 90)), int(rng.integers(20, 90)), 3)) for _ in range(4)]
        bx = []
        for im in ims:
            h, w = im.shape[:2]
            xy = rng.uniform(0, [w - 5, h - 5], (3, 2))
            bx.append(np.concatenate([xy, np.minimum(xy + rng.uniform(4, 40, (3, 2)), [w, h])], axis=1))
        xc, yc = int(rng.integers(10, 90)), int(rng.integers(10, 90))
        canvas, b, src = mosaic(ims, bx, 100, (xc, yc))
        assert canvas.shape == (100, 100, 3)
        quads = np.array([[0, 0, xc, yc], [xc, 0, 100, yc], [0, yc, xc, 100], [xc, yc, 100, 100]])
        q = quads[src]
        assert (b[:, :2] >= q[:, :2]).all() and (b[:, 2:] <= q[:, 2:]).all()
        assert ((b[:, 2:] - b[:, :2]) >= 2).all()


def test_bad_input_names_the_argument() -> None:
    ims, bx = _solid(), [np.zeros((0, 4))] * 4
    with pytest.raises(ValueError, match="size"):
        mosaic(ims, bx, 1, (0, 0))
    with pytest.raises(ValueError, match="centre"):
        mosaic(ims, bx, 100, (0, 50))
    with pytest.raises(ValueError, match="images and boxes"):
        mosaic(ims[:3], bx, 100, (50, 50))
    with pytest.raises(ValueError, match="images must"):
        mosaic([np.zeros((5, 5))] * 4, bx, 100, (50, 50))
    with pytest.raises(TypeError, match="images must be NumPy"):
        mosaic([[[0.0]]] * 4, bx, 100, (50, 50))
    with pytest.raises(ValueError, match="min_visible"):
        mosaic(ims, bx, 100, (50, 50), min_visible=1.5)
    with pytest.raises(ValueError, match="min_side"):
        mosaic(ims, bx, 100, (50, 50), min_side=-1.0)
    with pytest.raises(TypeError, match=r"boxes\[0\]"):
        mosaic(ims, [np.zeros((1, 4), dtype=int)] + bx[1:], 100, (50, 50))

"""Tests for snippets.detection.tiny_detector: data and targets by hand, and the trained runs' claims."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from snippets.detection.ap import mean_ap
from snippets.detection.tiny_detector import (
    _targets,
    detect,
    make_model,
    make_shapes,
    tiny_detector_run,
    train_tiny_detector,
)
from tests.detection.test_ap import pycocotools_map


def test_make_shapes_boxes_inside_image_and_pixels_where_the_shapes_are() -> None:
    X, boxes, labels = make_shapes(20, np.random.default_rng(0))
    assert X.shape == (20, 1, 64, 64)
    for x, b, lab in zip(X, boxes, labels, strict=True):
        assert 1 <= len(b) <= 3 and set(lab.tolist()) <= {0, 1}
        assert (b >= 0).all() and (b <= 64).all()
        side = b[:, 2] - b[:, 0]
        np.testing.assert_allclose(side, b[:, 3] - b[:, 1])
        assert ((side >= 10) & (side <= 26)).all()
        for x1, y1, x2, y2 in b:  # 形状中心的像素是亮的 (噪声 0.1, 亮度 >= 0.5)
            assert x[0, int((y1 + y2) / 2), int((x1 + x2) / 2)] > 0.1


def test_targets_hand_case() -> None:
    b = np.array([[4.0, 4.0, 20.0, 36.0]])  # 中心 (12, 20), 16 x 32
    cls, box, pos = _targets([b], [np.array([1])])
    assert pos[0].sum() == 1 and pos[0, 2, 1]  # 格子 (gy, gx) = (20 // 8, 12 // 8) = (2, 1)
    assert cls[0, 1, 2, 1] == 1 and cls.sum() == 1
    np.testing.assert_allclose(box[0, :, 2, 1], [12 / 8 - 1, 20 / 8 - 2, 0.0, np.log(2.0)], rtol=1e-15)


def test_bad_input_names_the_argument() -> None:
    with pytest.raises(ValueError, match="n must"):
        make_shapes(0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="seed"):
        make_model(-1)
    with pytest.raises(ValueError, match="batch"):
        train_tiny_detector(0, n_train=8, batch=16)
    with pytest.raises(ValueError, match="lr"):
        train_tiny_detector(0, lr=0.0)
    with pytest.raises(ValueError, match="steps"):
        train_tiny_detector(0, steps=0)
    with pytest.raises(ValueError, match="X must"):
        detect(make_model(0), np.zeros((1, 1, 32, 32)))
    with pytest.raises(ValueError, match="score_floor"):
        detect(make_model(0), np.zeros((1, 1, 64, 64)), score_floor=1.0)
    with pytest.raises(ValueError, match="n_test"):
        tiny_detector_run(0, n_test=0)


@pytest.mark.experiment
def test_trained_detector_claims_hold_for_every_seed() -> None:
    for seed in range(5):
        raw, nmsed, _ = tiny_detector_run(seed)
        before, after = mean_ap(raw, (0.5,)), mean_ap(nmsed, (0.5,))
        assert after > before, seed  # NMS 提高 mAP@0.5
        assert 0.7 < after < 0.95, (seed, after)
        voc07, voc10, coco = (mean_ap(nmsed, (0.5,), m) for m in ("voc07", "voc10", "coco"))
        assert voc07 < voc10 and abs(coco - voc10) < 0.01, seed


@pytest.mark.experiment
def test_trained_detections_evaluate_the_same_in_pycocotools() -> None:
    _, nmsed, _ = tiny_detector_run(0)
    with contextlib.redirect_stdout(io.StringIO()):
        ref_5095, ref_50 = pycocotools_map(nmsed)
    np.testing.assert_allclose(mean_ap(nmsed, tuple(np.linspace(0.5, 0.95, 10))), ref_5095, rtol=0, atol=1e-9)
    np.testing.assert_allclose(mean_ap(nmsed, (0.5,)), ref_50, rtol=0, atol=1e-9)

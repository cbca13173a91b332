"""Tests for snippets.detection.ap: pycocotools on the same detections, VOC hand cases, bad input."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from snippets.detection.ap import Image, average_precision, match_image, mean_ap, precision_recall
from snippets.detection.scenes import noisy_detections

COCO_THRESHOLDS = tuple(np.linspace(0.5, 0.95, 10))


def pycocotools_map(images: list[Image]) -> tuple[float, float]:
    """(AP@[.5:.95], AP@.5) from pycocotools' COCOeval on the same boxes."""
    def xywh(b: np.ndarray) -> list[float]:
        return [float(b[0]), float(b[1]), float(b[2] - b[0]), float(b[3] - b[1])]

    anns, dets = [], []
    for i, im in enumerate(images):
        for b, c in zip(im.gt_boxes, im.gt_labels, strict=True):
            anns.append({"id": len(anns) + 1, "image_id": i, "category_id": int(c) + 1, "bbox": xywh(b),
                         "area": float((b[2] - b[0]) * (b[3] - b[1])), "iscrowd": 0})
        for b, s, c in zip(im.boxes, im.scores, im.labels, strict=True):
            dets.append({"image_id": i, "category_id": int(c) + 1, "bbox": xywh(b), "score": float(s)})
    gt = COCO()
    gt.dataset = {"images": [{"id": i} for i in range(len(images))], "annotations": anns,
                  "categories": [{"id": c} for c in range(1, 11)]}
    with contextlib.redirect_stdout(io.StringIO()):
        gt.createIndex()
        ev = COCOeval(gt, gt.loadRes(dets), "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    return float(ev.stats[0]), float(ev.stats[1])


@pytest.mark.parametrize("seed", range(8))
def test_coco_map_matches_pycocotools(seed: int) -> None:
    images = noisy_detections(seed)
    ref_5095, ref_50 = pycocotools_map(images)
    np.testing.assert_allclose(mean_ap(images, COCO_THRESHOLDS, "coco"), ref_5095, rtol=0, atol=1e-9)
    np.testing.assert_allclose(mean_ap(images, (0.5,), "coco"), ref_50, rtol=0, atol=1e-9)


def test_precision_recall_and_three_ap_conventions_by_hand() -> None:
    # 5 个真值, 6 个检测按分数排好: TP FP TP TP FP TP
    tp = np.array([True, False, True, True, False, True])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    p, r = precision_recall(tp, scores, 5)
    np.testing.assert_allclose(p, [1, 1 / 2, 2 / 3, 3 / 4, 3 / 5, 4 / 6])
    np.testing.assert_allclose(r, [0.2, 0.2, 0.4, 0.6, 0.6, 0.8])
    # 包络线: 1, 0.75, 0.75, 0.75, 2/3, 2/3
    # all-point: 0.2 * 1 + 0.4 * 0.75 + 0.2 * 2/3 = 0.6333...
    np.testing.assert_allclose(average_precision(p, r, "voc10"), 0.2 + 0.3 + 0.2 * 2 / 3, rtol=1e-14)
    # 11 点 (VOC devkit 的 np.arange(0, 1.1, 0.1)): r = 0, 0.1, 0.2 -> 1; 0.3 .. 0.5 -> 0.75; 0.7, 0.8 -> 2/3;
    # 0.9, 1.0 -> 0。阈值 "0.6" 在浮点中是 0.6000000000000001 > 3/5, 所以它取的是 2/3 而不是 0.75
    assert np.arange(0.0, 1.1, 0.1)[6] > 3 / 5
    np.testing.assert_allclose(average_precision(p, r, "voc07"), (3 + 3 * 0.75 + 3 * 2 / 3) / 11, rtol=1e-14)
    # 101 点: r = 0 .. 0.2 (21 个) -> 1; 0.21 .. 0.6 (40) -> 0.75; 0.61 .. 0.8 (20) -> 2/3; 0.81 .. 1 (20) -> 0
    np.testing.assert_allclose(average_precision(p, r, "coco"), (21 + 40 * 0.75 + 20 * 2 / 3) / 101, rtol=1e-12)


def test_perfect_detector_scores_one_and_empty_detections_zero() -> None:
    gt = np.array([[0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0]])
    perfect = [Image(gt, np.array([0, 1]), gt.copy(), np.array([0.9, 0.8]), np.array([0, 1]))]
    for method in ("voc07", "voc10", "coco"):
        assert mean_ap(perfect, COCO_THRESHOLDS, method) == pytest.approx(1.0, abs=1e-12)
    empty = [Image(gt, np.array([0, 1]), np.zeros((0, 4)), np.zeros(0), np.zeros(0, dtype=int))]
    assert mean_ap(empty, (0.5,), "coco") == 0.0


def test_matching_duplicates_are_false_positives_and_greedy_takes_best_free_gt() -> None:
    gt = np.array([[0.0, 0.0, 10.0, 10.0], [5.0, 0.0, 15.0, 10.0]])
    det = np.array([[0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 10.0, 10.0], [0.5, 0.0, 10.5, 10.0]])
    tp = match_image(det, np.array([0.9, 0.8, 0.7]), gt, 0.3)
    # 第一个检测占了 gt 0; 第二个 (完全相同) 只能配 gt 1 (IoU 1/3 >= 0.3); 第三个: 两个 gt 都被占了
    assert tp.tolist() == [True, True, False]
    assert match_image(det, np.array([0.9, 0.8, 0.7]), gt, 0.5).tolist() == [True, False, False]


def test_bad_input_names_the_argument() -> None:
    b = np.zeros((1, 4))
    with pytest.raises(ValueError, match="scores"):
        match_image(b, np.zeros(2), b, 0.5)
    with pytest.raises(ValueError, match="tp"):
        precision_recall(np.zeros(2), np.zeros(2), 1)
    with pytest.raises(ValueError, match="n_gt"):
        precision_recall(np.zeros(2, dtype=bool), np.zeros(2), 0)
    with pytest.raises(ValueError, match="method"):
        average_precision(np.ones(2), np.ones(2), "voc12")
    with pytest.raises(ValueError, match="precision and recall"):
        average_precision(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="images"):
        mean_ap([], (0.5,))


def test_scenes_bad_input_names_the_argument() -> None:
    from snippets.detection.scenes import crowd_scene

    with pytest.raises(ValueError, match="seed"):
        noisy_detections(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n_images"):
        noisy_detections(0, n_images=0)
    with pytest.raises(ValueError, match="noise"):
        noisy_detections(0, noise=-1.0)
    with pytest.raises(ValueError, match="seed"):
        crowd_scene(seed=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="per_object"):
        crowd_scene(per_object=0)

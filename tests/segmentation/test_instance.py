"""Tests for snippets.segmentation.instance: Mask R-CNN's mask loss against PyTorch (float64), mask assembly on
hand-built prototypes, keypoint decoding by hand, OKS against pycocotools' COCOeval.computeOks, bad input."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.segmentation.instance import (
    COCO_SIGMAS,
    assemble_masks,
    crop_mask,
    decode_keypoints,
    mask_rcnn_mask_loss,
    oks,
)


def test_mask_loss_equals_torch_bce_on_the_label_channel() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, (5, 4, 7, 7))
    labels = np.array([0, 3, 1, 1, 2])
    targets = (rng.random((5, 7, 7)) > 0.5).astype(np.float64)
    t = torch.tensor(logits)
    ref = F.binary_cross_entropy_with_logits(t[torch.arange(5), torch.tensor(labels)], torch.tensor(targets))
    assert abs(mask_rcnn_mask_loss(logits, labels, targets) - ref.item()) < 1e-12


def test_mask_loss_ignores_other_classes() -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(0, 1, (2, 3, 4, 4))
    labels, targets = np.array([2, 0]), np.ones((2, 4, 4))
    base = mask_rcnn_mask_loss(logits, labels, targets)
    logits[0, 0] += 50.0  # 其他类别的掩码怎么变都不影响损失: 类别之间不竞争
    logits[1, 1:] -= 50.0
    assert mask_rcnn_mask_loss(logits, labels, targets) == pytest.approx(base, abs=1e-12)
    assert mask_rcnn_mask_loss(np.zeros((1, 1, 2, 2)), np.array([0]), np.ones((1, 2, 2))) == pytest.approx(np.log(2))


def hand_protos() -> np.ndarray:
    protos = np.zeros((2, 4, 6))
    protos[0, :, :3] = 1.0  # 原型 0: 左半边
    protos[1, :2, :] = 1.0  # 原型 1: 上半边
    return protos


def test_assemble_masks_hand_case() -> None:
    coefs = np.array([[2.0, -1.0],  # 2 * 左半边 - 上半边: 左上 logit 1, 左下 2, 右上 -1, 右下 0 (不算前景)
                      [-1.0, 2.0]])  # 2 * 上半边 - 左半边: 右上 logit 2, 左上 1, 左下 -1, 右下 0
    boxes = np.array([[0.0, 0.0, 6.0, 4.0], [3.0, 0.0, 6.0, 4.0]])
    m = assemble_masks(hand_protos(), coefs, boxes)
    expected0 = np.zeros((4, 6), bool)
    expected0[:, :3] = True  # 2 - 1 = 1 > 0 在左上, 2 在左下; 右侧 -1 或 0
    expected1 = np.zeros((4, 6), bool)
    expected1[:2, 3:] = True  # 上半边 logit 2 (右) 或 1 (左, 但被框裁掉)
    np.testing.assert_array_equal(m[0], expected0)
    np.testing.assert_array_equal(m[1], expected1)


def test_crop_mask_matches_ultralytics_transcription_and_half_open_box() -> None:
    rng = np.random.default_rng(2)
    masks = rng.random((3, 5, 7))
    boxes = np.array([[1.0, 1.0, 3.0, 4.0], [0.5, 0.0, 6.5, 2.5], [0.0, 0.0, 7.0, 5.0]])
    t, b = torch.tensor(masks), torch.tensor(boxes)
    x1, y1, x2, y2 = torch.chunk(b[:, :, None], 4, 1)  # Ultralytics 的 crop_mask, 逐行转写
    r = torch.arange(7, dtype=x1.dtype)[None, None, :]
    c = torch.arange(5, dtype=x1.dtype)[None, :, None]
    ref = t * ((r >= x1) * (r < x2) * (c >= y1) * (c < y2))
    np.testing.assert_array_equal(crop_mask(masks, boxes), ref.numpy())
    out = crop_mask(np.ones((1, 5, 7)), boxes[:1])
    assert out.sum() == 2 * 3 and out[0, 1:4, 1:3].all()  # 列 1, 2 (x2=3 不含), 行 1, 2, 3


def test_decode_keypoints_by_hand() -> None:
    raw = np.array([[0.0, 0.0, 0.0], [0.25, -0.5, 100.0], [1.0, 1.0, -100.0]])
    out = decode_keypoints(raw, anchor=(3.5, 2.5), stride=8.0)
    # x = (2 raw + cx - 0.5) * stride: (0 + 3) * 8 = 24; (0.5 + 3) * 8 = 28; (2 + 3) * 8 = 40
    np.testing.assert_allclose(out[:, 0], [24.0, 28.0, 40.0])
    np.testing.assert_allclose(out[:, 1], [16.0, 8.0, 32.0])
    np.testing.assert_allclose(out[:, 2], [0.5, 1.0, 0.0], atol=1e-12)


def test_oks_hand_case() -> None:
    gt = np.zeros((17, 3))
    gt[:, 2] = 0.0
    gt[0] = [10.0, 10.0, 2.0]  # 只标注了鼻子
    pred = np.zeros((17, 2))
    pred[0] = [13.0, 14.0]  # 偏 5 个像素
    area = 1000.0
    k = 2 * 0.026
    assert oks(pred, gt, area) == pytest.approx(np.exp(-25.0 / (2 * area * k * k)), rel=1e-12)
    assert oks(gt[:, :2].copy(), gt, area) == 1.0


def test_oks_matches_pycocotools() -> None:
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    rng = np.random.default_rng(3)
    gt_kp = np.concatenate([rng.uniform(20, 80, (17, 2)), rng.integers(0, 3, (17, 1))], axis=1)
    gt_kp[0, 2] = 2  # 至少一个标注
    pred = gt_kp[:, :2] + rng.normal(0, 3, (17, 2))
    area = 2500.0
    dataset = {"images": [{"id": 1, "width": 100, "height": 100}],
               "categories": [{"id": 1, "name": "person"}],
               "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "iscrowd": 0, "area": area,
                                "bbox": [10, 10, 80, 80], "num_keypoints": int((gt_kp[:, 2] > 0).sum()),
                                "keypoints": gt_kp.ravel().tolist()}]}
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO()
        coco.dataset = dataset
        coco.createIndex()
        det = coco.loadRes([{"image_id": 1, "category_id": 1, "score": 1.0,
                             "keypoints": np.concatenate([pred, np.ones((17, 1))], 1).ravel().tolist()}])
        ev = COCOeval(coco, det, "keypoints")
        ev.params.imgIds = [1]
        ev._prepare()
        ref = ev.computeOks(1, 1)[0, 0]
    assert oks(pred, gt_kp, area) == pytest.approx(ref, rel=1e-9)
    np.testing.assert_allclose(ev.params.kpt_oks_sigmas, COCO_SIGMAS)


def test_instance_bad_input() -> None:
    with pytest.raises(ValueError, match="labels"):
        mask_rcnn_mask_loss(np.zeros((1, 2, 2, 2)), np.array([2]), np.zeros((1, 2, 2)))
    with pytest.raises(ValueError, match="targets"):
        mask_rcnn_mask_loss(np.zeros((1, 2, 2, 2)), np.array([1]), np.zeros((1, 3, 2)))
    with pytest.raises(ValueError, match="coefs"):
        assemble_masks(hand_protos(), np.zeros((1, 3)), np.zeros((1, 4)))
    with pytest.raises(ValueError, match="boxes"):
        assemble_masks(hand_protos(), np.zeros((2, 2)), np.zeros((1, 4)))
    with pytest.raises(ValueError, match="boxes"):
        crop_mask(np.zeros((1, 2, 2)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="raw"):
        decode_keypoints(np.zeros((3, 2)), (0.5, 0.5), 8.0)
    with pytest.raises(ValueError, match="stride"):
        decode_keypoints(np.zeros((3, 3)), (0.5, 0.5), 0.0)
    with pytest.raises(ValueError, match="anchor"):
        decode_keypoints(np.zeros((3, 3)), (0.5,), 8.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="gt"):
        oks(np.zeros((17, 2)), np.zeros((17, 3)), 100.0)
    with pytest.raises(ValueError, match="area"):
        oks(np.zeros((17, 2)), np.ones((17, 3)), 0.0)
    with pytest.raises(ValueError, match="pred_xy"):
        oks(np.zeros((16, 2)), np.ones((17, 3)), 10.0)


def test_oks_falloff_caption_numbers() -> None:
    # 图注: d / s = 0.1 时鼻子约 0.16, 髋约 0.90
    gt = np.zeros((17, 3))
    gt[:, 2] = 0.0
    for j, expected in ((0, 0.16), (11, 0.90)):
        g = gt.copy()
        g[j] = [0.0, 0.0, 2.0]
        pred = np.zeros((17, 2))
        pred[j] = [1.0, 0.0]  # d = 1, 面积 100 -> s = 10, d / s = 0.1
        assert round(oks(pred, g, 100.0), 2) == expected

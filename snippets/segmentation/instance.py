"""Instance masks and keypoints: Mask R-CNN's per-class sigmoid mask loss, YOLACT/YOLOv8-style mask
assembly from prototypes, YOLOv8-pose keypoint decoding (Ultralytics code release) and COCO's OKS."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_boxes, check_float_array

# COCO 关键点评估中 17 个关键点的 sigma (鼻子、左右眼、左右耳、左右肩、左右肘、左右腕、左右髋、左右膝、左右踝)
COCO_SIGMAS = np.array([0.26, 0.25, 0.25, 0.35, 0.35, 0.79, 0.79, 0.72, 0.72, 0.62, 0.62,
                        1.07, 1.07, 0.87, 0.87, 0.89, 0.89]) / 10.0


def _check_mask_loss(mask_logits: np.ndarray, labels: np.ndarray, targets: np.ndarray) -> None:
    check_float_array(mask_logits, "mask_logits", (4,))
    if not isinstance(labels, np.ndarray) or labels.shape != (len(mask_logits),) \
            or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels must be an int array of shape (R,)")
    if ((labels < 0) | (labels >= mask_logits.shape[1])).any():
        raise ValueError("labels must be class ids in [0, K)")
    check_float_array(targets, "targets", (3,))
    if targets.shape != (mask_logits.shape[0], *mask_logits.shape[2:]):
        raise ValueError(f"targets must have shape (R, m, m), got {targets.shape}")


def _check_assemble(protos: np.ndarray, coefs: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    check_float_array(protos, "protos", (3,))
    check_float_array(coefs, "coefs", (2,))
    if coefs.shape[1] != protos.shape[0]:
        raise ValueError(f"coefs must have P={protos.shape[0]} columns, got {coefs.shape}")
    b = check_boxes(boxes, "boxes")
    if len(b) != len(coefs):
        raise ValueError(f"boxes must have one row per row of coefs ({len(coefs)}), got {len(b)}")
    return b


def _check_oks(pred_xy: np.ndarray, gt: np.ndarray, area: float, sigmas: np.ndarray) -> None:
    check_float_array(pred_xy, "pred_xy", (2,))
    check_float_array(gt, "gt", (2,))
    check_float_array(sigmas, "sigmas", (1,))
    K = len(sigmas)
    if pred_xy.shape != (K, 2) or gt.shape != (K, 3):
        raise ValueError(f"pred_xy must be ({K}, 2) and gt ({K}, 3), got {pred_xy.shape} and {gt.shape}")
    if not (gt[:, 2] > 0).any():
        raise ValueError("gt must have at least one labelled keypoint (v > 0)")
    if not isinstance(area, (int, float)) or not area > 0:
        raise ValueError(f"area must be > 0, got {area!r}")


def _check_crop(masks: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    check_float_array(masks, "masks", (3,))
    b = check_boxes(boxes, "boxes")
    if len(b) != len(masks):
        raise ValueError(f"boxes must have one row per mask ({len(masks)}), got {len(b)}")
    return b


def _check_decode(raw: np.ndarray, anchor: tuple[float, float], stride: float) -> None:
    check_float_array(raw, "raw", (2,))
    if raw.shape[1] != 3:
        raise ValueError(f"raw must have shape (K, 3), got {raw.shape}")
    if not isinstance(anchor, tuple) or len(anchor) != 2:
        raise ValueError(f"anchor must be a (cx, cy) tuple, got {anchor!r}")
    if not isinstance(stride, (int, float)) or not stride > 0:
        raise ValueError(f"stride must be > 0, got {stride!r}")


# --8<-- [start:mask_loss]
def mask_rcnn_mask_loss(mask_logits: np.ndarray, labels: np.ndarray, targets: np.ndarray) -> float:
    """Mask R-CNN's L_mask: per-pixel sigmoid BCE on the ground-truth class's m x m mask only.

    mask_logits (R, K, m, m), labels (R,) ints in [0, K), targets (R, m, m) in {0, 1}.
    """
    _check_mask_loss(mask_logits, labels, targets)
    R = len(mask_logits)
    z = mask_logits[np.arange(R), labels]  # (R, m, m): 只取真值类别那一张, 其余 K - 1 张不参与
    # 数值稳定的 BCE with logits: max(z, 0) - z*t + log(1 + exp(-|z|))
    bce = np.maximum(z, 0) - z * targets + np.log1p(np.exp(-np.abs(z)))
    return float(bce.mean())
# --8<-- [end:mask_loss]



# --8<-- [start:assemble]
def crop_mask(masks: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Zero everything outside each box: masks (n, h, w), boxes (n, 4) x1, y1, x2, y2 in mask pixels."""
    boxes = _check_crop(masks, boxes)
    n, h, w = masks.shape
    cols, rows = np.arange(w)[None, None, :], np.arange(h)[None, :, None]
    x1, y1, x2, y2 = (boxes[:, i, None, None] for i in range(4))  # 每个 (n, 1, 1)
    inside = (cols >= x1) & (cols < x2) & (rows >= y1) & (rows < y2)  # 像素下标与框坐标直接比较, 同 Ultralytics
    return masks * inside


def assemble_masks(protos: np.ndarray, coefs: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Instance masks from prototypes: sigmoid(coefs @ protos), cropped to the box, thresholded at 0.5.

    protos (P, h, w) shared by the image, coefs (n, P) one row per detection, boxes (n, 4) in proto pixels.
    Returns (n, h, w) bool.
    """
    boxes = _check_assemble(protos, coefs, boxes)
    P, h, w = protos.shape
    logits = (coefs @ protos.reshape(P, h * w)).reshape(-1, h, w)  # (n, h, w): 原型的线性组合
    prob = 1.0 / (1.0 + np.exp(-logits))
    return crop_mask(prob, boxes) > 0.5  # 框外置 0; sigmoid > 0.5 等价于 logit > 0
# --8<-- [end:assemble]



# --8<-- [start:pose]
def decode_keypoints(raw: np.ndarray, anchor: tuple[float, float], stride: float) -> np.ndarray:
    """YOLOv8-pose decoding of one anchor's raw outputs (K, 3) -> (K, 3) pixels x, y and visibility score.

    anchor is the grid cell centre (i + 0.5, j + 0.5) in feature-map units, as in the Ultralytics code.
    """
    _check_decode(raw, anchor, stride)
    cx, cy = anchor
    x = (raw[:, 0] * 2.0 + (cx - 0.5)) * stride  # 相对格子左上角的偏移, 不经 sigmoid, 可以超出格子
    y = (raw[:, 1] * 2.0 + (cy - 0.5)) * stride
    v = 1.0 / (1.0 + np.exp(-raw[:, 2]))  # 可见性: sigmoid 后的概率
    return np.stack([x, y, v], axis=1)


def oks(pred_xy: np.ndarray, gt: np.ndarray, area: float, sigmas: np.ndarray = COCO_SIGMAS) -> float:
    """Object keypoint similarity of one prediction against one person, as COCO evaluates it.

    pred_xy (K, 2); gt (K, 3) with x, y, v (v > 0: labelled); area: the person's segment area s^2.
    """
    _check_oks(pred_xy, gt, area, sigmas)
    k2 = (2.0 * sigmas) ** 2  # 每个关键点的常数 k_i = 2 sigma_i
    d2 = ((pred_xy - gt[:, :2]) ** 2).sum(axis=1)  # (K,) 距离平方
    e = d2 / (2.0 * area * k2)
    labelled = gt[:, 2] > 0  # 只在标注了的关键点上平均
    return float(np.exp(-e[labelled]).mean())
# --8<-- [end:pose]

"""Greedy NMS, class-aware (batched) NMS and Soft-NMS (linear and Gaussian), in NumPy."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_boxes
from snippets.detection.boxes import box_iou


def _check_scores(boxes: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    b = check_boxes(boxes, "boxes")
    if not isinstance(scores, np.ndarray) or scores.shape != (len(b),) or not np.isfinite(scores).all():
        raise ValueError(f"scores must be a finite array of shape ({len(b)},)")
    return b, scores.astype(np.float64)


def _check_threshold(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
    return float(value)


# --8<-- [start:nms]
def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Greedy NMS: keep the best box, drop every box with IoU > iou_threshold to it, repeat.

    Args:
        boxes: (N, 4) in (x1, y1, x2, y2).
        scores: (N,).
        iou_threshold: boxes overlapping a kept one by more than this are suppressed.

    Returns:
        indices of the kept boxes, by decreasing score, shape (K,).
    """
    boxes, scores = _check_scores(boxes, scores)
    t = _check_threshold(iou_threshold, "iou_threshold")
    order = np.argsort(-scores, kind="stable")  # 同分时下标小的在前
    iou = box_iou(boxes, boxes)  # (N, N): O(N^2) 内存, 换来每轮一次向量化比较
    suppressed = np.zeros(len(boxes), dtype=bool)
    keep = []
    for i in order:
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed |= iou[i] > t  # 也会把 i 自己标上, 无妨: 它已经保留
    return np.array(keep, dtype=np.int64)
# --8<-- [end:nms]


# --8<-- [start:batched]
def batched_nms(boxes: np.ndarray, scores: np.ndarray, labels: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Class-aware NMS: boxes of different labels never suppress each other.

    The trick: shift each class's boxes by label * (max coordinate + 1) so that boxes of two
    classes cannot overlap, then run one NMS. Returns kept indices by decreasing score.
    """
    boxes, scores = _check_scores(boxes, scores)
    if (not isinstance(labels, np.ndarray) or labels.shape != scores.shape
            or not np.issubdtype(labels.dtype, np.integer)):
        raise ValueError(f"labels must be an integer array of shape {scores.shape}")
    if len(boxes) == 0:
        return np.zeros(0, dtype=np.int64)
    offset = labels.astype(np.float64)[:, None] * (boxes.max() - boxes.min() + 1)  # (N, 1)
    return nms(boxes + offset, scores, iou_threshold)
# --8<-- [end:batched]


# --8<-- [start:soft]
def soft_nms(boxes: np.ndarray, scores: np.ndarray, method: str = "gaussian", iou_threshold: float = 0.3,
             sigma: float = 0.5, score_threshold: float = 0.001) -> tuple[np.ndarray, np.ndarray]:
    """Soft-NMS (Bodla et al., 2017): decay the scores of overlapping boxes instead of deleting them.

    linear:   s_i <- s_i (1 - IoU(M, b_i))   if IoU(M, b_i) >= iou_threshold
    gaussian: s_i <- s_i exp(-IoU(M, b_i)^2 / sigma)   for every remaining box

    Returns:
        (keep, new_scores): indices in the order they were picked, and their decayed scores.
    """
    boxes, scores = _check_scores(boxes, scores)
    if method not in ("linear", "gaussian"):
        raise ValueError(f"method must be 'linear' or 'gaussian', got {method!r}")
    nt = _check_threshold(iou_threshold, "iou_threshold")
    if not isinstance(sigma, (int, float)) or sigma <= 0:
        raise ValueError(f"sigma must be > 0, got {sigma!r}")
    iou = box_iou(boxes, boxes)
    s = scores.copy()
    alive = np.ones(len(boxes), dtype=bool)
    keep, kept_scores = [], []
    while alive.any():
        m = int(np.flatnonzero(alive)[np.argmax(s[alive])])  # 当前分数最高的框 M
        if s[m] < score_threshold:
            break
        keep.append(m)
        kept_scores.append(s[m])
        alive[m] = False
        o = iou[m]
        if method == "linear":
            decay = np.where(o >= nt, 1 - o, 1.0)
        else:
            decay = np.exp(-(o**2) / sigma)
        s = np.where(alive, s * decay, s)
    return np.array(keep, dtype=np.int64), np.array(kept_scores)
# --8<-- [end:soft]

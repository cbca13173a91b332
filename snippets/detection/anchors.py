"""Anchors over a feature-map grid (sizes x ratios) and anchor-to-ground-truth matching (Faster R-CNN)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_boxes, check_int
from snippets.detection.boxes import box_iou


# --8<-- [start:anchors]
def generate_anchors(feat_h: int, feat_w: int, stride: int,
                     sizes: tuple[float, ...] = (128.0, 256.0, 512.0),
                     ratios: tuple[float, ...] = (0.5, 1.0, 2.0)) -> np.ndarray:
    """A = len(sizes) * len(ratios) anchors centred on every cell of a (feat_h, feat_w) feature map.

    An anchor of size s and ratio r = h / w has area s^2: w = s / sqrt(r), h = s sqrt(r).
    Cell (i, j) is centred at ((j + 0.5) stride, (i + 0.5) stride) in image pixels.

    Returns:
        (feat_h * feat_w * A, 4) xyxy, ordered cell by cell (row-major), A anchors per cell.
    """
    H, W, s = check_int(feat_h, "feat_h", 1), check_int(feat_w, "feat_w", 1), check_int(stride, "stride", 1)
    sz, r = np.asarray(sizes, dtype=np.float64), np.asarray(ratios, dtype=np.float64)
    if sz.ndim != 1 or len(sz) == 0 or (sz <= 0).any():
        raise ValueError(f"sizes must be positive numbers, got {sizes!r}")
    if r.ndim != 1 or len(r) == 0 or (r <= 0).any():
        raise ValueError(f"ratios must be positive numbers, got {ratios!r}")
    ws = (sz[:, None] / np.sqrt(r[None, :])).ravel()  # (A,)
    hs = (sz[:, None] * np.sqrt(r[None, :])).ravel()  # (A,)
    base = np.stack([-ws / 2, -hs / 2, ws / 2, hs / 2], axis=1)  # (A, 4) 以原点为中心
    cy, cx = np.meshgrid((np.arange(H) + 0.5) * s, (np.arange(W) + 0.5) * s, indexing="ij")
    shifts = np.stack([cx, cy, cx, cy], axis=-1).reshape(-1, 1, 4)  # (H*W, 1, 4)
    return (shifts + base[None]).reshape(-1, 4)
# --8<-- [end:anchors]


# --8<-- [start:match]
def match_anchors(anchors: np.ndarray, gt: np.ndarray, high: float = 0.7, low: float = 0.3,
                  allow_low_quality: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Label anchors as in Faster R-CNN's RPN: 1 positive, 0 negative, -1 ignored.

    Positive: IoU >= high with some gt, or (allow_low_quality) the anchor with the highest IoU for
    a gt (ties included), so that every gt gets at least one anchor. Negative: max IoU < low.

    Returns:
        labels (N,) in {1, 0, -1}, and matched (N,): the gt index of each anchor (-1 if none).
    """
    a, g = check_boxes(anchors, "anchors"), check_boxes(gt, "gt")
    if not 0 <= low <= high <= 1:
        raise ValueError(f"need 0 <= low <= high <= 1, got low={low!r}, high={high!r}")
    labels = np.full(len(a), -1, dtype=np.int64)
    matched = np.full(len(a), -1, dtype=np.int64)
    if len(g) == 0:
        labels[:] = 0  # 没有目标: 全是负样本
        return labels, matched
    iou = box_iou(a, g)  # (N, G)
    best_gt, best_iou = iou.argmax(axis=1), iou.max(axis=1)
    labels[best_iou < low] = 0
    pos = best_iou >= high
    if allow_low_quality:
        per_gt_best = iou.max(axis=0)  # (G,)
        hit = (iou == per_gt_best[None, :]) & (per_gt_best[None, :] > 0)  # (N, G), 并列的都算
        pos |= hit.any(axis=1)
    labels[pos] = 1
    matched[pos] = best_gt[pos]
    return labels, matched
# --8<-- [end:match]

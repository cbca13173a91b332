"""Box formats and the IoU family (IoU, GIoU, DIoU, CIoU), pairwise and vectorised, in NumPy.

Boxes are rows (x1, y1, x2, y2) in continuous coordinates: width = x2 - x1 (no "+1"; the same
convention as torchvision and pycocotools' boxes after xywh -> xyxy).
"""

from __future__ import annotations

import numpy as np

from snippets._checks import check_boxes


# --8<-- [start:convert]
def xyxy_to_cxcywh(boxes: np.ndarray) -> np.ndarray:
    """(x1, y1, x2, y2) -> (cx, cy, w, h); boxes (N, 4) -> (N, 4)."""
    b = check_boxes(boxes, "boxes")
    x1, y1, x2, y2 = b.T
    return np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], axis=1)


def cxcywh_to_xyxy(boxes: np.ndarray) -> np.ndarray:
    """(cx, cy, w, h) -> (x1, y1, x2, y2); boxes (N, 4) -> (N, 4)."""
    if not isinstance(boxes, np.ndarray) or boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f"boxes must be an array of shape (N, 4), got {getattr(boxes, 'shape', type(boxes))}")
    if (boxes[:, 2:] < 0).any() or not np.isfinite(boxes).all():
        raise ValueError("boxes must be finite with w, h >= 0")
    cx, cy, w, h = boxes.astype(np.float64).T
    return np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
# --8<-- [end:convert]


def box_area(boxes: np.ndarray) -> np.ndarray:
    """Areas (N,) of boxes (N, 4)."""
    b = check_boxes(boxes, "boxes")
    return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])


def _safe_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den where den > 0, else 0 (two empty boxes overlap by 0, not NaN)."""
    out = np.zeros(np.broadcast_shapes(num.shape, den.shape))
    np.divide(num, den, out=out, where=den > 0)
    return out


# --8<-- [start:iou]
def _inter_union(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Intersection and union areas for every pair: a (N, 4), b (M, 4) -> two (N, M)."""
    lt = np.maximum(a[:, None, :2], b[None, :, :2])  # (N, M, 2) 交集的左上角
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])  # (N, M, 2) 交集的右下角
    wh = np.clip(rb - lt, 0, None)  # 不相交时宽或高截为 0
    inter = wh[..., 0] * wh[..., 1]
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    return inter, union


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU = |A ∩ B| / |A ∪ B| for every pair; a (N, 4), b (M, 4) -> (N, M)."""
    a, b = check_boxes(a, "a"), check_boxes(b, "b")
    inter, union = _inter_union(a, b)
    return _safe_div(inter, union)
# --8<-- [end:iou]


def _enclosing(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Width and height (N, M) of the smallest box enclosing each pair."""
    lt = np.minimum(a[:, None, :2], b[None, :, :2])
    rb = np.maximum(a[:, None, 2:], b[None, :, 2:])
    wh = rb - lt
    return wh[..., 0], wh[..., 1]


# --8<-- [start:giou]
def generalized_box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """GIoU = IoU - |C minus (A ∪ B)| / |C|, C the smallest enclosing box; (N, 4), (M, 4) -> (N, M)."""
    a, b = check_boxes(a, "a"), check_boxes(b, "b")
    inter, union = _inter_union(a, b)
    cw, ch = _enclosing(a, b)
    area_c = cw * ch
    return _safe_div(inter, union) - _safe_div(area_c - union, area_c)


def distance_box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """DIoU = IoU - rho^2 / c^2: rho the distance of the centres, c the diagonal of C."""
    a, b = check_boxes(a, "a"), check_boxes(b, "b")
    inter, union = _inter_union(a, b)
    cw, ch = _enclosing(a, b)
    ca, cb = (a[:, :2] + a[:, 2:]) / 2, (b[:, :2] + b[:, 2:]) / 2
    rho2 = ((ca[:, None, :] - cb[None, :, :]) ** 2).sum(-1)  # (N, M)
    return _safe_div(inter, union) - _safe_div(rho2, cw**2 + ch**2)


def complete_box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """CIoU = DIoU - alpha v, v = 4/pi^2 (atan(w_b/h_b) - atan(w_a/h_a))^2, alpha = v / (1 - IoU + v)."""
    a, b = check_boxes(a, "a"), check_boxes(b, "b")
    if (a[:, 3] <= a[:, 1]).any() or (b[:, 3] <= b[:, 1]).any():
        raise ValueError("a and b need positive heights for CIoU's aspect term w / h")
    iou = box_iou(a, b)
    diou = distance_box_iou(a, b)
    ra = np.arctan((a[:, 2] - a[:, 0]) / (a[:, 3] - a[:, 1]))  # (N,)
    rb = np.arctan((b[:, 2] - b[:, 0]) / (b[:, 3] - b[:, 1]))  # (M,)
    v = 4 / np.pi**2 * (rb[None, :] - ra[:, None]) ** 2
    alpha = _safe_div(v, 1 - iou + v)  # 论文中 alpha 在求梯度时视为常数
    return diou - alpha * v
# --8<-- [end:giou]

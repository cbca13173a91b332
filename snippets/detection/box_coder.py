"""Box regression: R-CNN's (tx, ty, tw, th) encoding with weights, decoding, and the regression losses."""

from __future__ import annotations

import math

import numpy as np

from snippets._checks import check_boxes
from snippets.detection.boxes import box_iou, generalized_box_iou, xyxy_to_cxcywh

# torchvision 的默认: exp(dw) 的参数上限, 防止一个大的 dw 让框溢出
BBOX_XFORM_CLIP = math.log(1000.0 / 16)


def _check_weights(weights: tuple[float, float, float, float]) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (4,) or not (w > 0).all():
        raise ValueError(f"weights must be 4 positive numbers, got {weights!r}")
    return w


# --8<-- [start:encode]
def encode(anchors: np.ndarray, gt: np.ndarray,
           weights: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)) -> np.ndarray:
    """Regression targets of gt relative to anchors (R-CNN, Girshick et al. 2014, appendix C).

    t_x = w_x (g_x - p_x) / p_w,  t_y = w_y (g_y - p_y) / p_h,
    t_w = w_w log(g_w / p_w),      t_h = w_h log(g_h / p_h).
    weights = 1 / variances: (10, 10, 5, 5) in torchvision's Faster R-CNN = SSD's (0.1, 0.1, 0.2, 0.2).

    Args:
        anchors: (N, 4) xyxy, positive widths and heights.
        gt: (N, 4) xyxy, the ground truth matched to each anchor.
    Returns:
        (N, 4) targets (t_x, t_y, t_w, t_h).
    """
    p, g = xyxy_to_cxcywh(anchors), xyxy_to_cxcywh(gt)
    if len(p) != len(g):
        raise ValueError(f"anchors and gt must have the same length, got {len(p)} and {len(g)}")
    if (p[:, 2:] <= 0).any() or (g[:, 2:] <= 0).any():
        raise ValueError("anchors and gt need positive widths and heights (log of the size ratio)")
    w = _check_weights(weights)
    t = np.empty_like(p)
    t[:, :2] = (g[:, :2] - p[:, :2]) / p[:, 2:]  # 中心的偏移以锚框的宽高为单位: 平移、缩放不变
    t[:, 2:] = np.log(g[:, 2:] / p[:, 2:])  # 宽高之比取对数: 放大 2 倍与缩小 2 倍对称
    return t * w


def decode(anchors: np.ndarray, t: np.ndarray,
           weights: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)) -> np.ndarray:
    """Inverse of encode: boxes (N, 4) xyxy from anchors (N, 4) and deltas t (N, 4)."""
    p = xyxy_to_cxcywh(anchors)
    if not isinstance(t, np.ndarray) or t.shape != p.shape or not np.isfinite(t).all():
        raise ValueError(f"t must be a finite array of shape {p.shape}")
    d = t / _check_weights(weights)
    dwh = np.minimum(d[:, 2:], BBOX_XFORM_CLIP)
    c = p[:, :2] + d[:, :2] * p[:, 2:]
    wh = p[:, 2:] * np.exp(dwh)
    return np.concatenate([c - wh / 2, c + wh / 2], axis=1)
# --8<-- [end:encode]


# --8<-- [start:losses]
def smooth_l1(x: np.ndarray, beta: float = 1.0) -> np.ndarray:
    """Elementwise Smooth L1 (Huber / beta): 0.5 x^2 / beta if |x| < beta else |x| - 0.5 beta.

    Fast R-CNN uses beta = 1; Faster R-CNN's RPN code writes it with sigma = 3, i.e. beta = 1 / sigma^2 = 1/9.
    """
    if not isinstance(beta, (int, float)) or beta <= 0:
        raise ValueError(f"beta must be > 0, got {beta!r}")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a float NumPy array")
    a = np.abs(x)
    return np.where(a < beta, 0.5 * x**2 / beta, a - 0.5 * beta)


def iou_loss(pred: np.ndarray, target: np.ndarray, kind: str = "giou") -> np.ndarray:
    """1 - IoU or 1 - GIoU of each predicted box with its own target; (N, 4), (N, 4) -> (N,)."""
    pred, target = check_boxes(pred, "pred"), check_boxes(target, "target")
    if len(pred) != len(target):
        raise ValueError(f"pred and target must have the same length, got {len(pred)} and {len(target)}")
    if kind not in ("iou", "giou"):
        raise ValueError(f"kind must be 'iou' or 'giou', got {kind!r}")
    fn = box_iou if kind == "iou" else generalized_box_iou
    return np.array([1 - fn(p[None], g[None])[0, 0] for p, g in zip(pred, target, strict=True)])
# --8<-- [end:losses]

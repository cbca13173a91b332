"""Segmentation metrics from a confusion matrix: pixel accuracy, IoU, mIoU, FWIoU, Dice (NumPy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from snippets._checks import check_int


def _check_labels(y: object, name: str) -> np.ndarray:
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{name} must be an integer NumPy array, got {type(y).__name__}")
    return y


# --8<-- [start:confusion]
def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int,
                     ignore_index: int = 255) -> np.ndarray:
    """Counts C[i, j] = number of pixels of true class i predicted as class j.

    Args:
        y_true: (...) integer labels in [0, K) or ignore_index (e.g. (N, H, W)).
        y_pred: (...) integer predictions in [0, K), same shape.
    Returns:
        (K, K) int64; pixels whose label is ignore_index are not counted.
    """
    K = check_int(num_classes, "num_classes", 1)
    t, p = _check_labels(y_true, "y_true"), _check_labels(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"y_pred must have the shape of y_true {t.shape}, got {p.shape}")
    keep = t != ignore_index  # 标注为 255 的像素(边界、无法判断)不参与统计
    t, p = t[keep].astype(np.int64), p[keep].astype(np.int64)
    if t.size and (t.min() < 0 or t.max() >= K):
        raise ValueError(f"y_true must hold labels in [0, {K}) or ignore_index={ignore_index}")
    if p.size and (p.min() < 0 or p.max() >= K):
        raise ValueError(f"y_pred must hold labels in [0, {K})")
    # 把 (真值, 预测) 编码成一个整数 K*t + p, 一次 bincount 数完所有格子
    return np.bincount(K * t + p, minlength=K * K).reshape(K, K)
# --8<-- [end:confusion]


@dataclass(frozen=True)
class SegScores:
    """Scores of one confusion matrix; a class with an empty union has IoU and Dice NaN."""

    pixel_acc: float
    iou: np.ndarray  # (K,)
    miou: float
    fwiou: float
    dice: np.ndarray  # (K,)
    mdice: float


def _check_cm(cm: object) -> np.ndarray:
    if not isinstance(cm, np.ndarray) or not np.issubdtype(cm.dtype, np.integer):
        raise TypeError(f"cm must be an integer NumPy array, got {type(cm).__name__}")
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or (cm < 0).any() or cm.sum() == 0:
        raise ValueError(f"cm must be a square non-negative matrix with at least one pixel, got shape {cm.shape}")
    return cm


# --8<-- [start:scores]
def seg_scores(cm: np.ndarray) -> SegScores:
    """Pixel accuracy, per-class IoU and Dice, their means over classes present, frequency-weighted IoU."""
    cm = _check_cm(cm).astype(np.float64)
    tp = np.diag(cm)                 # (K,) 对角线: 预测对的像素
    gt, pred = cm.sum(1), cm.sum(0)  # (K,) 每类真值像素数 (TP+FN), 预测像素数 (TP+FP)
    union = gt + pred - tp           # TP + FP + FN
    with np.errstate(invalid="ignore", divide="ignore"):
        iou = tp / union             # 并集为空 (这类既没出现也没被预测) -> NaN, 不进平均
        dice = 2 * tp / (gt + pred)
    present = union > 0
    freq = gt / gt.sum()
    return SegScores(
        pixel_acc=float(tp.sum() / cm.sum()),
        iou=iou, miou=float(iou[present].mean()),
        fwiou=float((freq[present] * iou[present]).sum()),
        dice=dice, mdice=float(dice[present].mean()),
    )
# --8<-- [end:scores]


# --8<-- [start:dataset]
def dataset_miou(y_true: Sequence[np.ndarray], y_pred: Sequence[np.ndarray], num_classes: int,
                 ignore_index: int = 255) -> tuple[float, float]:
    """mIoU over a data set two ways: (one confusion matrix summed over all images, mean of per-image mIoU)."""
    if len(y_true) != len(y_pred) or len(y_true) == 0:
        raise ValueError("y_true and y_pred must be non-empty sequences of the same length")
    cms = [confusion_matrix(t, p, num_classes, ignore_index) for t, p in zip(y_true, y_pred, strict=True)]
    accumulated = seg_scores(np.sum(cms, axis=0)).miou   # 标准做法 (VOC、Cityscapes): 先累加再除
    per_image = float(np.mean([seg_scores(c).miou for c in cms]))
    return accumulated, per_image
# --8<-- [end:dataset]


def dice_from_iou(iou: np.ndarray | float) -> np.ndarray:
    """Dice = 2 IoU / (1 + IoU), per class (same TP, FP, FN); NaN (a class with an empty union) stays NaN."""
    x = np.asarray(iou, dtype=np.float64)
    if not np.all(((x >= 0) & (x <= 1)) | np.isnan(x)):
        raise ValueError("iou must be in [0, 1] or NaN")
    return 2 * x / (1 + x)


def disc_mask(size: int, radius: float, center: tuple[float, float] | None = None) -> np.ndarray:
    """(size, size) bool mask of pixels whose centre lies within `radius` of `center` (default: image centre)."""
    check_int(size, "size", 1)
    if not radius > 0:
        raise ValueError(f"radius must be > 0, got {radius!r}")
    cy, cx = center if center is not None else (size / 2, size / 2)
    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    return (yy - cy) ** 2 + (xx - cx) ** 2 <= radius**2

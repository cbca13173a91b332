"""Average precision: matching detections to ground truth, precision-recall, three AP conventions, mAP."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snippets._checks import check_boxes
from snippets.detection.boxes import box_iou


@dataclass(frozen=True)
class Image:
    """Ground truth and detections of one image; labels are class indices."""

    gt_boxes: np.ndarray  # (G, 4) xyxy
    gt_labels: np.ndarray  # (G,)
    boxes: np.ndarray  # (D, 4) xyxy
    scores: np.ndarray  # (D,)
    labels: np.ndarray  # (D,)


# --8<-- [start:match]
def match_image(boxes: np.ndarray, scores: np.ndarray, gt_boxes: np.ndarray, iou_threshold: float) -> np.ndarray:
    """COCO's greedy matching for one image and class: which detections are true positives.

    Detections are visited by decreasing score; each takes the still unmatched ground truth with the
    highest IoU, if that IoU >= iou_threshold. A second detection of a matched object is a false positive.
    Returns tp (D,) bool, in the order of the input.
    """
    b, g = check_boxes(boxes, "boxes"), check_boxes(gt_boxes, "gt_boxes")
    if not isinstance(scores, np.ndarray) or scores.shape != (len(b),):
        raise ValueError(f"scores must have shape ({len(b)},)")
    iou = box_iou(b, g)  # (D, G)
    taken = np.zeros(len(g), dtype=bool)
    tp = np.zeros(len(b), dtype=bool)
    for d in np.argsort(-scores, kind="stable"):
        cand = np.where(taken, -1.0, iou[d])  # 已被更高分检测占用的真值不再参与
        if len(g) and cand.max() >= iou_threshold:
            j = int(cand.argmax())
            taken[j], tp[d] = True, True
    return tp
# --8<-- [end:match]


# --8<-- [start:pr]
def precision_recall(tp: np.ndarray, scores: np.ndarray, n_gt: int) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall after each detection, all images pooled and sorted by score; (D,) -> two (D,)."""
    if not isinstance(tp, np.ndarray) or tp.dtype != bool:
        raise ValueError("tp must be a bool array")
    if not isinstance(scores, np.ndarray) or tp.shape != scores.shape:
        raise ValueError("scores must be an array with the shape of tp")
    if isinstance(n_gt, bool) or not isinstance(n_gt, (int, np.integer)) or n_gt < 1:
        raise ValueError(f"n_gt must be an int >= 1, got {n_gt!r}")
    order = np.argsort(-scores, kind="stable")
    ctp = np.cumsum(tp[order])
    cfp = np.cumsum(~tp[order])
    return ctp / (ctp + cfp), ctp / n_gt
# --8<-- [end:pr]


# --8<-- [start:ap]
def average_precision(precision: np.ndarray, recall: np.ndarray, method: str = "coco") -> float:
    """Area under the precision-recall curve, by one of three conventions.

    voc07: mean over r in {0, 0.1, ..., 1} of the best precision at recall >= r (11 points).
    voc10: exact area under the monotone envelope p_interp(r) = max_{r' >= r} p(r') (all points).
    coco:  like voc07 with r in {0, 0.01, ..., 1} (101 points), reading the envelope at the first
           detection whose recall reaches r.
    """
    if method not in ("voc07", "voc10", "coco"):
        raise ValueError(f"method must be 'voc07', 'voc10' or 'coco', got {method!r}")
    if not isinstance(precision, np.ndarray) or not isinstance(recall, np.ndarray) or precision.shape != recall.shape:
        raise ValueError("precision and recall must be arrays of the same shape")
    if len(recall) == 0:
        return 0.0
    env = np.maximum.accumulate(precision[::-1])[::-1]  # 右侧的最大精度: 包络线单调不增
    if method == "voc07":
        return float(np.mean([env[recall >= t].max() if (recall >= t).any() else 0.0
                              for t in np.arange(0.0, 1.1, 0.1)]))  # 与 VOC devkit 相同的 11 个阈值
    if method == "voc10":
        r = np.concatenate([[0.0], recall])
        return float(np.sum((r[1:] - r[:-1]) * env))
    idx = np.searchsorted(recall, np.linspace(0, 1, 101), side="left")  # 第一个 recall >= r 的检测
    return float(np.mean(np.where(idx < len(env), env[np.minimum(idx, len(env) - 1)], 0.0)))
# --8<-- [end:ap]


# --8<-- [start:map]
def mean_ap(images: list[Image], iou_thresholds: tuple[float, ...] = (0.5,), method: str = "coco") -> float:
    """mAP: AP per class (classes with ground truth) and per IoU threshold, then the mean of all.

    iou_thresholds=(0.5,) gives mAP@0.5; np.arange(0.5, 0.96, 0.05) gives COCO's mAP@[.5:.95].
    """
    if not images or not all(isinstance(im, Image) for im in images):
        raise ValueError("images must be a non-empty list of Image")
    classes = np.unique(np.concatenate([im.gt_labels for im in images]))
    aps = []
    for t in iou_thresholds:
        for c in classes:
            tps, scs, n_gt = [], [], 0
            for im in images:
                d, g = im.labels == c, im.gt_labels == c
                tps.append(match_image(im.boxes[d], im.scores[d], im.gt_boxes[g], t))
                scs.append(im.scores[d])
                n_gt += int(g.sum())
            p, r = precision_recall(np.concatenate(tps), np.concatenate(scs), n_gt)
            aps.append(average_precision(p, r, method))
    return float(np.mean(aps))
# --8<-- [end:map]

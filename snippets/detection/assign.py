"""Sample assignment: ATSS (adaptive IoU threshold per object) and DETR's one-to-one Hungarian matching."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from snippets._checks import check_boxes, check_int
from snippets.detection.boxes import box_iou, cxcywh_to_xyxy, generalized_box_iou


# --8<-- [start:atss]
def atss_candidates(anchors: np.ndarray, num_per_level: tuple[int, ...], gt: np.ndarray, topk: int = 9) -> np.ndarray:
    """Indices (k L, G) of each gt's candidates: on every level, the topk anchors with the closest centres."""
    a, g = check_boxes(anchors, "anchors"), check_boxes(gt, "gt")
    k = check_int(topk, "topk", 1)
    if sum(num_per_level) != len(a) or any(n < 1 for n in num_per_level):
        raise ValueError(f"num_per_level must be positive counts summing to {len(a)}, got {num_per_level!r}")
    ca, cg = (a[:, :2] + a[:, 2:]) / 2, (g[:, :2] + g[:, 2:]) / 2
    dist = np.linalg.norm(ca[:, None, :] - cg[None, :, :], axis=-1)  # (A, G)
    cand, start = [], 0
    for n in num_per_level:  # 每层按中心距离取最近的 k 个
        idx = np.argsort(dist[start:start + n], axis=0, kind="stable")[:min(k, n)]  # (k, G)
        cand.append(idx + start)
        start += n
    return np.concatenate(cand)


def atss_assign(anchors: np.ndarray, num_per_level: tuple[int, ...], gt: np.ndarray,
                topk: int = 9) -> tuple[np.ndarray, np.ndarray]:
    """ATSS (Zhang et al. 2020, algorithm 1): the gt index of each anchor (A,), -1 for a negative.

    For each gt: the candidates above; threshold t_g = mean + std of the candidates' IoUs;
    positives are candidates with IoU >= t_g whose centre lies inside the gt. An anchor positive
    for several gts takes the one with the highest IoU.

    Args:
        anchors: (A, 4) xyxy, concatenated level by level.
        num_per_level: anchors on each level, summing to A.
        gt: (G, 4) xyxy.
    Returns:
        matched (A,) and the thresholds t_g (G,).
    """
    cand_idx = atss_candidates(anchors, num_per_level, gt, topk)  # (k L, G)
    a, g = anchors.astype(np.float64), gt.astype(np.float64)
    iou = box_iou(a, g)  # (A, G)
    cand_iou = np.take_along_axis(iou, cand_idx, axis=0)  # (k L, G)
    thr = cand_iou.mean(axis=0) + cand_iou.std(axis=0, ddof=1)  # 官方代码用 torch 的 std(): 无偏估计
    ca = (a[:, :2] + a[:, 2:]) / 2
    cx, cy = ca[cand_idx, 0], ca[cand_idx, 1]  # (k L, G)
    inside = (cx > g[:, 0]) & (cx < g[:, 2]) & (cy > g[:, 1]) & (cy < g[:, 3])
    pos = (cand_iou >= thr) & inside  # (k L, G)
    score = np.full(iou.shape, -np.inf)  # 只有选中的 (锚框, 真值) 对参与比较
    cols = np.broadcast_to(np.arange(len(g)), cand_idx.shape)
    score[cand_idx[pos], cols[pos]] = iou[cand_idx[pos], cols[pos]]
    matched = np.where(np.isfinite(score).any(axis=1), score.argmax(axis=1) if len(g) else -1, -1)
    return matched, thr
# --8<-- [end:atss]


# --8<-- [start:cost]
def matching_cost(prob: np.ndarray, pred_boxes: np.ndarray, gt_labels: np.ndarray, gt_boxes: np.ndarray,
                  w_class: float = 1.0, w_l1: float = 5.0, w_giou: float = 2.0) -> np.ndarray:
    """DETR's pairwise matching cost (Carion et al. 2020): (Q, G).

    C[i, j] = -w_class p_i(c_j) + w_l1 |b_i - b_j|_1 - w_giou GIoU(b_i, b_j), with probabilities (not
    log-probabilities) and boxes as normalised (cx, cy, w, h); the weights are DETR's code defaults.

    Args:
        prob: (Q, K + 1) class probabilities of the Q predictions, the last column "no object".
        pred_boxes: (Q, 4) cxcywh.  gt_labels: (G,) in [0, K).  gt_boxes: (G, 4) cxcywh.
    """
    if not isinstance(prob, np.ndarray) or prob.ndim != 2 or not np.allclose(prob.sum(axis=1), 1):
        raise ValueError("prob must be an array (Q, K + 1) whose rows sum to 1")
    Q, K1 = prob.shape
    if not isinstance(gt_labels, np.ndarray) or not np.issubdtype(gt_labels.dtype, np.integer) \
            or gt_labels.ndim != 1 or ((gt_labels < 0) | (gt_labels >= K1 - 1)).any():
        raise ValueError(f"gt_labels must be integers in [0, {K1 - 1})")
    pb, gb = cxcywh_to_xyxy(pred_boxes), cxcywh_to_xyxy(gt_boxes)
    if len(pb) != Q or len(gb) != len(gt_labels):
        raise ValueError("pred_boxes must have Q rows and gt_boxes one row per label")
    cost_class = -prob[:, gt_labels]  # (Q, G)
    cost_l1 = np.abs(pred_boxes[:, None, :] - gt_boxes[None, :, :]).sum(-1)  # (Q, G)
    cost_giou = -generalized_box_iou(pb, gb)  # (Q, G)
    return w_class * cost_class + w_l1 * cost_l1 + w_giou * cost_giou


def hungarian_match(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The one-to-one assignment of minimum total cost: (pred_idx, gt_idx), each of length min(Q, G)."""
    if not isinstance(cost, np.ndarray) or cost.ndim != 2 or not np.isfinite(cost).all():
        raise ValueError("cost must be a finite 2-D array (Q, G)")
    rows, cols = linear_sum_assignment(cost)  # 匈牙利算法 (scipy 用的是 Jonker-Volgenant 的变体)
    return rows.astype(np.int64), cols.astype(np.int64)
# --8<-- [end:cost]

"""Pieces of the YOLO series: v2's anchor clustering (k-means, 1 - IoU) and decoding, v8's task-aligned assignment."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_boxes, check_int


def _check_wh(wh: np.ndarray, name: str) -> np.ndarray:
    if not isinstance(wh, np.ndarray) or wh.ndim != 2 or wh.shape[1] != 2 or not np.isfinite(wh).all():
        raise ValueError(f"{name} must be a finite array of shape (N, 2)")
    if (wh <= 0).any():
        raise ValueError(f"{name} must hold positive widths and heights")
    return wh.astype(np.float64)


# --8<-- [start:kmeans]
def wh_iou(wh: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """IoU of boxes and centroids placed at the same centre, from sizes alone; (N, 2), (K, 2) -> (N, K)."""
    wh, c = _check_wh(wh, "wh"), _check_wh(centroids, "centroids")
    inter = np.minimum(wh[:, None, 0], c[None, :, 0]) * np.minimum(wh[:, None, 1], c[None, :, 1])
    return inter / (wh.prod(1)[:, None] + c.prod(1)[None, :] - inter)


def kmeans_anchors(wh: np.ndarray, k: int, rng: np.random.Generator, iters: int = 100,
                   distance: str = "iou") -> tuple[np.ndarray, float]:
    """YOLOv2's dimension clusters: k-means on box sizes with d(box, centroid) = 1 - IoU(box, centroid).

    distance="euclidean" is plain k-means on (w, h), for comparison: there big boxes make bigger
    errors than small ones and pull the centroids; 1 - IoU is scale-free.
    Returns:
        centroids (k, 2) sorted by area, and the mean over boxes of the best IoU with a centroid.
    """
    wh = _check_wh(wh, "wh")
    K, T = check_int(k, "k", 1), check_int(iters, "iters", 1)
    if K > len(wh):
        raise ValueError(f"k must be at most the number of boxes ({len(wh)}), got {k}")
    if distance not in ("iou", "euclidean"):
        raise ValueError(f"distance must be 'iou' or 'euclidean', got {distance!r}")
    c = wh[rng.choice(len(wh), K, replace=False)]
    for _ in range(T):
        if distance == "iou":
            assign = wh_iou(wh, c).argmax(axis=1)  # 最近 = IoU 最大 = 1 - IoU 最小
        else:
            assign = ((wh[:, None, :] - c[None, :, :]) ** 2).sum(-1).argmin(axis=1)
        new = np.array([wh[assign == j].mean(axis=0) if (assign == j).any() else c[j] for j in range(K)])
        if np.allclose(new, c, rtol=0, atol=1e-12):
            break
        c = new
    c = c[np.argsort(c.prod(axis=1))]
    return c, float(wh_iou(wh, c).max(axis=1).mean())
# --8<-- [end:kmeans]


# --8<-- [start:decode]
def yolov2_decode(t: np.ndarray, anchors_wh: np.ndarray, stride: float) -> np.ndarray:
    """YOLOv2's direct location prediction on an (H, W) grid with A anchors per cell.

    b_x = (sigmoid(t_x) + c_x) * stride, b_w = p_w exp(t_w): the centre cannot leave its cell.

    Args:
        t: (H, W, A, 4) raw outputs (t_x, t_y, t_w, t_h).
        anchors_wh: (A, 2) anchor sizes in pixels.
    Returns:
        (H, W, A, 4) boxes in (cx, cy, w, h), pixels.
    """
    p = _check_wh(anchors_wh, "anchors_wh")
    if not isinstance(t, np.ndarray) or t.ndim != 4 or t.shape[2:] != (len(p), 4):
        raise ValueError(f"t must have shape (H, W, {len(p)}, 4)")
    if not stride > 0:
        raise ValueError(f"stride must be > 0, got {stride!r}")
    H, W = t.shape[:2]
    cy, cx = np.meshgrid(np.arange(H), np.arange(W), indexing="ij")  # 格子左上角的下标 (c_x, c_y)
    sig = 1 / (1 + np.exp(-t[..., :2]))
    bx = (sig[..., 0] + cx[..., None]) * stride
    by = (sig[..., 1] + cy[..., None]) * stride
    bw, bh = p[:, 0] * np.exp(t[..., 2]), p[:, 1] * np.exp(t[..., 3])
    return np.stack([bx, by, bw, bh], axis=-1)
# --8<-- [end:decode]


# --8<-- [start:tal]
def task_aligned_assign(points: np.ndarray, scores: np.ndarray, pred_boxes: np.ndarray, gt_boxes: np.ndarray,
                        gt_labels: np.ndarray, topk: int = 10, alpha: float = 0.5,
                        beta: float = 6.0) -> np.ndarray:
    """Task-aligned assignment (TOOD; YOLOv8's code uses topk=10, alpha=0.5, beta=6).

    For each gt, among the anchor points inside it, the topk by t = s^alpha * u^beta are positive:
    s = predicted score of the gt's class, u = IoU of the predicted box with the gt. A point claimed
    by several gts goes to the one its predicted box overlaps most.

    Args:
        points: (P, 2) anchor-point centres; scores: (P, K) class scores in [0, 1];
        pred_boxes: (P, 4) xyxy; gt_boxes: (G, 4); gt_labels: (G,).
    Returns:
        (P,) the gt index of each point, -1 for background.
    """
    from snippets.detection.boxes import box_iou

    pb, gb = check_boxes(pred_boxes, "pred_boxes"), check_boxes(gt_boxes, "gt_boxes")
    P, G = len(pb), len(gb)
    if points.shape != (P, 2) or scores.ndim != 2 or len(scores) != P or gt_labels.shape != (G,):
        raise ValueError("points (P, 2), scores (P, K) and gt_labels (G,) must agree with the boxes")
    k = check_int(topk, "topk", 1)
    u = box_iou(pb, gb)  # (P, G)
    s = scores[:, gt_labels]  # (P, G): 每个点对每个真值类别的分数
    t = s**alpha * u**beta
    inside = ((points[:, None, 0] > gb[None, :, 0]) & (points[:, None, 0] < gb[None, :, 2])
              & (points[:, None, 1] > gb[None, :, 1]) & (points[:, None, 1] < gb[None, :, 3]))
    t = np.where(inside, t, -1.0)
    pos = np.zeros((P, G), dtype=bool)
    for g in range(G):
        cand = np.argsort(-t[:, g], kind="stable")[:k]
        pos[cand[t[cand, g] > 0], g] = True  # 只在框内、且对齐度 > 0 的点里取
    assigned = np.where(pos.any(axis=1), np.where(pos, u, -1.0).argmax(axis=1), -1)
    return assigned
# --8<-- [end:tal]

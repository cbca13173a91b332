"""Panoptic quality (Kirillov et al., CVPR 2019) from scratch: segments, IoU > 0.5 matching, PQ = SQ x RQ.

A panoptic map is a pair of integer maps of shape (H, W): ``sem`` holds each pixel's class and ``inst``
its instance id (0 for "stuff" pixels, which have no instances). A segment is one (class, id) pair.
Void/crowd regions of the COCO tool are left out here (see the page).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snippets._checks import check_int


def _check_map(sem: object, inst: object, name: str) -> tuple[np.ndarray, np.ndarray]:
    for arr, part in ((sem, "sem"), (inst, "inst")):
        if not isinstance(arr, np.ndarray) or not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(f"{name}_{part} must be an integer NumPy array, got {type(arr).__name__}")
        if arr.ndim != 2:
            raise ValueError(f"{name}_{part} must have shape (H, W), got {arr.shape}")
    assert isinstance(sem, np.ndarray) and isinstance(inst, np.ndarray)
    if sem.shape != inst.shape:
        raise ValueError(f"{name}_sem and {name}_inst must have the same shape, got {sem.shape} and {inst.shape}")
    if sem.size == 0:
        raise ValueError(f"{name}_sem must not be empty")
    if (sem < 0).any() or (inst < 0).any():
        raise ValueError(f"{name}_sem and {name}_inst must be >= 0")
    return sem, inst


def segments(sem: np.ndarray, inst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split a panoptic map into segments: labels (S,) and boolean masks (S, H, W), one per (class, id)."""
    sem, inst = _check_map(sem, inst, "map")
    pairs = np.unique(np.stack([sem.ravel(), inst.ravel()], axis=1), axis=0)  # (S, 2), 排好序的 (类别, 实例号)
    masks = np.stack([(sem == c) & (inst == i) for c, i in pairs]) if len(pairs) else np.zeros((0, *sem.shape), bool)
    return pairs[:, 0], masks


def _check_classes(num_classes: int, *maps: np.ndarray) -> int:
    """Require num_classes >= 1 and every class id in the maps below it."""
    K = check_int(num_classes, "num_classes", 1)
    for m in maps:
        if m.size and m.max() >= K:
            raise ValueError(f"class ids must be < num_classes={K}, got {int(m.max())}")
    return K


@dataclass(frozen=True)
class PQResult:
    """Per-class counts and the averaged PQ, SQ, RQ (over classes with TP + FP + FN > 0)."""

    tp: np.ndarray  # (K,) int
    fp: np.ndarray  # (K,) int
    fn: np.ndarray  # (K,) int
    iou_sum: np.ndarray  # (K,) 匹配上的段的 IoU 之和
    pq: float
    sq: float
    rq: float


# --8<-- [start:pq]
def mask_iou(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Pairwise IoU of boolean masks A (n, H, W) and B (m, H, W) -> (n, m)."""
    for M, name in ((A, "A"), (B, "B")):
        if not isinstance(M, np.ndarray) or M.dtype != bool or M.ndim != 3:
            raise TypeError(f"{name} must be a boolean NumPy array of shape (n, H, W), got {type(M).__name__}")
    if A.shape[1:] != B.shape[1:]:
        raise ValueError(f"A and B must have the same (H, W), got {A.shape[1:]} and {B.shape[1:]}")
    a = A.reshape(len(A), -1).astype(np.float64)  # (n, HW)
    b = B.reshape(len(B), -1).astype(np.float64)  # (m, HW)
    inter = a @ b.T  # (n, m)
    union = a.sum(1)[:, None] + b.sum(1)[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def panoptic_quality(gt_sem: np.ndarray, gt_inst: np.ndarray, pred_sem: np.ndarray, pred_inst: np.ndarray,
                     num_classes: int) -> PQResult:
    """PQ, SQ, RQ of a predicted panoptic map against the ground truth, both (H, W) pairs of int maps."""
    gl, gm = segments(gt_sem, gt_inst)
    pl, pm = segments(pred_sem, pred_inst)
    K = _check_classes(num_classes, gt_sem, pred_sem)
    tp, fp, fn, iou_sum = np.zeros(K, int), np.zeros(K, int), np.zeros(K, int), np.zeros(K)
    iou = mask_iou(gm, pm)  # (G, P)
    # 同类且 IoU > 0.5 即为匹配; 段互不重叠, 所以这样的配对至多一个, 不需要匈牙利算法
    match = (iou > 0.5) & (gl[:, None] == pl[None, :])
    for c in range(K):
        g, p = gl == c, pl == c
        tp[c] = match[g][:, p].sum()
        iou_sum[c] = iou[g][:, p][match[g][:, p]].sum()
        fn[c] = g.sum() - tp[c]  # 没有被匹配的真值段
        fp[c] = p.sum() - tp[c]  # 没有被匹配的预测段
    seen = (tp + fp + fn) > 0  # 图中和预测里都没有的类别不参与平均
    denom = tp + 0.5 * fp + 0.5 * fn
    pq_c = np.divide(iou_sum, denom, out=np.zeros(K), where=denom > 0)
    sq_c = np.divide(iou_sum, tp, out=np.zeros(K), where=tp > 0)  # 与 panopticapi 相同: 无 TP 时 SQ 记 0
    rq_c = np.divide(tp, denom, out=np.zeros(K), where=denom > 0)
    return PQResult(tp, fp, fn, iou_sum, float(pq_c[seen].mean()), float(sq_c[seen].mean()),
                    float(rq_c[seen].mean()))
# --8<-- [end:pq]

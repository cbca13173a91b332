"""Faster R-CNN's Region Proposal Network: anchor sampling, the two-term loss, and proposals from its outputs."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_boxes, check_int
from snippets.detection.box_coder import decode, smooth_l1
from snippets.detection.nms import nms


# --8<-- [start:sample]
def sample_anchors(labels: np.ndarray, rng: np.random.Generator, batch_size: int = 256,
                   positive_fraction: float = 0.5) -> np.ndarray:
    """Pick the anchors the loss sees: at most batch_size * positive_fraction positives, the rest negatives.

    Args:
        labels: (A,) in {1, 0, -1} from match_anchors.
    Returns:
        sampled (A,) bool; anchors labelled -1 are never sampled.
    """
    if not isinstance(labels, np.ndarray) or labels.ndim != 1 or not np.isin(labels, (-1, 0, 1)).all():
        raise ValueError("labels must be a 1-D array with values in {-1, 0, 1}")
    B = check_int(batch_size, "batch_size", 1)
    if not 0 < positive_fraction <= 1:
        raise ValueError(f"positive_fraction must be in (0, 1], got {positive_fraction!r}")
    pos, neg = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    n_pos = min(len(pos), int(B * positive_fraction))  # 正样本不够时用负样本补足
    n_neg = min(len(neg), B - n_pos)
    sampled = np.zeros(len(labels), dtype=bool)
    sampled[rng.choice(pos, n_pos, replace=False)] = True
    sampled[rng.choice(neg, n_neg, replace=False)] = True
    return sampled
# --8<-- [end:sample]


# --8<-- [start:loss]
def rpn_loss(logits: np.ndarray, deltas: np.ndarray, labels: np.ndarray, targets: np.ndarray,
             sampled: np.ndarray, lam: float = 10.0, n_reg: int | None = None,
             beta: float = 1.0 / 9) -> tuple[float, float]:
    """The RPN loss of Ren et al. (2015), eq. (1): (1/N_cls) sum L_cls + lam (1/N_reg) sum p* L_reg.

    Args:
        logits: (A,) objectness logits (one sigmoid score per anchor).
        deltas: (A, 4) predicted t; targets: (A, 4) encoded gt of each anchor's match.
        labels: (A,) in {1, 0, -1}; sampled: (A,) bool, the mini-batch of anchors.
        lam: the balance weight lambda; n_reg: N_reg (the paper: number of anchor locations);
            None uses N_cls, as torchvision does (then lam = 1 is the usual choice).
    Returns:
        (classification term, lambda-weighted regression term); the loss is their sum.
        beta: Smooth L1 knee; the paper uses Fast R-CNN's beta = 1, its code and torchvision 1/9 (sigma = 3).
    """
    if not all(isinstance(v, np.ndarray) for v in (logits, deltas, labels, targets, sampled)):
        raise TypeError("logits, deltas, labels, targets and sampled must be NumPy arrays")
    if not lam >= 0:
        raise ValueError(f"lam must be >= 0, got {lam!r}")
    if n_reg is not None:
        check_int(n_reg, "n_reg", 1)
    A = len(labels)
    if logits.shape != (A,) or deltas.shape != (A, 4) or targets.shape != (A, 4) or sampled.shape != (A,):
        raise ValueError(f"logits (A,), deltas and targets (A, 4), sampled (A,) must agree with labels (A={A})")
    if sampled.dtype != bool or (labels[sampled] < 0).any():
        raise ValueError("sampled must be a bool mask that excludes ignored anchors (label -1)")
    n_cls = int(sampled.sum())
    if n_cls == 0:
        raise ValueError("sampled must select at least one anchor")
    y = labels[sampled].astype(np.float64)
    z = logits[sampled]
    # 二元交叉熵, 用 log(1 + e^z) 的稳定写法: max(z, 0) - z y + log(1 + e^{-|z|})
    bce = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    pos = sampled & (labels == 1)  # p_i^* = 1: 只有正样本有回归损失
    reg = smooth_l1(deltas[pos] - targets[pos], beta).sum()
    return float(bce.sum() / n_cls), float(lam * reg / (n_cls if n_reg is None else n_reg))
# --8<-- [end:loss]


# --8<-- [start:proposals]
def proposals(anchors: np.ndarray, logits: np.ndarray, deltas: np.ndarray, image_size: tuple[int, int],
              pre_nms_top_n: int = 2000, post_nms_top_n: int = 300, nms_thresh: float = 0.7,
              min_size: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    """From RPN outputs to proposals: top-k by score, decode, clip to the image, drop tiny boxes, NMS, top-k.

    Returns:
        boxes (K, 4) and their objectness logits (K,), by decreasing score.
    """
    a = check_boxes(anchors, "anchors")
    if logits.shape != (len(a),) or deltas.shape != (len(a), 4):
        raise ValueError(f"logits must be ({len(a)},) and deltas ({len(a)}, 4)")
    H, W = (check_int(v, "image_size", 1) for v in image_size)
    top = np.argsort(-logits, kind="stable")[: check_int(pre_nms_top_n, "pre_nms_top_n", 1)]
    boxes = decode(a[top], deltas[top])
    boxes[:, 0::2] = boxes[:, 0::2].clip(0, W)  # 裁到图像内
    boxes[:, 1::2] = boxes[:, 1::2].clip(0, H)
    big = ((boxes[:, 2] - boxes[:, 0]) >= min_size) & ((boxes[:, 3] - boxes[:, 1]) >= min_size)
    boxes, scores = boxes[big], logits[top][big]
    keep = nms(boxes, scores, nms_thresh)[: check_int(post_nms_top_n, "post_nms_top_n", 1)]
    return boxes[keep], scores[keep]
# --8<-- [end:proposals]

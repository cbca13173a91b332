"""A tiny one-stage detector trained on synthetic shapes: data, model, training and detections (PyTorch, CPU).

The detector is YOLO-like with one anchor size: an 8 x 8 grid (stride 8) over a 64 x 64 image, each
cell predicting K class logits (sigmoid) and (t_x, t_y, t_w, t_h); the cell holding a box's centre
is its only positive (v1/v2 style), so neighbouring cells produce duplicates for NMS to remove.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from snippets._checks import check_int
from snippets.detection.ap import Image
from snippets.run_cache import shared_run

SIZE, STRIDE, K, ANCHOR = 64, 8, 2, 16.0  # 图像边长, 步长, 类别数 (0 方块, 1 圆), 锚框边长


# --8<-- [start:data]
def make_shapes(n: int, rng: np.random.Generator) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """n grey 64 x 64 images with 1-3 filled squares (class 0) or discs (class 1) of side 10-26 px.

    Returns:
        X (n, 1, 64, 64) in [0, 1] with Gaussian noise, boxes per image (G, 4) xyxy, labels per image (G,).
    """
    n = check_int(n, "n", 1)
    X = np.zeros((n, 1, SIZE, SIZE))
    yy, xx = np.mgrid[0:SIZE, 0:SIZE] + 0.5  # 像素中心
    boxes, labels = [], []
    for i in range(n):
        G = int(rng.integers(1, 4))
        b, lab = np.zeros((G, 4)), rng.integers(0, K, G)
        for g in range(G):
            s = rng.uniform(10, 26)
            cx, cy = rng.uniform(s / 2, SIZE - s / 2, 2)
            b[g] = [cx - s / 2, cy - s / 2, cx + s / 2, cy + s / 2]
            if lab[g] == 0:
                mask = (np.abs(xx - cx) <= s / 2) & (np.abs(yy - cy) <= s / 2)
            else:
                mask = (xx - cx) ** 2 + (yy - cy) ** 2 <= (s / 2) ** 2
            X[i, 0][mask] = rng.uniform(0.5, 1.0)
        boxes.append(b)
        labels.append(lab)
    X += rng.normal(0, 0.1, X.shape)
    return X, boxes, labels
# --8<-- [end:data]


def _targets(boxes: list[np.ndarray], labels: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-cell targets: class map (N, K, 8, 8), box map (N, 4, 8, 8), positive mask (N, 8, 8)."""
    n, S = len(boxes), SIZE // STRIDE
    cls, box, pos = np.zeros((n, K, S, S)), np.zeros((n, 4, S, S)), np.zeros((n, S, S), dtype=bool)
    for i, (b, lab) in enumerate(zip(boxes, labels, strict=True)):
        for (x1, y1, x2, y2), c in zip(b, lab, strict=True):
            cx, cy, w, h = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
            gx, gy = int(cx // STRIDE), int(cy // STRIDE)  # 中心所在的格子负责这个目标
            cls[i, c, gy, gx] = 1.0
            box[i, :, gy, gx] = [cx / STRIDE - gx, cy / STRIDE - gy, np.log(w / ANCHOR), np.log(h / ANCHOR)]
            pos[i, gy, gx] = True
    return cls, box, pos


def make_model(seed: int) -> nn.Module:
    """Three stride-2 3x3 convolutions (64 -> 8) and a 1x1 head with K + 4 outputs per cell."""
    torch.manual_seed(check_int(seed, "seed", 0))
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
        nn.Conv2d(32, K + 4, 1),
    )
    head = model[-1]
    assert isinstance(head, nn.Conv2d) and head.bias is not None
    with torch.no_grad():  # RetinaNet 的先验偏置: 开始时每格的前景概率约 0.01
        head.bias[:K] = -float(np.log(99.0))
    return model


# --8<-- [start:train]
def train_tiny_detector(seed: int, n_train: int = 256, steps: int = 300, batch: int = 16,
                        lr: float = 5e-3) -> nn.Module:
    """Adam on BCE over every cell's class logits + L1 on (sigmoid offsets, log sizes) at positive cells."""
    check_int(steps, "steps", 1)
    if check_int(batch, "batch", 1) > check_int(n_train, "n_train", 1):
        raise ValueError(f"batch must be at most n_train ({n_train}), got {batch}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    rng = np.random.default_rng(check_int(seed, "seed", 0))
    X, boxes, labels = make_shapes(n_train, rng)
    cls, box, pos_np = _targets(boxes, labels)
    cls_t, box_t, pos_t = torch.from_numpy(cls).float(), torch.from_numpy(box).float(), torch.from_numpy(pos_np)
    Xt = torch.from_numpy(X).float()
    model = make_model(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        idx = torch.from_numpy(rng.choice(n_train, batch, replace=False))
        out = model(Xt[idx])  # (B, K + 4, 8, 8)
        pos = pos_t[idx]
        n_pos = max(int(pos.sum()), 1)
        l_cls = nn.functional.binary_cross_entropy_with_logits(out[:, :K], cls_t[idx], reduction="sum") / n_pos
        pred = torch.cat([torch.sigmoid(out[:, K:K + 2]), out[:, K + 2:]], dim=1).permute(0, 2, 3, 1)[pos]
        l_box = (pred - box_t[idx].permute(0, 2, 3, 1)[pos]).abs().sum() / n_pos
        opt.zero_grad()
        (l_cls + l_box).backward()
        opt.step()
    return model
# --8<-- [end:train]


@dataclass(frozen=True)
class Detections:
    """Raw detections of one image, before NMS: every (cell, class) with a score above a floor."""

    boxes: np.ndarray  # (D, 4)
    scores: np.ndarray  # (D,)
    labels: np.ndarray  # (D,)


def detect(model: nn.Module, X: np.ndarray, score_floor: float = 0.01) -> list[Detections]:
    """Decode every cell: centre = (sigmoid(t) + cell) * stride, size = anchor * exp(t); one box per class."""
    if not isinstance(X, np.ndarray) or X.ndim != 4 or X.shape[1:] != (1, SIZE, SIZE):
        raise ValueError(f"X must have shape (N, 1, {SIZE}, {SIZE})")
    if not 0 <= score_floor < 1:
        raise ValueError(f"score_floor must be in [0, 1), got {score_floor!r}")
    with torch.no_grad():
        out = model(torch.from_numpy(X).float()).double().numpy()  # (N, K + 4, 8, 8)
    S = SIZE // STRIDE
    gy, gx = np.mgrid[0:S, 0:S]
    result = []
    for o in out:
        cx = (1 / (1 + np.exp(-o[K])) + gx) * STRIDE
        cy = (1 / (1 + np.exp(-o[K + 1])) + gy) * STRIDE
        w, h = ANCHOR * np.exp(np.minimum(o[K + 2], 4.0)), ANCHOR * np.exp(np.minimum(o[K + 3], 4.0))
        b = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1).reshape(-1, 4)
        p = 1 / (1 + np.exp(-o[:K].reshape(K, -1)))  # (K, 64)
        c, cell = np.nonzero(p > score_floor)
        result.append(Detections(b[cell], p[c, cell], c))
    return result


@shared_run
def tiny_detector_run(seed: int, n_test: int = 100) -> tuple[list[Image], list[Image], np.ndarray]:
    """Train on one seed and return test images with detections before and after class-aware NMS (0.5)."""
    from snippets.detection.nms import batched_nms

    check_int(seed, "seed", 0)
    check_int(n_test, "n_test", 1)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # 这么小的卷积, 多线程只会互相等待; 一个线程也让结果与核数无关
    try:
        model = train_tiny_detector(seed)
        X, boxes, labels = make_shapes(n_test, np.random.default_rng(10_000 + seed))
        dets = detect(model, X)
    finally:
        torch.set_num_threads(threads)
    raw, nmsed = [], []
    for det, b, lab in zip(dets, boxes, labels, strict=True):
        raw.append(Image(b, lab, det.boxes, det.scores, det.labels))
        keep = batched_nms(det.boxes, det.scores, det.labels, 0.5)
        nmsed.append(Image(b, lab, det.boxes[keep], det.scores[keep], det.labels[keep]))
    return raw, nmsed, X

"""Small hand-built detection scenes the pages and figures share (no randomness beyond a seed)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int
from snippets.detection.ap import Image


# --8<-- [start:crowd]
def crowd_scene(seed: int = 0, per_object: int = 6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two heavily overlapping objects (IoU 0.65) and jittered candidate boxes around each.

    Returns:
        gt (2, 4), boxes (2 * per_object, 4), scores (2 * per_object,): object 0's candidates
        score a little higher than object 1's, as for a person partly hidden behind another.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an int, got {seed!r}")
    n = check_int(per_object, "per_object", 1)
    rng = np.random.default_rng(seed)
    gt = np.array([[10.0, 10.0, 50.0, 90.0], [18.0, 11.0, 58.0, 91.0]])
    boxes, scores = [], []
    for k, g in enumerate(gt):
        jitter = rng.normal(0.0, 1.5, (n, 4))  # 像素级的抖动: 同一目标的候选框彼此 IoU 很高
        boxes.append(g + jitter)
        scores.append(np.sort(rng.uniform(0.55, 0.95, n))[::-1] - 0.1 * k)
    b = np.concatenate(boxes)
    b[:, 2:] = np.maximum(b[:, 2:], b[:, :2] + 1.0)
    return gt, b, np.concatenate(scores)
# --8<-- [end:crowd]


# --8<-- [start:noisy]
def noisy_detections(seed: int, n_images: int = 6, n_classes: int = 3, noise: float = 3.0) -> list[Image]:
    """Images with 1-5 ground-truth boxes each and a simulated detector's output on them.

    About 80% of objects are detected, with corners jittered by N(0, noise^2) pixels; 0-3 spurious
    boxes per image. Scores: U(0.3, 1) for detections of real objects, U(0.05, 0.6) for spurious
    ones, so the ranking is informative but imperfect.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an int, got {seed!r}")
    n_images, n_classes = check_int(n_images, "n_images", 1), check_int(n_classes, "n_classes", 1)
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    images = []
    for _ in range(n_images):
        G = int(rng.integers(1, 6))
        xy = rng.uniform(0, 80, (G, 2))
        gt = np.concatenate([xy, xy + rng.uniform(8, 40, (G, 2))], axis=1)
        gl = rng.integers(0, n_classes, G)
        keep = rng.uniform(size=G) < 0.8  # 有的目标漏检
        det = gt[keep] + rng.normal(0, noise, (int(keep.sum()), 4))
        dl = gl[keep].copy()
        F = int(rng.integers(0, 4))  # 误检
        fxy = rng.uniform(0, 100, (F, 2))
        det = np.concatenate([det, np.concatenate([fxy, fxy + rng.uniform(5, 30, (F, 2))], axis=1)])
        dl = np.concatenate([dl, rng.integers(0, n_classes, F)])
        det[:, 2:] = np.maximum(det[:, 2:], det[:, :2] + 1.0)
        scores = np.concatenate([rng.uniform(0.3, 1.0, len(det) - F), rng.uniform(0.05, 0.6, F)])
        images.append(Image(gt, gl, det, scores, dl))
    return images
# --8<-- [end:noisy]


# --8<-- [start:shapes]
def box_shapes(seed: int, n: int = 1500) -> np.ndarray:
    """Widths and heights (n, 2) of labelled boxes in 416 x 416 images: three kinds of object.

    Upright people (h / w about 2.5), vehicles (w / h about 1.8) and small square-ish objects,
    log-normal in size from roughly 10 to 350 px, so both tiny and large boxes are common.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an int, got {seed!r}")
    m = check_int(n, "n", 3)
    rng = np.random.default_rng(seed)
    kind = rng.choice(3, size=m, p=[0.4, 0.35, 0.25])
    log_ratio = np.array([np.log(2.5), np.log(1 / 1.8), 0.0])[kind] + rng.normal(0, 0.25, m)  # log(h / w)
    log_size = np.array([np.log(90.0), np.log(110.0), np.log(25.0)])[kind] + rng.normal(0, 0.55, m)  # log sqrt(wh)
    w = np.exp(log_size - log_ratio / 2)
    h = np.exp(log_size + log_ratio / 2)
    return np.clip(np.stack([w, h], axis=1), 2.0, 416.0)
# --8<-- [end:shapes]

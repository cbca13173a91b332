"""Small hand-built detection scenes the pages and figures share (no randomness beyond a seed)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int


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

"""Anchor-free targets: FCOS (l, t, r, b) encoding, centre-ness and level assignment; CenterNet heatmaps and peaks."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_boxes, check_int

# FCOS 论文 3.2 节: P3..P7 的回归范围边界 m2..m7 = 0, 64, 128, 256, 512, inf
FCOS_RANGES = ((0.0, 64.0), (64.0, 128.0), (128.0, 256.0), (256.0, 512.0), (512.0, np.inf))


def _check_points(points: object, name: str = "points") -> np.ndarray:
    if not isinstance(points, np.ndarray) or points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"{name} must be an array of shape (P, 2), got {getattr(points, 'shape', type(points))}")
    if not np.isfinite(points).all():
        raise ValueError(f"{name} must be finite")
    return points.astype(np.float64)


# --8<-- [start:fcos]
def fcos_encode(points: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Distances from every point to the four sides of every box: (P, 2), (G, 4) -> (P, G, 4) as (l, t, r, b).

    l = x - x1, t = y - y1, r = x2 - x, b = y2 - y (Tian et al. 2019, eq. 1); all four > 0 iff the
    point lies inside the box.
    """
    p, g = _check_points(points), check_boxes(boxes, "boxes")
    x, y = p[:, 0, None], p[:, 1, None]  # (P, 1)
    return np.stack([x - g[:, 0], y - g[:, 1], g[:, 2] - x, g[:, 3] - y], axis=-1)


def fcos_decode(points: np.ndarray, ltrb: np.ndarray) -> np.ndarray:
    """Boxes (P, 4) xyxy from points (P, 2) and predicted distances (P, 4): the inverse of fcos_encode."""
    p = _check_points(points)
    if not isinstance(ltrb, np.ndarray) or ltrb.shape != (len(p), 4):
        raise ValueError(f"ltrb must have shape ({len(p)}, 4), got {getattr(ltrb, 'shape', type(ltrb))}")
    return np.concatenate([p - ltrb[:, :2], p + ltrb[:, 2:]], axis=1)


def centerness(ltrb: np.ndarray) -> np.ndarray:
    """sqrt(min(l, r) / max(l, r) * min(t, b) / max(t, b)) over the last axis (Tian et al. 2019, eq. 3)."""
    if not isinstance(ltrb, np.ndarray) or ltrb.shape[-1:] != (4,) or (ltrb <= 0).any():
        raise ValueError("ltrb must have a last axis of 4 positive distances (a point inside its box)")
    left, top, right, bottom = np.moveaxis(ltrb, -1, 0)
    lr = np.minimum(left, right) / np.maximum(left, right)
    tb = np.minimum(top, bottom) / np.maximum(top, bottom)
    return np.sqrt(lr * tb)
# --8<-- [end:fcos]


# --8<-- [start:assign]
def fcos_points(feat_h: int, feat_w: int, stride: int) -> np.ndarray:
    """Image coordinates (H*W, 2) of a feature map's locations: (floor(s/2) + j s, floor(s/2) + i s), row-major."""
    H, W, s = check_int(feat_h, "feat_h", 1), check_int(feat_w, "feat_w", 1), check_int(stride, "stride", 1)
    ys, xs = np.meshgrid(np.arange(H) * s + s // 2, np.arange(W) * s + s // 2, indexing="ij")
    return np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float64)


def fcos_assign(points: np.ndarray, lo: float, hi: float, boxes: np.ndarray) -> np.ndarray:
    """FCOS's positives on one level: the gt index of each point (P,), -1 for a negative.

    A point is positive for a box if it is inside it and lo <= max(l, t, r, b) <= hi (the level's
    regression range, bounds as in the paper's text); inside several such boxes, it takes the one
    with the smallest area.
    """
    if not 0 <= lo < hi:
        raise ValueError(f"need 0 <= lo < hi, got lo={lo!r}, hi={hi!r}")
    d = fcos_encode(points, boxes)  # (P, G, 4)
    m = d.max(axis=-1)
    ok = (d.min(axis=-1) > 0) & (m >= lo) & (m <= hi)  # (P, G)
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])  # (G,)
    cost = np.where(ok, area[None, :], np.inf)
    return np.where(ok.any(axis=1), cost.argmin(axis=1) if len(boxes) else -1, -1)
# --8<-- [end:assign]


# --8<-- [start:radius]
def gaussian_radius(h: float, w: float, min_overlap: float = 0.7) -> float:
    """Largest r such that a box whose corners move by r still has IoU >= min_overlap with (h, w).

    CornerNet's three cases, each a quadratic in r, solved for its smallest positive root:
    both corners shifted the same way, both inward (box shrinks by 2r), both outward (grows by 2r).
    """
    if not (h > 0 and w > 0):
        raise ValueError(f"h and w must be > 0, got h={h!r}, w={w!r}")
    if not 0 < min_overlap < 1:
        raise ValueError(f"min_overlap must be in (0, 1), got {min_overlap!r}")
    o = min_overlap
    # (1 + o)(w - r)(h - r) = 2 o w h
    b1, c1 = h + w, w * h * (1 - o) / (1 + o)
    r1 = (b1 - np.sqrt(b1**2 - 4 * c1)) / 2
    # (w - 2r)(h - 2r) = o w h
    b2, c2 = 2 * (h + w), (1 - o) * w * h
    r2 = (b2 - np.sqrt(b2**2 - 16 * c2)) / 8
    # w h = o (w + 2r)(h + 2r)
    a3, b3, c3 = 4 * o, 2 * o * (h + w), (o - 1) * w * h
    r3 = (-b3 + np.sqrt(b3**2 - 4 * a3 * c3)) / (2 * a3)
    return float(min(r1, r2, r3))
# --8<-- [end:radius]


# --8<-- [start:heatmap]
def draw_heatmap(shape: tuple[int, int], centres: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """One class's target heatmap (H, W): exp(-d^2 / (2 sigma^2)) around each integer centre, max where they overlap.

    sigma = (2 r + 1) / 6 (CenterNet's code: a Gaussian of diameter 2r + 1 is 3 sigma on each side).
    """
    H, W = check_int(shape[0], "shape[0]", 1), check_int(shape[1], "shape[1]", 1)
    c = np.asarray(centres)
    if c.ndim != 2 or c.shape[1] != 2 or not np.issubdtype(c.dtype, np.integer):
        raise ValueError("centres must be an integer array of shape (K, 2) as (x, y)")
    if not isinstance(radii, np.ndarray) or radii.shape != (len(c),) or (radii < 0).any():
        raise ValueError(f"radii must be a non-negative array of shape ({len(c)},)")
    Y = np.zeros((H, W))
    yy, xx = np.mgrid[0:H, 0:W]
    for (cx, cy), r in zip(c, radii, strict=True):
        sigma = (2 * r + 1) / 6
        Y = np.maximum(Y, np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * sigma**2)))
    return Y


def centernet_focal_loss(Y_hat: np.ndarray, Y: np.ndarray, alpha: float = 2.0, beta: float = 4.0) -> float:
    """Penalty-reduced focal loss (Zhou et al. 2019, eq. 1), normalised by the number of peaks (Y == 1).

    Y = 1:     -(1 - Y_hat)^alpha log(Y_hat)
    otherwise: -(1 - Y)^beta Y_hat^alpha log(1 - Y_hat)   (near a centre, (1 - Y)^beta forgives)
    """
    if not isinstance(Y_hat, np.ndarray) or not isinstance(Y, np.ndarray) or Y_hat.shape != Y.shape:
        raise ValueError("Y_hat and Y must be arrays of the same shape")
    if not ((Y_hat > 0) & (Y_hat < 1)).all():
        raise ValueError("Y_hat must be in (0, 1) (a sigmoid output)")
    if not ((Y >= 0) & (Y <= 1)).all():
        raise ValueError("Y must be in [0, 1]")
    pos = Y == 1
    loss = np.where(pos, -((1 - Y_hat) ** alpha) * np.log(Y_hat),
                    -((1 - Y) ** beta) * Y_hat**alpha * np.log1p(-Y_hat))
    return float(loss.sum() / max(int(pos.sum()), 1))
# --8<-- [end:heatmap]


# --8<-- [start:peaks]
def max_pool3x3(heat: np.ndarray) -> np.ndarray:
    """3x3 max pooling, stride 1, padding 1 with -inf: (..., H, W) -> (..., H, W)."""
    if not isinstance(heat, np.ndarray) or heat.ndim < 2 or not np.issubdtype(heat.dtype, np.floating):
        raise ValueError("heat must be a float array with at least 2 dimensions (..., H, W)")
    H, W = heat.shape[-2:]
    pad = np.pad(heat, [(0, 0)] * (heat.ndim - 2) + [(1, 1), (1, 1)], constant_values=-np.inf)
    out = np.full(heat.shape, -np.inf)
    for dy in range(3):
        for dx in range(3):
            out = np.maximum(out, pad[..., dy:dy + H, dx:dx + W])
    return out


def heatmap_peaks(heat: np.ndarray, k: int = 100) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """CenterNet's decoding without NMS: keep cells equal to their 3x3 max, then the top k over all classes.

    Args:
        heat: (C, H, W) sigmoid scores.
    Returns:
        scores (k',), classes (k',), ys (k',), xs (k',), by decreasing score; k' = min(k, number of peaks).
    """
    if not isinstance(heat, np.ndarray) or heat.ndim != 3 or not np.isfinite(heat).all():
        raise ValueError("heat must be a finite array of shape (C, H, W)")
    k = check_int(k, "k", 1)
    keep = heat == max_pool3x3(heat)  # 局部最大 (与邻居并列也算, 和 PyTorch 的写法一致)
    c, y, x = np.nonzero(keep)
    s = heat[c, y, x]
    order = np.argsort(-s, kind="stable")[:k]
    return s[order], c[order], y[order], x[order]
# --8<-- [end:peaks]

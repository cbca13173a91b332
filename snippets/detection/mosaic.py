"""Mosaic augmentation (YOLOv4): four images around a centre point, their boxes shifted, clipped and filtered."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_boxes, check_int


# --8<-- [start:mosaic]
def mosaic(images: list[np.ndarray], boxes: list[np.ndarray], size: int, centre: tuple[int, int],
           min_side: float = 2.0, min_visible: float = 0.1, fill: float = 0.0
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Compose 4 images (H_i, W_i, C) on a (size, size, C) canvas, one per quadrant around centre = (xc, yc).

    Image 0 ends at the centre from the top-left, 1 from the top-right, 2 from the bottom-left,
    3 starts there to the bottom-right; what falls outside its quadrant is cut off. Each box is
    shifted with its image, clipped to the visible part, and kept if both sides are >= min_side px
    and at least min_visible of its area is still visible.

    Returns:
        canvas (size, size, C), boxes (M, 4) xyxy on the canvas, source (M,): the image of each box.
    """
    S = check_int(size, "size", 2)
    xc, yc = centre
    if not (isinstance(xc, int) and isinstance(yc, int) and 0 < xc < S and 0 < yc < S):
        raise ValueError(f"centre must be two ints inside (0, {S}), got {centre!r}")
    if len(images) != 4 or len(boxes) != 4:
        raise ValueError("images and boxes must each hold 4 entries")
    if not all(isinstance(im, np.ndarray) for im in images):
        raise TypeError("images must be NumPy arrays (H, W, C)")
    if not (min_side >= 0 and 0 <= min_visible <= 1):
        raise ValueError(f"need min_side >= 0 and min_visible in [0, 1], got {min_side!r}, {min_visible!r}")
    C = images[0].shape[2] if images[0].ndim == 3 else -1
    if any(im.ndim != 3 or im.shape[2] != C for im in images):
        raise ValueError("images must be arrays (H, W, C) with the same C")
    canvas = np.full((S, S, C), fill, dtype=np.result_type(*images))
    quadrants = [(0, 0, xc, yc), (xc, 0, S, yc), (0, yc, xc, S), (xc, yc, S, S)]  # (x1, y1, x2, y2)
    out_boxes, source = [], []
    for i, (im, b, q) in enumerate(zip(images, boxes, quadrants, strict=True)):
        h, w = im.shape[:2]
        dx = xc - w if i in (0, 2) else xc  # 图像左上角在画布上的位置
        dy = yc - h if i in (0, 1) else yc
        x1, y1 = max(dx, q[0]), max(dy, q[1])  # 可见部分 = 图像平移后与象限的交集
        x2, y2 = min(dx + w, q[2]), min(dy + h, q[3])
        if x2 <= x1 or y2 <= y1:
            continue
        canvas[y1:y2, x1:x2] = im[y1 - dy:y2 - dy, x1 - dx:x2 - dx]
        bb = check_boxes(b, f"boxes[{i}]") + np.array([dx, dy, dx, dy])  # (G, 4) 平移到画布
        clipped = np.concatenate([np.maximum(bb[:, :2], [x1, y1]), np.minimum(bb[:, 2:], [x2, y2])], axis=1)
        cw, ch = clipped[:, 2] - clipped[:, 0], clipped[:, 3] - clipped[:, 1]
        area = (bb[:, 2] - bb[:, 0]) * (bb[:, 3] - bb[:, 1])
        ok = (cw >= min_side) & (ch >= min_side) & (np.clip(cw, 0, None) * np.clip(ch, 0, None)
                                                     >= min_visible * area)
        out_boxes.append(clipped[ok])
        source.append(np.full(int(ok.sum()), i))
    if not out_boxes:
        return canvas, np.zeros((0, 4)), np.zeros(0, dtype=np.int64)
    return canvas, np.concatenate(out_boxes), np.concatenate(source).astype(np.int64)
# --8<-- [end:mosaic]

"""A small synthetic street-like scene with two "stuff" regions and countable "things" (no randomness)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int

# 类别: 0 sky, 1 ground 是 stuff (不可数, 没有实例); 2 disk, 3 square 是 things (可数)
CLASS_NAMES = ("sky", "ground", "disk", "square")
STUFF = (0, 1)


# --8<-- [start:scene]
def panoptic_scene(size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Ground-truth panoptic map of a fixed scene: sem (H, W) class ids, inst (H, W) ids (0 on stuff).

    Two touching disks share one class, so only the instance map tells them apart.
    """
    H = W = check_int(size, "size", 16)
    yy, xx = np.mgrid[0:H, 0:W] / (H / 64)  # 在 64x64 的坐标系里画, 任意 size 等比缩放
    sem = np.where(yy < 26 + 3 * np.sin(xx / 7), 0, 1)  # 天空在上, 地面在下, 边界是波浪线
    inst = np.zeros((H, W), dtype=np.int64)
    things = [(2, (xx - 18) ** 2 + (yy - 38) ** 2 < 9**2),   # 两个相接的圆盘: 同一类别, 两个实例
              (2, (xx - 34) ** 2 + (yy - 38) ** 2 < 8.5**2),
              (3, (np.abs(xx - 52) < 6) & (np.abs(yy - 16) < 6))]  # 一个方块, 悬在天空里
    for k, (cls, mask) in enumerate(things, start=1):
        sem = np.where(mask, cls, sem)
        inst = np.where(mask, k, inst)  # 后画的物体遮住先画的, 每个像素只属于一个段
    return sem.astype(np.int64), inst
# --8<-- [end:scene]

"""Sobel edge detection with the chapter's own conv2d: Gx, Gy, gradient magnitude and direction."""

from __future__ import annotations

import numpy as np

from snippets.cnn._checks import check_array
from snippets.cnn.conv import conv2d

# --8<-- [start:kernels]
# 写成互相关 (PyTorch Conv2d 的约定) 的形式: 右列减左列 -> Gx, 下行减上行 -> Gy
SOBEL_X = np.array([[-1.0, 0.0, 1.0],
                    [-2.0, 0.0, 2.0],
                    [-1.0, 0.0, 1.0]])
SOBEL_Y = SOBEL_X.T.copy()  # [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
# --8<-- [end:kernels]


# --8<-- [start:gray]
def rgb_to_gray(img: np.ndarray) -> np.ndarray:
    """Luma Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601), values kept in the input's scale.

    Args:
        img: colour image, shape (H, W, 3), floating.

    Returns:
        Gray image, shape (H, W).
    """
    img = check_array(img, "img", 3)
    if img.shape[2] != 3:
        raise ValueError(f"img must have 3 colour channels, got shape {img.shape}")
    return img @ np.array([0.299, 0.587, 0.114])
# --8<-- [end:gray]


# --8<-- [start:sobel]
def sobel(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sobel gradients of a gray image.

    Args:
        gray: image, shape (H, W), H, W >= 3.

    Returns:
        (Gx, Gy, magnitude, direction), each of shape (H, W); direction = atan2(Gy, Gx) in radians,
        with x to the right and y downwards (row index).
    """
    gray = check_array(gray, "gray", 2)
    # 边界复制像素再做 valid 卷积: 零填充会在图像边框上造出假边缘
    X = np.pad(gray, 1, mode="edge")[None, None]  # (1, 1, H+2, W+2)
    W = np.stack([SOBEL_X, SOBEL_Y])[:, None]  # (2, 1, 3, 3): 两个输出通道
    Gx, Gy = conv2d(X, W)[0]
    return Gx, Gy, np.hypot(Gx, Gy), np.arctan2(Gy, Gx)
# --8<-- [end:sobel]

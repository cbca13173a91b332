"""Image augmentations from scratch on (N, C, H, W) arrays: flip, shift, random crop, Cutout, RandomResizedCrop."""

from __future__ import annotations

import math

import numpy as np

from snippets._checks import check_float_array, check_int


def _check_rng(rng: object) -> None:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")


# --8<-- [start:flip_shift]
def hflip(X: np.ndarray) -> np.ndarray:
    """Mirror every image left-right: column j goes to W - 1 - j."""
    check_float_array(X, "X", (4,))
    return X[..., ::-1].copy()


def random_shift(X: np.ndarray, max_shift: int, rng: np.random.Generator) -> np.ndarray:
    """Move each image by its own (dy, dx), each uniform in -max_shift..max_shift; pixels moved in are 0."""
    # --8<-- [end:flip_shift]
    check_float_array(X, "X", (4,))
    check_int(max_shift, "max_shift", 0)
    _check_rng(rng)
    N, C, H, W = X.shape
    if max_shift >= min(H, W):
        raise ValueError(f"max_shift must be < min(H, W) = {min(H, W)}, got {max_shift}")
    # --8<-- [start:shift_body]
    s = max_shift
    padded = np.pad(X, ((0, 0), (0, 0), (s, s), (s, s)))  # (N, C, H + 2s, W + 2s), 补 0
    dy, dx = rng.integers(-s, s + 1, size=(2, N))
    out = np.empty_like(X)
    for n in range(N):  # 图像 n 向下移 dy[n]、向右移 dx[n]: 从填充后的图里取偏移的窗口
        out[n] = padded[n, :, s - dy[n] : s - dy[n] + H, s - dx[n] : s - dx[n] + W]
    return out
    # --8<-- [end:shift_body]


# --8<-- [start:crop_cutout]
def random_crop(X: np.ndarray, size: int, padding: int, rng: np.random.Generator) -> np.ndarray:
    """Pad by `padding` zeros, then cut a size x size window at a uniform random corner per image."""
    # --8<-- [end:crop_cutout]
    check_float_array(X, "X", (4,))
    check_int(size, "size", 1)
    check_int(padding, "padding", 0)
    _check_rng(rng)
    N, C, H, W = X.shape
    if size > min(H, W) + 2 * padding:
        raise ValueError(f"size must be <= min(H, W) + 2 padding = {min(H, W) + 2 * padding}, got {size}")
    # --8<-- [start:crop_body]
    p = padding
    padded = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)))
    top = rng.integers(0, H + 2 * p - size + 1, N)
    left = rng.integers(0, W + 2 * p - size + 1, N)
    return np.stack([padded[n, :, top[n] : top[n] + size, left[n] : left[n] + size] for n in range(N)])
    # --8<-- [end:crop_body]


# --8<-- [start:cutout]
def cutout(X: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Zero a size x size square (all channels) at a uniform random centre; clipped at the border."""
    # --8<-- [end:cutout]
    check_float_array(X, "X", (4,))
    check_int(size, "size", 1)
    _check_rng(rng)
    # --8<-- [start:cutout_body]
    N, C, H, W = X.shape
    out = X.copy()
    cy = np.asarray(rng.integers(0, H, size=N))  # 中心可以在边上: 方块可能被裁掉一部分
    cx = np.asarray(rng.integers(0, W, size=N))
    for n in range(N):
        y1, x1 = max(cy[n] - size // 2, 0), max(cx[n] - size // 2, 0)
        out[n, :, y1 : cy[n] - size // 2 + size, x1 : cx[n] - size // 2 + size] = 0.0
    return out
    # --8<-- [end:cutout_body]


# --8<-- [start:rrc]
def random_resized_crop_box(
    H: int,
    W: int,
    rng: np.random.Generator,
    scale: tuple[float, float] = (0.08, 1.0),
    ratio: tuple[float, float] = (3 / 4, 4 / 3),
) -> tuple[int, int, int, int]:
    """The crop (top, left, h, w) that torchvision's RandomResizedCrop.get_params picks, re-implemented.

    Up to 10 tries: area ~ U(scale) * H W, log aspect ratio w/h ~ U(log ratio); accept if it fits.
    Otherwise a centre crop with the aspect ratio clamped into `ratio`. The crop is then resized
    to the output size (not done here).
    """
    # --8<-- [end:rrc]
    check_int(H, "H", 1)
    check_int(W, "W", 1)
    _check_rng(rng)
    if not (0 < scale[0] <= scale[1]):
        raise ValueError(f"scale must be (low, high) with 0 < low <= high, got {scale!r}")
    if not (0 < ratio[0] <= ratio[1]):
        raise ValueError(f"ratio must be (low, high) with 0 < low <= high, got {ratio!r}")
    # --8<-- [start:rrc_body]
    area = H * W
    log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
    for _ in range(10):
        target_area = area * rng.uniform(scale[0], scale[1])
        aspect = math.exp(rng.uniform(*log_ratio))  # w / h, 对数均匀
        w = round(math.sqrt(target_area * aspect))
        h = round(math.sqrt(target_area / aspect))
        if 0 < w <= W and 0 < h <= H:
            top, left = int(rng.integers(0, H - h + 1)), int(rng.integers(0, W - w + 1))
            return top, left, h, w
    in_ratio = W / H  # 10 次都放不下: 中心裁剪, 宽高比夹到 ratio 内
    if in_ratio < ratio[0]:
        w, h = W, round(W / ratio[0])
    elif in_ratio > ratio[1]:
        h, w = H, round(H * ratio[1])
    else:
        w, h = W, H
    return (H - h) // 2, (W - w) // 2, h, w
    # --8<-- [end:rrc_body]

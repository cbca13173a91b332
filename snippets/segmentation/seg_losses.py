"""Segmentation losses in NumPy: weighted pixel-wise cross-entropy, soft Dice (with its gradient), pixel focal loss."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array, check_int


def _check_logits_labels(z: object, y: object, ignore_index: int | None) -> tuple[np.ndarray, np.ndarray]:
    check_float_array(z, "z", (4,))
    assert isinstance(z, np.ndarray)
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must be an integer NumPy array, got {type(y).__name__}")
    N, K, H, W = z.shape
    if y.shape != (N, H, W):
        raise ValueError(f"y must have shape {(N, H, W)}, got {y.shape}")
    valid = (y >= 0) & (y < K)
    if ignore_index is not None:
        valid |= y == ignore_index
    if not valid.all():
        raise ValueError(f"y must hold labels in [0, {K})" + ("" if ignore_index is None else f" or {ignore_index}"))
    return z, y


def log_softmax_channels(z: np.ndarray) -> np.ndarray:
    """log softmax over the class axis of (N, K, H, W) logits, max subtracted first."""
    check_float_array(z, "z", (4,))
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


def one_hot(y: np.ndarray, num_classes: int) -> np.ndarray:
    """(N, H, W) labels in [0, K) -> (N, K, H, W) float64 one-hot."""
    K = check_int(num_classes, "num_classes", 1)
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer) or y.ndim != 3:
        raise TypeError("y must be an integer NumPy array of shape (N, H, W)")
    if y.size and (y.min() < 0 or y.max() >= K):
        raise ValueError(f"y must hold labels in [0, {K})")
    return (y[:, None] == np.arange(K)[None, :, None, None]).astype(np.float64)


# --8<-- [start:ce]
def pixel_cross_entropy(z: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None,
                        ignore_index: int = 255) -> float:
    """Mean of -w[y] log p_y over pixels not ignored, divided by the sum of their weights (PyTorch's 'mean').

    Args:
        z: (N, K, H, W) logits.  y: (N, H, W) labels in [0, K) or ignore_index.  weight: (K,) or None.
    """
    z, y = _check_logits_labels(z, y, ignore_index)
    K = z.shape[1]
    w_class = np.ones(K) if weight is None else np.asarray(weight, dtype=np.float64)
    if w_class.shape != (K,) or (w_class < 0).any():
        raise ValueError(f"weight must be a non-negative array of shape ({K},)")
    keep = y != ignore_index
    y0 = np.where(keep, y, 0)                                              # (N, H, W) 被忽略的先随便填 0
    nll = -np.take_along_axis(log_softmax_channels(z), y0[:, None], axis=1)[:, 0]  # (N, H, W)
    w = w_class[y0] * keep                                                 # 每个像素的权重, 忽略的为 0
    return float((w * nll).sum() / w.sum())   # 除以权重之和, 不是像素数
# --8<-- [end:ce]


def _check_probs(P: object, Y: object, eps: float) -> tuple[np.ndarray, np.ndarray]:
    check_float_array(P, "P", (4,))
    check_float_array(Y, "Y", (4,))
    assert isinstance(P, np.ndarray) and isinstance(Y, np.ndarray)
    if Y.shape != P.shape:
        raise ValueError(f"Y must have the shape of P {P.shape}, got {Y.shape}")
    if not eps >= 0:
        raise ValueError(f"eps must be >= 0, got {eps!r}")
    return P, Y


# --8<-- [start:dice]
def soft_dice_loss(P: np.ndarray, Y: np.ndarray, eps: float = 1.0) -> float:
    """1 - mean_k (2 sum(p y) + eps) / (sum p + sum y + eps), sums over batch and pixels per class.

    Args:
        P: (N, K, H, W) softmax probabilities.  Y: (N, K, H, W) one-hot labels.  eps: smoothing.
    """
    P, Y = _check_probs(P, Y, eps)
    inter = (P * Y).sum(axis=(0, 2, 3))                      # (K,) 软的 TP
    S = P.sum(axis=(0, 2, 3)) + Y.sum(axis=(0, 2, 3)) + eps  # (K,) 软的 2TP+FP+FN: 按这一类自己的大小归一
    return float(1.0 - ((2 * inter + eps) / S).mean())


def soft_dice_grad(P: np.ndarray, Y: np.ndarray, eps: float = 1.0) -> np.ndarray:
    """dL/dP (N, K, H, W): -(2 y S_k - (2 I_k + eps)) / (K S_k^2) for a pixel of class channel k."""
    P, Y = _check_probs(P, Y, eps)
    K = P.shape[1]
    inter = (P * Y).sum(axis=(0, 2, 3))[None, :, None, None]
    S = (P.sum(axis=(0, 2, 3)) + Y.sum(axis=(0, 2, 3)) + eps)[None, :, None, None]
    return -(2 * Y * S - (2 * inter + eps)) / (K * S**2)
# --8<-- [end:dice]


# --8<-- [start:focal]
def pixel_focal_loss(z: np.ndarray, y: np.ndarray, gamma: float = 2.0, ignore_index: int = 255) -> float:
    """Mean over pixels of -(1 - p_t)^gamma log p_t with p_t = softmax(z)_y; gamma = 0 is cross-entropy."""
    z, y = _check_logits_labels(z, y, ignore_index)
    if not gamma >= 0:
        raise ValueError(f"gamma must be >= 0, got {gamma!r}")
    keep = y != ignore_index
    log_pt = np.take_along_axis(log_softmax_channels(z), np.where(keep, y, 0)[:, None], axis=1)[:, 0]
    loss = -((1 - np.exp(log_pt)) ** gamma) * log_pt  # 分得好的像素 (p_t 接近 1) 被压低
    return float(loss[keep].mean())
# --8<-- [end:focal]


# --8<-- [start:object_grad]
def object_gradients(size: int, p_obj: float = 0.7, p_bg: float = 0.05, H: int = 32,
                     W: int = 32, eps: float = 1.0) -> tuple[float, float]:
    """Mean |dL/dz_1| over an object's pixels, (CE with mean reduction, soft Dice), two classes.

    The object covers `size` of the H*W pixels; the model gives the foreground probability p_obj on
    it and p_bg elsewhere. dL/dz goes through softmax: dz = p * (dp - sum_k p_k dp_k).
    """
    s = check_int(size, "size", 1)
    if s > H * W:
        raise ValueError(f"size must be at most H * W = {H * W}, got {s}")
    if not (0 < p_obj < 1 and 0 < p_bg < 1):
        raise ValueError(f"p_obj and p_bg must be in (0, 1), got {p_obj!r}, {p_bg!r}")
    y = (np.arange(H * W) < s).astype(np.int64).reshape(1, H, W)  # 形状不影响这两种损失, 取前 s 个像素
    p1 = np.where(y == 1, p_obj, p_bg)
    P = np.stack([1 - p1, p1], axis=1)                            # (1, 2, H, W)
    gp = soft_dice_grad(P, one_hot(y, 2), eps)                     # dL/dP
    gz = P * (gp - (P * gp).sum(axis=1, keepdims=True))            # dL/dz, 经过 softmax
    obj = y[0] == 1
    ce = (1 - p_obj) / (H * W)                                     # |p - y| / 像素数, 每个目标像素相同
    return float(ce), float(np.abs(gz[0, 1][obj]).mean())
# --8<-- [end:object_grad]

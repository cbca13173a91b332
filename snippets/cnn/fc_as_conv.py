"""A fully connected layer as a convolution, and a classifier turned fully convolutional (OverFeat, FCN)."""

from __future__ import annotations

import numpy as np

from snippets.cnn._checks import check_array, check_int
from snippets.cnn.conv import conv2d
from snippets.cnn.pooling import max_pool2d


# --8<-- [start:convert]
def linear_to_conv(W_fc: np.ndarray, in_shape: tuple[int, int, int]) -> np.ndarray:
    """Weights of nn.Linear(C*H*W, out) as nn.Conv2d(C, out, kernel_size=(H, W)) weights.

    Args:
        W_fc: Linear weight, shape (out, C*H*W), the input flattened in (C, H, W) order.
        in_shape: (C, H, W) of the feature map the Linear layer reads.

    Returns:
        Conv weight of shape (out, C, H, W); the bias stays the same vector.
    """
    W_fc = check_array(W_fc, "W_fc", 2)
    C, H, W = (check_int(v, "in_shape", 1) for v in in_shape)
    if W_fc.shape[1] != C * H * W:
        raise ValueError(f"in_shape {in_shape} has {C * H * W} entries, W_fc has {W_fc.shape[1]} inputs")
    return W_fc.reshape(W_fc.shape[0], C, H, W)  # 展平的逆操作: 每个输出 = 一个 C x H x W 的核
# --8<-- [end:convert]


# --8<-- [start:nets]
def classifier(X: np.ndarray, p: dict[str, np.ndarray]) -> np.ndarray:
    """The original net on a fixed-size crop: conv3x3 -> ReLU -> maxpool2 -> flatten -> FC -> ReLU -> FC.

    Args:
        X: crops, shape (N, C, 10, 10) (the size the first FC layer was built for).
        p: "W1" (C1, C, 3, 3), "b1"; "W2" (F, C1*4*4), "b2"; "W3" (K, F), "b3".

    Returns:
        Class scores, shape (N, K).
    """
    X = _check_input(X, p, exact=True)
    A = np.maximum(conv2d(X, p["W1"], p["b1"]), 0.0)  # (N, C1, 8, 8)
    A = max_pool2d(A, 2)[0].reshape(X.shape[0], -1)  # (N, C1*4*4), 按 (C, H, W) 展平
    A = np.maximum(A @ p["W2"].T + p["b2"], 0.0)  # (N, F)
    return A @ p["W3"].T + p["b3"]  # (N, K)


def fully_convolutional(X: np.ndarray, p: dict[str, np.ndarray]) -> np.ndarray:
    """The same weights with both FC layers as convolutions (4x4, then 1x1): any input size >= 10.

    Args:
        X: images, shape (N, C, H, W), H, W >= 10.
        p: as in classifier.

    Returns:
        Score map of shape (N, K, (H - 10) // 2 + 1, (W - 10) // 2 + 1): entry (i, j) scores the
        10x10 crop at (2i, 2j).
    """
    X = _check_input(X, p, exact=False)
    C1 = p["W1"].shape[0]
    A = np.maximum(conv2d(X, p["W1"], p["b1"]), 0.0)  # (N, C1, H-2, W-2)
    A = max_pool2d(A, 2)[0]  # (N, C1, (H-2)//2, (W-2)//2)
    A = np.maximum(conv2d(A, linear_to_conv(p["W2"], (C1, 4, 4)), p["b2"]), 0.0)  # FC -> 4x4 conv
    return conv2d(A, p["W3"][:, :, None, None], p["b3"])  # FC -> 1x1 conv: (N, K, OH, OW)
# --8<-- [end:nets]


def _check_input(X: np.ndarray, p: dict[str, np.ndarray], exact: bool) -> np.ndarray:
    X = check_array(X, "X", 4)
    missing = {"W1", "b1", "W2", "b2", "W3", "b3"} - set(p)
    if missing:
        raise ValueError(f"p is missing {sorted(missing)}")
    H, W = X.shape[2:]
    if (exact and (H, W) != (10, 10)) or H < 10 or W < 10:
        raise ValueError(f"X must be {'exactly' if exact else 'at least'} 10x10, got {H}x{W}")
    return X


def sliding_window_scores(X: np.ndarray, p: dict[str, np.ndarray], stride: int = 2) -> np.ndarray:
    """Brute force: run classifier on every 10x10 crop at the given stride.

    Args:
        X: images, shape (N, C, H, W).
        p: as in classifier.
        stride: step between crops.

    Returns:
        Shape (N, K, (H - 10) // stride + 1, (W - 10) // stride + 1).
    """
    X = _check_input(X, p, exact=False)
    s = check_int(stride, "stride", 1)
    N, _, H, W = X.shape
    OH, OW = (H - 10) // s + 1, (W - 10) // s + 1
    out = np.empty((N, p["W3"].shape[0], OH, OW))
    for i in range(OH):
        for j in range(OW):
            out[:, :, i, j] = classifier(X[:, :, s * i : s * i + 10, s * j : s * j + 10], p)
    return out


def init_params(C: int, C1: int, F: int, K: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Random weights of the small classifier (scaled normal), shapes as in classifier."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    C, C1, F, K = (check_int(v, name, 1) for v, name in ((C, "C"), (C1, "C1"), (F, "F"), (K, "K")))
    shapes = {"W1": (C1, C, 3, 3), "b1": (C1,), "W2": (F, C1 * 16), "b2": (F,), "W3": (K, F), "b3": (K,)}
    return {k: rng.standard_normal(s) / np.sqrt(np.prod(s[1:]) if len(s) > 1 else 10.0) for k, s in shapes.items()}

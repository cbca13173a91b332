"""Bilinear pooling (Lin et al., ICCV 2015): outer products of two feature maps summed over locations."""

from __future__ import annotations

import numpy as np
import torch

from snippets._checks import check_float_array


def _check_pair(A: np.ndarray, B: np.ndarray) -> None:
    check_float_array(A, "A", (4,))
    check_float_array(B, "B", (4,))
    if A.shape[0] != B.shape[0] or A.shape[2:] != B.shape[2:]:
        raise ValueError(f"A and B must share N, H and W, got {A.shape} and {B.shape}")


# --8<-- [start:bilinear]
def bilinear_pool(A: np.ndarray, B: np.ndarray, average: bool = False) -> np.ndarray:
    """Sum (or mean) over locations of a_l b_l^T.  A: (N, C1, H, W), B: (N, C2, H, W) -> (N, C1 * C2)."""
    _check_pair(A, B)
    N, C1, H, W = A.shape
    C2 = B.shape[1]
    a, b = A.reshape(N, C1, H * W), B.reshape(N, C2, H * W)  # 每列是一个位置上的特征向量
    G = a @ b.transpose(0, 2, 1)  # (N, C1, C2) = sum_l a_l b_l^T
    if average:
        G = G / (H * W)
    return G.reshape(N, C1 * C2)


def signed_sqrt(x: np.ndarray) -> np.ndarray:
    """sign(x) * sqrt(|x|), elementwise: damps the few very large entries of a bilinear vector."""
    check_float_array(x, "x", (1, 2))
    return np.sign(x) * np.sqrt(np.abs(x))


def l2_normalize(x: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """Each row divided by its L2 norm (rows of zeros stay zero)."""
    check_float_array(x, "x", (2,))
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), eps)


def bcnn_feature(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """The B-CNN image descriptor: bilinear pooling -> signed square root -> L2 normalisation."""
    return l2_normalize(signed_sqrt(bilinear_pool(A, B)))
# --8<-- [end:bilinear]


# --8<-- [start:torch]
def bcnn_feature_torch(A: torch.Tensor, B: torch.Tensor, eps: float = 1e-10) -> torch.Tensor:
    """Same descriptor in PyTorch (torch.bmm); eps keeps the gradient of sqrt finite at 0."""
    if not (isinstance(A, torch.Tensor) and isinstance(B, torch.Tensor)) or A.ndim != 4 or B.ndim != 4:
        raise TypeError("A and B must be 4-D tensors (N, C, H, W)")
    if A.shape[0] != B.shape[0] or A.shape[2:] != B.shape[2:]:
        raise ValueError(f"A and B must share N, H and W, got {tuple(A.shape)} and {tuple(B.shape)}")
    G = torch.bmm(A.flatten(2), B.flatten(2).transpose(1, 2)).flatten(1)  # (N, C1 * C2)
    G = torch.sign(G) * torch.sqrt(G.abs() + eps)
    return torch.nn.functional.normalize(G, dim=1)
# --8<-- [end:torch]


def bilinear_pool_loop(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Reference: explicit loop over images and locations, np.outer at each location."""
    _check_pair(A, B)
    N, C1, H, W = A.shape
    out = np.zeros((N, C1, B.shape[1]))
    for n in range(N):
        for i in range(H):
            for j in range(W):
                out[n] += np.outer(A[n, :, i, j], B[n, :, i, j])
    return out.reshape(N, -1)


# --8<-- [start:example]
def co_occurrence_maps() -> tuple[np.ndarray, np.ndarray]:
    """Two (1, 2, 4, 4) feature maps with the same channel means: parts seen together vs apart."""
    together = np.zeros((1, 2, 4, 4))
    together[0, :, 1, 1] = together[0, :, 2, 2] = 1.0  # 两个通道在同样的两个位置激活
    apart = np.zeros((1, 2, 4, 4))
    apart[0, 0, 1, 1] = apart[0, 0, 2, 2] = 1.0
    apart[0, 1, 0, 3] = apart[0, 1, 3, 0] = 1.0  # 通道 1 换到别处激活
    return together, apart
# --8<-- [end:example]

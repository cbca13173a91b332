"""Feature fusion by addition (ResNet, FPN) or concatenation (DenseNet, U-Net), and its cost."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch
import torch.nn as nn

from snippets.cnn._checks import check_array, check_int
from snippets.cnn.conv import conv2d


class FusionCost(NamedTuple):
    """Cost of fusing two maps and applying one k x k conv (no bias) to the result, per image."""

    fused_channels: int  # 融合后张量的通道数
    conv_params: int  # 后接卷积的权重个数
    conv_macs: int  # 后接卷积的乘加次数
    fused_elements: int  # 融合后张量的元素个数 (新分配、且被后接卷积保存用于反向)


# --8<-- [start:cost]
def fusion_cost(mode: str, c_a: int, c_b: int, c_out: int, kernel_size: int, h: int, w: int) -> FusionCost:
    """Channels, parameters, MACs and memory of `fuse(a, b)` followed by a k x k conv ('same', stride 1).

    Args:
        mode: "add" (needs c_a == c_b) or "concat".
        c_a, c_b: channels of the two maps, both (c, h, w).
        c_out, kernel_size: the following conv.
    """
    if mode not in ("add", "concat"):
        raise ValueError(f"mode must be 'add' or 'concat', got {mode!r}")
    for name, v in (("c_a", c_a), ("c_b", c_b), ("c_out", c_out), ("kernel_size", kernel_size), ("h", h), ("w", w)):
        check_int(v, name, 1)
    if mode == "add" and c_a != c_b:
        raise ValueError(f"add needs c_a == c_b, got c_a={c_a}, c_b={c_b}")
    c = c_a if mode == "add" else c_a + c_b  # 相加不增加通道, 拼接是两者之和
    params = kernel_size**2 * c * c_out
    return FusionCost(fused_channels=c, conv_params=params, conv_macs=params * h * w, fused_elements=c * h * w)
# --8<-- [end:cost]


# --8<-- [start:identity]
def concat_conv_split(A: np.ndarray, B: np.ndarray, W: np.ndarray, padding: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """conv(concat(A, B), W) computed twice: directly, and as conv(A, W_a) + conv(B, W_b).

    Args:
        A: (N, c_a, H, W); B: (N, c_b, H, W); W: (c_out, c_a + c_b, kh, kw).

    Returns:
        (direct, split), both (N, c_out, OH, OW); they are equal because the conv sums over input channels.
    """
    A = check_array(A, "A", 4)
    B = check_array(B, "B", 4)
    W = check_array(W, "W", 4)
    if A.shape[0] != B.shape[0] or A.shape[2:] != B.shape[2:]:
        raise ValueError(f"A and B must share N, H, W, got {A.shape} and {B.shape}")
    c_a = A.shape[1]
    if W.shape[1] != c_a + B.shape[1]:
        raise ValueError(f"W must have c_a + c_b = {c_a + B.shape[1]} input channels, got {W.shape[1]}")
    direct = conv2d(np.concatenate([A, B], axis=1), W, padding=padding)
    split = conv2d(A, W[:, :c_a], padding=padding) + conv2d(B, W[:, c_a:], padding=padding)
    return direct, split
# --8<-- [end:identity]


# --8<-- [start:alignment]
def add_alignment_residual(A: np.ndarray, B: np.ndarray, W: np.ndarray, perm: np.ndarray) -> float:
    """How well any 1x1 conv after add can undo a channel permutation of B (relative LS residual).

    The target is W(A + B) per pixel. After concat, [A, B P] followed by the weights [W, W P^T] hits it
    exactly. After add, the input is A + B P and one matrix must serve both: the least-squares fit
    leaves a residual unless the channels of A and B P already mean the same thing.

    Args:
        A, B: (N, c, H, W); W: (c_out, c); perm: a permutation of range(c).

    Returns:
        ||best fit - target|| / ||target|| (0 means the permutation is harmless).
    """
    A = check_array(A, "A", 4)
    B = check_array(B, "B", 4)
    W = check_array(W, "W", 2)
    c = A.shape[1]
    if B.shape != A.shape or W.shape[1] != c:
        raise ValueError(f"A, B must have equal shapes and W shape (c_out, {c}), got {A.shape}, {B.shape}, {W.shape}")
    perm = np.asarray(perm)
    if sorted(perm.tolist()) != list(range(c)):
        raise ValueError(f"perm must be a permutation of range({c}), got {perm}")
    pix = lambda T: T.transpose(0, 2, 3, 1).reshape(-1, c)  # noqa: E731  (N*H*W, c), 每行一个像素
    target = (pix(A) + pix(B)) @ W.T  # (N*H*W, c_out)
    Z = pix(A) + pix(B)[:, perm]  # 相加前 B 的通道被打乱
    V, *_ = np.linalg.lstsq(Z, target, rcond=None)  # 最好的 1x1 卷积 (c, c_out)
    return float(np.linalg.norm(Z @ V - target) / np.linalg.norm(target))
# --8<-- [end:alignment]


class FuseThenConv(nn.Module):
    """Two conv branches from one input, fused by add or concat, then a 3x3 conv."""

    def __init__(self, mode: str, c_in: int, c: int, c_out: int) -> None:
        super().__init__()
        if mode not in ("add", "concat"):
            raise ValueError(f"mode must be 'add' or 'concat', got {mode!r}")
        self.mode = mode
        self.a = nn.Conv2d(c_in, c, 3, padding=1, bias=False)
        self.b = nn.Conv2d(c_in, c, 3, padding=1, bias=False)
        self.post = nn.Conv2d(c if mode == "add" else 2 * c, c_out, 3, padding=1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (N, c_in, H, W)
        a, b = torch.relu(self.a(x)), torch.relu(self.b(x))  # 各 (N, c, H, W)
        fused = a + b if self.mode == "add" else torch.cat([a, b], dim=1)
        return self.post(fused)  # (N, c_out, H, W)

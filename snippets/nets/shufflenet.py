"""ShuffleNet (Zhang et al., 2018): channel shuffle, which groups a stack of grouped convs lets talk, its unit;
and ShuffleNet V2's first guideline (Ma et al., 2018) as a memory-access count."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets._checks import check_float_array, check_int


def _check_groups(C: int, groups: int) -> int:
    g = check_int(groups, "groups", 1)
    if C % g:
        raise ValueError(f"groups must divide the channel count {C}, got {g}")
    return g


# --8<-- [start:shuffle]
def channel_shuffle(X: np.ndarray, groups: int) -> np.ndarray:
    """Interleave the channels of ``groups`` groups: (N, C, H, W) -> (N, C, H, W).

    Output channel j is input channel (j % g) * (C / g) + j // g: the first output channels take the
    first channel of every group in turn, so each group of the next grouped conv sees all groups.
    """
    check_float_array(X, "X", (4,))
    N, C, H, W = X.shape
    g = _check_groups(C, groups)
    return X.reshape(N, g, C // g, H, W).transpose(0, 2, 1, 3, 4).reshape(N, C, H, W)  # (g, C/g) -> (C/g, g)


def shuffle_permutation(C: int, groups: int) -> np.ndarray:
    """perm with channel_shuffle(X)[:, j] == X[:, perm[j]], written out index by index."""
    C = check_int(C, "C", 1)
    g = _check_groups(C, groups)
    return np.array([(j % g) * (C // g) + j // g for j in range(C)])
# --8<-- [end:shuffle]


# --8<-- [start:reach]
def group_reach(C: int, groups: int, shuffle: bool) -> np.ndarray:
    """Which input groups can reach each output group through GConv -> (shuffle) -> GConv.

    Returns:
        (groups, groups) bool array; [a, b] is True when output group a depends on input group b.
    """
    C = check_int(C, "C", 1)
    g = _check_groups(C, groups)
    group_of = np.arange(C) // (C // g)
    conv = group_of[:, None] == group_of[None, :]  # (C, C): 分组卷积只连同组的通道
    P = np.eye(C, dtype=int)[shuffle_permutation(C, g)] if shuffle else np.eye(C, dtype=int)
    reach = (conv.astype(int) @ P @ conv.astype(int)) > 0  # (C_out, C_in) 的连通性
    return np.array([[reach[group_of == a][:, group_of == b].any() for b in range(g)] for a in range(g)])
# --8<-- [end:reach]


class ShuffleUnit(nn.Module):
    """ShuffleNet unit: 1x1 GConv - shuffle - 3x3 DWConv - 1x1 GConv; add (stride 1) or concat (stride 2)."""

    def __init__(self, c_in: int, c_out: int, groups: int, stride: int) -> None:
        super().__init__()
        c_in, c_out, g = check_int(c_in, "c_in", 1), check_int(c_out, "c_out", 1), check_int(groups, "groups", 1)
        self.stride = check_int(stride, "stride", 1)
        if stride not in (1, 2):
            raise ValueError(f"stride must be 1 or 2, got {stride}")
        c_branch = c_out - c_in if stride == 2 else c_out  # 步长 2: 与平均池化后的输入拼接
        mid = c_out // 4  # 瓶颈宽度: 输出的 1/4
        if (stride == 1 and c_out != c_in) or c_branch < 1 or any(c % g for c in (c_in, mid, c_branch)):
            raise ValueError(f"c_out must equal c_in (stride 1) or exceed it (stride 2), with groups dividing c_in, "
                             f"c_out / 4 and the branch width; got c_in={c_in}, c_out={c_out}, groups={g}")
        self.g = g
        self.gconv1 = nn.Sequential(nn.Conv2d(c_in, mid, 1, groups=g, bias=False), nn.BatchNorm2d(mid), nn.ReLU())
        self.dw = nn.Sequential(nn.Conv2d(mid, mid, 3, stride, 1, groups=mid, bias=False), nn.BatchNorm2d(mid))
        self.gconv2 = nn.Sequential(nn.Conv2d(mid, c_branch, 1, groups=g, bias=False), nn.BatchNorm2d(c_branch))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, c_in, H, W) -> (N, c_out, H/s, W/s)
        out = self.gconv1(x)
        N, C, H, W = out.shape
        out = out.view(N, self.g, C // self.g, H, W).transpose(1, 2).reshape(N, C, H, W)  # 通道混洗
        out = self.gconv2(self.dw(out))
        if self.stride == 2:
            return F.relu(torch.cat([F.avg_pool2d(x, 3, 2, 1), out], dim=1))
        return F.relu(x + out)


# --8<-- [start:g1]
def pointwise_memory_access(h: int, w: int, c1: int, c2: int) -> int:
    """ShuffleNet V2's MAC of a 1x1 conv: read the input, write the output, read the weights."""
    h, w = check_int(h, "h", 1), check_int(w, "w", 1)
    c1, c2 = check_int(c1, "c1", 1), check_int(c2, "c2", 1)
    return h * w * (c1 + c2) + c1 * c2  # FLOPs B = h w c1 c2 固定时, c1 = c2 最小
# --8<-- [end:g1]

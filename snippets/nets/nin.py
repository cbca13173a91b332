"""Network in Network (Lin, Chen & Yan, 2014): mlpconv = 1x1 convolutions; global average pooling as the head."""

from __future__ import annotations

import torch.nn as nn

from snippets._checks import check_int


# --8<-- [start:mlpconv]
def mlpconv(c_in: int, c_out: int, kernel_size: int, stride: int = 1, padding: int = 0) -> nn.Sequential:
    """NiN block: a k x k conv followed by two 1x1 convs (a 3-layer MLP shared across positions), ReLU after each."""
    c_in, c_out = check_int(c_in, "c_in", 1), check_int(c_out, "c_out", 1)
    k = check_int(kernel_size, "kernel_size", 1)
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, k, stride, padding), nn.ReLU(),
        nn.Conv2d(c_out, c_out, 1), nn.ReLU(),  # 1x1 = 每个位置上的全连接层
        nn.Conv2d(c_out, c_out, 1), nn.ReLU(),
    )
# --8<-- [end:mlpconv]


# --8<-- [start:heads]
def fc_head_params(c: int, h: int, w: int, hidden: tuple[int, ...], num_classes: int) -> int:
    """Parameters of a flatten -> FC (hidden...) -> FC (num_classes) head on a C x H x W feature map."""
    if not isinstance(hidden, tuple):
        raise TypeError(f"hidden must be a tuple of layer widths, got {type(hidden).__name__}")
    dims = [check_int(c, "c", 1) * check_int(h, "h", 1) * check_int(w, "w", 1),
            *(check_int(d, "hidden", 1) for d in hidden), check_int(num_classes, "num_classes", 1)]
    return sum(i * o + o for i, o in zip(dims[:-1], dims[1:], strict=True))  # 每层 i*o 个权重 + o 个偏置


def gap_head_params(c: int, num_classes: int) -> int:
    """Parameters of NiN's head: a 1x1 conv to num_classes maps, then global average pooling (no weights)."""
    return check_int(c, "c", 1) * check_int(num_classes, "num_classes", 1) + num_classes
# --8<-- [end:heads]

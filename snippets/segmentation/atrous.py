"""Atrous (dilated) convolution arithmetic: effective kernel size, how many taps of a 3x3 filter land
inside the feature map at a given rate (DeepLabv3's argument for image pooling), and the footprint of
stacked dilated convolutions (gridding)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int


# --8<-- [start:atrous]
def effective_kernel(k: int, dilation: int) -> int:
    """Span of a k x k kernel with holes: k + (k - 1)(dilation - 1)."""
    return check_int(k, "k", 1) + (k - 1) * (check_int(dilation, "dilation", 1) - 1)


def valid_taps(size: int, rate: int, k: int = 3) -> np.ndarray:
    """Number of the k x k taps inside a size x size map (zero padding) at each output position: (size, size)."""
    n, r = check_int(size, "size", 1), check_int(rate, "rate", 1)
    offs = (np.arange(check_int(k, "k", 1)) - k // 2) * r  # 抽头相对中心的偏移 (k,)
    pos = np.arange(n)
    inside = ((pos[:, None] + offs[None, :]) >= 0) & ((pos[:, None] + offs[None, :]) < n)  # (n, k) 一维是否落在图内
    per_axis = inside.sum(1)  # (n,) 每个位置一维上有几个抽头有效
    return per_axis[:, None] * per_axis[None, :]  # 二维的有效抽头数 = 两个方向之积


def footprint(dilations: tuple[int, ...], k: int = 3) -> np.ndarray:
    """How many paths connect each input pixel to one output pixel through stacked k x k convs (all-ones
    kernels) with the given dilations; (S, S) with S the receptive field. Zeros inside it are holes."""
    if not isinstance(dilations, tuple) or not dilations:
        raise ValueError(f"dilations must be a non-empty tuple of ints, got {dilations!r}")
    k = check_int(k, "k", 1)
    span = 1 + sum((k - 1) * check_int(d, "dilations", 1) for d in dilations)  # 感受野
    F = np.zeros((span, span), dtype=np.int64)
    F[span // 2, span // 2] = 1  # 从一个输出像素往回传
    for d in dilations:
        G = np.zeros_like(F)
        for dy in (np.arange(k) - k // 2) * d:
            for dx in (np.arange(k) - k // 2) * d:
                G += np.roll(F, (dy, dx), axis=(0, 1))  # 感受野足够大, roll 不会绕回到有值的地方
        F = G
    return F
# --8<-- [end:atrous]

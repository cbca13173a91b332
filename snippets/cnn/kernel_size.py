"""Kernel-size choices: stacked 3x3 vs one large kernel, the 1x1 convolution and the bottleneck."""

from __future__ import annotations

import numpy as np

from snippets.cnn._checks import check_array, check_int
from snippets.cnn.conv import conv2d
from snippets.cnn.params_flops import conv2d_macs, conv2d_params
from snippets.cnn.receptive_field import Layer, receptive_field


# --8<-- [start:stacked]
def stacked_vs_single(c: int, n_layers: int, small: int = 3) -> dict[str, int]:
    """n stacked small x small convs (c -> c channels, stride 1) vs the one conv with the same receptive field.

    Args:
        c: channels in and out of every layer.
        n_layers: how many small convs are stacked.
        small: the small kernel size.

    Returns:
        receptive field, the equivalent large kernel size, weights of each option (no bias), and
        the number of nonlinearities each option puts between input and output.
    """
    c, n, k = check_int(c, "c", 1), check_int(n_layers, "n_layers", 1), check_int(small, "small", 1)
    r = receptive_field([Layer(k)] * n)[-1].r  # = n(k - 1) + 1
    return {
        "receptive_field": r,
        "large_kernel": r,
        "stacked_params": n * conv2d_params(c, c, k, bias=False),  # n * k^2 c^2
        "single_params": conv2d_params(c, c, r, bias=False),  # r^2 c^2
        "stacked_relus": n,
        "single_relus": 1,
    }
# --8<-- [end:stacked]


# --8<-- [start:compose]
def compose_kernels(kernels: list[np.ndarray]) -> np.ndarray:
    """The single kernel equal to several stride-1 cross-correlations applied in turn (no nonlinearity).

    Args:
        kernels: 2-D kernels, first applied first, shapes (k_i, k_i).

    Returns:
        One kernel of side sum(k_i - 1) + 1: three 3x3 give one 7x7.
    """
    if not kernels:
        raise ValueError("kernels must hold at least one kernel")
    K = check_array(kernels[0], "kernels", 2)
    for b in kernels[1:]:
        b = check_array(b, "kernels", 2)
        kb = b.shape[0]
        # 两次互相关 = 一次互相关, 核为 a 与 b 的 full 卷积 (b 翻转后做 full 互相关)
        K = conv2d(np.pad(K, kb - 1)[None, None], b[::-1, ::-1][None, None].copy())[0, 0]
    return K
# --8<-- [end:compose]


# --8<-- [start:one_by_one]
def conv1x1(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """A 1x1 convolution is the same linear map W (out, in) applied to the channel vector of every pixel.

    Args:
        X: input, shape (N, C, H, W).
        W: weights, shape (O, C) (nn.Conv2d's (O, C, 1, 1) squeezed).

    Returns:
        Shape (N, O, H, W).
    """
    X, W = check_array(X, "X", 4), check_array(W, "W", 2)
    if W.shape[1] != X.shape[1]:
        raise ValueError(f"W must have X.shape[1] = {X.shape[1]} columns, got {W.shape}")
    # 每个像素位置 (h, w) 上: y[:, h, w] = W @ x[:, h, w]; 只混合通道, 不看邻居
    return np.einsum("oc,nchw->nohw", W, X)
# --8<-- [end:one_by_one]


# --8<-- [start:bottleneck]
def bottleneck_cost(h: int, w: int, c_in: int, c_mid: int, c_out: int, kernel_size: int) -> dict[str, int]:
    """MACs and weights of a k x k conv c_in -> c_out, directly or after a 1x1 reduction to c_mid.

    Args:
        h, w: spatial size, kept by 'same' padding.
        c_in, c_mid, c_out: channels.
        kernel_size: k of the expensive conv.

    Returns:
        MACs and parameters (no bias) of both options.
    """
    k = check_int(kernel_size, "kernel_size", 1)
    direct = conv2d_macs(c_in, c_out, k, h, w)
    reduce = conv2d_macs(c_in, c_mid, 1, h, w)  # 1x1: 先把通道数从 c_in 降到 c_mid
    expand = conv2d_macs(c_mid, c_out, k, h, w)  # 再在少得多的通道上做 k x k
    return {
        "direct_macs": direct,
        "bottleneck_macs": reduce + expand,
        "direct_params": conv2d_params(c_in, c_out, k, bias=False),
        "bottleneck_params": conv2d_params(c_in, c_mid, 1, bias=False) + conv2d_params(c_mid, c_out, k, bias=False),
    }
# --8<-- [end:bottleneck]

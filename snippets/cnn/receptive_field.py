"""Receptive field of stacked conv / pooling layers: the recursive formula and an empirical check."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snippets.cnn._checks import check_int
from snippets.cnn.conv_backward import conv2d_input_grad_full
from snippets.cnn.output_size import conv_output_size


@dataclass(frozen=True)
class Layer:
    """One conv or pooling layer, as far as geometry goes (channels do not matter)."""

    kernel_size: int
    stride: int = 1
    padding: int = 0
    dilation: int = 1


@dataclass(frozen=True)
class RF:
    """Receptive field after a layer: size r, jump j (input pixels between neighbouring units),
    and the input coordinate of the centre of output unit 0."""

    r: int
    j: int
    start: float


def _check_layers(layers: list[Layer]) -> list[Layer]:
    if not isinstance(layers, list) or not all(isinstance(layer, Layer) for layer in layers):
        raise TypeError("layers must be a list of Layer")
    for layer in layers:
        check_int(layer.kernel_size, "kernel_size", 1), check_int(layer.stride, "stride", 1)
        check_int(layer.padding, "padding", 0), check_int(layer.dilation, "dilation", 1)
    return layers


# --8<-- [start:formula]
def receptive_field(layers: list[Layer]) -> list[RF]:
    """r_l = r_{l-1} + d_l (k_l - 1) j_{l-1},  j_l = j_{l-1} s_l, starting from r_0 = j_0 = 1.

    Args:
        layers: the layers from input to output.

    Returns:
        One RF per layer (the input itself not included).
    """
    layers = _check_layers(layers)
    r, j, start = 1, 1, 0.0
    out = []
    for L in layers:
        k_eff = L.dilation * (L.kernel_size - 1) + 1  # 膨胀后核的跨度
        r = r + (k_eff - 1) * j  # 新增的 k_eff - 1 个位置, 每个位置在输入上相隔 j 个像素
        start = start + ((k_eff - 1) / 2 - L.padding) * j  # 第 0 个输出单元的中心 (padding 让它左移)
        j = j * L.stride
        out.append(RF(r, j, start))
    return out
# --8<-- [end:formula]


# --8<-- [start:empirical]
def input_gradient_of_center_unit(layers: list[Layer], size: int) -> np.ndarray:
    """|d y_center / d x| for a single-channel stack with all-ones kernels and no nonlinearity.

    Back-propagates a one-hot gradient at the centre output unit through every layer with the
    chapter's own conv backward. Positive weights mean nothing cancels: the non-zero region of the
    result is exactly the centre unit's receptive field.

    Args:
        layers: the layers from input to output (pooling is modelled as a conv with the same geometry).
        size: side of the square input.

    Returns:
        Gradient map of shape (size, size).
    """
    layers = _check_layers(layers)
    sizes = [check_int(size, "size", 1)]
    for L in layers:
        sizes.append(conv_output_size(sizes[-1], L.kernel_size, L.stride, L.padding, L.dilation))
    g = np.zeros((1, 1, sizes[-1], sizes[-1]))
    g[0, 0, sizes[-1] // 2, sizes[-1] // 2] = 1.0  # dL/dy: 只有中心单元为 1
    for L, n_in in zip(reversed(layers), reversed(sizes[:-1]), strict=True):
        W = np.ones((1, 1, L.kernel_size, L.kernel_size))
        g = conv2d_input_grad_full(g, W, (1, 1, n_in, n_in), L.stride, L.padding, L.dilation)
    return g[0, 0]
# --8<-- [end:empirical]

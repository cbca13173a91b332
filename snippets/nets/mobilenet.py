"""Depthwise separable convolution and MobileNetV2 (Sandler et al., 2018)."""

from __future__ import annotations

import torch
import torch.nn as nn

from snippets._checks import check_int


# --8<-- [start:separable]
def separable_cost_ratio(c_out: int, kernel_size: int) -> float:
    """(depthwise k x k + pointwise 1x1) / standard k x k conv, in weights and in MACs: 1/c_out + 1/k^2."""
    o, k = check_int(c_out, "c_out", 1), check_int(kernel_size, "kernel_size", 1)
    return 1 / o + 1 / k**2


def depthwise_separable(c_in: int, c_out: int, kernel_size: int = 3, stride: int = 1) -> nn.Sequential:
    """MobileNet v1's unit: k x k depthwise conv (groups = c_in) - BN - ReLU - 1x1 pointwise conv - BN - ReLU."""
    c_in, c_out = check_int(c_in, "c_in", 1), check_int(c_out, "c_out", 1)
    k = check_int(kernel_size, "kernel_size", 1)
    return nn.Sequential(
        nn.Conv2d(c_in, c_in, k, stride, k // 2, groups=c_in, bias=False), nn.BatchNorm2d(c_in), nn.ReLU(),
        nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),  # 每个通道各自做空间滤波, 再混通道
    )
# --8<-- [end:separable]


def conv_bn(c_in: int, c_out: int, kernel_size: int, stride: int = 1, groups: int = 1,
            act: bool = True) -> nn.Sequential:
    """Conv (no bias) - BN - optional ReLU6."""
    layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, kernel_size, stride, kernel_size // 2, groups=groups, bias=False),
                               nn.BatchNorm2d(c_out)]
    return nn.Sequential(*layers, nn.ReLU6()) if act else nn.Sequential(*layers)


# --8<-- [start:inverted]
class InvertedResidual(nn.Module):
    """1x1 expand (x t) - 3x3 depthwise - 1x1 linear projection; a shortcut when stride 1 and c_in == c_out."""

    def __init__(self, c_in: int, c_out: int, stride: int, t: int) -> None:
        super().__init__()
        hidden = c_in * t
        layers = [conv_bn(c_in, hidden, 1)] if t != 1 else []  # 先升维: 窄 -> 宽 (与 ResNet 瓶颈相反)
        layers += [conv_bn(hidden, hidden, 3, stride, groups=hidden),  # 深度卷积
                   conv_bn(hidden, c_out, 1, act=False)]  # 线性瓶颈: 降维后不接 ReLU
        self.body = nn.Sequential(*layers)
        self.use_shortcut = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x) if self.use_shortcut else self.body(x)


# (t, c, n, s): 扩张倍数, 输出通道, 重复次数, 第一个块的步长 (论文表 2)
SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def mobilenet_v2(num_classes: int = 1000) -> nn.Sequential:
    """MobileNetV2 at width 1.0: 3x3 stem (32), 17 inverted residual blocks, 1x1 conv to 1280, GAP, FC."""
    layers: list[nn.Module] = [conv_bn(3, 32, 3, 2)]  # 224 -> 112
    c = 32
    for t, c_out, n, s in SETTINGS:
        for i in range(n):
            layers.append(InvertedResidual(c, c_out, s if i == 0 else 1, t))
            c = c_out
    return nn.Sequential(*layers, conv_bn(c, 1280, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Dropout(0.2), nn.Linear(1280, check_int(num_classes, "num_classes", 1)))
# --8<-- [end:inverted]

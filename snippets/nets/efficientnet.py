"""EfficientNet (Tan & Le, 2019): compound scaling and the B0 network of MBConv blocks with squeeze-and-excitation."""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets._checks import check_int
from snippets.nets.mobilenet import conv_bn
from snippets.nets.resnext_se import SqueezeExcite


# --8<-- [start:scaling]
def compound_scaling(phi: float, alpha: float = 1.2, beta: float = 1.1, gamma: float = 1.15) -> dict[str, float]:
    """Depth, width and resolution multipliers for compound coefficient phi, and the FLOPs multiplier.

    FLOPs of a conv net grow linearly with depth and quadratically with width and resolution, so they
    scale by d * w^2 * r^2 = (alpha * beta^2 * gamma^2)^phi; the paper picks alpha beta^2 gamma^2 ~ 2.
    """
    if isinstance(phi, bool) or not isinstance(phi, int | float) or phi < 0:
        raise ValueError(f"phi must be a number >= 0, got {phi!r}")
    for name, v in (("alpha", alpha), ("beta", beta), ("gamma", gamma)):
        if not isinstance(v, int | float) or v < 1:
            raise ValueError(f"{name} must be a number >= 1, got {v!r}")
    d, w, r = alpha**phi, beta**phi, gamma**phi
    return {"depth": d, "width": w, "resolution": r, "flops": d * w**2 * r**2}
# --8<-- [end:scaling]


def conv_bn_silu(c_in: int, c_out: int, kernel_size: int, stride: int = 1, groups: int = 1) -> nn.Sequential:
    """Conv (no bias) - BN - SiLU: MobileNet's conv_bn with swish instead of ReLU6."""
    return nn.Sequential(*conv_bn(c_in, c_out, kernel_size, stride, groups, act=False), nn.SiLU())


# --8<-- [start:mbconv]
class SqueezeExciteSiLU(SqueezeExcite):
    """The SE module of the ResNeXt/SENet page with SiLU inside, as EfficientNet uses it."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, C, H, W) -> (N, C, H, W)
        w = torch.sigmoid(self.fc2(F.silu(self.fc1(x.mean(dim=(2, 3))))))
        return x * w[:, :, None, None]


class MBConv(nn.Module):
    """MobileNetV2's inverted residual with a k x k depthwise conv, SE on the wide channels, and SiLU."""

    def __init__(self, c_in: int, c_out: int, kernel_size: int, stride: int, t: int) -> None:
        super().__init__()
        c_in, c_out = check_int(c_in, "c_in", 1), check_int(c_out, "c_out", 1)
        kernel_size, stride = check_int(kernel_size, "kernel_size", 1), check_int(stride, "stride", 1)
        t = check_int(t, "t", 1)  # 扩张倍数
        hidden = c_in * t
        layers: list[nn.Module] = [conv_bn_silu(c_in, hidden, 1)] if t != 1 else []  # 1x1 升维
        layers += [conv_bn_silu(hidden, hidden, kernel_size, stride, groups=hidden),  # 深度卷积
                   SqueezeExciteSiLU(hidden, reduction=4 * t),  # 压到 c_in / 4 个通道
                   conv_bn(hidden, c_out, 1, act=False)]  # 线性瓶颈
        self.body = nn.Sequential(*layers)
        self.use_shortcut = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x) if self.use_shortcut else self.body(x)  # 训练时还有随机深度 (此处省略)


# (t, k, s, c_out, n): 扩张倍数, 核, 第一个块的步长, 输出通道, 重复次数 (论文表 1)
B0_STAGES = [(1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3),
             (6, 5, 1, 112, 3), (6, 5, 2, 192, 4), (6, 3, 1, 320, 1)]


def efficientnet_b0(num_classes: int = 1000) -> nn.Sequential:
    """EfficientNet-B0: 3x3 stem (32), 16 MBConv blocks, 1x1 conv to 1280, GAP, dropout 0.2, FC."""
    layers: list[nn.Module] = [conv_bn_silu(3, 32, 3, 2)]  # 224 -> 112
    c = 32
    for t, k, s, c_out, n in B0_STAGES:
        for i in range(n):
            layers.append(MBConv(c, c_out, k, s if i == 0 else 1, t))
            c = c_out
    return nn.Sequential(*layers, conv_bn_silu(c, 1280, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Dropout(0.2), nn.Linear(1280, check_int(num_classes, "num_classes", 1)))
# --8<-- [end:mbconv]

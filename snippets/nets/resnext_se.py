"""ResNeXt (Xie et al., 2017) and squeeze-and-excitation (Hu et al., 2018) as changes to the ResNet bottleneck."""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets._checks import check_int
from snippets.nets.resnet import Bottleneck, ResNet


# --8<-- [start:resnext]
class ResNeXtBlock(Bottleneck):
    """Bottleneck whose 3x3 conv is split into `groups` paths of `base_width` channels each (32x4d)."""

    groups, base_width = 32, 4

    def __init__(self, c_in: int, width: int, stride: int = 1, option: str = "B") -> None:
        super().__init__(c_in, width, stride, option)
        inner = width * self.base_width // 64 * self.groups  # stage 1: 64 * 4 / 64 * 32 = 128 个通道
        self.conv1, self.bn1 = nn.Conv2d(c_in, inner, 1, bias=False), nn.BatchNorm2d(inner)
        self.conv2 = nn.Conv2d(inner, inner, 3, stride, 1, groups=self.groups, bias=False)  # 32 条路径 = 分组卷积
        self.bn2 = nn.BatchNorm2d(inner)
        self.conv3 = nn.Conv2d(inner, width * self.expansion, 1, bias=False)


def resnext50_32x4d(num_classes: int = 1000) -> ResNet:
    """ResNeXt-50 (32x4d): ResNet-50's layout with ResNeXtBlock."""
    return ResNet(ResNeXtBlock, [3, 4, 6, 3], num_classes)
# --8<-- [end:resnext]


# --8<-- [start:se]
class SqueezeExcite(nn.Module):
    """Channel attention: global average pool -> FC (C -> C/r) -> ReLU -> FC (C/r -> C) -> sigmoid -> rescale."""

    def __init__(self, channels: int, reduction: int = 16) -> None:
        super().__init__()
        c, r = check_int(channels, "channels", 1), check_int(reduction, "reduction", 1)
        self.fc1, self.fc2 = nn.Linear(c, c // r), nn.Linear(c // r, c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, C, H, W) -> (N, C, H, W)
        s = x.mean(dim=(2, 3))  # squeeze: (N, C)
        w = torch.sigmoid(self.fc2(F.relu(self.fc1(s))))  # excitation: 每个通道一个 (0, 1) 的权重
        return x * w[:, :, None, None]


class SEBottleneck(Bottleneck):
    """ResNet bottleneck with SE on the residual branch, before the addition."""

    def __init__(self, c_in: int, width: int, stride: int = 1, option: str = "B") -> None:
        super().__init__(c_in, width, stride, option)
        self.se = SqueezeExcite(width * self.expansion)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.se(self.bn3(self.conv3(out)))  # 先按通道重新加权, 再与捷径相加
        return F.relu(out + self.shortcut(x))


def se_resnet50(num_classes: int = 1000) -> ResNet:
    """SE-ResNet-50 (reduction 16)."""
    return ResNet(SEBottleneck, [3, 4, 6, 3], num_classes)
# --8<-- [end:se]

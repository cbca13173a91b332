"""ResNet (He et al., 2016): basic and bottleneck blocks, shortcuts A/B/C, pre-activation (v2)."""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets._checks import check_int

SHORTCUTS = ("A", "B", "C")


# --8<-- [start:shortcut]
class ShortcutA(nn.Module):
    """Option A: subsample by the stride, then append zero channels (no parameters)."""

    def __init__(self, c_in: int, c_out: int, stride: int) -> None:
        super().__init__()
        self.pad, self.stride = c_out - c_in, stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, c_in, H, W) -> (N, c_out, H/s, W/s)
        x = x[:, :, :: self.stride, :: self.stride]
        return F.pad(x, (0, 0, 0, 0, 0, self.pad))  # 在通道维末尾补 0


def shortcut(c_in: int, c_out: int, stride: int, option: str) -> nn.Module:
    """The identity branch of a block: identity when shapes match (options A, B), else A or a 1x1 projection."""
    if option not in SHORTCUTS:
        raise ValueError(f"option must be one of {SHORTCUTS}, got {option!r}")
    if c_in == c_out and stride == 1 and option != "C":
        return nn.Identity()
    if option == "A":
        return ShortcutA(c_in, c_out, stride)
    # B: 只在形状变化处投影; C: 每个块都投影。1x1 卷积 + BN, 参数 c_in * c_out + 2 * c_out
    return nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm2d(c_out))
# --8<-- [end:shortcut]


# --8<-- [start:blocks]
class BasicBlock(nn.Module):
    """Two 3x3 convs (ResNet-18/34): out = relu(F(x) + shortcut(x))."""

    expansion = 1

    def __init__(self, c_in: int, width: int, stride: int = 1, option: str = "B") -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, width, 3, stride=stride, padding=1, bias=False)  # BN 前的偏置多余
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.shortcut = shortcut(c_in, width, stride, option)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))  # 先相加, 再 ReLU


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3, 1x1 expand (x4) (ResNet-50/101/152); the stride sits on the 3x3 as in torchvision."""

    expansion = 4

    def __init__(self, c_in: int, width: int, stride: int = 1, option: str = "B") -> None:
        super().__init__()
        c_out = width * self.expansion
        self.conv1 = nn.Conv2d(c_in, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, c_out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(c_out)
        self.shortcut = shortcut(c_in, c_out, stride, option)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return F.relu(out + self.shortcut(x))
# --8<-- [end:blocks]


# --8<-- [start:preact]
class PreActBlock(nn.Module):
    """ResNet v2 basic block: BN and ReLU moved before each conv; nothing after the addition."""

    expansion = 1

    def __init__(self, c_in: int, width: int, stride: int = 1, option: str = "B") -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm2d(c_in)
        self.conv1 = nn.Conv2d(c_in, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1, bias=False)
        self.shortcut = shortcut(c_in, width, stride, option)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv1(F.relu(self.bn1(x)))
        out = self.conv2(F.relu(self.bn2(out)))
        return out + self.shortcut(x)  # x_{l+1} = x_l + F(x_l): 恒等支路上没有任何运算
# --8<-- [end:preact]


Block = type[BasicBlock] | type[Bottleneck] | type[PreActBlock]


# --8<-- [start:resnet]
class ResNet(nn.Module):
    """ImageNet ResNet: 7x7 stem, four stages (widths 64..512, stride 2 from stage 2), GAP, one FC."""

    def __init__(self, block: Block, layers: list[int], num_classes: int = 1000, option: str = "B") -> None:
        super().__init__()
        if not (isinstance(block, type) and issubclass(block, (BasicBlock, Bottleneck, PreActBlock))):
            raise TypeError(f"block must be BasicBlock, Bottleneck or PreActBlock, got {block!r}")
        if not isinstance(layers, list) or len(layers) != 4:
            raise ValueError(f"layers must be a list of 4 block counts, got {layers!r}")
        self.stem = nn.Sequential(
            nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
            nn.MaxPool2d(3, stride=2, padding=1),  # 224 -> 112 -> 56
        )
        stages, c = [], 64
        for i, (width, n) in enumerate(zip((64, 128, 256, 512), layers, strict=True)):
            blocks = []
            for j in range(check_int(n, "layers", 1)):
                stride = 2 if i > 0 and j == 0 else 1  # 每个 stage 的第一个块减半分辨率
                blocks.append(block(c, width, stride, option))
                c = width * block.expansion
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(),  # 全局平均池化: 7x7 -> 1x1
                                  nn.Linear(c, check_int(num_classes, "num_classes", 1)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, 3, H, W) -> (N, num_classes)
        return self.head(self.stages(self.stem(x)))


def resnet18(num_classes: int = 1000, option: str = "B") -> ResNet:
    """ResNet-18: BasicBlock x [2, 2, 2, 2]."""
    return ResNet(BasicBlock, [2, 2, 2, 2], num_classes, option)


def resnet50(num_classes: int = 1000, option: str = "B") -> ResNet:
    """ResNet-50: Bottleneck x [3, 4, 6, 3]."""
    return ResNet(Bottleneck, [3, 4, 6, 3], num_classes, option)
# --8<-- [end:resnet]

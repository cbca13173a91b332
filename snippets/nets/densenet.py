"""DenseNet-BC (Huang et al., 2017): dense layers with growth rate k, bottlenecks and transitions."""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets._checks import check_int


# --8<-- [start:layer]
class DenseLayer(nn.Module):
    """BN-ReLU-1x1 conv (4k channels) - BN-ReLU-3x3 conv (k channels) on the concatenation of all inputs."""

    def __init__(self, c_in: int, growth_rate: int, bn_size: int = 4) -> None:
        super().__init__()
        self.norm1, self.conv1 = nn.BatchNorm2d(c_in), nn.Conv2d(c_in, bn_size * growth_rate, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, 3, padding=1, bias=False)

    def forward(self, features: list[torch.Tensor]) -> torch.Tensor:  # 前面所有层的输出 -> (N, k, H, W)
        x = torch.cat(features, dim=1)  # 拼接: c_0 + (l - 1) k 个通道
        x = self.conv1(F.relu(self.norm1(x)))  # 瓶颈: 先压到 4k 个通道
        return self.conv2(F.relu(self.norm2(x)))


class DenseBlock(nn.Module):
    """num_layers dense layers; layer l sees c_in + (l - 1) * growth_rate channels; output adds all of them."""

    def __init__(self, num_layers: int, c_in: int, growth_rate: int) -> None:
        super().__init__()
        n = check_int(num_layers, "num_layers", 1)
        self.layers = nn.ModuleList(DenseLayer(c_in + i * growth_rate, growth_rate) for i in range(n))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, c_in, H, W) -> (N, c_in + n k, H, W)
        features = [x]
        for layer in self.layers:
            features.append(layer(features))
        return torch.cat(features, dim=1)
# --8<-- [end:layer]


# --8<-- [start:densenet]
def transition(c_in: int, c_out: int) -> nn.Sequential:
    """BN-ReLU-1x1 conv (compression: c_out = c_in / 2) - 2x2 average pooling."""
    return nn.Sequential(nn.BatchNorm2d(c_in), nn.ReLU(), nn.Conv2d(c_in, c_out, 1, bias=False), nn.AvgPool2d(2, 2))


def densenet(block_config: tuple[int, ...] = (6, 12, 24, 16), growth_rate: int = 32, num_init: int = 64,
             num_classes: int = 1000) -> nn.Sequential:
    """DenseNet-BC; the defaults give DenseNet-121 (torchvision's layout and counts).

    Args:
        block_config: dense layers per block ((6, 12, 24, 16) is 121 layers deep).
        growth_rate: k, channels each dense layer adds.
        num_init: channels of the 7x7 stem.
        num_classes: outputs.

    Returns:
        An nn.Sequential taking (N, 3, 224, 224).
    """
    k = check_int(growth_rate, "growth_rate", 1)
    if not block_config:
        raise ValueError("block_config must name at least one block")
    c = check_int(num_init, "num_init", 1)
    mods: list[nn.Module] = [nn.Conv2d(3, c, 7, 2, 3, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
                             nn.MaxPool2d(3, 2, 1)]  # 224 -> 56
    for i, n in enumerate(block_config):
        mods.append(DenseBlock(n, c, k))
        c += n * k
        if i < len(block_config) - 1:
            mods.append(transition(c, c // 2))  # 压缩系数 0.5, 尺寸减半
            c //= 2
    mods += [nn.BatchNorm2d(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
             nn.Linear(c, check_int(num_classes, "num_classes", 1))]
    return nn.Sequential(*mods)
# --8<-- [end:densenet]

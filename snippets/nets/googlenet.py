"""GoogLeNet / Inception v1 (Szegedy et al., 2015), as the paper draws it and as torchvision builds it."""

from __future__ import annotations

import torch
import torch.nn as nn

from snippets._checks import check_int


def inception_conv(c_in: int, c_out: int, kernel_size: int, stride: int = 1, bn: bool = True) -> nn.Sequential:
    """Conv + ReLU; with bn, conv without bias + BatchNorm (eps 1e-3, as torchvision) before the ReLU."""
    pad = kernel_size // 2
    if bn:
        return nn.Sequential(nn.Conv2d(c_in, c_out, kernel_size, stride, pad, bias=False),
                             nn.BatchNorm2d(c_out, eps=1e-3), nn.ReLU())
    return nn.Sequential(nn.Conv2d(c_in, c_out, kernel_size, stride, pad), nn.ReLU())


# --8<-- [start:inception]
class Inception(nn.Module):
    """Four parallel branches concatenated on channels: 1x1 | 1x1 -> 3x3 | 1x1 -> 5x5 | pool -> 1x1."""

    def __init__(self, c_in: int, c1: int, c3r: int, c3: int, c5r: int, c5: int, pool_proj: int,
                 k5: int = 5, bn: bool = True) -> None:
        super().__init__()
        self.b1 = inception_conv(c_in, c1, 1, bn=bn)
        self.b2 = nn.Sequential(inception_conv(c_in, c3r, 1, bn=bn), inception_conv(c3r, c3, 3, bn=bn))  # 1x1 先降维
        self.b3 = nn.Sequential(inception_conv(c_in, c5r, 1, bn=bn), inception_conv(c5r, c5, k5, bn=bn))
        self.b4 = nn.Sequential(nn.MaxPool2d(3, 1, 1, ceil_mode=True), inception_conv(c_in, pool_proj, 1, bn=bn))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, c_in, H, W) -> (N, c1+c3+c5+pool_proj, H, W)
        return torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], dim=1)
# --8<-- [end:inception]


class AuxHead(nn.Module):
    """Auxiliary classifier on 4a and 4d: 5x5/3 avg pool (4x4 out), 1x1 conv 128, FC 1024, dropout 0.7, FC."""

    def __init__(self, c_in: int, num_classes: int, bn: bool = True) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.AdaptiveAvgPool2d(4), inception_conv(c_in, 128, 1, bn=bn), nn.Flatten(),
                                  nn.Linear(2048, 1024), nn.ReLU(), nn.Dropout(0.7), nn.Linear(1024, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


# (c1, c3r, c3, c5r, c5, pool_proj) of 3a .. 5b, the paper's Table 1
CFG = {"3a": (64, 96, 128, 16, 32, 32), "3b": (128, 128, 192, 32, 96, 64), "4a": (192, 96, 208, 16, 48, 64),
       "4b": (160, 112, 224, 24, 64, 64), "4c": (128, 128, 256, 24, 64, 64), "4d": (112, 144, 288, 32, 64, 64),
       "4e": (256, 160, 320, 32, 128, 128), "5a": (256, 160, 320, 32, 128, 128), "5b": (384, 192, 384, 48, 128, 128)}


# --8<-- [start:googlenet]
class GoogLeNet(nn.Module):
    """Stem, nine Inception modules (pooling after 3b and 4e), global average pooling, one FC.

    Args:
        num_classes: outputs.
        aux: add the two auxiliary heads (training only; forward then returns three logits in train mode).
        torchvision: True copies torchvision (BN after every conv, 3x3 instead of 5x5 in the third branch,
            a known slip kept for its pretrained weights); False is the paper (no BN, 5x5).
    """

    def __init__(self, num_classes: int = 1000, aux: bool = False, torchvision: bool = True) -> None:
        super().__init__()
        bn, k5 = torchvision, 3 if torchvision else 5
        self.stem = nn.Sequential(
            inception_conv(3, 64, 7, stride=2, bn=bn), nn.MaxPool2d(3, 2, ceil_mode=True),  # 224 -> 112 -> 56
            inception_conv(64, 64, 1, bn=bn), inception_conv(64, 192, 3, bn=bn),
            nn.MaxPool2d(3, 2, ceil_mode=True),  # -> 28
        )
        mods, c = {}, 192
        for name, cfg in CFG.items():
            mods[name] = Inception(c, *cfg, k5=k5, bn=bn)
            c = cfg[0] + cfg[2] + cfg[4] + cfg[5]  # 拼接后的通道数
        self.inc = nn.ModuleDict(mods)
        self.pool3, self.pool4 = nn.MaxPool2d(3, 2, ceil_mode=True), nn.MaxPool2d(2, 2, ceil_mode=True)
        n = check_int(num_classes, "num_classes", 1)
        self.aux = nn.ModuleList([AuxHead(512, n, bn), AuxHead(528, n, bn)]) if aux else None
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.4), nn.Linear(c, n))

    def forward(self, x: torch.Tensor) -> torch.Tensor | tuple[torch.Tensor, ...]:
        x = self.stem(x)
        aux_out = []
        for name, m in self.inc.items():
            x = m(x)
            if self.aux is not None and self.training and name in ("4a", "4d"):
                aux_out.append(self.aux[0 if name == "4a" else 1](x))  # 中间层的辅助损失
            x = self.pool3(x) if name == "3b" else self.pool4(x) if name == "4e" else x
        out = self.head(x)  # 全局平均池化: 1024x7x7 -> 1024
        return (out, *aux_out) if aux_out else out
# --8<-- [end:googlenet]

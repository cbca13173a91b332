"""VGG configurations A-E (Simonyan & Zisserman, 2015) as PyTorch modules."""

from __future__ import annotations

import torch.nn as nn

from snippets._checks import check_int

# --8<-- [start:configs]
# 数字 = 3x3 卷积的输出通道, "1x1-" 前缀 = 1x1 卷积 (只在 C 中), "M" = 2x2 最大池化 (步长 2)
CONFIGS: dict[str, list[int | str]] = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],  # VGG-11
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],  # VGG-13
    "C": [64, 64, "M", 128, 128, "M", 256, 256, "1x1-256", "M", 512, 512, "1x1-512", "M",
          512, 512, "1x1-512", "M"],  # 16 层, 每段最后一个是 1x1
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],  # VGG-16
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
          512, 512, 512, 512, "M"],  # VGG-19
}
# --8<-- [end:configs]


# --8<-- [start:vgg]
def vgg(config: str = "D", num_classes: int = 1000) -> nn.Sequential:
    """A VGG net without BN: conv stages from CONFIGS, then FC 4096 - 4096 - num_classes on a 7x7x512 map.

    Args:
        config: one of "A" .. "E" ("D" is VGG-16).
        num_classes: outputs of the last layer.

    Returns:
        An nn.Sequential taking (N, 3, 224, 224).
    """
    if config not in CONFIGS:
        raise ValueError(f"config must be one of {sorted(CONFIGS)}, got {config!r}")
    layers: list[nn.Module] = []
    c = 3
    for v in CONFIGS[config]:
        if v == "M":
            layers.append(nn.MaxPool2d(2, stride=2))  # 尺寸减半: 224 -> 112 -> ... -> 7
        else:
            k = 1 if isinstance(v, str) else 3
            out = int(v.removeprefix("1x1-")) if isinstance(v, str) else v
            layers += [nn.Conv2d(c, out, k, padding=k // 2), nn.ReLU()]  # padding 保持尺寸
            c = out
    return nn.Sequential(
        *layers, nn.Flatten(),
        nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Dropout(0.5),  # 第一个 FC: 1.03 亿参数
        nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(4096, check_int(num_classes, "num_classes", 1)),
    )
# --8<-- [end:vgg]

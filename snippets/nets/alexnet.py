"""AlexNet (Krizhevsky, Sutskever & Hinton, 2012) in two versions: the paper's and torchvision's."""

from __future__ import annotations

import torch.nn as nn

from snippets._checks import check_int


# --8<-- [start:alexnet]
def alexnet(num_classes: int = 1000, paper: bool = False) -> nn.Sequential:
    """AlexNet as torchvision builds it, or as the 2012 paper describes it.

    Args:
        num_classes: outputs of the last layer.
        paper: False gives torchvision's one-GPU variant (64-192-384-256-256 channels, input 224,
            no LRN; from Krizhevsky's 2014 "one weird trick"). True gives the paper's net: 96-256-
            384-384-256 channels, input 227, LRN after conv1 and conv2, and conv2/4/5 split in two
            groups, because each half ran on its own GPU and saw only the other half's channels
            at conv3 and the FC layers.

    Returns:
        An nn.Sequential; its input is (N, 3, 227, 227) for the paper, (N, 3, 224, 224) otherwise.
    """
    num_classes = check_int(num_classes, "num_classes", 1)
    if not isinstance(paper, bool):
        raise TypeError(f"paper must be a bool, got {type(paper).__name__}")
    c1, c2, c3, c4, c5 = (96, 256, 384, 384, 256) if paper else (64, 192, 384, 256, 256)
    g = 2 if paper else 1  # 两块 GPU: conv2、conv4、conv5 只连同一块 GPU 上的通道

    def lrn() -> list[nn.Module]:  # PyTorch 的 LRN 把 alpha 除以 size: 论文的 alpha = 1e-4 写成 5e-4
        return [nn.LocalResponseNorm(size=5, alpha=5e-4, beta=0.75, k=2.0)] if paper else []

    features = [
        nn.Conv2d(3, c1, 11, stride=4, padding=0 if paper else 2), nn.ReLU(), *lrn(),  # 227 或 224+4 -> 55
        nn.MaxPool2d(3, stride=2),  # 重叠池化: 窗口 3 > 步长 2; 55 -> 27
        nn.Conv2d(c1, c2, 5, padding=2, groups=g), nn.ReLU(), *lrn(),
        nn.MaxPool2d(3, stride=2),  # 27 -> 13
        nn.Conv2d(c2, c3, 3, padding=1), nn.ReLU(),
        nn.Conv2d(c3, c4, 3, padding=1, groups=g), nn.ReLU(),
        nn.Conv2d(c4, c5, 3, padding=1, groups=g), nn.ReLU(),
        nn.MaxPool2d(3, stride=2),  # 13 -> 6
    ]
    classifier = [
        nn.Flatten(),
        nn.Dropout(0.5), nn.Linear(c5 * 6 * 6, 4096), nn.ReLU(),
        nn.Dropout(0.5), nn.Linear(4096, 4096), nn.ReLU(),
        nn.Linear(4096, num_classes),
    ]
    return nn.Sequential(*features, *classifier)
# --8<-- [end:alexnet]

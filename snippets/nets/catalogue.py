"""The networks of this chapter with torchvision's documented parameter counts, and their totals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn as nn

from snippets.cnn.params_flops import vgg16_layers
from snippets.cnn.saved_activations import torch_model
from snippets.nets.alexnet import alexnet
from snippets.nets.densenet import densenet
from snippets.nets.efficientnet import efficientnet_b0
from snippets.nets.googlenet import GoogLeNet
from snippets.nets.layer_table import layer_table, table_totals
from snippets.nets.mobilenet import mobilenet_v2
from snippets.nets.resnet import resnet18, resnet50
from snippets.run_cache import shared_run


@dataclass(frozen=True)
class Net:
    """A network of the chapter: how to build it, its input side, torchvision's num_params."""

    build: Callable[[], nn.Module]
    image_size: int
    published: int  # torchvision 模型文档页 (docs.pytorch.org/vision/stable/models/...) 的 num_params
    depth: int | None = None  # 有并行分支时论文数的是最长路径上的层数 (GoogLeNet: 22)


def vgg16() -> nn.Sequential:
    """VGG-16 from the CNN chapter's layer specs (13 conv + 5 pool + 3 FC)."""
    return torch_model(vgg16_layers())


# --8<-- [start:catalogue]
NETS: dict[str, Net] = {
    "AlexNet": Net(alexnet, 224, 61_100_840),
    "VGG-16": Net(vgg16, 224, 138_357_544),
    "ResNet-18": Net(resnet18, 224, 11_689_512),
    "ResNet-50": Net(resnet50, 224, 25_557_032),
    "GoogLeNet": Net(GoogLeNet, 224, 6_624_904, depth=22),  # 不含两个辅助分类器
    "DenseNet-121": Net(densenet, 224, 7_978_856),
    "MobileNetV2": Net(mobilenet_v2, 224, 3_504_872),
    "EfficientNet-B0": Net(efficientnet_b0, 224, 5_288_548),  # 深度含 SE 的两个全连接层
}


def totals(name: str) -> dict[str, int]:
    """Parameters, MACs (one 224 x 224 image) and depth of a catalogued network, counted on the meta device."""
    if name not in NETS:
        raise ValueError(f"name must be one of {sorted(NETS)}, got {name!r}")
    net = NETS[name]
    with torch.device("meta"):  # 只传播形状: 不分配权重, 不做乘加
        model = net.build()
    t = table_totals(layer_table(model, (3, net.image_size, net.image_size)))
    return t if net.depth is None else {**t, "depth": net.depth}
# --8<-- [end:catalogue]


@shared_run
def all_totals() -> dict[str, dict[str, int]]:
    """totals() of every catalogued network (the figure's light and dark renders share one count)."""
    return {name: totals(name) for name in NETS}

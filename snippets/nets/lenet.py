"""LeNet-5 (LeCun, Bottou, Bengio & Haffner, 1998): the paper's layers and counts, and the modern variant."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets._checks import check_int

# --8<-- [start:c3]
# 论文表 I: C3 的第 j 个特征图连到 S2 的哪些特征图 (0..5)
C3_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 0), (5, 0, 1),  # 6 个: 3 个相邻的图
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 0), (4, 5, 0, 1), (5, 0, 1, 2),  # 6 个: 4 个相邻的
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),  # 3 个: 4 个不相邻的
    (0, 1, 2, 3, 4, 5),  # 1 个: 全部 6 个
)


class PartialConv(nn.Module):
    """C3: a 5x5 conv whose output map j sees only the input maps C3_TABLE[j] (one kernel per pair)."""

    out_idx: torch.Tensor
    in_idx: torch.Tensor

    def __init__(self, table: tuple[tuple[int, ...], ...] = C3_TABLE, c_in: int = 6, kernel_size: int = 5) -> None:
        super().__init__()
        pairs = [(j, i) for j, ins in enumerate(table) for i in ins]  # (输出图, 输入图), C3 共 60 对
        self.register_buffer("out_idx", torch.tensor([j for j, _ in pairs]))
        self.register_buffer("in_idx", torch.tensor([i for _, i in pairs]))
        self.shape = (len(table), c_in, kernel_size, kernel_size)
        self.weight = nn.Parameter(torch.randn(len(pairs), kernel_size, kernel_size) / kernel_size)
        self.bias = nn.Parameter(torch.zeros(len(table)))

    def full_weight(self) -> torch.Tensor:
        """(16, 6, 5, 5) kernel with zeros where the table has no connection."""
        W = self.weight.new_zeros(self.shape)
        W[self.out_idx, self.in_idx] = self.weight  # 只有表里的 60 对有可训练的核
        return W

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, 6, 14, 14) -> (N, 16, 10, 10)
        return F.conv2d(x, self.full_weight(), self.bias)
# --8<-- [end:c3]


class Subsample(nn.Module):
    """S2/S4: the sum of each 2x2 window times a trainable coefficient plus a trainable bias, per map."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        c = check_int(channels, "channels", 1)
        self.coef, self.bias = nn.Parameter(torch.ones(c)), nn.Parameter(torch.zeros(c))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, C, H, W) -> (N, C, H/2, W/2)
        return 4 * F.avg_pool2d(x, 2) * self.coef[:, None, None] + self.bias[:, None, None]


class Squash(nn.Module):
    """The paper's activation A tanh(S a) with A = 1.7159, S = 2/3."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 1.7159 * torch.tanh(2 / 3 * x)


class RBF(nn.Module):
    """Output layer: y_i = sum_j (x_j - w_ij)^2; the centres are fixed +-1 codes (a buffer, not trained)."""

    centres: torch.Tensor

    def __init__(self, in_features: int = 84, num_classes: int = 10, seed: int = 0) -> None:
        super().__init__()
        g = torch.Generator().manual_seed(seed)  # 论文用 7x12 的字符位图; 这里用随机 +-1 代替
        self.register_buffer("centres", torch.randint(0, 2, (num_classes, in_features), generator=g) * 2.0 - 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, 84) -> (N, 10), 越小越像该类
        return ((x[:, None, :] - self.centres) ** 2).sum(-1)


# --8<-- [start:lenet]
def lenet5(paper: bool = False, num_classes: int = 10) -> nn.Sequential:
    """LeNet-5 on a 1 x 32 x 32 input.

    Args:
        paper: True builds the 1998 network (C3 partially connected, trainable subsampling, scaled
            tanh, fixed RBF output); False the variant most code uses today (C3 fully connected,
            average pooling without parameters, a Linear output layer).
        num_classes: outputs of the last layer.

    Returns:
        An nn.Sequential mapping (N, 1, 32, 32) to (N, num_classes).
    """
    if not isinstance(paper, bool):
        raise TypeError(f"paper must be a bool, got {type(paper).__name__}")
    num_classes = check_int(num_classes, "num_classes", 1)
    if paper:
        return nn.Sequential(
            nn.Conv2d(1, 6, 5), Squash(), Subsample(6), Squash(),  # C1 28x28, S2 14x14
            PartialConv(), Squash(), Subsample(16), Squash(),  # C3 10x10 (表 I), S4 5x5
            nn.Conv2d(16, 120, 5), Squash(), nn.Flatten(),  # C5: 5x5 卷积, 输出 1x1
            nn.Linear(120, 84), Squash(), RBF(84, num_classes),  # F6, 输出层
        )
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),  # C3 连全部 6 个输入图
        nn.Conv2d(16, 120, 5), nn.Tanh(), nn.Flatten(),
        nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, num_classes),
    )
# --8<-- [end:lenet]


@dataclass(frozen=True)
class PaperLayer:
    """One layer of LeNet-5 as the paper counts it."""

    name: str
    out_shape: tuple[int, int, int]
    params: int  # 可训练参数
    connections: int  # 连接数: 每个输出单元的输入个数 (含偏置) 之和


# --8<-- [start:counts]
def paper_counts(table: tuple[tuple[int, ...], ...] = C3_TABLE) -> list[PaperLayer]:
    """Trainable parameters and connections of each LeNet-5 layer, from its shape and C3's table."""
    if not table or not all(isinstance(t, tuple) and t and all(0 <= i < 6 for i in t) for t in table):
        raise ValueError("table must be a non-empty tuple of non-empty tuples of map indices 0..5")
    k = 25  # 5x5 核
    c3_links = sum(len(t) for t in table)  # 60 个 (输出图, 输入图) 对
    layers = [
        ("C1", (6, 28, 28), 6 * (k + 1), 6 * (k + 1) * 28 * 28),
        ("S2", (6, 14, 14), 6 * 2, 6 * (4 + 1) * 14 * 14),  # 每图一个系数一个偏置; 每单元 4 个输入 + 偏置
        ("C3", (len(table), 10, 10), c3_links * k + len(table), (c3_links * k + len(table)) * 10 * 10),
        ("S4", (len(table), 5, 5), len(table) * 2, len(table) * (4 + 1) * 5 * 5),
        ("C5", (120, 1, 1), 120 * (len(table) * k + 1), 120 * (len(table) * k + 1)),
        ("F6", (84, 1, 1), 84 * (120 + 1), 84 * (120 + 1)),
        ("OUTPUT", (10, 1, 1), 0, 10 * 84),  # RBF 的中心是固定的
    ]
    return [PaperLayer(*row) for row in layers]
# --8<-- [end:counts]

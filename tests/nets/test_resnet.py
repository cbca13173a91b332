"""Tests for snippets.nets.resnet: shortcut options A/B/C, blocks, pre-activation identity path."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from snippets.nets.layer_table import count_params, layer_table, table_totals
from snippets.nets.resnet import BasicBlock, Bottleneck, PreActBlock, ResNet, ShortcutA, resnet18, resnet50, shortcut


def _proj(c_in: int, c_out: int) -> int:
    return c_in * c_out + 2 * c_out  # 1x1 卷积 (无偏置) + BN 的 gamma, beta


def test_option_b_minus_a_is_exactly_the_three_projections_of_resnet18() -> None:
    a, b = count_params(resnet18(option="A")), count_params(resnet18(option="B"))
    assert b - a == _proj(64, 128) + _proj(128, 256) + _proj(256, 512) == 173_824


def test_option_c_projects_every_block() -> None:
    b, c = count_params(resnet18(option="B")), count_params(resnet18(option="C"))
    same_shape_blocks = [(64, 64)] * 2 + [(128, 128), (256, 256), (512, 512)]
    assert c - b == sum(_proj(i, o) for i, o in same_shape_blocks)


def test_option_a_subsamples_and_pads_zero_channels() -> None:
    x = torch.arange(2 * 2 * 4 * 4, dtype=torch.float64).reshape(2, 2, 4, 4)
    y = ShortcutA(2, 4, 2)(x)
    assert y.shape == (2, 4, 2, 2)
    torch.testing.assert_close(y[:, :2], x[:, :, ::2, ::2])
    assert torch.all(y[:, 2:] == 0)
    assert isinstance(shortcut(64, 64, 1, "B"), nn.Identity)


def test_blocks_change_shape_as_documented() -> None:
    torch.manual_seed(0)
    x = torch.randn(2, 64, 8, 8, dtype=torch.float64)
    assert BasicBlock(64, 128, 2).double()(x).shape == (2, 128, 4, 4)
    assert Bottleneck(64, 64, 1).double()(x).shape == (2, 256, 8, 8)
    assert PreActBlock(64, 64, 1).double()(x).shape == (2, 64, 8, 8)


def test_bottleneck_params_by_hand() -> None:
    # 256 -> 64 (1x1) -> 64 (3x3) -> 256 (1x1), 每个卷积后 BN: 约为两个 3x3 (256 通道) 基本块的 1/17
    want = 256 * 64 + 2 * 64 + 9 * 64 * 64 + 2 * 64 + 64 * 256 + 2 * 256
    assert count_params(Bottleneck(256, 64)) == want == 70_400
    assert count_params(BasicBlock(256, 256)) == 2 * (9 * 256 * 256 + 2 * 256)


def test_preact_block_with_zero_residual_is_exactly_the_identity() -> None:
    torch.manual_seed(0)
    block = PreActBlock(8, 8).double()
    nn.init.zeros_(block.conv2.weight)  # F(x) = 0
    x = torch.randn(2, 8, 5, 5, dtype=torch.float64, requires_grad=True)
    y = block(x)
    torch.testing.assert_close(y, x)
    (g,) = torch.autograd.grad(y.sum(), x)
    torch.testing.assert_close(g, torch.ones_like(x))  # 梯度 = 1 + dF/dx = 1


def test_forward_pass_small_input() -> None:
    torch.manual_seed(0)
    for f in (resnet18, resnet50):
        assert f(num_classes=7).eval()(torch.randn(1, 3, 64, 64)).shape == (1, 7)
    assert ResNet(PreActBlock, [1, 1, 1, 1], 5).eval()(torch.randn(1, 3, 32, 32)).shape == (1, 5)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="option"):
        shortcut(64, 128, 2, "D")
    with pytest.raises(TypeError, match="block"):
        ResNet(nn.Conv2d, [2, 2, 2, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="layers"):
        ResNet(BasicBlock, [2, 2, 2])
    with pytest.raises(ValueError, match="layers"):
        ResNet(BasicBlock, [2, 0, 2, 2])
    with pytest.raises(ValueError, match="num_classes"):
        resnet50(num_classes=0)


def test_resnet34_count_for_the_follow_up_answer() -> None:
    with torch.device("meta"):
        r34 = count_params(ResNet(BasicBlock, [3, 4, 6, 3]))
        r50 = count_params(resnet50())
    assert r34 == 21_797_672  # torchvision 文档 resnet34 的 num_params
    assert round(r34 / 1e4) == 2180 and round(r50 / 1e4) == 2556


class _PaperBottleneck(Bottleneck):
    """The paper's placement of the stride: on the first 1x1 instead of the 3x3 (torchvision's v1.5)."""

    def __init__(self, c_in: int, width: int, stride: int = 1, option: str = "B") -> None:
        super().__init__(c_in, width, stride, option)
        self.conv1 = nn.Conv2d(c_in, width, 1, stride=stride, bias=False)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1, bias=False)


def test_paper_stride_placement_gives_the_papers_resnet50_macs() -> None:
    # 论文表 1: ResNet-34 3.6, ResNet-50 3.8 (x 10^9 乘加); torchvision (v1.5) 的 ResNet-50 为 4.09
    with torch.device("meta"):
        nets = {"34": ResNet(BasicBlock, [3, 4, 6, 3]), "50 paper": ResNet(_PaperBottleneck, [3, 4, 6, 3]),
                "50 v1.5": resnet50()}
        macs = {k: table_totals(layer_table(n, (3, 224, 224)))["macs"] for k, n in nets.items()}
        assert count_params(nets["50 paper"]) == count_params(nets["50 v1.5"])
    assert {k: round(v / 1e9, 2) for k, v in macs.items()} == {"34": 3.66, "50 paper": 3.86, "50 v1.5": 4.09}

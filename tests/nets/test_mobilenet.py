"""Tests for snippets.nets.mobilenet: separable cost against grouped Conv2d and FlopCounterMode, MobileNetV2's count."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn
from torch.utils.flop_counter import FlopCounterMode

from snippets.nets.layer_table import count_params, layer_table, table_totals
from snippets.nets.mobilenet import InvertedResidual, depthwise_separable, mobilenet_v2, separable_cost_ratio


def _flops(m: nn.Module, shape: tuple[int, ...]) -> int:
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        m.eval()(torch.zeros(1, *shape, dtype=torch.float64))
    return counter.get_total_flops()


@pytest.mark.parametrize(("c", "o", "k"), [(32, 64, 3), (16, 16, 5), (8, 128, 3)])
def test_ratio_matches_grouped_conv_params_and_flop_counter(c: int, o: int, k: int) -> None:
    standard = nn.Conv2d(c, o, k, padding=k // 2, bias=False).double()
    dw = nn.Conv2d(c, c, k, padding=k // 2, groups=c, bias=False).double()
    pw = nn.Conv2d(c, o, 1, bias=False).double()
    sep = nn.Sequential(dw, pw)
    ratio = separable_cost_ratio(o, k)
    assert count_params(sep) / count_params(standard) == pytest.approx(ratio, rel=1e-12)
    assert _flops(sep, (c, 10, 10)) / _flops(standard, (c, 10, 10)) == pytest.approx(ratio, rel=1e-12)
    assert count_params(dw) == k * k * c  # 每个输入通道一个 k x k 核


def test_separable_unit_shape() -> None:
    assert depthwise_separable(8, 16, stride=2).eval()(torch.randn(2, 8, 10, 10)).shape == (2, 16, 5, 5)


def test_mobilenet_v2_count_macs_and_forward() -> None:
    with torch.device("meta"):
        net = mobilenet_v2()
        t = table_totals(layer_table(net, (3, 224, 224)))
    assert count_params(net) == t["params"] == 3_504_872  # torchvision 文档 num_params
    assert round(t["macs"] / 1e9, 2) == 0.30
    torch.manual_seed(0)
    assert mobilenet_v2(num_classes=4).eval()(torch.randn(1, 3, 64, 64)).shape == (1, 4)


def test_inverted_residual_shortcut_and_linear_projection() -> None:
    block = InvertedResidual(24, 24, 1, 6)
    assert block.use_shortcut and not InvertedResidual(24, 32, 1, 6).use_shortcut
    assert not any(isinstance(m, nn.ReLU6) for m in block.body[-1])  # 最后的 1x1 后没有激活
    assert count_params(block) == (24 * 144 + 2 * 144) + (9 * 144 + 2 * 144) + (144 * 24 + 2 * 24)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="c_out"):
        separable_cost_ratio(0, 3)
    with pytest.raises(ValueError, match="kernel_size"):
        depthwise_separable(8, 8, kernel_size=0)
    with pytest.raises(ValueError, match="num_classes"):
        mobilenet_v2(num_classes=0)


def test_page_example_ratio() -> None:
    assert round(separable_cost_ratio(64, 3), 3) == 0.127 and round(1 / separable_cost_ratio(64, 3), 1) == 7.9

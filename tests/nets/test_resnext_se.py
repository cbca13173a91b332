"""Tests for snippets.nets.resnext_se: ResNeXt-50's documented count, grouped conv, SE's cost and effect."""

from __future__ import annotations

import pytest
import torch

from snippets.nets.layer_table import count_params, layer_table, table_totals
from snippets.nets.resnet import resnet50
from snippets.nets.resnext_se import ResNeXtBlock, SEBottleneck, SqueezeExcite, resnext50_32x4d, se_resnet50


def test_resnext50_count_and_macs_equal_torchvision_documentation() -> None:
    with torch.device("meta"):
        t = table_totals(layer_table(resnext50_32x4d(), (3, 224, 224)))
    assert t["params"] == 25_028_904 and round(t["macs"] / 1e9, 2) == 4.23  # resnext50_32x4d: num_params, GFLOPS


def test_grouped_3x3_params_by_hand() -> None:
    block = ResNeXtBlock(256, 64)
    assert block.conv2.weight.shape == (128, 4, 3, 3)  # 每组 4 个输入通道
    assert count_params(block.conv2) == 9 * 128 * 128 // 32


def test_se_adds_2c2_over_r_per_block_and_28_1_million_in_total() -> None:
    extra = sum(n * (2 * c * c // 16 + c // 16 + c) for c, n in ((256, 3), (512, 4), (1024, 6), (2048, 3)))
    with torch.device("meta"):
        se, base = count_params(se_resnet50()), count_params(resnet50())
        macs = [table_totals(layer_table(f(), (3, 224, 224)))["macs"] for f in (resnet50, se_resnet50)]
    assert se - base == extra == 2_530_992
    assert round(se / 1e6, 1) == 28.1  # Hu 等 (2018) 表 2: SE-ResNet-50 28.1M
    assert (macs[1] - macs[0]) / macs[0] < 0.001  # FC 只作用在 C 维向量上


def test_se_rescales_each_channel_by_a_weight_in_0_1() -> None:
    torch.manual_seed(0)
    se = SqueezeExcite(32, 4).double()
    x = torch.rand(2, 32, 5, 5, dtype=torch.float64) + 0.1
    w = se(x) / x
    assert torch.allclose(w, w[:, :, :1, :1].expand_as(w))  # 同一通道同一个权重
    assert bool(((w > 0) & (w < 1)).all())
    assert SEBottleneck(64, 16).eval()(torch.randn(1, 64, 8, 8)).shape == (1, 64, 8, 8)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="reduction"):
        SqueezeExcite(32, 0)
    with pytest.raises(ValueError, match="num_classes"):
        resnext50_32x4d(num_classes=0)


def test_page_ratios() -> None:
    with torch.device("meta"):
        t = {f.__name__: table_totals(layer_table(f(), (3, 224, 224)))
             for f in (resnet50, resnext50_32x4d, se_resnet50)}
    r, x, s = t["resnet50"], t["resnext50_32x4d"], t["se_resnet50"]
    assert round(x["macs"] / r["macs"] - 1, 3) == 0.035 and round((r["params"] - x["params"]) / 1e4) == 53
    assert round(s["params"] / r["params"] - 1, 2) == 0.10 and round((s["macs"] / r["macs"] - 1) * 100, 2) == 0.06
    assert round(3 * (2 * 2048**2 // 16 + 2048 // 16 + 2048) / (s["params"] - r["params"]), 1) == 0.6

"""Tests for snippets.nets.densenet: torchvision's count, channel bookkeeping, quadratic saved memory."""

from __future__ import annotations

import pytest
import torch

from snippets.cnn.saved_activations import saved_activation_bytes
from snippets.nets.densenet import DenseBlock, DenseLayer, densenet, transition
from snippets.nets.layer_table import count_params, layer_table, table_totals


def test_densenet121_count_macs_and_depth() -> None:
    with torch.device("meta"):
        net = densenet()
        t = table_totals(layer_table(net, (3, 224, 224)))
    assert count_params(net) == t["params"] == 7_978_856  # torchvision 文档 num_params
    assert round(t["macs"] / 1e9, 2) == 2.83 and t["depth"] == 121


def test_channels_grow_by_k_and_transitions_halve() -> None:
    block = DenseBlock(5, 16, 8)
    assert [layer.norm1.num_features for layer in block.layers] == [16 + i * 8 for i in range(5)]
    x = torch.randn(2, 16, 6, 6)
    assert block.eval()(x).shape == (2, 16 + 5 * 8, 6, 6)
    assert transition(56, 28)(torch.randn(2, 56, 6, 6)).shape == (2, 28, 3, 3)


def test_dense_layer_params_by_hand() -> None:
    c, k = 992, 32  # DenseNet-121 第三个块的最后一层
    want = 2 * c + c * 4 * k + 2 * 4 * k + 9 * 4 * k * k
    assert count_params(DenseLayer(c, k)) == want


@pytest.mark.parametrize("L", [4, 8, 16, 32])
def test_saved_bytes_follow_the_quadratic_formula(L: int) -> None:
    c0, k, HW = 64, 32, 28 * 28
    with torch.device("meta"):
        saved = saved_activation_bytes(DenseBlock(L, c0, k), torch.zeros(1, c0, 28, 28)).total
    formula = 4 * HW * (2 * (L * c0 + k * L * (L - 1) // 2) + 8 * k * L)
    assert 0.99 < formula / saved <= 1.0  # 其余是 BN 保存的每通道均值和方差


def test_doubling_depth_multiplies_saved_bytes_by_more_each_time() -> None:
    saved = []
    for L in (4, 8, 16, 32):
        with torch.device("meta"):
            saved.append(saved_activation_bytes(DenseBlock(L, 64, 32), torch.zeros(1, 64, 28, 28)).total)
    ratios = [b / a for a, b in zip(saved, saved[1:], strict=False)]
    assert [round(r, 2) for r in ratios] == [2.53, 2.84, 3.19] and all(r < 4 for r in ratios)


def test_forward_pass_small_input() -> None:
    torch.manual_seed(0)
    net = densenet(block_config=(2, 2), growth_rate=8, num_init=16, num_classes=3)
    assert net(torch.randn(2, 3, 32, 32)).shape == (2, 3)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="growth_rate"):
        densenet(growth_rate=0)
    with pytest.raises(ValueError, match="block_config"):
        densenet(block_config=())
    with pytest.raises(ValueError, match="num_layers"):
        DenseBlock(0, 16, 8)
    with pytest.raises(ValueError, match="num_classes"):
        densenet(num_classes=0)

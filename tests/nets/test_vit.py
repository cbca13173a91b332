"""Tests for snippets.nets.vit: ViT-B/16's count, patch embedding as a strided conv, a forward pass."""

from __future__ import annotations

import pytest
import torch

from snippets.nets.layer_table import count_params
from snippets.nets.vit import EncoderBlock, ViT


def test_vit_b16_count_equals_torchvision_documentation() -> None:
    with torch.device("meta"):
        net = ViT()
    assert count_params(net) == 86_567_656  # torchvision 文档 vit_b_16 的 num_params


def test_count_by_hand() -> None:
    D, M, L = 768, 3072, 197
    block = 2 * 2 * D + (3 * D * D + 3 * D) + (D * D + D) + (D * M + M) + (M * D + D)
    with torch.device("meta"):
        assert count_params(EncoderBlock(D, 12, M)) == block == 7_087_872
    total = (3 * 16 * 16 * D + D) + D + L * D + 12 * block + 2 * D + (D * 1000 + 1000)
    assert total == 86_567_656


def test_patch_conv_equals_flatten_and_matmul() -> None:
    torch.manual_seed(0)
    net = ViT(image_size=32, patch_size=16, dim=8, depth=1, num_heads=2, mlp_dim=16, num_classes=3).double()
    x = torch.randn(2, 3, 32, 32, dtype=torch.float64)
    conv = net.patch(x).flatten(2).transpose(1, 2)  # (2, 4, 8)
    patches = x.unfold(2, 16, 16).unfold(3, 16, 16)  # (2, 3, 2, 2, 16, 16)
    patches = patches.permute(0, 2, 3, 1, 4, 5).reshape(2, 4, 3 * 16 * 16)
    torch.testing.assert_close(conv, patches @ net.patch.weight.reshape(8, -1).T + net.patch.bias)
    assert net(x).shape == (2, 3)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="image_size"):
        ViT(image_size=30, patch_size=16)
    with pytest.raises(ValueError, match="depth"):
        ViT(depth=0)


def test_vit_macs_formula_matches_flop_counter() -> None:
    from torch.utils.flop_counter import FlopCounterMode

    from snippets.nets.vit import vit_macs

    with torch.device("meta"):
        net = ViT().eval()
        with FlopCounterMode(display=False) as counter, torch.no_grad():
            net(torch.zeros(1, 3, 224, 224))
    assert counter.get_total_flops() == 2 * sum(vit_macs().values())
    assert round(sum(vit_macs().values()) / 1e9, 2) == 17.56  # torchvision 文档 GFLOPS
    # 小网络在 CPU 上真跑 (训练模式: eval 下 nn.MultiheadAttention 走融合的快速路径, 计数器看不到);
    # CPU 上融合的 SDPA 核也不被计数, 所以只比较其余各项
    small = ViT(image_size=32, dim=16, depth=2, num_heads=2, mlp_dim=32, num_classes=5).train()
    with FlopCounterMode(display=False) as counter:
        small(torch.zeros(1, 3, 32, 32))
    parts = vit_macs(32, 16, 16, 2, 32, 5)
    assert counter.get_total_flops() == 2 * (sum(parts.values()) - parts["attention (QK^T and AV)"])
    with pytest.raises(ValueError, match="dim"):
        vit_macs(dim=0)

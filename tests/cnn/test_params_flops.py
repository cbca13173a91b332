"""Tests for snippets.cnn.params_flops: against sum(p.numel()), state_dict and FlopCounterMode."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn
from torch.utils.flop_counter import FlopCounterMode

from snippets.cnn.params_flops import (
    BN,
    FC,
    Conv,
    Pool,
    batchnorm2d_counts,
    conv2d_macs,
    conv2d_params,
    count_layers,
    linear_params,
    training_memory_bytes,
    vgg16_layers,
)
from snippets.cnn.saved_activations import torch_model


def _flops(model: nn.Module, shape: tuple[int, ...]) -> int:
    with FlopCounterMode(display=False) as counter:
        w = next(model.parameters())
        model(torch.zeros(1, *shape, dtype=w.dtype, device=w.device))
    return counter.get_total_flops()


SMALL = [Conv(3, 8, 3, bias=False), BN(8), Pool(2, 2), Conv(8, 16, 3, 2, 1), Pool(2, 2), FC(16 * 2 * 2, 10)]


def test_counter_matches_torch_params_buffers_and_flops_on_a_small_cnn() -> None:
    rows = count_layers(SMALL, (3, 18, 18))
    model = torch_model(SMALL).double()
    assert sum(r.params for r in rows) == sum(p.numel() for p in model.parameters())
    assert sum(r.buffers for r in rows) == sum(b.numel() for b in model.buffers())
    # FlopCounterMode 把一次乘加记作 2 FLOPs, 不计偏置、BN、ReLU 和池化
    assert 2 * sum(r.macs for r in rows) == _flops(model, (3, 18, 18))
    assert rows[-1].out_shape == (10,) and tuple(model(torch.zeros(1, 3, 18, 18, dtype=torch.float64)).shape) == (1, 10)


def test_vgg16_has_138357544_parameters_and_15_47_gmacs() -> None:
    rows = count_layers(vgg16_layers(), (3, 224, 224))
    with torch.device("meta"):  # meta 设备: 只有形状, 不分配 500 MB 内存
        model = torch_model(vgg16_layers())
        flops = _flops(model, (3, 224, 224))
    assert sum(r.params for r in rows) == sum(p.numel() for p in model.parameters()) == 138_357_544
    assert 2 * sum(r.macs for r in rows) == flops == 30_940_528_640


@pytest.mark.parametrize("c, o, k", [(16, 32, 3), (32, 64, 5)])
def test_depthwise_separable_conv_params_and_macs_match_torch(c: int, o: int, k: int) -> None:
    # 深度卷积 (groups = c) + 1x1 逐点卷积, 均无偏置
    block = nn.Sequential(nn.Conv2d(c, c, k, padding=k // 2, groups=c, bias=False), nn.Conv2d(c, o, 1, bias=False))
    params = conv2d_params(c, c, k, False, c) + conv2d_params(c, o, 1, False)
    macs = conv2d_macs(c, c, k, 10, 12, c) + conv2d_macs(c, o, 1, 10, 12)
    assert params == sum(p.numel() for p in block.parameters())
    with FlopCounterMode(display=False) as counter:
        block(torch.zeros(1, c, 10, 12))
    assert 2 * macs == counter.get_total_flops()
    # 相对标准 k x k 卷积: 1/o + 1/k^2 (参数与计算量相同)
    assert params / conv2d_params(c, o, k, False) == pytest.approx(1 / o + 1 / k**2, rel=1e-12)
    assert macs / conv2d_macs(c, o, k, 10, 12) == pytest.approx(1 / o + 1 / k**2, rel=1e-12)


@pytest.mark.parametrize("c_in, c_out, k, bias, groups", [(3, 64, 7, False, 1), (64, 64, 3, True, 1),
                                                          (32, 64, 3, True, 4), (16, 16, 3, False, 16)])
def test_conv2d_params_and_macs_match_torch(c_in: int, c_out: int, k: int, bias: bool, groups: int) -> None:
    conv = nn.Conv2d(c_in, c_out, k, padding=k // 2, bias=bias, groups=groups)
    assert conv2d_params(c_in, c_out, k, bias, groups) == sum(p.numel() for p in conv.parameters())
    with FlopCounterMode(display=False) as counter:
        conv(torch.zeros(1, c_in, 10, 12))
    assert 2 * conv2d_macs(c_in, c_out, k, 10, 12, groups) == counter.get_total_flops()


def test_conv_bias_bn_counts_k2co_plus_2o_learnable_and_2o_plus_1_buffers() -> None:
    k, c, o = 3, 16, 32
    block = nn.Sequential(nn.Conv2d(c, o, k, bias=False), nn.BatchNorm2d(o))
    learnable = sum(p.numel() for p in block.parameters())
    in_state_dict = sum(v.numel() for v in block.state_dict().values())
    assert learnable == k * k * c * o + 2 * o == conv2d_params(c, o, k, bias=False) + batchnorm2d_counts(o)[0]
    assert in_state_dict == k * k * c * o + 4 * o + 1
    with_bias = nn.Sequential(nn.Conv2d(c, o, k, bias=True), nn.BatchNorm2d(o))
    assert sum(p.numel() for p in with_bias.parameters()) == k * k * c * o + 3 * o  # 面经的公式: 含多余的偏置


def test_bias_before_bn_is_redundant() -> None:
    # 训练模式的 BN 减去批均值: 卷积的偏置被完全抵消, 输出与不加偏置相同
    torch.manual_seed(0)
    conv = nn.Conv2d(3, 4, 3).double()
    bn = nn.BatchNorm2d(4).double()
    x = torch.randn(8, 3, 6, 6, dtype=torch.float64)
    y1 = bn(conv(x))
    with torch.no_grad():
        conv.bias.add_(torch.tensor([5.0, -3.0, 0.5, 100.0], dtype=torch.float64))
    torch.testing.assert_close(bn(conv(x)), y1, rtol=1e-9, atol=1e-9)


def test_linear_params_and_training_memory_arithmetic() -> None:
    assert linear_params(25088, 4096) == sum(p.numel() for p in nn.Linear(25088, 4096).parameters())
    m = training_memory_bytes(n_params=1000, n_activations=500, batch_size=8, optimizer_states=2)
    assert m == {"weights": 4000, "gradients": 4000, "optimizer": 8000, "activations": 16000, "total": 32000}


@pytest.mark.parametrize(
    "fn, args, error, match",
    [
        (conv2d_params, (6, 4, 3, True, 4), ValueError, "groups must divide"),
        (conv2d_macs, (3, 4, 3, 0, 5), ValueError, "h_out must be >= 1"),
        (linear_params, (0, 4), ValueError, "in_features"),
        (batchnorm2d_counts, (True,), TypeError, "c must be an int"),
        (count_layers, ([Conv(4, 8, 3)], (3, 8, 8)), ValueError, "layers"),
        (training_memory_bytes, (10, 10, 0), ValueError, "batch_size"),
        (vgg16_layers, (0,), ValueError, "num_classes"),
        (vgg16_layers, (10, 100), ValueError, "image_size must be a multiple of 32"),
    ],
    ids=["conv2d_params", "conv2d_macs", "linear_params", "batchnorm2d_counts", "count_layers",
         "training_memory_bytes", "vgg16_layers", "vgg16_layers-image_size"],
)
def test_bad_input_raises_with_argument_name(fn, args, error, match) -> None:
    with pytest.raises(error, match=match):
        fn(*args)

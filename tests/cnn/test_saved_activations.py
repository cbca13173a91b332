"""Tests for snippets.cnn.saved_activations: what autograd saves, on a small CNN and on VGG-16."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

from snippets.cnn.params_flops import BN, FC, Conv, Pool, count_layers, training_memory_bytes, vgg16_layers
from snippets.cnn.saved_activations import saved_activation_bytes, torch_model

TOY = [Conv(3, 16, 3, padding=1), Pool(2, 2), Conv(16, 32, 3, padding=1), Pool(2, 2), FC(32 * 8 * 8, 10)]


def _estimate_and_pooled(layers: list, image: tuple[int, int, int], N: int) -> tuple[int, int, int]:
    rows = count_layers(layers, image)
    A = sum(int(np.prod(r.out_shape)) for r in rows)
    pooled = sum(int(np.prod(r.out_shape)) for r in rows if r.layer == "pool")
    return training_memory_bytes(0, A, batch_size=N)["activations"], pooled, A


def test_small_cnn_saves_the_estimate_minus_logits_plus_int64_pooling_indices() -> None:
    N = 4
    estimate, pooled, _ = _estimate_and_pooled(TOY, (3, 32, 32), N)
    saved = saved_activation_bytes(torch_model(TOY), torch.zeros(N, 3, 32, 32))
    assert (estimate, saved.total, saved.int64) == (491_680, 688_128, 196_608)
    assert saved.int64 == 8 * N * pooled  # 每个池化输出一个 int64 下标
    assert saved.total - saved.int64 == estimate - 4 * N * 10  # 其余恰好是估计减去 logits
    assert f"{saved.total / estimate:.2f}" == "1.40"


def test_each_storage_counts_once_even_when_several_ops_save_it() -> None:
    # ReLU 保存它的输出, 紧接着的最大池化又保存同一个张量作为输入: 只应算一次
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
    saved = saved_activation_bytes(model, torch.zeros(1, 1, 8, 8))
    relu_out, indices = 2 * 8 * 8 * 4, 2 * 4 * 4 * 8
    assert (saved.total, saved.int64, saved.tensors) == (relu_out + indices, indices, 2)


@pytest.mark.parametrize("layers, image", [(TOY, (3, 32, 32)), (vgg16_layers(image_size=32), (3, 32, 32)),
                                           ([Conv(3, 8, 3, bias=False), BN(8), Pool(2, 2), FC(8 * 3 * 3, 5)],
                                            (3, 8, 8))],
                         ids=["toy", "vgg16-32px", "conv-bn"])
def test_meta_device_counts_the_same_bytes_as_a_real_cpu_run(layers: list, image: tuple[int, int, int]) -> None:
    torch.manual_seed(0)
    cpu = saved_activation_bytes(torch_model(layers), torch.randn(2, *image))
    with torch.device("meta"):
        meta = saved_activation_bytes(torch_model(layers), torch.zeros(2, *image))
    assert cpu == meta and cpu.total > 0


def test_vgg16_saves_1_20_times_the_estimate_and_params_take_48_8_percent_at_batch_32() -> None:
    layers = vgg16_layers()
    rows = count_layers(layers, (3, 224, 224))
    P = sum(r.params for r in rows)
    estimate, pooled, A = _estimate_and_pooled(layers, (3, 224, 224), 1)
    with torch.device("meta"):
        saved = saved_activation_bytes(torch_model(layers), torch.zeros(1, 3, 224, 224))
    assert saved.total == 72_587_264 and saved.int64 == 8 * pooled == 12_242_944
    assert saved.total - saved.int64 == estimate - 4 * 1000
    assert f"{saved.total / estimate:.2f}" == "1.20" and f"{pooled / A:.0%}" == "10%"
    params = training_memory_bytes(P, 0, batch_size=32, optimizer_states=2)["total"]
    total = params + 32 * saved.total
    assert (f"{params / total:.1%}", f"{4 * P / total:.1%}") == ("48.8%", "12.2%")
    # 一阶估计给出 53%: 实测把参数一侧的比例降了 4 个百分点以上
    first_order = training_memory_bytes(P, A, batch_size=32, optimizer_states=2)
    assert 1 - first_order["activations"] / first_order["total"] - params / total > 0.04


def test_torch_model_puts_relu_after_bn_and_none_after_the_last_fc() -> None:
    model = torch_model([Conv(3, 8, 3, bias=False), BN(8), Pool(2, 2), FC(8 * 3 * 3, 4), FC(4, 2)])
    kinds = [type(m).__name__ for m in model]
    assert kinds == ["Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Linear", "ReLU", "Linear"]


@pytest.mark.parametrize(
    "fn, args, match",
    [
        (torch_model, ([],), "layers must be a non-empty list"),
        (torch_model, ([Conv(3, 8, 3), "relu"],), "layers: unknown layer"),
        (saved_activation_bytes, ("model", torch.zeros(1)), "model must be a torch.nn.Module"),
        (saved_activation_bytes, (nn.ReLU(), np.zeros(1)), "x must be a torch.Tensor"),
    ],
    ids=["torch_model-empty", "torch_model-unknown", "saved-model", "saved-x"],
)
def test_bad_input_raises_with_argument_name(fn, args, match) -> None:
    with pytest.raises(TypeError, match=match):
        fn(*args)

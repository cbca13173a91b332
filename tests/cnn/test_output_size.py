"""Tests for snippets.cnn.output_size: equal to the shapes PyTorch produces over large grids."""

from __future__ import annotations

import itertools

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.cnn.output_size import conv_output_size, conv_transpose_output_size, pool_output_size


def _torch_len(layer: torch.nn.Module, size: int) -> int | None:
    try:
        return int(layer(torch.zeros(1, 1, size, 1)).shape[2])
    except RuntimeError:  # PyTorch 拒绝这个配置 (输出为空等)
        return None


def _ours(fn, *args) -> int | None:
    try:
        return int(fn(*args))
    except ValueError:
        return None


def test_conv_output_size_equals_nn_conv2d_on_a_grid_of_900_configs() -> None:
    grid = itertools.product(range(1, 11), range(1, 6), range(1, 4), range(0, 3), range(1, 3))
    n = 0
    for size, k, s, p, d in grid:
        layer = torch.nn.Conv2d(1, 1, (k, 1), (s, 1), (p, 0), (d, 1), bias=False)
        assert _ours(conv_output_size, size, k, s, p, d) == _torch_len(layer, size), (size, k, s, p, d)
        n += 1
    assert n == 900


def test_pool_output_size_equals_nn_maxpool2d_and_avgpool2d_with_and_without_ceil_mode() -> None:
    for size, k, s, p, d, ceil in itertools.product(range(1, 10), range(1, 5), range(1, 4), range(0, 3),
                                                    range(1, 3), [False, True]):
        expected = _torch_len(torch.nn.MaxPool2d((k, 1), (s, 1), (p, 0), (d, 1), ceil_mode=ceil), size)
        assert _ours(pool_output_size, size, k, s, p, d, ceil) == expected, (size, k, s, p, d, ceil)
        if d == 1:
            avg = torch.nn.AvgPool2d((k, 1), (s, 1), (p, 0), ceil_mode=ceil)
            assert _ours(pool_output_size, size, k, s, p, 1, ceil) == _torch_len(avg, size)


@pytest.mark.parametrize("pool", [torch.nn.MaxPool2d, torch.nn.AvgPool2d])
@pytest.mark.parametrize("k, p", [(1, 1), (2, 2), (3, 2), (4, 3)])
def test_pool_padding_above_half_the_kernel_is_rejected_by_torch_and_by_us(pool: type, k: int, p: int) -> None:
    # p > k // 2: PyTorch 在前向时报错 ("pad should be ... half of kernel size"), 我们也拒绝
    with pytest.raises(RuntimeError, match="half of"):
        pool((k, 1), (1, 1), (p, 0))(torch.zeros(1, 1, 9, 1))
    with pytest.raises(ValueError, match="padding must be at most"):
        pool_output_size(9, k, 1, p)


def test_conv_transpose_output_size_equals_nn_convtranspose2d() -> None:
    for size, k, s, p, op, d in itertools.product(range(1, 7), range(1, 5), range(1, 4), range(0, 3),
                                                  range(0, 3), range(1, 3)):
        try:
            layer = torch.nn.ConvTranspose2d(1, 1, (k, 1), (s, 1), (p, 0), (op, 0), dilation=(d, 1), bias=False)
            expected = _torch_len(layer, size)
        except ValueError:  # 构造时就拒绝 output_padding >= max(stride, dilation)
            expected = None
        assert _ours(conv_transpose_output_size, size, k, s, p, op, d) == expected, (size, k, s, p, op, d)


@settings(max_examples=150, deadline=None)
@given(size=st.integers(1, 64), k=st.integers(1, 7), s=st.integers(1, 5), p=st.integers(0, 4), d=st.integers(1, 3))
def test_transposed_conv_undoes_the_conv_shape(size: int, k: int, s: int, p: int, d: int) -> None:
    # 对任意能算出结果的卷积: 用 output_padding = (剩余部分) 的转置卷积恰好回到原尺寸
    try:
        out = conv_output_size(size, k, s, p, d)
    except ValueError:
        return
    rest = (size + 2 * p - d * (k - 1) - 1) % s
    if rest < max(s, d):
        assert conv_transpose_output_size(out, k, s, p, rest, d) == size


def test_worked_examples() -> None:
    assert conv_output_size(224, 7, 2, 3) == 112  # ResNet 的第一层
    assert conv_output_size(227, 11, 4, 0) == 55  # AlexNet conv1 (原文写 224, 实际要 227 才整除)
    assert pool_output_size(112, 3, 2, 1) == 56  # ResNet 的 maxpool
    assert conv_output_size(7, 3, 2, 1) == 4  # k=3, p=1, s=2: ceil(H/2), 不是 floor
    assert pool_output_size(7, 2) == 3  # k=s=2 的池化: floor(H/2)
    assert pool_output_size(5, 2, 2, ceil_mode=False) == 2
    assert pool_output_size(5, 2, 2, ceil_mode=True) == 3
    assert conv_transpose_output_size(16, 4, 2, 1) == 32  # DCGAN 式的 2 倍上采样


@pytest.mark.parametrize(
    "fn, args, error, match",
    [
        (conv_output_size, (3, 5), ValueError, "kernel_size"),
        (pool_output_size, (8, 2, 2, 2), ValueError, "padding must be at most"),
        (conv_transpose_output_size, (4, 3, 2, 0, 2), ValueError, "output_padding must be smaller"),
        (conv_output_size, (8, 3, 0), ValueError, "stride must be >= 1"),
        (pool_output_size, (8.0, 2), TypeError, "size must be an int"),
    ],
    ids=["conv-too-small", "pool-padding", "transpose-output-padding", "stride-zero", "float-size"],
)
def test_impossible_configs_raise_with_argument_name(fn, args, error, match) -> None:
    with pytest.raises(error, match=match):
        fn(*args)

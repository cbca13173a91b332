"""Tests for snippets.cnn.receptive_field: formula vs the gradient of one output unit (NumPy and autograd)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

from snippets.cnn.output_size import conv_output_size
from snippets.cnn.receptive_field import Layer, input_gradient_of_center_unit, receptive_field

STACKS = {
    "three-3x3": [Layer(3)] * 3,
    "strided": [Layer(3, 2, 1), Layer(3, 2, 1), Layer(3, 1, 1)],
    "dilated": [Layer(3, 1, 1, 1), Layer(3, 1, 2, 2), Layer(3, 1, 4, 4)],
    "resnet-stem": [Layer(7, 2, 3), Layer(3, 2, 1), Layer(3, 1, 1), Layer(3, 1, 1)],
    "pool-then-conv": [Layer(2, 2), Layer(5, 1, 2), Layer(2, 2), Layer(3, 1, 1)],
}


def _extent(g: np.ndarray) -> tuple[int, float]:
    rows = np.flatnonzero(np.abs(g).sum(axis=1) > 0)
    return int(rows.max() - rows.min() + 1), (rows.max() + rows.min()) / 2


def _center(layers: list[Layer], size: int) -> float:
    n = size
    for L in layers:
        n = conv_output_size(n, L.kernel_size, L.stride, L.padding, L.dilation)
    rf = receptive_field(layers)[-1]
    return rf.start + (n // 2) * rf.j


@pytest.mark.parametrize("name", STACKS)
def test_formula_equals_support_of_torch_autograd_gradient(name: str) -> None:
    layers, size = STACKS[name], 64
    model = nn.Sequential(*[nn.Conv2d(1, 1, L.kernel_size, L.stride, L.padding, L.dilation, bias=False)
                            for L in layers]).double()
    for p in model.parameters():
        nn.init.constant_(p, 1.0)  # 正的权重: 梯度不会相互抵消
    x = torch.zeros(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    y = model(x)
    y[0, 0, y.shape[2] // 2, y.shape[3] // 2].backward()
    r, center = _extent(x.grad[0, 0].numpy())
    assert r == receptive_field(layers)[-1].r
    assert center == _center(layers, size)
    np.testing.assert_allclose(input_gradient_of_center_unit(layers, size), x.grad[0, 0].numpy(), rtol=1e-12)


def test_hand_values_three_3x3_is_7_and_two_is_5() -> None:
    assert [rf.r for rf in receptive_field([Layer(3)] * 3)] == [3, 5, 7]
    assert [rf.j for rf in receptive_field([Layer(3, 2), Layer(3, 2), Layer(3)])] == [2, 4, 4]
    assert [rf.r for rf in receptive_field([Layer(3, 2), Layer(3, 2), Layer(3)])] == [3, 7, 15]
    assert receptive_field([Layer(3, dilation=2)])[-1].r == 5


def test_effective_receptive_field_is_peaked_in_the_middle() -> None:
    g = input_gradient_of_center_unit([Layer(3)] * 3, 15)
    # 一维时到达输出的路径数是 (1 + x + x^2)^3 的系数 1 3 6 7 6 3 1; 二维是它们的外积
    paths = np.array([1.0, 3.0, 6.0, 7.0, 6.0, 3.0, 1.0])
    np.testing.assert_array_equal(g[4:11, 4:11], np.outer(paths, paths))
    assert g[7, 7] == 49.0 and g[4, 4] == 1.0  # 中心像素的梯度是角上的 49 倍 (Luo et al., 2016)


@pytest.mark.parametrize("layers", [[Layer(3, 2), Layer(3, 2), Layer(3)],
                                    [Layer(3, 1, 0, 1), Layer(3, 1, 0, 2), Layer(3, 1, 0, 4)]],
                         ids=["strided", "dilated-1-2-4"])
def test_strided_and_dilated_gradients_cover_every_pixel_but_unevenly(layers: list[Layer]) -> None:
    # 图中的两个网络: 15x15 感受野里每个像素的梯度都非零 (没有被跳过的位置),
    # 但路径数不均匀 (1 到 9 之间跳动), 这才是网格状图案的来源
    g = input_gradient_of_center_unit(layers, 25)
    rows, cols = np.flatnonzero(g.any(axis=1)), np.flatnonzero(g.any(axis=0))
    box = g[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    assert box.shape == (15, 15) and np.all(box > 0)
    assert set(np.unique(box).tolist()) == {1.0, 2.0, 3.0, 4.0, 6.0, 9.0}


def test_repeating_the_same_dilation_leaves_holes_in_the_receptive_field() -> None:
    # d = 2, 2, 2: 所有偏移都是偶数, 感受野 (13x13) 里奇数偏移的像素完全不被看到
    g = input_gradient_of_center_unit([Layer(3, 1, 0, 2)] * 3, 25)
    rows = np.flatnonzero(g.any(axis=1))
    box = g[rows.min():rows.max() + 1, rows.min():rows.max() + 1]
    assert box.shape == (13, 13)
    assert np.all(box[::2, ::2] > 0) and np.all(box[1::2, :] == 0) and np.all(box[:, 1::2] == 0)


def test_bad_input_raises_with_argument_name() -> None:
    with pytest.raises(TypeError, match="layers"):
        receptive_field([(3, 1)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="stride"):
        receptive_field([Layer(3, 0)])
    with pytest.raises(ValueError, match="size"):
        input_gradient_of_center_unit([Layer(3)], 0)

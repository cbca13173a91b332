"""Tests for snippets.nets.nin: head parameter counts against nn modules, mlpconv as 1x1 convs, GAP commutes."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

from snippets.cnn.kernel_size import conv1x1
from snippets.nets.layer_table import count_params
from snippets.nets.nin import fc_head_params, gap_head_params, mlpconv


@pytest.mark.parametrize(("c", "h", "w", "hidden"), [(256, 6, 6, (4096, 4096)), (512, 7, 7, (4096, 4096)),
                                                     (16, 3, 2, ()), (8, 1, 1, (5,))])
def test_fc_head_params_equal_nn_linear(c: int, h: int, w: int, hidden: tuple[int, ...]) -> None:
    dims = [c * h * w, *hidden, 10]
    with torch.device("meta"):
        head = nn.Sequential(*(nn.Linear(i, o) for i, o in zip(dims[:-1], dims[1:], strict=True)))
    assert fc_head_params(c, h, w, hidden, 10) == count_params(head)


def test_gap_head_params_equal_1x1_conv_and_page_numbers() -> None:
    assert gap_head_params(512, 1000) == count_params(nn.Conv2d(512, 1000, 1))
    assert fc_head_params(256, 6, 6, (4096, 4096), 1000) == 58_631_144  # AlexNet 页的三个全连接层
    assert fc_head_params(512, 7, 7, (4096, 4096), 1000) // gap_head_params(512, 1000) == 241


def test_1x1_conv_then_gap_equals_gap_then_linear() -> None:
    rng = np.random.default_rng(0)
    X, W = rng.standard_normal((2, 8, 5, 5)), rng.standard_normal((3, 8))
    np.testing.assert_allclose(conv1x1(X, W).mean(axis=(2, 3)), X.mean(axis=(2, 3)) @ W.T, rtol=1e-12, atol=1e-12)


def test_mlpconv_1x1_layers_are_a_per_pixel_linear_layer() -> None:
    torch.manual_seed(0)
    block = mlpconv(3, 4, 3, padding=1).double()
    assert block(torch.zeros(1, 3, 8, 8, dtype=torch.float64)).shape == (1, 4, 8, 8)
    conv = block[2]
    x = torch.randn(2, 4, 5, 5, dtype=torch.float64)
    lin = x.permute(0, 2, 3, 1) @ conv.weight[:, :, 0, 0].T + conv.bias  # 每个像素上的全连接层
    torch.testing.assert_close(conv(x), lin.permute(0, 3, 1, 2), rtol=1e-12, atol=1e-12)
    assert count_params(block) == (27 * 4 + 4) + 2 * (16 + 4)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="kernel_size"):
        mlpconv(3, 4, 0)
    with pytest.raises(TypeError, match="hidden"):
        fc_head_params(1, 1, 1, [4], 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="num_classes"):
        gap_head_params(4, 0)


def test_vgg16_with_a_gap_head_keeps_about_15_million_parameters() -> None:
    from snippets.nets.catalogue import vgg16

    with torch.device("meta"):
        total = count_params(vgg16())
    fc = fc_head_params(512, 7, 7, (4096, 4096), 1000)
    assert total == 138_357_544 and round(fc / 1e6) == 124
    assert round((total - fc + gap_head_params(512, 1000)) / 1e6) == 15

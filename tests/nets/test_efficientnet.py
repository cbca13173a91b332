"""Tests for snippets.nets.efficientnet: compound scaling, MBConv's count by formula, B0's documented count."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from snippets.nets.efficientnet import MBConv, SqueezeExciteSiLU, compound_scaling, efficientnet_b0
from snippets.nets.layer_table import count_params, layer_table, table_totals


def test_compound_scaling_flops_about_two_to_the_phi() -> None:
    assert compound_scaling(1)["flops"] == pytest.approx(1.2 * 1.1**2 * 1.15**2, rel=1e-12)
    assert round(compound_scaling(1)["flops"], 3) == 1.920
    for phi in range(5):
        s = compound_scaling(phi)
        assert s["flops"] == pytest.approx(s["depth"] * s["width"] ** 2 * s["resolution"] ** 2, rel=1e-12)
        assert 0.8 < s["flops"] / 2**phi <= 1.0  # 1.92^phi 略小于 2^phi


def mbconv_params(c_in: int, c_out: int, k: int, t: int) -> int:
    h, s = c_in * t, c_in // 4
    expand = c_in * h + 2 * h if t != 1 else 0
    return expand + (k * k * h + 2 * h) + (h * s + s + s * h + h) + (h * c_out + 2 * c_out)


@pytest.mark.parametrize(("c_in", "c_out", "k", "s", "t"), [(32, 16, 3, 1, 1), (16, 24, 3, 2, 6), (40, 40, 5, 1, 6)])
def test_mbconv_params_by_formula(c_in: int, c_out: int, k: int, s: int, t: int) -> None:
    block = MBConv(c_in, c_out, k, s, t)
    assert count_params(block) == mbconv_params(c_in, c_out, k, t)
    assert block.use_shortcut == (s == 1 and c_in == c_out)
    assert block.eval()(torch.zeros(1, c_in, 8, 8)).shape == (1, c_out, 8 // s, 8 // s)


def test_b0_count_and_macs_equal_torchvision_documentation() -> None:
    with torch.device("meta"):
        t = table_totals(layer_table(efficientnet_b0(), (3, 224, 224)))
    assert t["params"] == 5_288_548 and round(t["macs"] / 1e9, 2) == 0.39  # torchvision: num_params, GFLOPS


def test_se_silu_matches_formula() -> None:
    torch.manual_seed(0)
    se = SqueezeExciteSiLU(8, reduction=4).double()
    x = torch.randn(2, 8, 3, 3, dtype=torch.float64)
    s = x.mean(dim=(2, 3))
    w = torch.sigmoid(se.fc2(nn.functional.silu(se.fc1(s))))
    torch.testing.assert_close(se(x), x * w[:, :, None, None], rtol=1e-12, atol=1e-12)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="phi"):
        compound_scaling(-1)
    with pytest.raises(ValueError, match="beta"):
        compound_scaling(1, beta=0.5)
    with pytest.raises(ValueError, match="num_classes"):
        efficientnet_b0(num_classes=0)
    with pytest.raises(ValueError, match="^t must"):
        MBConv(16, 24, 3, 2, 0)
    with pytest.raises(ValueError, match="kernel_size"):
        MBConv(16, 24, 0, 2, 6)

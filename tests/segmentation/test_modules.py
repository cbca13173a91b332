"""Tests for snippets.segmentation.modules and atrous: output shapes by hand, parameter counts by formula,
the published U-Net sizes (572 -> 388), meta-device shapes equal real ones, and hand cases for atrous arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

from snippets.segmentation.atrous import effective_kernel, footprint, valid_taps
from snippets.segmentation.modules import (
    ASPP,
    PyramidPooling,
    UNetLevel,
    aspp_params,
    conv_bn_relu,
    conv_params,
    count_params,
    double_conv,
    psp_params,
    shape_table,
    unet_level_params,
    unet_sizes,
)


@pytest.mark.parametrize(("cin", "cout", "rates"), [(16, 8, (6, 12, 18)), (8, 4, (12, 24, 36)), (4, 4, (2,))])
def test_aspp_keeps_size_and_parameter_count_matches_formula(cin: int, cout: int, rates: tuple[int, ...]) -> None:
    m = ASPP(cin, cout, rates).eval()
    y = m(torch.randn(2, cin, 9, 11))
    assert y.shape == (2, cout, 9, 11)
    assert count_params(m) == aspp_params(cin, cout, len(rates))


def test_aspp_published_size_2048_to_256() -> None:
    # 9*2048*256 per 3x3 branch; 1x1 and pooling 2048*256; projection 5*256*256; BN 2*256 on each of 6 convs
    assert aspp_params(2048, 256, 3) == 2 * 2048 * 256 + 3 * 9 * 2048 * 256 + 5 * 256 * 256 + 6 * 512 == 15535104


def test_aspp_branch_at_rate_r_equals_conv_with_dilation() -> None:
    torch.manual_seed(0)
    m = ASPP(3, 2, (2,)).double().eval()
    x = torch.randn(1, 3, 8, 8, dtype=torch.float64)
    conv = m.branches[1][0]
    ref = torch.nn.functional.conv2d(x, conv.weight, padding=2, dilation=2)
    np.testing.assert_allclose(conv(x).detach().numpy(), ref.detach().numpy(), atol=1e-12)


def test_psp_concatenates_input_and_four_levels() -> None:
    m = PyramidPooling(8).eval()
    x = torch.randn(1, 8, 12, 12)
    y = m(x)
    assert y.shape == (1, 16, 12, 12)
    torch.testing.assert_close(y[:, :8], x)  # 原特征原样保留在前 cin 个通道
    assert [s[0].output_size for s in m.stages] == [1, 2, 3, 6]
    assert count_params(m) == psp_params(8, 4) == 4 * (8 * 2 + 2 * 2)
    assert psp_params(2048, 4) == 2048 * 2048 + 2 * 2048


def test_psp_bin_one_stage_is_global_average() -> None:
    m = PyramidPooling(4, bins=(1,)).eval()
    x = torch.randn(1, 4, 5, 7)
    pooled = m.stages[0][0](x)
    torch.testing.assert_close(pooled[..., 0, 0], x.mean(dim=(2, 3)))


def test_unet_sizes_match_the_paper_572_to_388() -> None:
    sizes = unet_sizes(572, 4)
    assert sizes[0] == 572 and sizes[-1] == 388
    assert sizes[9] == 28  # 最底层 30x30 -> 28x28 (论文图 1: 32 -> 30 -> 28)
    assert unet_sizes(64, 3, padding=1)[-1] == 64


@pytest.mark.parametrize(("size", "padding"), [(44, 0), (60, 0), (16, 1), (24, 1)])
def test_unet_level_output_size_equals_formula(size: int, padding: int) -> None:
    inner = double_conv(4, 8, padding)  # 最底层: 4 -> 8 = 2 * cout 通道
    m = UNetLevel(2, 4, inner, padding=padding)
    y = m(torch.randn(1, 2, size, size))
    assert y.shape == (1, 4, *[unet_sizes(size, 1, padding)[-1]] * 2)
    assert count_params(m) == unet_level_params(2, 4) + count_params(inner)


def test_unet_level_params_by_hand() -> None:
    # down: 9*64*128+128 + 9*128*128+128; up: 4*256*128+128; fuse: 9*256*128+128 + 9*128*128+128
    assert unet_level_params(64, 128) == 73856 + 147584 + 131200 + 295040 + 147584


def test_shape_table_on_meta_equals_real_run_and_leaves_module_intact() -> None:
    m = ASPP(8, 4).eval()
    rows = shape_table(m, (1, 8, 17, 17))
    assert rows[-1] == ("output", (1, 4, 17, 17), count_params(m))
    assert [r[0] for r in rows] == ["branches.0", "branches.1", "branches.2", "branches.3", "image_pool", "project",
                                    "output"]
    assert rows[4][1] == (1, 4, 1, 1)
    assert next(m.parameters()).device.type == "cpu"  # 原模块没有被搬到 meta 上


def test_module_bad_input() -> None:
    with pytest.raises(ValueError, match="rates"):
        ASPP(4, 4, ())
    with pytest.raises(ValueError, match="cin"):
        ASPP(0, 4)
    with pytest.raises(ValueError, match="cin"):
        PyramidPooling(6)
    with pytest.raises(ValueError, match="bins"):
        PyramidPooling(4, bins=(0, 1))
    with pytest.raises(ValueError, match="padding"):
        UNetLevel(2, 4, nn.Identity(), padding=2)
    with pytest.raises(ValueError, match="size"):
        unet_sizes(570, 4)
    with pytest.raises(ValueError, match="depth"):
        unet_sizes(64, 0)
    with pytest.raises(TypeError, match="module"):
        shape_table("x", (1, 2))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="input_shape"):
        shape_table(nn.Identity(), (1, 0))
    with pytest.raises(TypeError, match="module"):
        count_params(3)  # type: ignore[arg-type]


def test_effective_kernel_and_valid_taps_by_hand() -> None:
    assert [effective_kernel(3, d) for d in (1, 2, 6)] == [3, 5, 13]
    v = valid_taps(5, 2)
    assert v[2, 2] == 9 and v[0, 0] == 4 and v[0, 2] == 6  # 角上只剩右下 2x2 个抽头
    assert (valid_taps(33, 18) < 9).all()  # 33x33 的图上 rate 18 没有一个位置能用满 9 个抽头
    assert (valid_taps(7, 7) == 1).all()  # rate >= 尺寸: 3x3 退化为 1x1


def test_footprint_gridding_and_hdc() -> None:
    F = footprint((2, 2, 2))
    assert F.shape == (13, 13) and (F > 0).sum() == 49 and (F[1::2] == 0).all()  # 奇数行列全是洞
    assert (footprint((1, 2, 5)) > 0).all()
    assert footprint((1,)).tolist() == [[1, 1, 1]] * 3
    assert footprint((1, 1)).sum() == 81  # 两层 3x3: 9 * 9 条路径
    for bad in ((), (0,)):
        with pytest.raises(ValueError, match="dilations"):
            footprint(bad)
    with pytest.raises(ValueError, match="rate"):
        valid_taps(5, 0)
    with pytest.raises(ValueError, match="dilation"):
        effective_kernel(3, 0)


def test_param_formulas_and_builders_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="cin"):
        conv_params(0, 4, 3, True)
    with pytest.raises(ValueError, match="k"):
        conv_params(2, 4, 0, False)
    with pytest.raises(ValueError, match="n_rates"):
        aspp_params(8, 4, 0)
    with pytest.raises(ValueError, match="cin must be divisible"):
        psp_params(10, 4)
    with pytest.raises(ValueError, match="cout"):
        unet_level_params(2, 0)
    with pytest.raises(ValueError, match="padding"):
        double_conv(2, 4, padding=2)
    with pytest.raises(ValueError, match="dilation"):
        conv_bn_relu(2, 4, 3, dilation=0)

"""Tests for snippets.nets.vgg: the paper's Table 2 counts, VGG-16 equal to the CNN chapter's specs."""

from __future__ import annotations

import pytest
import torch

from snippets.cnn.params_flops import count_layers, vgg16_layers
from snippets.nets.layer_table import count_params, layer_table, table_totals
from snippets.nets.vgg import CONFIGS, vgg


def test_counts_round_to_the_papers_table_2() -> None:
    # Simonyan & Zisserman (2015) 表 2: A, B, C, D, E 分别 133, 133, 134, 138, 144 百万
    with torch.device("meta"):
        got = {c: round(count_params(vgg(c)) / 1e6) for c in CONFIGS}
    assert got == {"A": 133, "B": 133, "C": 134, "D": 138, "E": 144}


def test_vgg16_equals_the_cnn_chapters_layer_specs_and_torchvision() -> None:
    with torch.device("meta"):
        rows = layer_table(vgg("D"), (3, 224, 224))
    spec = count_layers(vgg16_layers(), (3, 224, 224))
    assert table_totals(rows)["params"] == sum(r.params for r in spec) == 138_357_544
    assert table_totals(rows)["macs"] == sum(r.macs for r in spec)
    # torchvision 文档 num_params: vgg11 132,863,336, vgg13 133,047,848, vgg19 143,667,240
    with torch.device("meta"):
        assert [count_params(vgg(c)) for c in "ABE"] == [132_863_336, 133_047_848, 143_667_240]


def test_depths_and_forward_pass() -> None:
    depths = {}
    for c in CONFIGS:
        with torch.device("meta"):
            depths[c] = table_totals(layer_table(vgg(c), (3, 224, 224)))["depth"]
    assert depths == {"A": 11, "B": 13, "C": 16, "D": 16, "E": 19}
    torch.manual_seed(0)
    assert vgg("A", num_classes=3).eval()(torch.randn(1, 3, 224, 224)).shape == (1, 3)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="config"):
        vgg("F")
    with pytest.raises(ValueError, match="num_classes"):
        vgg("A", num_classes=0)


def test_page_numbers_same_width_convs_bn_variant_and_a_to_e_growth() -> None:
    with torch.device("meta"):
        rows = layer_table(vgg("D"), (3, 224, 224))
        a, e = (table_totals(layer_table(vgg(c), (3, 224, 224))) for c in "AE")
    convs = [r for r in rows if r.kind == "Conv2d"]
    equal = [r for r, prev in zip(convs[1:], convs[:-1], strict=True) if r.out_shape[0] == prev.out_shape[0]]
    assert [round(r.macs / 1e9, 2) for r in equal] == [1.85] * 6 + [0.46] * 3  # 第五段通道不再翻倍
    fc = [r for r in rows if r.kind == "Linear"]
    assert sum(r.macs for r in fc) / table_totals(rows)["macs"] < 0.01
    # torchvision vgg16_bn: 每个卷积后 BN 的 gamma, beta
    assert table_totals(rows)["params"] + 2 * sum(r.out_shape[0] for r in convs) == 138_365_992
    assert round(e["params"] / a["params"], 2) == 1.08 and round(e["macs"] / a["macs"], 1) == 2.6

"""Tests for snippets.nets.googlenet: torchvision's count, the auxiliary heads, the paper's Table 1."""

from __future__ import annotations

import pytest
import torch

from snippets.cnn.params_flops import conv2d_macs
from snippets.nets.googlenet import CFG, AuxHead, GoogLeNet, Inception
from snippets.nets.layer_table import count_params, layer_table, table_totals


def _aux(c_in: int) -> int:  # 1x1 卷积 (无偏置) + BN, FC 2048 -> 1024, FC 1024 -> 1000
    return c_in * 128 + 2 * 128 + 2048 * 1024 + 1024 + 1024 * 1000 + 1000


def test_torchvision_count_excludes_the_auxiliary_heads() -> None:
    with torch.device("meta"):
        base, with_aux = count_params(GoogLeNet()), count_params(GoogLeNet(aux=True))
    assert base == 6_624_904  # torchvision 文档 num_params
    assert with_aux - base == _aux(512) + _aux(528) == 6_379_984


def test_paper_modules_close_to_table_1() -> None:
    paper_k = {"3a": 159, "3b": 380, "4a": 364, "4b": 437, "4c": 463, "4d": 580, "4e": 840, "5a": 1072, "5b": 1388}
    with torch.device("meta"):
        net = GoogLeNet(torchvision=False)
        ratios = [count_params(net.inc[k]) / 1e3 / v for k, v in paper_k.items()]
        total = count_params(net)
    assert 0.97 < min(ratios) and max(ratios) < 1.11  # 论文的表是近似值
    assert total == 6_998_552


def test_output_channels_and_depth_22_on_the_longest_path() -> None:
    with torch.device("meta"):
        rows = layer_table(GoogLeNet(), (3, 224, 224))
    outs = {r.name.split(".")[1]: r for r in rows if r.name.startswith("inc.")}
    assert [sum(CFG[k][i] for i in (0, 2, 4, 5)) for k in CFG] == [256, 480, 512, 512, 512, 528, 832, 832, 1024]
    stem_convs = sum(r.kind == "Conv2d" for r in rows if r.name.startswith("stem"))
    assert stem_convs + 2 * len(outs) + 1 == 22  # 主干 3 + 每个模块最长分支 2 + 全连接 1
    assert round(table_totals(rows)["macs"] / 1e9, 2) == 1.50  # torchvision 文档 GFLOPS 1.5


def test_one_by_one_reduction_saves_macs_in_3a() -> None:
    naive = sum(conv2d_macs(192, o, k, 28, 28) for o, k in ((64, 1), (128, 3), (32, 5)))
    with torch.device("meta"):
        rows = layer_table(Inception(192, *CFG["3a"], k5=5, bn=False), (192, 28, 28))
    assert naive == 303_464_448 and table_totals(rows)["macs"] == 128_049_152


def test_forward_train_returns_aux_logits_eval_does_not() -> None:
    torch.manual_seed(0)
    net = GoogLeNet(num_classes=5, aux=True)
    x = torch.randn(2, 3, 96, 96)
    out = net.train()(x)
    assert isinstance(out, tuple) and [o.shape for o in out] == [(2, 5)] * 3
    assert net.eval()(x).shape == (2, 5)  # type: ignore[union-attr]
    assert AuxHead(512, 5)(torch.randn(2, 512, 14, 14)).shape == (2, 5)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="num_classes"):
        GoogLeNet(num_classes=0)


def test_table_1_rows_sum_to_about_6_8_million_and_alexnet_ratio() -> None:
    from snippets.nets.alexnet import alexnet

    rows_k = [2.7, 112, 159, 380, 364, 437, 463, 580, 840, 1072, 1388, 1000]  # 论文表 1 的 params 列 (K)
    assert round(sum(rows_k) / 1e3, 1) == 6.8
    with torch.device("meta"):
        assert round(count_params(alexnet(paper=True)) / count_params(GoogLeNet(torchvision=False))) == 9

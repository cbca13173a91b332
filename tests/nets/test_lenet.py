"""Tests for snippets.nets.lenet: the paper's per-layer figures, C3's table, the two variants' counts."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from snippets.nets.layer_table import count_params, layer_table
from snippets.nets.lenet import C3_TABLE, RBF, PartialConv, Subsample, lenet5, paper_counts

# LeCun 等 (1998) 第 II.B 节: 每层的可训练参数与连接数
PAPER = {"C1": (156, 122_304), "S2": (12, 5_880), "C3": (1_516, 151_600), "S4": (32, 2_000),
         "C5": (48_120, 48_120), "F6": (10_164, 10_164)}


def test_counts_equal_the_papers_figures() -> None:
    layers = {layer.name: layer for layer in paper_counts()}
    assert {n: (layers[n].params, layers[n].connections) for n in PAPER} == PAPER
    assert sum(layer.params for layer in layers.values()) == 60_000
    assert sum(layer.connections for layer in layers.values()) == 340_908  # 含输出层的 10 x 84 个连接


def test_c3_table_shape_by_hand() -> None:
    sizes = [len(t) for t in C3_TABLE]
    assert sizes == [3] * 6 + [4] * 9 + [6] and sum(sizes) == 60
    assert len(set(C3_TABLE)) == 16  # 16 个图看到的输入组合各不相同: 打破对称


def test_c3_table_equals_table_i_of_the_paper() -> None:
    # 论文表 I, 逐行抄写: 行是 S2 的特征图 0..5, 列是 C3 的特征图 0..15
    rows = ["X...XXX..XXXX.XX", "XX...XXX..XXXX.X", "XXX...XXX..X.XXX",
            ".XXX..XXXX..X.XX", "..XXX..XXXX.XX.X", "...XXX..XXXX.XXX"]
    assert [{i for i in range(6) if rows[i][j] == "X"} for j in range(16)] == [set(t) for t in C3_TABLE]


def test_paper_module_has_60000_trainable_parameters_per_layer() -> None:
    net = lenet5(paper=True)
    assert count_params(net) == 60_000
    per_layer = [count_params(m) for m in net if count_params(m) > 0]
    assert per_layer == [156, 12, 1_516, 32, 48_120, 10_164]
    assert not list(net[-1].parameters())  # RBF 的中心是 buffer, 不训练


def test_modern_variant_differs_by_900_minus_44_plus_850() -> None:
    modern = lenet5()
    assert count_params(modern) == 61_706 == 60_000 + 25 * (96 - 60) - (12 + 32) + (84 * 10 + 10)
    rows = [r for r in layer_table(modern, (1, 32, 32)) if r.params]
    assert [r.params for r in rows] == [156, 2_416, 48_120, 10_164, 850]
    assert [r.out_shape for r in rows][:3] == [(6, 28, 28), (16, 10, 10), (120, 1, 1)]


def test_partial_conv_equals_sum_of_per_map_convolutions() -> None:
    torch.manual_seed(0)
    conv = PartialConv().double()
    x = torch.randn(2, 6, 14, 14, dtype=torch.float64)
    y = conv(x)
    W = conv.full_weight()
    for j, ins in enumerate(C3_TABLE):  # 暴力: 只对表里连着的输入图做卷积再相加
        ref = sum(F.conv2d(x[:, i:i + 1], W[j:j + 1, i:i + 1]) for i in ins) + conv.bias[j]
        torch.testing.assert_close(y[:, j:j + 1], ref, rtol=1e-12, atol=1e-12)
        assert all((W[j, i] == 0).all() for i in range(6) if i not in ins)
    y.sum().backward()
    assert conv.weight.grad is not None and conv.weight.grad.shape == (60, 5, 5)


def test_subsample_and_rbf_by_hand() -> None:
    s = Subsample(1)
    with torch.no_grad():
        s.coef.fill_(0.5)
        s.bias.fill_(1.0)
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    assert s(x)[0, 0].tolist() == [[0.5 * 10 + 1, 0.5 * 18 + 1], [0.5 * 42 + 1, 0.5 * 50 + 1]]
    rbf = RBF(3, 2)
    c = rbf.centres
    assert rbf(c[:1]).tolist()[0][0] == 0.0 and set(c.unique().tolist()) <= {-1.0, 1.0}


def test_both_variants_run_on_32x32() -> None:
    torch.manual_seed(0)
    x = torch.randn(3, 1, 32, 32)
    assert lenet5(paper=True)(x).shape == lenet5()(x).shape == (3, 10)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(TypeError, match="paper"):
        lenet5(paper=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="num_classes"):
        lenet5(num_classes=0)
    with pytest.raises(ValueError, match="table"):
        paper_counts(((0, 7),))
    with pytest.raises(ValueError, match="channels"):
        Subsample(0)

"""Tests for snippets.nets.layer_table: MACs against FlopCounterMode, params against numel, a hand case."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn
from torch.utils.flop_counter import FlopCounterMode

from snippets.nets.alexnet import alexnet
from snippets.nets.catalogue import vgg16
from snippets.nets.densenet import densenet
from snippets.nets.googlenet import GoogLeNet
from snippets.nets.layer_table import Row, count_params, layer_macs, layer_table, table_totals
from snippets.nets.resnet import resnet18, resnet50


def _flops(model: nn.Module, shape: tuple[int, int, int]) -> int:
    p = next(model.parameters())
    model.eval()
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(torch.zeros(1, *shape, device=p.device, dtype=p.dtype))
    return counter.get_total_flops()


def test_hand_case_conv_and_linear_macs() -> None:
    rows = layer_table(nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(8 * 3 * 3, 4)), (3, 5, 5))
    assert [r.out_shape for r in rows] == [(8, 3, 3), (72,), (4,)]
    assert [r.macs for r in rows] == [3 * 3 * 3 * 8 * 9, 0, 72 * 4]  # 1944 和 288
    assert [r.params for r in rows] == [3 * 9 * 8 + 8, 0, 72 * 4 + 4]


def test_grouped_conv_macs_match_flop_counter() -> None:
    conv = nn.Conv2d(8, 16, 3, padding=1, groups=4).double()
    out = conv(torch.zeros(1, 8, 6, 6, dtype=torch.float64))
    assert 2 * layer_macs(conv, out) == _flops(conv, (8, 6, 6))


BUILDERS = [
    (lambda: alexnet(), 224), (lambda: alexnet(paper=True), 227), (vgg16, 224), (densenet, 224),
    (GoogLeNet, 224), (lambda: GoogLeNet(torchvision=False), 224),
    *[((lambda f=f, o=o: f(option=o)), 224) for f in (resnet18, resnet50) for o in "ABC"],
]


@pytest.mark.parametrize(("build", "side"), BUILDERS)
def test_full_size_macs_equal_flop_counter_and_params_equal_numel(build, side: int) -> None:
    with torch.device("meta"):
        model = build()
    rows = layer_table(model, (3, side, side))
    assert 2 * table_totals(rows)["macs"] == _flops(model, (3, side, side))
    assert table_totals(rows)["params"] == count_params(model)


def test_small_cpu_input_matches_flop_counter_and_forward_runs() -> None:
    torch.manual_seed(0)
    model = resnet18(num_classes=10).double()
    rows = layer_table(model, (3, 64, 64))
    assert model.training  # layer_table 恢复训练模式
    assert 2 * table_totals(rows)["macs"] == _flops(model, (3, 64, 64))
    assert model(torch.randn(2, 3, 64, 64, dtype=torch.float64)).shape == (2, 10)


def test_summary_depth_skips_shortcut_projections() -> None:
    with torch.device("meta"):
        rows = layer_table(resnet18(), (3, 224, 224))
    assert sum(r.kind == "Conv2d" for r in rows) == 20  # 17 个主路径卷积 + 3 个投影
    assert table_totals(rows)["depth"] == 18


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(TypeError, match="model"):
        layer_table("net", (3, 8, 8))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="input_shape"):
        layer_table(nn.Linear(2, 2), (3, 8))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="input_shape"):
        layer_table(nn.Conv2d(3, 2, 1), (3, 0, 8))
    with pytest.raises(TypeError, match="model"):
        count_params(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rows"):
        table_totals([1])  # type: ignore[list-item]
    assert table_totals([Row("a", "Linear", (2,), 6, 4)]) == {"params": 6, "macs": 4, "depth": 1}

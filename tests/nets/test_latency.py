"""Tests for snippets.nets.latency: static costs by hand and against the catalogue, the timing harness's contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch
import torch.nn as nn

import snippets.nets.latency as latency
from snippets.nets.latency import (
    BACKBONES,
    adaptive_head,
    backbone_table,
    latency_ratios,
    measure_latency,
    static_costs,
)
from snippets.nets.layer_table import count_params
from snippets.nets.nin import fc_head_params


def test_static_costs_hand_case() -> None:
    def build() -> nn.Module:
        return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU())

    # 输出 4x5x5: 每个输出 27 次乘加; 卷积和 ReLU 各写出 100 个元素
    assert static_costs(build, 5) == {"params": 3 * 9 * 4 + 4, "macs": 100 * 27, "activations": 200}


@pytest.mark.parametrize(("name", "params"), [("AlexNet", 61_100_840), ("VGG-16", 138_357_544),
                                              ("EfficientNet-B0", 5_288_548)])
def test_backbones_keep_their_documented_counts_and_accept_128(name: str, params: int) -> None:
    assert static_costs(BACKBONES[name], 224)["params"] == params
    with torch.device("meta"):
        net = BACKBONES[name]().eval()
        assert count_params(net) == params
        assert net(torch.zeros(1, 3, 128, 128)).shape == (1, 1000)


def test_adaptive_head_inserts_the_pool_before_flatten() -> None:
    wrapped = adaptive_head(lambda: nn.Sequential(nn.Conv2d(1, 2, 1), nn.Flatten(), nn.Linear(2 * 3 * 3, 4)), 3)()
    assert isinstance(wrapped[1], nn.AdaptiveAvgPool2d) and isinstance(wrapped[2], nn.Flatten)
    assert wrapped(torch.zeros(2, 1, 8, 8)).shape == (2, 4)


def test_measure_latency_contract_and_ratios() -> None:
    models = {"a": nn.Identity(), "b": nn.Conv2d(3, 3, 1)}
    times = measure_latency(models, torch.zeros(1, 3, 4, 4), repeats=3)
    assert set(times) == {"a", "b"} and all(len(t) == 3 and min(t) > 0 for t in times.values())
    assert latency_ratios({"r": [1.0, 3.0, 2.0], "s": [4.0, 8.0, 6.0]}, "r") == {"r": 1.0, "s": 3.0}  # 中位数之比


@pytest.fixture
def one_thread() -> Iterator[None]:
    """Time on one thread, as backbone_table does: on a loaded machine, thread barriers dominate small ops."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.mark.experiment
def test_a_conv_with_3000x_the_macs_is_slower(one_thread: None) -> None:
    torch.manual_seed(0)
    models = {"small": nn.Conv2d(8, 8, 1), "big": nn.Conv2d(8, 512, 7, padding=3)}  # 0.2 M vs 629 M MACs
    ratios = latency_ratios(measure_latency(models, torch.randn(1, 8, 56, 56), 5), "small")
    assert ratios["big"] > 3  # 不比较具体数值: 只比较在任何机器上都成立的方向


def test_backbone_table_rows_with_tiny_models(monkeypatch: pytest.MonkeyPatch) -> None:
    tiny = {"ref": lambda: nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten()),
            "wide": lambda: nn.Sequential(nn.Conv2d(3, 16, 3), nn.Flatten())}
    monkeypatch.setattr(latency, "BACKBONES", tiny)
    monkeypatch.delenv("DLH_RUN_CACHE", raising=False)  # patched code: keep its result out of the session's shared runs
    table = backbone_table("ref", image_size=8, repeats=2)
    assert table["ref"]["latency_ratio"] == 1.0 and table["ref"]["mac_ratio"] == 1.0
    assert table["wide"]["mac_ratio"] == 4.0 and table["wide"]["params"] == 16 * 28
    assert torch.get_num_threads() >= 1


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(TypeError, match="build"):
        static_costs(3, 224)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="image_size"):
        static_costs(BACKBONES["ResNet-18"], 0)
    with pytest.raises(TypeError, match="models"):
        measure_latency({}, torch.zeros(1))
    with pytest.raises(TypeError, match="x"):
        measure_latency({"a": nn.Identity()}, [1.0])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="repeats"):
        measure_latency({"a": nn.Identity()}, torch.zeros(1), repeats=0)
    with pytest.raises(ValueError, match="reference"):
        latency_ratios({"a": [1.0]}, "b")
    with pytest.raises(ValueError, match="reference"):
        backbone_table("LeNet")
    with pytest.raises(ValueError, match="size"):
        adaptive_head(BACKBONES["AlexNet"], 0)


def test_page_statements_on_static_costs() -> None:
    """Machine-independent reasons for the figure's build-machine observation (no timing asserted here):
    MobileNetV2 and EfficientNet-B0 do few MACs per number moved and write ~3x ResNet-18's activations."""
    s = {n: static_costs(b, 224) for n, b in BACKBONES.items()}
    assert s["DenseNet-121"]["params"] < s["ResNet-50"]["params"] / 3
    assert 0.9 < s["DenseNet-121"]["activations"] / s["ResNet-50"]["activations"] < 1
    assert s["MobileNetV2"]["macs"] < s["ResNet-18"]["macs"] / 5
    for n in ("MobileNetV2", "EfficientNet-B0"):  # MACs < 1/4, 激活约 3 倍 (ResNet-18), 七成 (ResNet-50)
        assert s[n]["macs"] < s["ResNet-18"]["macs"] / 4
        assert round(s[n]["activations"] / s["ResNet-18"]["activations"]) == 3
        assert round(s[n]["activations"] / s["ResNet-50"]["activations"], 1) == 0.7
    fc_bytes = fc_head_params(256, 6, 6, (4096, 4096), 1000) * 4  # AlexNet 三个全连接层, float32
    assert round(fc_bytes / 1e6) == 235
    intensity = {n: v["macs"] / (v["params"] + v["activations"]) for n, v in s.items()}
    low = sorted(intensity, key=intensity.__getitem__)[:3]
    assert set(low) == {"AlexNet", "MobileNetV2", "EfficientNet-B0"}

"""Every network's parameter count equals torchvision's documented num_params."""

from __future__ import annotations

import pytest

from snippets.nets.catalogue import NETS, all_totals, totals

# torchvision 模型文档 (docs.pytorch.org/vision/stable/models/<name>.html, "num_params")
PUBLISHED = {"AlexNet": 61_100_840, "VGG-16": 138_357_544, "ResNet-18": 11_689_512, "ResNet-50": 25_557_032,
             "GoogLeNet": 6_624_904, "DenseNet-121": 7_978_856,
             "MobileNetV2": 3_504_872, "EfficientNet-B0": 5_288_548}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_parameter_count_equals_torchvision_documentation(name: str) -> None:
    assert NETS[name].published == PUBLISHED[name]
    assert totals(name)["params"] == PUBLISHED[name]


def test_depths_and_published_macs_orders() -> None:
    assert {n: totals(n)["depth"] for n in NETS} == {"AlexNet": 8, "VGG-16": 16, "ResNet-18": 18, "ResNet-50": 50,
                                                     "GoogLeNet": 22, "DenseNet-121": 121,
                                                     "MobileNetV2": 53, "EfficientNet-B0": 82}
    # torchvision 文档的 GFLOPS (实为 GMACs): AlexNet 0.71, VGG-16 15.47, ResNet-18 1.81, ResNet-50 4.09, GoogLeNet 1.5,
    # DenseNet-121 2.83, MobileNetV2 0.3, EfficientNet-B0 0.39
    got = {n: round(totals(n)["macs"] / 1e9, 2) for n in NETS}
    assert got == {"AlexNet": 0.71, "VGG-16": 15.47, "ResNet-18": 1.81, "ResNet-50": 4.09, "GoogLeNet": 1.5,
                   "DenseNet-121": 2.83, "MobileNetV2": 0.3, "EfficientNet-B0": 0.39}


def test_totals_rejects_unknown_name() -> None:
    with pytest.raises(ValueError, match="name"):
        totals("LeNet")


def test_index_caption_comparisons() -> None:
    t = all_totals()
    assert t == {n: totals(n) for n in NETS}
    assert t["AlexNet"]["params"] > 2 * t["ResNet-50"]["params"]
    assert sorted(t, key=lambda n: t[n]["macs"])[:3] == ["MobileNetV2", "EfficientNet-B0", "AlexNet"]
    assert sorted(t, key=lambda n: t[n]["params"])[:3] == ["MobileNetV2", "EfficientNet-B0", "GoogLeNet"]
    assert max(t, key=lambda n: t[n]["depth"]) == "DenseNet-121" and t["DenseNet-121"]["params"] < 8e6
    assert all(t["VGG-16"][k] == max(v[k] for v in t.values()) for k in ("params", "macs"))
    assert t["ResNet-50"]["params"] < 0.2 * t["VGG-16"]["params"] and t["ResNet-50"]["macs"] < 0.3 * t["VGG-16"]["macs"]

"""CPU latency of the chapter's networks next to their parameters and MACs, as ratios to a reference network.

Absolute times depend on the machine, its kernels and its load; the ratios measured in one run, with
the networks interleaved, are what this module reports.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import torch
import torch.nn as nn

from snippets._checks import check_int
from snippets.nets.catalogue import NETS
from snippets.nets.layer_table import layer_table, table_totals
from snippets.run_cache import shared_run


def adaptive_head(build: Callable[[], nn.Module], size: int) -> Callable[[], nn.Sequential]:
    """Wrap a Sequential with a Flatten -> FC head so that any input size works, as torchvision does.

    An AdaptiveAvgPool2d(size) before the Flatten brings the last feature map to size x size, so
    the FC layers and the parameter count stay those of the 224 x 224 network.
    """
    check_int(size, "size", 1)

    def wrapped() -> nn.Sequential:
        m = build()
        if not isinstance(m, nn.Sequential):
            raise TypeError(f"build must return an nn.Sequential, got {type(m).__name__}")
        i = next(i for i, layer in enumerate(m) if isinstance(layer, nn.Flatten))
        layers = list(m)
        return nn.Sequential(*layers[:i], nn.AdaptiveAvgPool2d(size), *layers[i:])

    return wrapped


BACKBONES: dict[str, Callable[[], nn.Module]] = {name: net.build for name, net in NETS.items()}
BACKBONES["AlexNet"] = adaptive_head(NETS["AlexNet"].build, 6)  # 与 torchvision 相同: 任意输入 -> 6x6
BACKBONES["VGG-16"] = adaptive_head(NETS["VGG-16"].build, 7)  # 任意输入 -> 7x7


# --8<-- [start:static]
def static_costs(build: Callable[[], nn.Module], image_size: int = 224) -> dict[str, int]:
    """Parameters, MACs and activation elements (outputs of every leaf layer) for one image, on meta."""
    if not callable(build):
        raise TypeError(f"build must be callable, got {type(build).__name__}")
    size = check_int(image_size, "image_size", 1)
    with torch.device("meta"):
        rows = layer_table(build(), (3, size, size))
    t = table_totals(rows)
    acts = sum(int(torch.Size(r.out_shape).numel()) for r in rows)  # 每层写出的元素: 内存流量的下界
    return {"params": t["params"], "macs": t["macs"], "activations": acts}
# --8<-- [end:static]


# --8<-- [start:measure]
def measure_latency(models: dict[str, nn.Module], x: torch.Tensor, repeats: int = 5,
                    warmup: int = 1) -> dict[str, list[float]]:
    """Seconds per forward pass of each model on x, ``repeats`` times each.

    The models take turns within each round, so a change in the machine's load hits all of them
    alike; take the median of each list and divide by one reference model's median.
    """
    if not isinstance(models, dict) or not models or not all(isinstance(m, nn.Module) for m in models.values()):
        raise TypeError("models must be a non-empty dict of nn.Module")
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}")
    repeats, warmup = check_int(repeats, "repeats", 1), check_int(warmup, "warmup", 0)
    times: dict[str, list[float]] = {name: [] for name in models}
    with torch.inference_mode():
        for m in models.values():
            m.eval()
            for _ in range(warmup):  # 第一次调用会分配内存、选 kernel
                m(x)
        for _ in range(repeats):
            for name, m in models.items():
                t0 = time.perf_counter()
                m(x)
                times[name].append(time.perf_counter() - t0)
    return times


def latency_ratios(times: dict[str, list[float]], reference: str) -> dict[str, float]:
    """Median time of each model divided by the reference model's median time."""
    if not isinstance(times, dict) or reference not in times:
        raise ValueError(f"reference must be a key of times, got {reference!r}")
    ref = statistics.median(times[reference])
    return {name: statistics.median(t) / ref for name, t in times.items()}
# --8<-- [end:measure]


@shared_run
def backbone_table(reference: str = "ResNet-18", image_size: int = 112, repeats: int = 5,
                   threads: int = 1) -> dict[str, dict[str, float]]:
    """Static costs and measured latency ratio (one thread, batch 1) of every network in BACKBONES.

    The default 112 x 112 input keeps the whole measurement to a few seconds on one core.
    """
    if reference not in BACKBONES:
        raise ValueError(f"reference must be one of {sorted(BACKBONES)}, got {reference!r}")
    before = torch.get_num_threads()
    torch.set_num_threads(check_int(threads, "threads", 1))
    try:
        torch.manual_seed(0)
        models = {name: build() for name, build in BACKBONES.items()}
        x = torch.randn(1, 3, image_size, image_size)
        ratios = latency_ratios(measure_latency(models, x, repeats), reference)
    finally:
        torch.set_num_threads(before)
    static = {name: static_costs(build, image_size) for name, build in BACKBONES.items()}
    return {name: {**static[name], "latency_ratio": ratios[name],
                   "mac_ratio": static[name]["macs"] / static[reference]["macs"]} for name in BACKBONES}

"""Figures of the chapter 经典网络, each computed with the snippets the pages show."""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.figure import Figure

from snippets.figures import figure
from snippets.nets.catalogue import all_totals
from snippets.nets.degradation import degradation_experiment, grad_norm_runs
from snippets.nets.latency import backbone_table
from snippets.plotting import new_figure


@figure("nets-compare")
def nets_compare() -> Figure:
    """Parameters against MACs (224 x 224) for every network of the chapter, labelled with depth."""
    fig, ax = new_figure("square")
    offsets = {"GoogLeNet": (-14, -26), "DenseNet-121": (8, -18), "MobileNetV2": (8, -20),
               "EfficientNet-B0": (-30, 10)}  # 相近的点: 标签错开
    for i, (name, t) in enumerate(all_totals().items()):
        ax.scatter(t["macs"] / 1e9, t["params"] / 1e6, s=20 + 2 * t["depth"], color=f"C{i}", alpha=0.8)
        ax.annotate(f"{name}\ndepth {t['depth']}", (t["macs"] / 1e9, t["params"] / 1e6),
                    textcoords="offset points", xytext=offsets.get(name, (8, -4)), fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.15, 60)
    ax.set_ylim(2, 400)
    ax.set_xlabel("GMACs per 224x224 image")
    ax.set_ylabel("parameters (M)")
    return fig


@figure("nets-degradation")
def nets_degradation() -> Figure:
    """Final training error against depth, plain vs residual: median and range over 5 seeds."""
    runs = degradation_experiment()
    depths = sorted({d for _, d in runs})
    fig, ax = new_figure("half")
    for i, name in enumerate(("plain", "residual")):
        errs = np.array([runs[(name, d)] for d in depths])  # (depths, seeds)
        med = np.median(errs, axis=1)
        ax.errorbar(depths, 100 * med, yerr=100 * np.array([med - errs.min(1), errs.max(1) - med]),
                    color=f"C{i}", marker="o", capsize=3, label=name)
    ax.set_yscale("log")
    ax.set_xticks(depths)
    ax.set_xlabel("depth (weighted layers)")
    ax.set_ylabel("training error (%)")
    ax.set_title("load_digits, 120 SGD steps, 5 seeds")
    ax.legend(loc="upper left")
    return fig


@figure("nets-grad-norm")
def nets_grad_norm() -> Figure:
    """||dL/dW|| per layer at initialisation, plain vs residual, depth 22: median and range over 5 seeds."""
    fig, ax = new_figure("half")
    for i, (name, G) in enumerate(grad_norm_runs(22).items()):  # G: (seeds, layers)
        layer = np.arange(1, G.shape[1] + 1)
        ax.fill_between(layer, G.min(0), G.max(0), color=f"C{i}", alpha=0.25, linewidth=0)
        ax.plot(layer, np.median(G, 0), color=f"C{i}", marker=".", label=name)
    ax.set_yscale("log")
    ax.set_xlabel("layer l (1 = input side)")
    ax.set_ylabel(r"$\|\partial \mathcal{L} / \partial W^{(l)}\|$")
    ax.set_title("depth 22, at init, 5 seeds")
    ax.legend(loc="upper right")
    return fig


@functools.cache
def measured_backbones() -> dict[str, dict[str, float]]:
    """backbone_table() measured once per process: the light and dark renders must plot the same run."""
    return backbone_table()


@figure("nets-latency", measured="CPU latency of every network of the chapter, as ratios to ResNet-18 in one run")
def nets_latency() -> Figure:
    """Measured CPU latency against MACs, both as ratios to ResNet-18 (one thread, batch 1, 112 x 112)."""
    table = measured_backbones()
    fig, ax = new_figure("square")
    ax.plot([0.1, 12], [0.1, 12], color="0.5", linestyle="--", linewidth=1, label="latency ratio = MAC ratio")
    for i, (name, row) in enumerate(table.items()):
        ax.scatter(row["mac_ratio"], row["latency_ratio"], s=30, color=f"C{i}")
        ax.annotate(name, (row["mac_ratio"], row["latency_ratio"]), textcoords="offset points",
                    xytext=(6, -3), fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.1, 12)
    ax.set_ylim(0.1, 12)
    ax.set_xlabel("MACs / MACs of ResNet-18")
    ax.set_ylabel("latency / latency of ResNet-18 (median of 5)")
    ax.set_title("CPU, 1 thread, batch 1, 112x112, build machine")
    ax.legend(loc="upper left")
    return fig

"""Figures of the chapter 基础与反向传播, each computed with the snippets the pages show."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator

from snippets.basics.activations import leaky_relu, leaky_relu_grad, sigmoid, sigmoid_grad, tanh, tanh_grad
from snippets.basics.activations_modern import ZOO
from snippets.basics.backprop import init_mlp, train_sse
from snippets.basics.classic_vs_deep import MODELS, accuracy_grid, comparison_claims
from snippets.basics.clipping import clip_grad_norm, clip_grad_value
from snippets.basics.deep_grads import KINDS, Kind, grad_norms_per_layer
from snippets.basics.depth_sawtooth import pieces_of_deep, sawtooth
from snippets.basics.dying_relu import BIASES, LRS, dead_claims, dead_grid
from snippets.basics.epoch_batch import batch_sizes
from snippets.basics.gradcheck import gradcheck_errors
from snippets.basics.mlp import XOR_X, XOR_Y, make_xor, predict, train_classifier
from snippets.basics.relu_evidence import ACTS, depth_profile
from snippets.basics.selu_norm import selu_layer_stats
from snippets.basics.universal_approx import best_output_layer_mse, fit_1d, predict_1d, target
from snippets.figures import figure, require_claims
from snippets.plotting import new_figure

SEEDS = range(5)  # 每个实验 5 个种子; 图画中位数与最小到最大的范围, 与页面上打印的汇总一致


def _band(ax: Axes, x: np.ndarray, runs: np.ndarray, color: str, **kwargs: Any) -> None:
    """Median over seeds as a line, min to max over seeds as a shaded band; runs: (seeds, len(x))."""
    ax.fill_between(x, runs.min(axis=0), runs.max(axis=0), color=color, alpha=0.2, linewidth=0)
    ax.plot(x, np.median(runs, axis=0), color=color, **kwargs)


# 训练实验是确定性的 (固定种子); 同一进程里浅色和深色两个版本共用一次计算结果, 构建时间减半.
@cache
def _xor_runs() -> tuple[tuple[np.ndarray, np.ndarray], list[tuple[np.ndarray, np.ndarray]]]:
    X, y = make_xor(200, np.random.default_rng(0))
    g = np.linspace(-2.2, 2.2, 121)
    G = np.array(np.meshgrid(g, g)).reshape(2, -1).T  # (121 * 121, 2)
    runs = []
    for hidden in (0, 4):
        params = [train_classifier(X, y, hidden, seed) for seed in SEEDS]
        acc = np.array([np.mean(predict(p, X) == y) for p in params])
        votes = np.mean([predict(p, G) for p in params], axis=0).reshape(121, 121)  # 判为类别 1 的种子比例
        runs.append((acc, votes))
    return (X, y), runs


@cache
def _uat_runs() -> list[np.ndarray]:
    x = np.linspace(-2.0, 2.0, 401)
    return [np.array([predict_1d(fit_1d(hidden, seed)[0], x) for seed in SEEDS]) for hidden in (2, 8, 64)]


@cache
def _sse_runs() -> np.ndarray:
    runs = []
    for seed in SEEDS:
        params = init_mlp([2, 4, 1], np.random.default_rng(seed))
        _, losses = train_sse(XOR_X, XOR_Y[:, None], params, ["sigmoid", "sigmoid"], lr=2.0, epochs=2000)
        runs.append(losses)
    return np.array(runs)  # (5 seeds, 2000 epochs)


@cache
def _grad_norm_runs(kind: Kind) -> tuple[np.ndarray, np.ndarray]:
    runs = [grad_norms_per_layer(kind, seed) for seed in SEEDS]
    return np.array([r[0] for r in runs]), np.array([r[1] for r in runs])  # (5 seeds, 20 layers) each


POWER_WIDTHS = (1, 2, 3, 4, 8, 16, 32, 64)


@cache
def _power_feature_mse(activation: str, random_labels: bool = False) -> np.ndarray:
    x = np.linspace(-2.0, 2.0, 100)
    # 随机 +-1 标签与页面上的代码块相同: 种子 s 用第 s 组
    labels = np.random.default_rng(0).choice([-1.0, 1.0], size=(5, 100)) if random_labels else None
    return np.array([[best_output_layer_mse(x, target(x) if labels is None else labels[s], h, activation, s)
                      for h in POWER_WIDTHS] for s in SEEDS])  # (5 seeds, widths)


@figure("epoch-batches")
def epoch_batches_figure() -> Figure:
    """One epoch of n = 1050 samples cut into batches of 100, without and with drop_last."""
    n, B = 1050, 100
    fig, ax = new_figure("wide")
    for row, drop_last in enumerate((False, True)):
        sizes = batch_sizes(n, B, drop_last)
        left = 0
        for k, size in enumerate(sizes):
            ax.barh(row, size, left=left, color="C1" if size < B else f"C{k % 2 * 2}", edgecolor="none", height=0.6)
            left += size
        if left < n:
            ax.barh(row, n - left, left=left, facecolor="none", edgecolor="C6", alpha=0.5, height=0.6, hatch="//")
        ax.text(n + 15, row, f"{len(sizes)} iterations", va="center", fontsize=9)
    ax.set_axisbelow(True)
    ax.set_yticks([0, 1], ["drop_last=False", "drop_last=True"])
    ax.set_xlim(0, n + 170)
    ax.set_xlabel(f"sample position in the shuffled epoch ($n = {n}$, batch size $B = {B}$)")
    ax.invert_yaxis()
    return fig


@figure("xor-decision-boundary")
def xor_decision_boundary() -> Figure:
    """Decision regions on noisy XOR over 5 seeds: logistic regression vs a tanh MLP with 4 hidden units."""
    (X, y), runs = _xor_runs()
    g = np.linspace(-2.2, 2.2, 121)
    fig, axes = new_figure("full", ncols=2)
    names = ("linear (logistic regression)", "MLP, 4 tanh units")
    for ax, (acc, votes), name in zip(axes, runs, names, strict=True):
        # 背景: 5 个种子里判为类别 1 的比例 (0, 0.2, ..., 1), 两端颜色最深
        levels = [-0.1, 0.1, 0.3, 0.5, 0.7, 0.9, 1.1]
        colors = ["C0", "C0", "C0", "C1", "C1", "C1"]
        alphas = [0.3, 0.18, 0.08, 0.08, 0.18, 0.3]
        for lo, hi, color, alpha in zip(levels[:-1], levels[1:], colors, alphas, strict=True):
            ax.contourf(g, g, votes, levels=[lo, hi], colors=[color], alpha=alpha)
        for k, marker in ((0, "o"), (1, "^")):
            ax.scatter(*X[y == k].T, s=10, color=f"C{k}", marker=marker, label=f"$y = {k}$")
        ax.set_title(f"{name}\ntrain acc. median {np.median(acc):.3f} (5 seeds)", fontsize=9)
        ax.set_xlabel("$x_1$")
        ax.set_aspect("equal")
    axes[0].set_ylabel("$x_2$")
    axes[0].legend(loc="upper right", fontsize=8)
    return fig


@figure("uat-width")
def uat_width() -> Figure:
    """One-hidden-layer tanh networks with 2, 8 and 64 units fitted to sin(3x) + 0.3x, 5 seeds each."""
    x = np.linspace(-2.0, 2.0, 401)
    fig, axes = new_figure("full", ncols=3, sharey=True)
    for ax, hidden, preds in zip(axes, (2, 8, 64), _uat_runs(), strict=True):
        ax.plot(x, target(x), color="C6", linestyle="--", linewidth=1.2, label="target")
        _band(ax, x, preds, "C0", label="network (median, 5 seeds)")
        ax.set_title(f"$H = {hidden}$", fontsize=9)
        ax.set_xlabel("$x$")
    axes[0].set_ylabel("$y$")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=7.5)
    return fig


@figure("polynomial-activation")
def polynomial_activation() -> Figure:
    """Best training MSE with H random hidden units: square activation plateaus, tanh keeps improving."""
    widths = np.array(POWER_WIDTHS, dtype=float)
    fig, ax = new_figure("half")
    floor = 1e-15  # 低于它已是浮点舍入的量级, 数值随机器而变: 画在 1e-15 处
    curves = (("square", False, "$f(t) = t^2$", "-"), ("tanh", False, r"$f(t) = \tanh t$", "-"),
              ("tanh", True, r"$\tanh$, random $\pm 1$ labels", "--"))
    for i, (act, random_labels, label, style) in enumerate(curves):
        runs = np.maximum(_power_feature_mse(act, random_labels), floor)
        _band(ax, widths, runs, f"C{i}", marker="o", markersize=3, linestyle=style, label=label)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=7))  # 每隔几个数量级一个刻度, 标签少
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("hidden units $H$")
    ax.set_ylabel("best train MSE (5 seeds)")
    ax.legend(loc="lower left", fontsize=7.5)
    return fig


def _zoo_panels(names: list[tuple[str, str]], title: str, ymin: float) -> Figure:
    x = np.linspace(-4.0, 4.0, 801)
    fig, (ax_f, ax_d) = new_figure("full", ncols=2)
    for i, (name, label) in enumerate(names):
        if name == "leaky_relu_0.1":  # 斜率 0.01 在图上看不出来, 画 0.1
            f, df = leaky_relu(x, 0.1), leaky_relu_grad(x, 0.1)
        else:
            f, df = ZOO[name][0](x), ZOO[name][1](x)
        # 在导数跳变处断开曲线, 避免画出并不存在的竖线
        df = np.where(np.abs(np.gradient(df)) > 0.04, np.nan, df)
        style = "--" if name in ("gelu_tanh", "selu") else "-"
        ax_f.plot(x, f, color=f"C{i}", linestyle=style, linewidth=1.4, label=label)
        ax_d.plot(x, df, color=f"C{i}", linestyle=style, linewidth=1.4)
    ax_f.set_ylim(ymin, 4.0)
    ax_f.set_title(f"{title}: $f(x)$", fontsize=9)
    ax_d.set_title("$f'(x)$ (values at kinks as PyTorch 2.13)", fontsize=9)
    for ax in (ax_f, ax_d):
        ax.set_xlabel("$x$")
    ax_f.legend(loc="upper left", fontsize=7.5)
    return fig


@figure("activations-classic")
def activations_classic() -> Figure:
    """Sigmoid, tanh, ReLU, leaky ReLU, ELU, SELU, softplus and their derivatives."""
    names = [("sigmoid", "sigmoid"), ("tanh", "tanh"), ("relu", "ReLU"), ("leaky_relu_0.1", "LeakyReLU (0.1)"),
             ("elu", r"ELU ($\alpha = 1$)"), ("selu", "SELU"), ("softplus", "softplus")]
    return _zoo_panels(names, "classic", ymin=-2.0)


@figure("activations-modern")
def activations_modern() -> Figure:
    """GELU (exact and tanh), SiLU, Mish, hard-sigmoid, hard-swish and ReLU for reference."""
    names = [("gelu", "GELU"), ("gelu_tanh", "GELU (tanh approx.)"), ("silu", "SiLU / Swish"), ("mish", "Mish"),
             ("hardsigmoid", "hard-sigmoid"), ("hardswish", "hard-swish"), ("relu", "ReLU")]
    return _zoo_panels(names, "smooth and hard", ymin=-1.0)


@figure("relu-subgradients")
def relu_subgradients() -> Figure:
    """ReLU with supporting lines g x through the kink: every slope g in [0, 1] is a subgradient at 0."""
    x = np.linspace(-2.0, 2.0, 401)
    fig, ax = new_figure("half")
    for i, g in enumerate((0.0, 0.25, 0.5, 0.75, 1.0)):
        ax.plot(x, g * x, color=f"C{i + 1}", linestyle=":", linewidth=1.2, label=f"$g = {g:g}$")
    ax.plot(x, ZOO["relu"][0](x), color="C0", linewidth=2.2, label=r"$\mathrm{ReLU}(x)$")
    ax.plot([0], [0], "o", color="C0", markersize=5)
    ax.set_ylim(-1.0, 2.0)
    ax.set_xlabel("$x$")
    ax.set_title("lines $g\\,x$ below ReLU: subgradients at 0", fontsize=9)
    ax.legend(loc="upper left", fontsize=7.5)
    return fig


@figure("sigmoid-saturation")
def sigmoid_saturation() -> Figure:
    """Sigmoid and tanh with their tangent lines at 0 (linear region) and their derivatives (saturation)."""
    x = np.linspace(-6.0, 6.0, 601)
    fig, (ax_f, ax_d) = new_figure("full", ncols=2)
    ax_f.plot(x, sigmoid(x), color="C0", label=r"$\sigma(x)$")
    ax_f.plot(x, 0.5 + x / 4, color="C0", linestyle=":", linewidth=1.2, label=r"$1/2 + x/4$")
    ax_f.plot(x, tanh(x), color="C1", label=r"$\tanh x$")
    ax_f.plot(x, x, color="C1", linestyle=":", linewidth=1.2, label="$x$")
    ax_f.set_ylim(-1.3, 1.3)
    ax_d.plot(x, sigmoid_grad(x), color="C0", label=r"$\sigma'(x) = \sigma(1 - \sigma)$")
    ax_d.plot(x, tanh_grad(x), color="C1", label=r"$\tanh' x = 1 - \tanh^2 x$")
    ax_d.axhline(0.25, color="C6", linestyle="--", linewidth=1.0, label="$1/4$")
    for ax in (ax_f, ax_d):
        # |x| > 4: sigma' < 0.018, tanh' < 0.0014: 饱和区
        ax.axvspan(-6, -4, color="C6", alpha=0.08)
        ax.axvspan(4, 6, color="C6", alpha=0.08)
        ax.set_xlabel("$x$")
        ax.legend(loc="upper left", fontsize=7.5)
    return fig


@figure("backprop-sse")
def backprop_sse() -> Figure:
    """SSE per epoch of a 2-4-1 sigmoid network on XOR trained with the hand-written backward pass, 5 seeds."""
    fig, ax = new_figure("half")
    # 对数横轴上 2000 个点大多挤在右端: 取 300 个对数均匀的轮次 (每个点仍是该轮的真实值), SVG 小 4/5
    epochs = np.unique(np.geomspace(1, 2000, 300).round().astype(int))
    _band(ax, epochs, _sse_runs()[:, epochs - 1], "C0", linewidth=1.4, label="median of 5 seeds")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("epoch (= one full-batch step)")
    ax.set_ylabel("SSE on the 4 XOR points")
    ax.legend(loc="lower left", fontsize=7.5)
    return fig


@figure("grad-norms-per-layer")
def grad_norms_figure() -> Figure:
    """||dL/dW_l|| per layer at init and after 50 steps for three 20-layer networks, 5 seeds."""
    labels = {"sigmoid": "sigmoid, Xavier", "relu_he": "ReLU, He", "residual": "residual sigmoid, Xavier"}
    fig, axes = new_figure("full", ncols=2, sharey=True)
    layers = np.arange(1, 21)
    for i, kind in enumerate(KINDS):
        for ax, norms in zip(axes, _grad_norm_runs(kind), strict=True):  # norms: (5 seeds, 20 layers)
            _band(ax, layers, norms, f"C{i}", marker="o", markersize=2.5, label=labels[kind])
    axes[0].set_title("at initialisation", fontsize=9)
    axes[1].set_title("after 50 steps (lr 0.005)", fontsize=9)
    axes[0].set_yscale("log")
    axes[0].yaxis.set_major_locator(LogLocator(base=10, numticks=8))
    axes[0].yaxis.set_minor_locator(NullLocator())
    axes[0].set_ylabel(r"$\|\partial \mathcal{L} / \partial W^{(l)}\|_F$ (median, 5 seeds)")
    for ax in axes:
        ax.set_xlabel("layer $l$ (1 = input side)")
        ax.set_xticks([1, 5, 10, 15, 20])
    axes[0].legend(loc="lower right", fontsize=7.5)
    return fig


@cache
def _gradcheck_errors() -> np.ndarray:
    return np.array([gradcheck_errors(10.0 ** -np.arange(1, 13), seed) for seed in SEEDS])  # (5 seeds, 12 steps)


@figure("gradcheck-eps")
def gradcheck_eps() -> Figure:
    """Max relative error of central differences vs the hand-written backward pass, against the step eps."""
    epsilons = 10.0 ** -np.arange(1, 13)
    fig, ax = new_figure("half")
    _band(ax, epsilons, _gradcheck_errors(), "C0", marker="o", markersize=3, label="central difference (5 seeds)")
    ax.loglog(epsilons, epsilons**2, color="C6", linestyle=":", linewidth=1.2, label=r"$\varepsilon^2$ (truncation)")
    rounding = r"$10^{-16}/\varepsilon$ (rounding)"
    ax.loglog(epsilons, 1e-16 / epsilons, color="C1", linestyle=":", linewidth=1.2, label=rounding)
    ax.set_xlabel(r"step $\varepsilon$")
    ax.set_ylabel("max relative error vs backprop")
    ax.set_ylim(1e-13, 1)
    ax.yaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_locator(NullLocator())
    ax.legend(loc="upper center", fontsize=7.5)
    return fig


@figure("clipping-geometry")
def clipping_geometry() -> Figure:
    """A 2-D gradient clipped by norm (same direction, onto the circle) and by value (onto the square)."""
    g = [np.array([3.0, 1.2])]
    by_norm = clip_grad_norm(g, 2.0)[0][0]
    by_value = clip_grad_value(g, 1.0)[0]
    fig, ax = new_figure("half")
    t = np.linspace(0, 2 * np.pi, 361)
    ax.plot(2 * np.cos(t), 2 * np.sin(t), color="C0", linestyle=":", linewidth=1.2, label=r"$\|g\| = 2$")
    ax.plot([-1, 1, 1, -1, -1], [-1, -1, 1, 1, -1], color="C1", linestyle=":", linewidth=1.2, label=r"$|g_i| \leq 1$")
    arrows = ((g[0], "C6", "$g$"), (by_norm, "C0", "clip by norm 2"), (by_value, "C1", "clip by value 1"))
    for vec, color, label in arrows:
        ax.annotate("", xy=(vec[0], vec[1]), xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": color, "lw": 1.8})
        ax.plot([], [], color=color, label=label)
    ax.set_xlim(-2.3, 3.3)
    ax.set_ylim(-3.7, 2.3)
    ax.set_aspect("equal")
    ax.set_xlabel("$g_1$")
    ax.set_ylabel("$g_2$")
    ax.legend(loc="lower center", ncols=2, fontsize=7.5)
    return fig


# ---- ReLU 为什么取代 sigmoid/tanh、死亡 ReLU、ReLU 家族、深度、传统方法 (追加的一组图) ----


@cache
def _depth_profiles(act: str) -> tuple[np.ndarray, np.ndarray]:
    runs = [depth_profile(act, seed) for seed in SEEDS]  # type: ignore[arg-type]
    return np.array([r[0] for r in runs]), np.array([r[1] for r in runs])  # (5, 20), (5, 19)


@figure("relu-vs-saturating-depth")
def relu_vs_saturating_depth() -> Figure:
    """Per-layer gradient norms and exact-zero shares at init: sigmoid/tanh (Xavier) vs ReLU (He), 5 seeds."""
    labels = {"sigmoid": "sigmoid, Xavier", "tanh": "tanh, Xavier", "relu": "ReLU, He"}
    fig, (ax_g, ax_z) = new_figure("full", ncols=2)
    for i, act in enumerate(ACTS):
        norms, zeros = _depth_profiles(act)
        _band(ax_g, np.arange(1, 21), norms, f"C{i}", marker="o", markersize=2.5, label=labels[act])
        _band(ax_z, np.arange(1, 20), zeros, f"C{i}", marker="o", markersize=2.5, label=labels[act])
    ax_g.set_yscale("log")
    ax_g.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
    ax_g.yaxis.set_minor_locator(NullLocator())
    ax_g.set_ylabel(r"$\|\partial \mathcal{L} / \partial W^{(l)}\|_F$")
    ax_g.set_title("gradient norm at init (5 seeds)", fontsize=9)
    ax_z.set_ylim(-0.05, 1.0)
    ax_z.set_ylabel("share of outputs exactly 0")
    ax_z.set_title("exact zeros at init (5 seeds)", fontsize=9)
    for ax in (ax_g, ax_z):
        ax.set_xlabel("layer $l$ (1 = input side)")
        ax.set_xticks([1, 5, 10, 15, 20])
    ax_g.legend(loc="lower right", fontsize=7.5)
    return fig


@figure("dying-relu", checks="dying_relu.md's dead-unit shares and accuracies")
def dying_relu_figure() -> Figure:
    """Dead share of hidden units on held-out digits vs initial bias (ReLU, Leaky ReLU) and vs learning rate."""
    grid = dead_grid()
    require_claims(dead_claims(grid), "dying_relu.md")
    fig, (ax_b, ax_l) = new_figure("full", ncols=2, sharey=True)
    b = np.array(BIASES)
    relu_init = np.array([r.dead_init for r in grid["relu_bias"]]).T  # (5 seeds, biases)
    _band(ax_b, b, relu_init, "C6", linestyle=":", marker="o", markersize=3, label="ReLU, at init")
    _band(ax_b, b, np.array([r.dead_final for r in grid["relu_bias"]]).T, "C0", marker="o", markersize=3,
          label="ReLU, after 200 steps")
    _band(ax_b, b, np.array([r.dead_final for r in grid["leaky_bias"]]).T, "C1", marker="s", markersize=3,
          label="Leaky ReLU 0.1, after 200 steps")
    ax_b.invert_xaxis()
    ax_b.set_xlabel("initial hidden bias $b_0$ (lr 0.1)")
    ax_b.set_ylabel("dead share (held-out set)")
    ax_b.legend(loc="upper left", fontsize=7.5)
    lrs = np.array(LRS)
    _band(ax_l, lrs, np.array([r.dead_final for r in grid["relu_lr"]]).T, "C0", marker="o", markersize=3,
          label="dead share")
    _band(ax_l, lrs, np.array([r.accuracy for r in grid["relu_lr"]]).T, "C2", linestyle="--", marker="^",
          markersize=3, label="held-out accuracy")
    ax_l.set_xscale("log")
    ax_l.set_xticks(lrs, [f"{v:g}" for v in lrs])
    ax_l.xaxis.set_minor_locator(NullLocator())
    ax_l.set_xlabel("learning rate (ReLU, $b_0 = 0$)")
    ax_l.legend(loc="center left", fontsize=7.5)
    return fig


@figure("depth-sawtooth")
def depth_sawtooth_figure() -> Figure:
    """Delta^k for k = 1, 2, 3, and linear pieces against ReLU units: deep tent network vs one hidden layer."""
    fig, (ax_f, ax_p) = new_figure("full", ncols=2)
    x = np.linspace(0.0, 1.0, 257)
    for k in (1, 2, 3):
        ax_f.plot(x, sawtooth(k, x), color=f"C{k - 1}", linewidth=1.4, label=f"$\\Delta^{{{k}}}$: {2 * k} units")
    ax_f.set_xlabel("$x$")
    ax_f.set_title(r"tent map composed $k$ times", fontsize=9)
    ax_f.set_ylim(-0.05, 1.35)
    ax_f.legend(loc="upper center", ncols=3, fontsize=7.5)
    ks = np.arange(1, 11)
    ax_p.plot(2 * ks, [pieces_of_deep(int(k)) for k in ks], "o-", color="C0", markersize=3,
              label="deep: $k$ layers of 2 units (counted)")
    m = np.arange(2, 21)
    ax_p.plot(m, m + 1, "--", color="C1", label="one hidden layer: at most $m + 1$")
    ax_p.set_yscale("log", base=2)
    ax_p.set_xlabel("number of ReLU units $m$")
    ax_p.set_ylabel("linear pieces on [0, 1]")
    ax_p.legend(loc="upper left", fontsize=7.5)
    return fig


@figure("relu-family")
def relu_family_figure() -> Figure:
    """ReLU and its variants (Leaky ReLU 0.1, ELU, SELU, GELU, SiLU, Mish) and their derivatives."""
    names = [("relu", "ReLU"), ("leaky_relu_0.1", "LeakyReLU (0.1)"), ("elu", r"ELU ($\alpha = 1$)"),
             ("selu", "SELU"), ("gelu", "GELU"), ("silu", "SiLU / Swish"), ("mish", "Mish")]
    return _zoo_panels(names, "ReLU family", ymin=-2.0)


SELU_CONFIGS = {"LeCun normal": {"init": "lecun"}, "He normal": {"init": "he"},
                "LeCun + AlphaDropout 0.1": {"init": "lecun", "p_drop": 0.1},
                "LeCun + Dropout 0.1": {"init": "lecun", "p_drop": 0.1, "dropout": "plain"}}


@figure("selu-self-normalizing")
def selu_self_normalizing() -> Figure:
    """Per-layer variance of SELU activations for four init/dropout settings, 5 seeds."""
    fig, ax = new_figure("half")
    layers = np.arange(1, 31)
    for i, (label, cfg) in enumerate(SELU_CONFIGS.items()):
        var = np.array([selu_layer_stats(seed=s, **cfg)[1] for s in SEEDS])  # type: ignore[arg-type]
        _band(ax, layers, var, f"C{i}", linewidth=1.4, label=label)
    ax.set_yscale("log")
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("layer")
    ax.set_ylabel("variance of SELU outputs")
    ax.legend(loc="upper left", fontsize=7.5)
    return fig


@figure("classic-vs-mlp", checks="dl_vs_ml.md's classical-model and MLP comparison")
def classic_vs_mlp() -> Figure:
    """Held-out accuracy on load_breast_cancer against the number of training samples, three models, 5 seeds."""
    sizes = (20, 50, 100)
    grid = accuracy_grid(sizes)  # (models, sizes, seeds)
    require_claims(comparison_claims(grid), "dl_vs_ml.md")
    labels = {"logistic": "logistic regression", "boosting": "gradient boosting (100 trees)",
              "mlp": "MLP (64, 64), Adam"}
    markers = {"logistic": "o", "boosting": "s", "mlp": "^"}
    fig, ax = new_figure("half")
    for i, name in enumerate(MODELS):
        _band(ax, np.array(sizes), grid[i].T, f"C{i}", marker=markers[name], markersize=3.5, label=labels[name])
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("training samples (of 569)")
    ax.set_ylabel("held-out accuracy")
    ax.legend(loc="lower right", fontsize=7.5)
    return fig

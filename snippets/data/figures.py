"""Figures of the chapter 数据、训练与评估, each computed with the snippets the pages show."""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.figure import Figure

from snippets.data.compress_runs import CompressionCurves, compression_curves, distill_experiment
from snippets.data.hpsearch import grid_trials, random_trials, search_regret
from snippets.data.leakage import leakage_experiment
from snippets.figures import figure
from snippets.plotting import new_figure


# --- data-c: compression and training practice (one block; other helpers add theirs beside it) ---
# 每张图在浅色和深色主题下各渲染一次; 实验只依赖可哈希的参数, 在进程内记住结果
@functools.cache
def _distill() -> np.ndarray:
    return distill_experiment()


@functools.cache
def _curves() -> CompressionCurves:
    return compression_curves()


@functools.cache
def _leakage() -> np.ndarray:
    return leakage_experiment()


def _band(ax: object, x: np.ndarray, runs: np.ndarray, color: str, label: str, marker: str = "o") -> None:
    """Median over seeds (rows of runs) with the min-max range shaded."""
    ax.fill_between(x, runs.min(0), runs.max(0), color=color, alpha=0.25, linewidth=0)  # type: ignore[attr-defined]
    ax.plot(x, np.median(runs, 0), color=color, marker=marker, markersize=3.5, label=label)  # type: ignore[attr-defined]


@figure("distill-students")
def distill_students() -> Figure:
    """Test accuracy per seed: teacher, student on labels, distilled student (paired lines)."""
    acc = _distill()
    fig, ax = new_figure("half")
    names = ["teacher\n64-128-10", "student\nlabels only", "student\ndistilled"]
    for row in acc:
        ax.plot([1, 2], row[1:], color="C6", alpha=0.5, linewidth=1)
    for j in range(3):
        ax.scatter(np.full(len(acc), j), acc[:, j], color=f"C{j}", s=18, zorder=3)
        ax.hlines(np.median(acc[:, j]), j - 0.25, j + 0.25, color=f"C{j}", linewidth=2)
    ax.set_xticks(range(3), names)
    ax.set_ylabel("test accuracy")
    ax.set_xlim(-0.5, 2.5)
    ax.set_title(f"load_digits, n = {len(acc)} seeds", fontsize=9)
    return fig


@figure("compress-accuracy")
def compress_accuracy() -> Figure:
    """Accuracy after pruning W1 (unstructured vs whole units) and after a rank-r SVD of W1."""
    c = _curves()
    fig, (ax_p, ax_r) = new_figure("full", ncols=2)
    _band(ax_p, c.amounts, c.unstructured, "C0", "unstructured (weights)")
    _band(ax_p, c.amounts, c.structured, "C1", "structured (hidden units)", "s")
    ax_p.set_xlabel("fraction of W1 pruned (no fine-tuning)")
    ax_p.set_ylabel("test accuracy")
    ax_p.set_ylim(0, 1)
    ax_p.legend(loc="lower left")
    ax_p.set_title(f"median and range, {len(c.dense)} seeds", fontsize=9)
    _band(ax_r, c.ranks, c.low_rank, "C2", "rank-r SVD of W1")
    ax_r.axvline(128 * 64 / (128 + 64), color="C4", linestyle="--", label=r"$r(m+n) = mn$")
    ax_r.set_xscale("log", base=2)
    ax_r.set_xticks([1, 2, 4, 8, 16, 32, 64], ["1", "2", "4", "8", "16", "32", "64"])
    ax_r.set_xlabel(r"rank $r$ of W1 (128 x 64)")
    ax_r.set_ylim(0, 1)
    ax_r.legend(loc="lower right")
    return fig


@figure("leakage-cv")
def leakage_cv() -> Figure:
    """5-fold CV accuracy on pure noise: feature selection before CV vs inside CV, per seed."""
    acc = _leakage()
    fig, ax = new_figure("half")
    names = ["select on all data,\nthen CV (leaky)", "select inside\neach fold (honest)"]
    for row in acc:
        ax.plot([0, 1], row, color="C6", alpha=0.5, linewidth=1)
    for j in range(2):
        ax.scatter(np.full(len(acc), j), acc[:, j], color=f"C{j}", s=18, zorder=3)
        ax.hlines(np.median(acc[:, j]), j - 0.25, j + 0.25, color=f"C{j}", linewidth=2)
    ax.axhline(0.5, color="C4", linestyle="--", label="true accuracy 0.5")
    ax.set_xticks([0, 1], names)
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("mean 5-fold CV accuracy")
    ax.set_title(f"random labels, n = {len(acc)} seeds", fontsize=9)
    ax.legend(loc="lower left")
    return fig


@figure("search-grid-random")
def search_grid_random() -> Figure:
    """Left: 16 grid vs 16 random trials and their projections; right: regret vs budget over 200 seeds."""
    fig, (ax_t, ax_r) = new_figure("full", ncols=2)
    grid, rand = grid_trials(4), random_trials(16, np.random.default_rng(0))
    ax_t.scatter(grid[:, 0], grid[:, 1], color="C0", marker="s", s=22, label="grid (4 x 4)")
    ax_t.scatter(rand[:, 0], rand[:, 1], color="C1", s=22, label="random (16)")
    ax_t.plot(grid[:, 0], np.full(16, -0.06), "|", color="C0", markersize=10)
    ax_t.plot(rand[:, 0], np.full(16, -0.12), "|", color="C1", markersize=10)
    ax_t.set_xlim(0, 1)
    ax_t.set_ylim(-0.17, 1.22)
    ax_t.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax_t.set_xlabel("important hyper-parameter")
    ax_t.set_ylabel("unimportant hyper-parameter")
    ax_t.legend(loc="upper center", ncols=2)
    sides = np.array([2, 3, 4, 5, 6, 8])
    runs = [search_regret(int(s)) for s in sides]
    budgets = sides**2
    for j, (name, marker) in enumerate((("grid", "s"), ("random", "o"))):
        r = np.array([run[j] for run in runs])  # (len(sides), seeds)
        ax_r.fill_between(budgets, np.quantile(r, 0.25, 1), np.quantile(r, 0.75, 1), color=f"C{j}",
                          alpha=0.25, linewidth=0)
        ax_r.plot(budgets, np.median(r, 1), color=f"C{j}", marker=marker, markersize=3.5, label=name)
    ax_r.set_xlabel("number of trials (budget)")
    ax_r.set_ylabel("regret (best possible - best found)")
    ax_r.set_title("median and quartiles, 200 seeds", fontsize=9)
    ax_r.legend(loc="upper right")
    return fig
# --- end data-c ---

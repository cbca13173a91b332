"""Figures of the chapter 数据、训练与评估, each computed with the snippets the pages show."""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.figure import Figure

from snippets.data.bilinear import bilinear_pool, co_occurrence_maps
from snippets.data.compress_runs import CompressionCurves, compression_curves, distill_experiment
from snippets.data.dimred_experiment import KS, dimred_claims, dimred_runs, mlp_multiply_adds
from snippets.data.hpsearch import grid_trials, random_trials, search_regret
from snippets.data.imbalance_experiment import ALL, MINORITY, K, imbalance_claims, imbalance_runs, summary
from snippets.data.leakage import leakage_experiment
from snippets.data.pca import low_variance_signal, pca_fit
from snippets.data.pr_vs_roc import auc_and_ap, scores
from snippets.data.ranking import precision_recall_curve, roc_curve
from snippets.data.tta_ensemble import tta_claims, tta_ensemble_runs
from snippets.figures import figure, require_claims
from snippets.plotting import new_figure

# --- data-a: imbalance, dimensionality reduction, accuracy checklist, fine-grained ---


@figure("imbalance-per-class-recall")
def imbalance_per_class_recall() -> Figure:
    """Per-class test recall of plain CE with and without the minority classes cut to a few samples."""
    runs = imbalance_runs()
    fig, ax = new_figure("wide")
    x = np.arange(K)
    for i, (name, label) in enumerate((("balanced data", "all training data"), ("CE", "3 classes cut to 6 %"))):
        r = runs[name]  # (seeds, K)
        off = (i - 0.5) * 0.36
        med = np.median(r, axis=0)
        ax.bar(x + off, med, width=0.34, color=f"C{i}", label=label)
        ax.errorbar(x + off, med, yerr=[med - r.min(axis=0), r.max(axis=0) - med], fmt="none",
                    ecolor=ax.xaxis.label.get_color(), elinewidth=0.9, capsize=2)
    ax.set_xticks(x, [f"{k}*" if k in MINORITY else str(k) for k in range(K)])
    ax.set_xlabel("digit class (* = minority in training)")
    ax.set_ylabel("test recall")
    ax.set_ylim(0, 1.3)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.legend(loc="upper center", fontsize=8, ncol=2)
    ax.set_title(f"MLP 64-32-10, CE; median and range over {len(runs['CE'])} seeds", fontsize=9.5)
    return fig


@figure("imbalance-remedies", checks="imbalance.md's per-class recall comparisons")
def imbalance_remedies() -> Figure:
    """Balanced accuracy and mean minority recall of every remedy (median and range over seeds)."""
    runs = imbalance_runs()
    require_claims(imbalance_claims(runs), "imbalance.md")
    names = list(ALL)[::-1]
    fig, axes = new_figure("full", ncols=2, sharey=True)
    fig.set_size_inches(7.2, 4.2)
    y = np.arange(len(names))
    for j, ax in enumerate(axes):
        vals = np.array([summary(runs[n])[j] for n in names])  # (methods, seeds)
        med = np.median(vals, axis=1)
        ax.hlines(y, vals.min(axis=1), vals.max(axis=1), color=f"C{j}", linewidth=2.5, alpha=0.5)
        ax.plot(med, y, "o", color=f"C{j}", markersize=4)
        ce = np.median(summary(runs["CE"])[j])
        ax.axvline(ce, color=f"C{j}", linestyle=":", linewidth=1)
        ax.set_xlabel(("balanced accuracy", "mean recall of classes 3, 5, 8")[j])
    axes[0].set_yticks(y, names, fontsize=8)
    axes[0].set_xlim(0.75, 1.0)
    axes[1].set_xlim(0.2, 1.0)
    fig.suptitle(f"imbalanced digits; dot = median, bar = range over {len(runs['CE'])} seeds", fontsize=9.5)
    return fig


@figure("dimred-accuracy-vs-k", checks="dim_reduction.md's accuracy comparisons")
def dimred_accuracy_vs_k() -> Figure:
    """Test accuracy and forward multiply-adds of an MLP after PCA / random projection to k dims."""
    runs = dimred_runs()
    require_claims(dimred_claims(runs), "dim_reduction.md")
    base_acc = np.array([r.accuracy for r in runs["none", 64]])
    fig, (ax_acc, ax_c) = new_figure("full", ncols=2)
    ks = np.array(KS)
    ax_acc.axhspan(base_acc.min(), base_acc.max(), color="C2", alpha=0.25, linewidth=0)
    ax_acc.axhline(np.median(base_acc), color="C2", linewidth=1.2, label="no reduction (64)")
    for i, (method, label) in enumerate((("pca", "PCA to k"), ("random", "Gaussian projection to k"))):
        acc = np.array([[r.accuracy for r in runs[method, k]] for k in KS])  # (ks, seeds)
        ax_acc.fill_between(ks, acc.min(axis=1), acc.max(axis=1), color=f"C{i}", alpha=0.2, linewidth=0)
        ax_acc.plot(ks, np.median(acc, axis=1), "o-", color=f"C{i}", markersize=3, label=label)
    macs = np.array([mlp_multiply_adds(k) for k in KS]) / mlp_multiply_adds(64)
    ax_c.plot(ks, macs, "o-", color="C0", markersize=3)
    for ax in (ax_acc, ax_c):
        ax.set_xscale("log", base=2)
        ax.set_xticks(ks, [str(k) for k in KS])
        ax.set_xlabel("k (input dimensions after reduction)")
    ax_acc.set_ylabel("test accuracy")
    ax_acc.set_ylim(0.2, 1.0)
    ax_acc.legend(loc="lower right", fontsize=8)
    ax_c.axhline(1.0, color="C2", linewidth=1.2)
    ax_c.set_ylabel("MLP multiply-adds per sample\n/ without reduction")
    ax_c.set_ylim(0, 1.1)
    n = len(runs["none", 64])
    fig.suptitle(f"digits, MLP k-32-10, 200 Adam steps; median and range over {n} seeds", fontsize=9.5)
    return fig


@figure("pca-low-variance")
def pca_low_variance() -> Figure:
    """Two classes separated only along the direction of least variance; PCA's first axis ignores it."""
    X, y = low_variance_signal(400, np.random.default_rng(0))
    p = pca_fit(X, 1)
    fig, ax = new_figure("wide")
    for c in (0, 1):
        ax.scatter(X[y == c, 0], X[y == c, 1], s=6, color=f"C{c}", label=f"class {c}")
    d = p.components[0] * 12
    ax.annotate("", xy=(p.mean[0] + d[0], p.mean[1] + d[1]), xytext=(p.mean[0] - d[0], p.mean[1] - d[1]),
                arrowprops={"arrowstyle": "<->", "color": "C2", "linewidth": 1.6})
    ax.text(p.mean[0] + d[0], p.mean[1] + d[1] + 0.15, "PC 1", color="C2", ha="right")
    ax.set_xlabel("$x_0$ (large variance, no label information)")
    ax.set_ylabel("$x_1$ (small variance)")
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    ax.set_ylim(-1.4, 1.6)
    return fig


@figure("tta-ensemble", checks="improve_accuracy.md's TTA and ensemble comparisons")
def tta_ensemble_figure() -> Figure:
    """Test accuracy per seed of one model, with TTA, a 2-model ensemble and both (lines join a seed)."""
    runs = tta_ensemble_runs()
    require_claims(tta_claims(runs), "improve_accuracy.md")
    names = list(runs)
    acc = np.array([runs[n] for n in names])  # (variants, seeds)
    fig, ax = new_figure("half")
    fig.set_size_inches(4.6, 3.0)
    x = np.arange(len(names))
    for s in range(acc.shape[1]):
        ax.plot(x, acc[:, s], "-", color="C0", alpha=0.35, linewidth=1)
    ax.plot(x, np.median(acc, axis=1), "o-", color="C1", markersize=5, label="median")
    ax.set_xticks(x, ["single", "+ TTA", "2 models", "2 models\n+ TTA"])
    ax.set_ylabel("test accuracy")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(f"digits MLP, {acc.shape[1]} seeds (thin lines)", fontsize=9.5)
    return fig


@figure("bilinear-co-occurrence")
def bilinear_co_occurrence() -> Figure:
    """Average pooling cannot tell the two maps apart; bilinear pooling can (off-diagonal entries)."""
    maps = dict(zip(("together", "apart"), co_occurrence_maps(), strict=True))
    fig, (ax_avg, ax_bil) = new_figure("wide", ncols=2)
    for i, (name, A) in enumerate(maps.items()):
        off = (i - 0.5) * 0.36
        ax_avg.bar(np.arange(2) + off, A.mean(axis=(2, 3))[0], width=0.34, color=f"C{i}", label=f"parts {name}")
        ax_bil.bar(np.arange(4) + off, bilinear_pool(A, A, average=True)[0], width=0.34, color=f"C{i}")
    ax_avg.set_xticks([0, 1], ["channel 0", "channel 1"])
    ax_avg.set_title("average pooling (C values)", fontsize=9.5)
    ax_bil.set_xticks(range(4), ["(0,0)", "(0,1)", "(1,0)", "(1,1)"])
    ax_bil.set_title("bilinear pooling (C x C values)", fontsize=9.5)
    ax_avg.legend(loc="upper left", fontsize=8)
    for ax in (ax_avg, ax_bil):
        ax.set_ylim(0, 0.18)
    return fig

# --- data-b: multi-label losses, classification metrics ---------------------------------------


@figure("multilabel-softmax-vs-sigmoid")
def multilabel_softmax_vs_sigmoid() -> Figure:
    """One sample with labels {0, 1, 2} of 6: probabilities after gradient descent on each loss."""
    Y = np.array([1, 1, 1, 0, 0, 0])
    q = Y / Y.sum()
    z_sig, z_soft = np.zeros(6), np.zeros(6)
    for _ in range(200):  # the gradients w.r.t. the logits: sigma(z) - Y and softmax(z) - Y / |Y|
        z_sig -= 1.0 * (1 / (1 + np.exp(-z_sig)) - Y)
        p = np.exp(z_soft - z_soft.max())
        z_soft -= 1.0 * (p / p.sum() - q)
    p_soft = np.exp(z_soft - z_soft.max())
    p_soft /= p_soft.sum()
    fig, ax = new_figure("wide")
    k = np.arange(6)
    ax.bar(k - 0.2, 1 / (1 + np.exp(-z_sig)), 0.4, color="C0", label=r"sigmoid + BCE: $\sigma(z_k)$")
    ax.bar(k + 0.2, p_soft, 0.4, color="C1", label=r"softmax + CE: $\mathrm{softmax}(z)_k$")
    ax.axhline(0.5, color="C2", linestyle="--", label="threshold 0.5")
    ax.set_xticks(k, [f"$k = {j}$\n$y_k = {v}$" for j, v in enumerate(Y)])
    ax.set_ylabel("probability after 200 steps")
    ax.set_ylim(0, 1.05)
    ax.legend(loc="upper right", fontsize=8)
    return fig


@figure("auc-ap-imbalance")
def auc_ap_imbalance() -> Figure:
    """ROC-AUC and AP against the negative/positive ratio (median and range over 5 seeds), and one seed's curves."""
    ratios = (1, 3, 10, 30, 100)
    r = auc_and_ap(100, ratios, tuple(range(5)))  # (seeds, ratios, 2)
    fig, (ax, ax_pr) = new_figure("full", ncols=2)
    for i, name in enumerate(("ROC-AUC", "AP")):
        med = np.median(r[:, :, i], axis=0)
        ax.fill_between(ratios, r[:, :, i].min(axis=0), r[:, :, i].max(axis=0), color=f"C{i}", alpha=0.25)
        ax.plot(ratios, med, "o-", color=f"C{i}", label=f"{name} (median, range)")
    ax.set_xscale("log")
    ax.set_xlabel(r"$N_{neg} / N_{pos}$   ($N_{pos} = 100$, 5 seeds)")
    ax.set_ylim(0, 1)
    ax.legend(loc="lower left")
    for j, ratio in enumerate((1, 100)):
        y, s = scores(100, ratio * 100, 0)
        p, rec, _ = precision_recall_curve(y, s)
        fpr, tpr, _ = roc_curve(y, s)
        ax_pr.plot(rec, p, color=f"C{j + 2}", label=f"PR, ratio {ratio}")
        ax_pr.plot(fpr, tpr, color=f"C{j + 2}", linestyle=":", label=f"ROC, ratio {ratio}")
    ax_pr.set_xlabel("recall (PR) / FPR (ROC)")
    ax_pr.set_ylabel("precision (PR) / TPR (ROC)")
    ax_pr.set_title("seed 0")
    ax_pr.legend(loc="center right", fontsize=8)
    return fig
# --- end data-b ----------------------------------------------------------------------------------


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


# --- cal: calibration and temperature scaling ---


@figure("calibration-temperature")
def calibration_temperature() -> Figure:
    """Left: reliability diagram of all seeds' test predictions before/after T; right: ECE per seed."""
    from snippets.data.calibration import reliability_bins, softmax
    from snippets.data.calibration_experiment import calibration_experiment

    runs = calibration_experiment()
    fig, (ax_r, ax_e) = new_figure("full", ncols=2)
    ax_r.plot([0, 1], [0, 1], color="C7", linestyle="--", linewidth=1, label="perfect calibration")
    for t_of, color, name in ((lambda r: 1.0, "C3", "T = 1 (as trained)"), (lambda r: r.T, "C0", "T fitted on val")):
        conf, ok = [], []
        for r in runs:
            p = softmax(r.z_test, t_of(r))
            conf.append(p.max(axis=1))
            ok.append((p.argmax(axis=1) == r.y_test).astype(np.int64))
        count, c, a = reliability_bins(np.concatenate(conf), np.concatenate(ok), 10)
        full = count >= 20
        ax_r.plot(c[full], a[full], color=color, marker="o", markersize=3.5, label=name)
    ax_r.set_xlabel("mean confidence in bin")
    ax_r.set_ylabel("accuracy in bin")
    ax_r.set_xlim(0.3, 1.0)
    ax_r.set_ylim(0.3, 1.0)
    ax_r.legend(loc="upper left")
    ax_r.set_title(f"10 bins, {len(runs)} seeds pooled (bins with >= 20 samples)", fontsize=8)
    e = np.array([[r.ece_before, r.ece_after] for r in runs]) * 100
    for row in e:
        ax_e.plot([0, 1], row, color="C6", alpha=0.5, linewidth=1)
    for j, color in enumerate(("C3", "C0")):
        ax_e.scatter(np.full(len(e), j), e[:, j], color=color, s=18, zorder=3)
        ax_e.hlines(np.median(e[:, j]), j - 0.25, j + 0.25, color=color, linewidth=2)
    ax_e.set_xticks([0, 1], ["T = 1", "fitted T"])
    ax_e.set_xlim(-0.5, 1.5)
    ax_e.set_ylim(0, None)
    ax_e.set_ylabel("test ECE, 15 bins (%)")
    ax_e.set_title(f"n = {len(e)} seeds, bar = median", fontsize=9)
    return fig
# --- transfer: transfer learning (one block) ---
@functools.cache
def _transfer() -> dict[str, np.ndarray]:
    from snippets.data.transfer import transfer_runs

    return transfer_runs()


@figure("transfer-methods")
def transfer_methods() -> Figure:
    """Target-task test accuracy per seed for scratch, linear probe and fine-tuning (paired lines)."""
    from snippets.data.transfer import METHODS

    acc = _transfer()
    vals = np.array([acc[m] for m in METHODS])  # (methods, seeds)
    fig, ax = new_figure("wide")
    x = np.arange(len(METHODS))
    ax.plot(x, vals, color="C7", alpha=0.5, linewidth=0.8)
    for i in range(len(METHODS)):
        ax.scatter(np.full(vals.shape[1], i), vals[i], color=f"C{i}", s=14, zorder=3)
        med = float(np.median(vals[i]))
        ax.hlines(med, i - 0.25, i + 0.25, color=f"C{i}", linewidth=2.2)
        ax.annotate(f"{med:.2f}", (i + 0.27, med), va="center", fontsize=8)
    ax.set_xticks(x, list(METHODS))
    ax.set_ylabel("test accuracy on digits 5-9")
    ax.set_ylim(0.4, 1.0)
    ax.set_title(f"10 labels per class; {vals.shape[1]} seeds, bar = median", fontsize=9.5)
    return fig
# --- end transfer ---
# --- augmentation ---


@figure("shift-augmentation", checks="augmentation.md's shift-augmentation comparison")
def shift_augmentation() -> Figure:
    """Validation accuracy and train-validation gap of a small CNN on 50 digits, with and without shifts."""
    from snippets.data.augment_experiment import shift_aug_claims, shift_aug_runs

    runs = shift_aug_runs()
    require_claims(shift_aug_claims(runs), "data/augmentation.md")
    fig, axes = new_figure("full", ncols=2)
    for ax, (name, get) in zip(axes, (
        ("validation accuracy", lambda r: r.val_acc),
        ("train accuracy - validation accuracy", lambda r: r.train_acc - r.val_acc),
    ), strict=True):  # fmt: skip
        v = np.array([[get(r) for r in runs[a]] for a in (False, True)])  # (2, seeds)
        for s in range(v.shape[1]):
            ax.plot([0, 1], v[:, s], "o-", color="C0", alpha=0.5, markersize=3, linewidth=0.8)
        ax.plot([0, 1], np.median(v, axis=1), "s-", color="C1", markersize=6, linewidth=2, label="median")
        ax.set_xticks([0, 1], ["no augmentation", "random shift ±1 px"])
        ax.set_xlim(-0.3, 1.3)
        ax.set_ylabel(name)
    axes[0].legend(loc="lower right", fontsize=8)
    n = len(runs[False])
    fig.suptitle(f"small CNN, 50 training digits, 200 Adam steps; lines: {n} seeds", fontsize=9.5)
    return fig

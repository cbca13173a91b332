"""Figures of the chapter 数据、训练与评估, each computed with the snippets the pages show."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from snippets.data.pr_vs_roc import auc_and_ap, scores
from snippets.data.ranking import precision_recall_curve, roc_curve
from snippets.figures import figure
from snippets.plotting import new_figure

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

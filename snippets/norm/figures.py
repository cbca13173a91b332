"""Figures of the chapter 归一化与正则化, each computed with the snippets the pages show."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from snippets.figures import figure, require_claims
from snippets.norm.bn_experiment import bn_lr_sweep
from snippets.norm.dropout_experiment import dropout_gap_sweep
from snippets.norm.fitting import CONFIGS, fitting_runs
from snippets.norm.scaling import gd_least_squares, standardize, two_scale_data
from snippets.norm.small_batch import gap_vs_batch_size
from snippets.norm.weight_penalty import digits_subset, train_softmax_regression, zero_share_sweep
from snippets.plotting import new_figure


@figure("norm-scaling-gd")
def norm_scaling_gd() -> Figure:
    """Gradient-descent paths (step 1/L, 30 steps) on the loss contours, raw vs standardized features."""
    X3, y = two_scale_data(seed=0, scale=5.0, offset=0.0)
    X_raw = X3[:, :2]  # (N, 2): x1 std 1, x2 std 5; 不要偏置列, 好画在二维里
    y = y - y.mean()
    X_std = standardize(X_raw, X_raw.mean(axis=0), X_raw.std(axis=0))
    fig, axes = new_figure("full", ncols=2)
    for ax, X, title in ((axes[0], X_raw, "raw"), (axes[1], X_std, "standardized")):
        path = gd_least_squares(X, y, steps=30)  # (31, 2)
        w_star = np.linalg.lstsq(X, y, rcond=None)[0]
        r = 1.3 * np.abs(w_star).max()
        g = np.linspace(-r, r, 201)
        W1, W2 = np.meshgrid(g + w_star[0] / 2, g + w_star[1] / 2)
        Wg = np.stack([W1.ravel(), W2.ravel()], axis=1)  # (201*201, 2)
        L = (np.mean((Wg @ X.T - y) ** 2, axis=1) / 2).reshape(W1.shape)
        levels = np.quantile(L, [0.002, 0.01, 0.03, 0.08, 0.2, 0.4, 0.7])
        ax.contour(W1, W2, L, levels=levels, colors="C6", linewidths=0.6)
        ax.plot(path[:, 0], path[:, 1], "o-", color="C1", markersize=2.5, linewidth=1.0, label="GD, 30 steps")
        ax.plot(*w_star, "*", color="C0", markersize=10, label=r"$w^\ast$")
        cond = np.linalg.cond(X.T @ X)
        ax.set_title(rf"{title}: $\kappa(X^\top X) = {cond:.0f}$", fontsize=9.5)
        ax.set_xlabel(r"$w_1$")
        ax.set_ylabel(r"$w_2$")
        ax.set_aspect("equal", adjustable="datalim")
    axes[0].legend(loc="lower left", fontsize=8)
    return fig


@figure("bn-lr-sweep")
def bn_lr_sweep_figure() -> Figure:
    """Final training loss and validation accuracy against the learning rate, with and without BN."""
    runs = bn_lr_sweep()
    lrs = sorted({lr for _, lr in runs})
    fig, (ax_loss, ax_acc) = new_figure("full", ncols=2)
    for i, bn in enumerate((False, True)):
        loss = np.minimum([[r.train_loss[-1] for r in runs[bn, lr]] for lr in lrs], 2.5)  # (lrs, seeds); 发散记为 2.5
        acc = np.array([[r.val_accuracy for r in runs[bn, lr]] for lr in lrs])
        label = "Linear-BN-ReLU" if bn else "Linear-ReLU"
        for ax, v in ((ax_loss, loss), (ax_acc, acc)):
            ax.fill_between(lrs, v.min(axis=1), v.max(axis=1), color=f"C{i}", alpha=0.2, linewidth=0)
            ax.plot(lrs, np.median(v, axis=1), "o-", color=f"C{i}", markersize=3, label=label)
    for ax in (ax_loss, ax_acc):
        ax.set_xscale("log")
        ax.set_xlabel(r"learning rate $\eta$ (SGD)")
    ax_loss.set_ylabel("training loss, epoch 3")
    ax_loss.set_ylim(0, 2.55)
    ax_acc.set_ylabel("validation accuracy")
    ax_acc.set_ylim(0, 1.02)
    ax_loss.legend(loc="lower left", fontsize=8)
    n = len(next(iter(runs.values())))
    fig.suptitle(rf"digits, 4 hidden layers of 64; median and range over {n} seeds", fontsize=9.5)
    return fig


def _shaded_cells(kind: str, N: int, C: int, HW: int, groups: int) -> np.ndarray:
    """Boolean (C, N, HW) array: the cells that share one mean and variance (one normalization group)."""
    shade = np.zeros((C, N, HW), dtype=bool)  # axes of the drawing: x = C, y = N, z = H*W
    if kind == "BatchNorm":
        shade[0] = True  # one channel, every sample and position
    elif kind == "LayerNorm":
        shade[:, 0] = True  # one sample, every channel and position
    elif kind == "InstanceNorm":
        shade[0, 0] = True  # one sample, one channel
    elif kind == "GroupNorm":
        shade[: C // groups, 0] = True  # one sample, one group of C / G channels
    else:
        raise ValueError(f"kind must be BatchNorm, LayerNorm, InstanceNorm or GroupNorm, got {kind!r}")
    return shade


@figure("norm-family-axes")
def norm_family_axes() -> Figure:
    """The (N, C, H*W) cube four times; shaded: the values that share one mean and variance."""
    N, C, HW, groups = 4, 6, 4, 3
    kinds = ("BatchNorm", "LayerNorm", "InstanceNorm", "GroupNorm")
    fig, axes = new_figure("wide", ncols=4, subplot_kw={"projection": "3d"})
    for ax, kind in zip(axes, kinds, strict=True):
        shade = _shaded_cells(kind, N, C, HW, groups)
        face = np.where(shade[..., None], to_rgba("C1", 0.85), to_rgba("C6", 0.04))  # (C, N, HW, 4) RGBA
        ax.voxels(np.ones_like(shade), facecolors=face, edgecolors=to_rgba("C6", 0.5), linewidth=0.4, shade=False)
        ax.set_box_aspect((C, N, HW), zoom=1.15)
        ax.view_init(elev=22, azim=-60)
        ax.set_axis_off()
        # 3D 文字的位置在 box_aspect 下不可靠: 用轴坐标标出三个方向
        ax.text2D(0.38, 0.06, r"$C \rightarrow$", transform=ax.transAxes, fontsize=9, ha="center")
        ax.text2D(0.86, 0.2, r"$N \nearrow$", transform=ax.transAxes, fontsize=9, ha="center")
        ax.text2D(0.02, 0.5, r"$H, W \uparrow$", transform=ax.transAxes, fontsize=8, ha="left", rotation=90)
        title = kind if kind != "GroupNorm" else rf"GroupNorm, $G = {groups}$"
        ax.set_title(title, fontsize=9, y=1.05)
    return fig


@figure("dropout-gap")
def dropout_gap() -> Figure:
    """Training and validation cross-entropy, and validation accuracy, against the dropout rate."""
    runs = dropout_gap_sweep()
    ps = sorted(runs)
    fig, (ax_loss, ax_acc) = new_figure("full", ncols=2)
    x = np.arange(len(ps))
    for i, (name, get) in enumerate((("train", lambda r: r.train_loss), ("validation", lambda r: r.val_loss))):
        v = np.array([[get(r) for r in runs[p]] for p in ps])  # (ps, seeds)
        ax_loss.errorbar(x + (i - 0.5) * 0.15, np.median(v, axis=1),
                         yerr=[np.median(v, axis=1) - v.min(axis=1), v.max(axis=1) - np.median(v, axis=1)],
                         fmt="o", color=f"C{i}", capsize=3, label=name)  # fmt: skip
    acc = np.array([[r.val_accuracy for r in runs[p]] for p in ps])
    ax_acc.errorbar(x, np.median(acc, axis=1),
                    yerr=[np.median(acc, axis=1) - acc.min(axis=1), acc.max(axis=1) - np.median(acc, axis=1)],
                    fmt="o", color="C1", capsize=3)  # fmt: skip
    for ax in (ax_loss, ax_acc):
        ax.set_xticks(x, [f"$p = {p:g}$" for p in ps])
        ax.set_xlim(-0.5, len(ps) - 0.5)
    ax_loss.set_ylabel("cross-entropy after 100 steps")
    ax_loss.set_ylim(0, None)
    ax_loss.legend(loc="center right", fontsize=8)
    ax_acc.set_ylabel("validation accuracy")
    n = len(runs[ps[0]])
    fig.suptitle(rf"150 training digits, MLP 64-128-128-10; median and range over {n} seeds", fontsize=9.5)
    return fig


@figure("l1-l2-weights")
def l1_l2_weights() -> Figure:
    """Left: histograms of the 640 weights under no penalty, L2, L1 (prox) and L1 (subgradient).
    Right: share of exact zeros against lambda, median and range over seeds."""
    X, y = digits_subset(0, n=500)
    lam = 0.01
    fig, (ax_h, ax_z) = new_figure("full", ncols=2)
    bins = np.linspace(-1.0, 1.0, 81)
    for i, (penalty, label) in enumerate(
        (("none", "no penalty"), ("l2", "L2"), ("l1", "L1, proximal"), ("l1-subgradient", "L1, subgradient"))
    ):
        W = train_softmax_regression(X, y, lam, penalty, 0, steps=200)
        ax_h.hist(np.clip(W.ravel(), -1, 1), bins=bins, histtype="step", color=f"C{i}", linewidth=1.4, label=label)
    ax_h.set_yscale("log")
    ax_h.set_xlabel(r"weight $W_{kd}$ (clipped to $[-1, 1]$)")
    ax_h.set_ylabel("count of 640 weights")
    ax_h.set_title(rf"$\lambda = {lam:g}$, seed 0", fontsize=9.5)
    ax_h.legend(loc="upper right", fontsize=7.5)
    runs = zero_share_sweep()
    lams = sorted({lam_ for _, lam_ in runs})
    for i, (penalty, label) in enumerate((("l2", "L2"), ("l1", "L1, proximal"), ("l1-subgradient", "L1, subgradient"))):
        z = np.array([[share for share, _ in runs[penalty, lam_]] for lam_ in lams])  # (lams, seeds)
        ax_z.fill_between(lams, z.min(axis=1), z.max(axis=1), color=f"C{i + 1}", alpha=0.25, linewidth=0)
        ax_z.plot(lams, np.median(z, axis=1), marker="o", color=f"C{i + 1}", markersize=3, label=label,
                  linestyle="-" if penalty == "l1" else "--")  # fmt: skip
    ax_z.set_xscale("log")
    ax_z.set_xlabel(r"$\lambda$")
    ax_z.set_ylabel("share of weights exactly 0")
    ax_z.set_ylim(-0.02, 1.0)
    n = len(next(iter(runs.values())))
    ax_z.set_title(f"median and range over {n} seeds", fontsize=9.5)
    ax_z.legend(loc="upper left", fontsize=8)
    return fig


@figure("fitting-curves")
def fitting_curves() -> Figure:
    """Training (solid) and validation (dashed) cross-entropy per step for three configurations."""
    runs = fitting_runs()
    fig, axes = new_figure("full", ncols=3, sharey=True)
    for ax, (name, (width, n_train)) in zip(axes, CONFIGS.items(), strict=True):
        steps = np.array(runs[name][0].steps)
        for i, (label, key) in enumerate((("train", "train_loss"), ("validation", "val_loss"))):
            c = np.array([getattr(r, key) for r in runs[name]])  # (seeds, evals)
            ax.fill_between(steps, c.min(axis=0), c.max(axis=0), color=f"C{i}", alpha=0.2, linewidth=0)
            ax.plot(steps, np.median(c, axis=0), color=f"C{i}", linestyle="-" if i == 0 else "--", label=label)
        ax.set_title(f"{name}: width {width}, $n = {n_train}$", fontsize=8.5)
        ax.set_xlabel("step (full batch)")
        ax.set_yscale("log")
    axes[0].set_ylabel("cross-entropy")
    axes[0].legend(loc="lower left", fontsize=8)
    return fig


@figure("bn-batch-size-gap")
def bn_batch_size_gap() -> Figure:
    """RMS gap between BN's training- and evaluation-mode outputs against the batch size; GN's is 0."""
    runs = gap_vs_batch_size()
    Bs = np.array(sorted(runs))
    g = np.array([runs[B] for B in Bs])  # (batch sizes, seeds)
    fig, ax = new_figure("half")
    ax.fill_between(Bs, g.min(axis=1), g.max(axis=1), color="C0", alpha=0.25, linewidth=0)
    ax.plot(Bs, np.median(g, axis=1), "o-", color="C0", markersize=3, label="BatchNorm")
    c = float(np.median(g[0]))
    ax.plot(Bs, c / np.sqrt(Bs), color="C6", linestyle=":", label=rf"${c:.2f} / \sqrt{{B}}$")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel(r"RMS of $\hat{x}_{\mathrm{train}} - \hat{x}_{\mathrm{eval}}$")
    ax.set_title(f"GroupNorm: 0 for every $B$; {g.shape[1]} seeds", fontsize=8.5)
    ax.legend(loc="upper right", fontsize=8)
    return fig


@figure("dropblock-masks")
def dropblock_masks() -> Figure:
    """Keep masks on one 24 x 24 map at keep_prob 0.85: element-wise dropout and DropBlock, b = 3 and 7."""
    from matplotlib.colors import ListedColormap

    from snippets.norm.dropblock import dropblock

    fig, axes = new_figure("wide", ncols=3)
    cmap = ListedColormap([to_rgba("C1"), to_rgba("C0", 0.15)])  # 0 dropped, 1 kept
    X = np.ones((1, 1, 24, 24))
    for ax, b in zip(axes, (1, 3, 7), strict=True):
        M = dropblock(X, 0.85, b, np.random.default_rng(3)) != 0  # b = 1 is ordinary dropout
        ax.imshow(M[0, 0], cmap=cmap, vmin=0, vmax=1)
        name = "dropout" if b == 1 else f"DropBlock, $b = {b}$"
        ax.set_title(f"{name}: {1 - M.mean():.0%} dropped", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


@figure("mixup-cutmix-digits")
def mixup_cutmix_digits() -> Figure:
    """Two load_digits images, their mixup (lam 0.6) and their CutMix (box from lam 0.6, lam recomputed)."""
    from matplotlib.patches import Rectangle
    from sklearn.datasets import load_digits

    from snippets.norm.mixup import cutmix, cutmix_box, mixup

    digits = load_digits()
    ia, ib = int(np.argmax(digits.target == 3)), int(np.argmax(digits.target == 7))
    X = digits.images[[ia, ib]][:, None].astype(float) / 16.0  # (2, 1, 8, 8), 值在 [0, 1]
    y, perm = digits.target[[ia, ib]], np.array([1, 0])
    Xm, _, _ = mixup(X, y, 0.6, perm)
    box = cutmix_box(8, 8, 0.6, np.random.default_rng(2))
    Xc, _, _, lam_c = cutmix(X, y, box, perm)
    fig, axes = new_figure("wide", ncols=4)
    panels = (
        (X[0, 0], f"$x_a$: {y[0]}"),
        (X[1, 0], f"$x_b$: {y[1]}"),
        (Xm[0, 0], f"mixup: {0.6:.2f}·{y[0]} + {0.4:.2f}·{y[1]}"),
        (Xc[0, 0], f"CutMix: {lam_c:.2f}·{y[0]} + {1 - lam_c:.2f}·{y[1]}"),
    )
    for ax, (img, title) in zip(axes, panels, strict=True):
        ax.imshow(img, cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(title, fontsize=8.5)
        ax.set_xticks([])
        ax.set_yticks([])
    y1, y2, x1, x2 = box
    axes[3].add_patch(Rectangle((x1 - 0.5, y1 - 0.5), x2 - x1, y2 - y1, fill=False, edgecolor="C1", linewidth=1.5))
    return fig


@figure("bn-step-loss", checks="bn_why.md's loss comparison of plain and BN nets")
def bn_step_loss() -> Figure:
    """Per-step minibatch loss at three learning rates: no BN, BN, BN with noise injected after it."""
    from snippets.norm.bn_why import KINDS, LRS, bn_step_runs

    runs = bn_step_runs()
    fig, axes = new_figure("full", ncols=len(LRS), sharey=True)
    for ax, lr in zip(axes, LRS, strict=True):
        for i, kind in enumerate(KINDS):
            if (kind, lr) not in runs:
                continue
            L = np.minimum(runs[kind, lr], 3.0)  # (seeds, steps); 发散 (inf) 画在 3
            t = np.arange(1, L.shape[1] + 1)
            ax.fill_between(t, L.min(axis=0), L.max(axis=0), color=f"C{i}", alpha=0.2, linewidth=0)
            ax.plot(t, np.median(L, axis=0), color=f"C{i}", linewidth=1.2, label=kind)
        ax.set_title(rf"$\eta = {lr:g}$", fontsize=9.5)
        ax.set_xlabel("SGD step (batch 64)")
        ax.set_yscale("log")
    axes[0].set_ylabel("minibatch cross-entropy")
    axes[-1].legend(loc="lower left", fontsize=8)
    last = {k: v[:, -10:].mean(axis=1) for k, v in runs.items()}  # 每个种子最后 10 步的平均
    require_claims({
        "plain barely moves at 0.05": bool((last["plain", 0.05] > 2.0).all()),
        "BN below 0.5 at every lr": all(bool((last["bn", lr] < 0.5).all()) for lr in LRS),
        "plain above 1.5 or diverged at 2.0": bool((last["plain", 2.0] > 1.5).all()),
        "noisy BN below 1.0 at 0.5 and 2.0": all(bool((last["bn+noise", lr] < 1.0).all()) for lr in (0.5, 2.0)),
        "BN below plain for every seed and lr": all(bool((last["bn", lr] < last["plain", lr]).all()) for lr in LRS),
        "exactly 1 of 5 plain runs diverges at 2.0": int((~np.isfinite(runs["plain", 2.0][:, -1])).sum()) == 1,
        "no BN or noisy-BN run diverges": all(bool(np.isfinite(v).all()) for (k, _), v in runs.items() if k != "plain"),
        "noisy BN worse than BN (median)": all(
            float(np.median(last["bn+noise", lr])) > float(np.median(last["bn", lr])) for lr in (0.5, 2.0)
        ),
    }, "norm/bn_why.md")  # fmt: skip
    return fig

"""Figures of the chapter 优化与训练, each computed with the snippets the pages show."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from snippets.figures import figure
from snippets.optim.adaptive import Adagrad, Adam, AdamW, RMSprop
from snippets.optim.batch_size import LR_RULES, lr_sweep
from snippets.optim.digits_sgd import N_TRAIN, VARIANTS, DigitsRun, compare_variants
from snippets.optim.ema import ema, ema_weights
from snippets.optim.initialization import Activation, gain, kaiming_std, preactivation_stds, xavier_std
from snippets.optim.layer_speed import LR_GRID, SEEDS, Act, LayerSpeed, stable_run
from snippets.optim.quadratic import Optimizer, bowl, trajectory
from snippets.optim.reddi import average_regret, online_adam, theorem1_setting
from snippets.optim.saddle import descend, saddle_f
from snippets.optim.schedules import cosine_lr, step_lr, warmup_cosine_lr
from snippets.optim.second_order import (
    LOGREG_LAM,
    digits_binary,
    gradient_descent,
    lbfgs_torch,
    logreg_loss_grad_hess,
    newton,
)
from snippets.optim.sgd import SGD, MomentumLrInside
from snippets.optim.tuning import lr_momentum_grid
from snippets.plotting import new_figure

# 轨迹图用的优化器和学习率 (页面上的代码块打印同一组设置)
TRAJECTORY_SETUPS: tuple[tuple[str, str, Callable[[], Optimizer]], ...] = (
    ("SGD", r"$\eta = 0.95$", lambda: SGD(0.95)),
    ("Momentum", r"$\eta = 0.1,\ \mu = 0.9$", lambda: SGD(0.1, momentum=0.9)),
    ("AdaGrad", r"$\eta = 1.5$", lambda: Adagrad(1.5)),
    ("RMSprop", r"$\eta = 0.1,\ \alpha = 0.99$", lambda: RMSprop(0.1)),
    ("Adam", r"$\eta = 0.3$", lambda: Adam(0.3)),
)
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 400)  # 批大小页的代码块用同一组


# 每张图在浅色和深色主题下各渲染一次; 实验只依赖可哈希的参数, 用 functools.cache 在进程内记住结果,
# 深色版直接复用浅色版的那次运行 (数值完全相同)。返回只读数组, 调用方不能改动缓存。
def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


@functools.cache
def _trajectory_path(index: int) -> np.ndarray:
    """Path of TRAJECTORY_SETUPS[index] on the bowl, shape (31, 2), read-only."""
    return _frozen(trajectory(TRAJECTORY_SETUPS[index][2]()))


@functools.cache
def _batch_sweep() -> tuple[np.ndarray, np.ndarray]:
    """lr_sweep over LR_RULES and BATCH_SIZES, 5 epochs, 10 seeds: accuracy (6, 10, 10), eta * updates (6, 10)."""
    acc, budget = lr_sweep(LR_RULES, BATCH_SIZES, 5, tuple(range(10)))
    return _frozen(acc), _frozen(budget)


@functools.cache
def _online_iterates(amsgrad: bool) -> np.ndarray:
    """Reddi et al.'s problem in the Theorem 1 setting, C = 3, 3000 rounds, shape (3000,), read-only."""
    setting = theorem1_setting(3.0)
    return _frozen(online_adam(setting.C, 3000, amsgrad=amsgrad, **setting.as_kwargs()))


@functools.cache
def _preactivation_stds(std: float, act: Activation) -> np.ndarray:
    """std of z^(l) for the 20 layers and seeds 0..9, shape (10, 20), read-only."""
    return _frozen(np.array([preactivation_stds(std, act, seed=k) for k in range(10)]))


@functools.cache
def _layer_stable_run(act: Act, norm: bool) -> tuple[float, LayerSpeed]:
    """The page's run of one variant: the largest stable lr of LR_GRID, 10 seeds, 200 steps."""
    lr, run, _ = stable_run(act, norm, LR_GRID, SEEDS)
    return lr, LayerSpeed(_frozen(run.rel_change), _frozen(run.grad_norm), _frozen(run.loss), run.first_rise)


@figure("optimizer-trajectories")
def optimizer_trajectories() -> Figure:
    """Five optimizers on f(x, y) = x^2/20 + y^2 from (-7, 2), 30 steps each, and f per step."""
    fig, axes = new_figure("square", ncols=2, nrows=3, sharex=False)
    xs, ys = np.meshgrid(np.linspace(-8, 8, 81), np.linspace(-3, 3, 31))
    F = bowl(np.stack([xs, ys], axis=-1))
    ax_f = axes.flat[5]
    for i, (name, label, _make) in enumerate(TRAJECTORY_SETUPS):
        path = _trajectory_path(i)
        ax = axes.flat[i]
        ax.contour(xs, ys, F, levels=[0.25, 1, 2.5, 5, 9], colors="C6", linewidths=0.4, alpha=0.5)
        ax.plot(path[:, 0], path[:, 1], "o-", color=f"C{i}", markersize=2.5, linewidth=1.0)
        ax.plot(0, 0, "+", color="C6", markersize=8)
        ax.set_title(f"{name}, {label}", fontsize=8.5)
        ax.set_xlim(-8, 8)
        ax.set_ylim(-3, 3)
        ax.tick_params(labelsize=7.5)
        ax_f.plot(bowl(path), color=f"C{i}", label=name, linewidth=1.2)
    ax_f.set_yscale("log")
    ax_f.set_xlabel("step", fontsize=8)
    ax_f.set_ylabel(r"$f(x_t, y_t)$", fontsize=8)
    ax_f.tick_params(labelsize=7.5)
    fig.legend(*ax_f.get_legend_handles_labels(), fontsize=7.5, ncols=5, loc="outside lower center",
               handlelength=1.2, columnspacing=0.8)  # 小图里放不下，放到图下方
    return fig


@figure("ema-weights")
def ema_figure() -> Figure:
    """Left: a noisy series and its EMA (beta = 0.9) with and without bias correction. Right: weights."""
    rng = np.random.default_rng(0)
    t = np.arange(1, 61)
    x = 5 + np.sin(t / 8) + 0.5 * rng.standard_normal(t.size)
    fig, (ax, ax_w) = new_figure("wide", ncols=2)
    ax.plot(t, x, ".", color="C6", markersize=3, label=r"$x_t$")
    ax.plot(t, ema(x, 0.9), color="C1", label=r"$s_t$ ($\beta = 0.9$)")
    ax.plot(t, ema(x, 0.9, bias_correction=True), color="C0", label=r"$s_t / (1 - \beta^t)$")
    ax.set_xlabel(r"$t$")
    ax.legend(fontsize=7.5, loc="lower right")
    for i, beta in enumerate((0.5, 0.9, 0.98)):
        w = ema_weights(beta, 120)
        ax_w.plot(np.arange(120), w, color=f"C{i}", label=rf"$\beta = {beta}$, $1/(1-\beta) = {1 / (1 - beta):.0f}$")
        ax_w.axvline(1 / (1 - beta), color=f"C{i}", linestyle=":", linewidth=1)
    ax_w.set_yscale("log")
    ax_w.set_ylim(1e-4, 1)
    ax_w.set_xlabel(r"age $k$ of $x_{t-k}$")
    ax_w.set_ylabel(r"weight $(1-\beta)\beta^k$")
    ax_w.legend(fontsize=7.5, loc="upper right")
    return fig


@figure("adam-nonconvergence")
def adam_nonconvergence() -> Figure:
    """Reddi et al.'s online problem, C = 3: iterates and average regret of Adam vs AMSGrad."""
    T = 3000
    fig, (ax_x, ax_r) = new_figure("wide", ncols=2)
    for i, (name, ams) in enumerate((("Adam", False), ("AMSGrad", True))):
        xs = _online_iterates(ams)
        ax_x.plot(np.arange(1, T + 1), xs, color=f"C{i}", label=name, linewidth=1)
        ax_r.plot(np.arange(1, T + 1), average_regret(xs, 3.0), color=f"C{i}", label=name)
    ax_x.axhline(-1, color="C6", linestyle=":", linewidth=1)
    ax_x.set_xscale("log")
    ax_x.set_xlabel(r"round $t$")
    ax_x.set_ylabel(r"$x_t$  (optimum $x^* = -1$)")
    ax_x.legend(loc="center right")
    ax_r.set_xscale("log")
    ax_r.set_xlabel(r"round $T$")
    ax_r.set_ylabel(r"average regret $R_T / T$")
    ax_r.legend(loc="upper right")
    fig.suptitle(r"$C = 3$, $\beta_1 = 0$, $\beta_2 = 1/(1 + C^2)$, $\alpha_t = 0.5/\sqrt{t}$", fontsize=9)
    return fig


@figure("lr-schedules")
def lr_schedules() -> Figure:
    """Left: f per step of gradient descent on the bowl for four learning rates. Right: schedules."""
    fig, (ax, ax_s) = new_figure("wide", ncols=2)
    for i, lr in enumerate((0.05, 0.5, 0.95, 1.02)):
        ax.plot(bowl(trajectory(SGD(lr), steps=60)), color=f"C{i}", label=rf"$\eta = {lr}$")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel(r"$f(x_t, y_t)$")
    ax.legend(fontsize=7.5, ncols=2, loc="lower left")
    T = 100
    t = list(range(T + 1))
    ax_s.plot(t, [step_lr(k, 0.1, 30) for k in t], color="C0", label="StepLR(30, 0.1)")
    ax_s.plot(t, [cosine_lr(k, 0.1, T) for k in t], color="C1", label=rf"cosine, $T_{{max}} = {T}$")
    ax_s.plot(t, [warmup_cosine_lr(k, 0.1, 10, T) for k in t], color="C2", label="warm-up 10 + cosine")
    ax_s.set_xlabel("epoch")
    ax_s.set_ylabel(r"$\eta_t$")
    ax_s.legend(fontsize=7.5, loc="upper right")
    return fig


@figure("batch-size-accuracy")
def batch_size_accuracy() -> Figure:
    """Test accuracy vs batch size for six lr rules, and vs eta times updates; median and range of 10 seeds."""
    acc, budget = _batch_sweep()
    med = np.median(acc, axis=2)
    fig, (ax, ax_b) = new_figure("wide", ncols=2, sharey=True)
    for i, (base, power) in enumerate(LR_RULES):
        label = {0.0: rf"${base:g}$", 0.5: rf"${base:g}\sqrt{{B}}$", 1.0: rf"${base:g}\,B$"}[power]
        ax.plot(BATCH_SIZES, med[i], "o-", color=f"C{i}", label=label, markersize=2.5, linewidth=1.2)
        ax.fill_between(BATCH_SIZES, acc[i].min(axis=1), acc[i].max(axis=1), color=f"C{i}", alpha=0.1, linewidth=0)
        ax_b.errorbar(budget[i], med[i], yerr=[med[i] - acc[i].min(axis=1), acc[i].max(axis=1) - med[i]], fmt="o",
                      color=f"C{i}", markersize=2.5, elinewidth=0.6, alpha=0.8)
    for a in (ax, ax_b):
        a.axhline(0.9584, color="C6", linestyle=":", linewidth=1)
    ax.set_xscale("log", base=2)
    ax.set_xlabel(r"batch size $B$")
    ax.set_ylabel("test accuracy (100 samples)")
    ax.set_ylim(0.2, 1.0)
    ax.legend(title=r"$\eta(B)$", title_fontsize=7.5, fontsize=7.5, ncols=2, loc="lower left")
    ax_b.set_xscale("log")
    ax_b.set_xlabel(r"$\eta\,\times$ updates in 5 epochs")
    return fig


@figure("init-activation-stats")
def init_activation_stats() -> Figure:
    """std of the pre-activations per layer of a 20-layer, width-128 net for several inits, 10 seeds."""
    n = 128
    fig, (ax_t, ax_r) = new_figure("wide", ncols=2)
    setups: dict[Any, tuple[Activation, list[tuple[float, str]]]] = {
        ax_t: ("tanh", [(0.01, r"$\sigma_w = 0.01$"), (1.0, r"$\sigma_w = 1$"),
                        (xavier_std(n, n), "Xavier, gain 1"), (xavier_std(n, n, gain("tanh")), "Xavier, gain 5/3")]),
        ax_r: ("relu", [(0.01, r"$\sigma_w = 0.01$"), (0.1, r"$\sigma_w = 0.1$"),
                        (xavier_std(n, n), "Xavier, gain 1"), (kaiming_std(n, n), "He (Kaiming)")]),
    }
    layers = np.arange(1, 21)
    for ax, (act, runs) in setups.items():
        for i, (std, label) in enumerate(runs):
            stds = _preactivation_stds(std, act)  # (10 个种子, 20 层): 中位数连线, 阴影为最小到最大
            ax.fill_between(layers, stds.min(axis=0), stds.max(axis=0), color=f"C{i}", alpha=0.2, linewidth=0)
            ax.plot(layers, np.median(stds, axis=0), "o-", color=f"C{i}", label=label, markersize=2.5)
        ax.set_yscale("log")
        ax.set_ylim(1e-6, 1e4)
        ax.set_xlabel("layer")
        ax.set_title(act, fontsize=9)
        ax.legend(fontsize=7.5, ncols=2, loc="upper right")
    ax_t.set_ylabel(r"std of $z^{(l)}$")
    ax_r.axhline(np.sqrt(2), color="C6", linestyle=":", linewidth=1)  # He + ReLU, 单位方差输入: E[z^2] = 2
    ax_r.text(20, np.sqrt(2) * 2.5, r"$\sqrt{2}$", fontsize=7.5, ha="right")
    return fig


@figure("layer-speed")
def layer_speed_figure() -> Figure:
    """Relative weight change per layer over 200 GD steps, median and range over 10 seeds, four variants."""
    fig, axes = new_figure("square", ncols=2, nrows=2, sharex=True, sharey=True)
    variants: tuple[tuple[Act, bool], ...] = (("sigmoid", False), ("relu", False), ("sigmoid", True), ("relu", True))
    for ax, (act, norm) in zip(axes.flat, variants, strict=True):
        lr, run = _layer_stable_run(act, norm)
        rel = run.rel_change[:, 1:]  # (10, 200, 6), 从第 1 步起 (对数轴)
        steps = np.arange(1, rel.shape[1] + 1)
        for layer in range(rel.shape[2]):
            ax.fill_between(steps, rel[:, :, layer].min(axis=0), rel[:, :, layer].max(axis=0), color=f"C{layer}",
                            alpha=0.18, linewidth=0)
            ax.plot(steps, np.median(rel[:, :, layer], axis=0), color=f"C{layer}", label=f"$W^{{({layer + 1})}}$",
                    linewidth=1.1)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(f"{act}{' + norm' if norm else ''}, $\\eta = {lr:g}$", fontsize=8.5)
        ax.tick_params(labelsize=7.5)
    for ax in axes[1]:
        ax.set_xlabel("step $t$", fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$r^{(l)}(t)$", fontsize=8)
    fig.legend(*axes[1, 0].get_legend_handles_labels(), fontsize=7.5, ncols=6, loc="outside lower center",
               handlelength=1.2, columnspacing=0.8)
    return fig


@figure("momentum-forms-and-decay")
def momentum_forms_and_decay() -> Figure:
    """Left: |step| of the two momentum forms when lr drops 10x. Right: one-step decay of Adam+L2 vs AdamW."""
    fig, (ax, ax_d) = new_figure("wide", ncols=2)
    forms: tuple[tuple[str, SGD | MomentumLrInside], ...] = (
        ("PyTorch: $b = \\mu b + g$", SGD(0.1, momentum=0.9)),
        ("lr inside: $v = \\mu v - \\eta g$", MomentumLrInside(0.1, 0.9)),
    )
    for i, (name, opt) in enumerate(forms):
        theta, steps = np.array([0.0]), []
        for t in range(60):
            if t == 30:
                opt.lr = 0.01
            new = opt.step(theta, np.array([1.0]))  # 梯度恒为 1
            steps.append(abs(float(new[0] - theta[0])))
            theta = new
        ax.plot(np.arange(1, 61), steps, color=f"C{i}", label=name, linestyle="-" if i == 0 else "--")
    ax.axvline(30.5, color="C6", linestyle=":", linewidth=1)
    ax.set_yscale("log")
    ax.set_xlabel(r"step ($\eta$: 0.1 $\to$ 0.01 after step 30)")
    ax.set_ylabel(r"$|\theta_t - \theta_{t-1}|$")
    ax.legend(fontsize=7.5, loc="lower left")
    thetas = np.logspace(-2, 2, 41)
    l2 = np.array([Adam(0.1, weight_decay=0.5).step(np.array([th]), np.zeros(1))[0] for th in thetas])
    w = np.array([AdamW(0.1, weight_decay=0.5).step(np.array([th]), np.zeros(1))[0] for th in thetas])
    ax_d.plot(thetas, l2 / thetas, color="C0", label="Adam + L2")
    ax_d.plot(thetas, w / thetas, color="C1", label="AdamW")
    ax_d.axhline(0, color="C6", linewidth=0.8)
    ax_d.set_xscale("log")
    ax_d.set_ylim(-2, 1.2)
    ax_d.set_xlabel(r"$\theta_0$  (gradient of the loss $= 0$)")
    ax_d.set_ylabel(r"$\theta_1 / \theta_0$")
    ax_d.set_title(r"$\eta = 0.1,\ \lambda = 0.5$", fontsize=9)
    ax_d.legend(fontsize=7.5, loc="lower right")
    return fig


# --- 梯度下降的三种形式、二阶方法、鞍点、调参顺序 (四页新题) ---
DIGITS_SEEDS = (0, 1, 2, 3, 4)
SADDLE_SEEDS = tuple(range(10))
TUNE_LRS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
TUNE_MOMENTA = (0.0, 0.5, 0.9)


@functools.cache
def _gd_variants() -> dict[str, DigitsRun]:
    """GD, mini-batch (B = 32) and SGD (B = 1) on load_digits, lr 0.5, 3 epochs (GD on to 40), 5 seeds."""
    return compare_variants(0.5, 3, 40, DIGITS_SEEDS)


@functools.cache
def _tuning_grid() -> np.ndarray:
    """Final training loss over TUNE_LRS x TUNE_MOMENTA x 5 seeds, 2 epochs of B = 32, read-only."""
    return _frozen(lr_momentum_grid(TUNE_LRS, TUNE_MOMENTA, 2, DIGITS_SEEDS))


@figure("gd-variants")
def gd_variants_figure() -> Figure:
    """Training loss of GD, mini-batch and SGD vs epochs (left) and vs updates (right); median and range of 5 seeds."""
    runs = _gd_variants()
    fig, (ax, ax_u) = new_figure("wide", ncols=2, sharey=True)
    for i, (name, B) in enumerate(VARIANTS):
        run = runs[name]
        med, lo, hi = np.median(run.loss, axis=0), run.loss.min(axis=0), run.loss.max(axis=0)
        updates = run.epochs * -(-N_TRAIN // B)
        shown = run.epochs <= 3 + 1e-9
        ax.plot(run.epochs[shown], med[shown], "o-" if B == N_TRAIN else "-", color=f"C{i}", label=name, markersize=3)
        ax.fill_between(run.epochs[shown], lo[shown], hi[shown], color=f"C{i}", alpha=0.2, linewidth=0)
        ax_u.plot(updates[1:], med[1:], color=f"C{i}", label=name)
        ax_u.fill_between(updates[1:], lo[1:], hi[1:], color=f"C{i}", alpha=0.2, linewidth=0)
    ax.set_yscale("log")
    ax.set_xlabel("epochs (= per-sample gradients / 1200)")
    ax.set_ylabel("training loss (all 1200 samples)")
    ax.legend(fontsize=7.5, loc="lower left")
    ax_u.set_xscale("log")
    ax_u.set_xlabel("parameter updates")
    return fig


@figure("newton-vs-gd")
def newton_vs_gd() -> Figure:
    """L(w_t) - L* on L2-regularised logistic regression (digits 3 vs 8): GD, L-BFGS (torch), Newton."""
    X, y = digits_binary()
    lam = LOGREG_LAM
    ws = newton(lambda w: logreg_loss_grad_hess(w, X, y, lam)[1:], np.zeros(X.shape[1]), 10)
    L = np.array([logreg_loss_grad_hess(w, X, y, lam)[0] for w in ws])
    best = L[-1]
    L_smooth = np.linalg.eigvalsh(X.T @ X / len(y)).max() / 4 + lam  # 梯度的 Lipschitz 常数上界
    wg = gradient_descent(lambda w: logreg_loss_grad_hess(w, X, y, lam)[1], np.zeros(X.shape[1]), 1 / L_smooth, 200)
    gaps = {
        r"GD, $\eta = 1/L$": np.array([logreg_loss_grad_hess(w, X, y, lam)[0] for w in wg]) - best,
        "L-BFGS, m = 10 (torch)": lbfgs_torch(X, y, lam, 30) - best,
        "Newton": L[:9] - best,
    }
    fig, ax = new_figure("wide")
    for i, (name, gap) in enumerate(gaps.items()):
        t = np.arange(len(gap))
        keep = gap > 1e-15  # 到达双精度的分辨率之后不再画 (差值为 0 或舍入噪声)
        ax.plot(t[keep], gap[keep], "o-" if name == "Newton" else "-", color=f"C{i}", label=name, markersize=3)
    ax.set_xscale("symlog", linthresh=10)
    ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel(r"$L(w_t) - L^*$")
    ax.legend(fontsize=7.5, loc="lower left")
    return fig


@figure("saddle-escape")
def saddle_escape() -> Figure:
    """Paths near the saddle of x^2/2 + y^4/4 - y^2/2 (left) and |y_t| per step (right); noisy GD over 10 seeds."""
    exact = descend((1.5, 0.0), 0.1, 300)[0]
    gd = descend((1.5, 1e-6), 0.1, 300)[0]
    mom = descend((1.5, 1e-6), 0.1, 300, momentum=0.9)[0]
    noisy = descend((1.5, 0.0), 0.1, 300, noise=0.1, seeds=SADDLE_SEEDS)  # (10, 301, 2)
    fig, (ax, ax_y) = new_figure("wide", ncols=2)
    xs, ys = np.meshgrid(np.linspace(-1.6, 1.6, 81), np.linspace(-1.5, 1.5, 61))
    ax.contour(xs, ys, saddle_f(np.stack([xs, ys], axis=-1)), levels=12, colors="C6", linewidths=0.4, alpha=0.5)
    for k in range(len(SADDLE_SEEDS)):  # 画在 GD 的线之上: 往 (0, 1) 去的几条路径不被遮住
        ax.plot(noisy[k, :, 0], noisy[k, :, 1], color="C2", linewidth=0.5, alpha=0.6, zorder=3)
    ax.plot(gd[:, 0], gd[:, 1], color="C0", label=r"GD, $y_0 = 10^{-6}$")
    ax.plot(mom[:, 0], mom[:, 1], color="C1", label=r"momentum 0.9")
    ax.plot(exact[:, 0], exact[:, 1], color="C3", linewidth=2.5, linestyle="--", label=r"GD, $y_0 = 0$")
    ax.plot([0, 0, 0], [0, 1, -1], "+", color="C6", markersize=8)
    ax.set_xlabel(r"$x$")
    ax.set_ylabel(r"$y$")
    steps = np.arange(301)
    ax_y.plot(steps, np.abs(gd[:, 1]), color="C0", label=r"GD, $y_0 = 10^{-6}$")
    ax_y.plot(steps, np.abs(mom[:, 1]), color="C1", label=r"momentum, $y_0 = 10^{-6}$")
    ay = np.abs(noisy[:, :, 1])
    ax_y.plot(steps, np.median(ay, axis=0), color="C2", label=r"noisy GD, $\sigma = 0.1$, 10 seeds")
    ax_y.fill_between(steps, ay.min(axis=0), ay.max(axis=0), color="C2", alpha=0.2, linewidth=0)
    ax_y.set_yscale("log")
    ax_y.set_ylim(1e-7, 3)
    ax_y.set_xlabel("step")
    ax_y.set_ylabel(r"$|y_t|$")
    ax_y.legend(fontsize=7.5, loc="lower right")
    ax.legend(fontsize=7.5, loc="upper left", handlelength=1.2)  # 标签短, 图例停在 x < -0.3, 不挡住极小值 (0, 1)
    return fig


@figure("tuning-lr-vs-momentum")
def tuning_lr_vs_momentum() -> Figure:
    """Final training loss vs eta for three momenta (left) and vs eta / (1 - mu) (right); median, range of 5 seeds."""
    L = _tuning_grid()
    lrs = np.array(TUNE_LRS)
    fig, (ax, ax_e) = new_figure("wide", ncols=2, sharey=True)
    for j, mu in enumerate(TUNE_MOMENTA):
        med, lo, hi = np.median(L[:, j], axis=1), L[:, j].min(axis=1), L[:, j].max(axis=1)
        for a, x in ((ax, lrs), (ax_e, lrs / (1 - mu))):
            a.plot(x, med, "o-", color=f"C{j}", label=rf"$\mu = {mu:g}$", markersize=3)
            a.fill_between(x, lo, hi, color=f"C{j}", alpha=0.2, linewidth=0)
            a.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"learning rate $\eta$")
    ax.set_ylabel("training loss after 2 epochs")
    ax.legend(fontsize=7.5, loc="lower left")
    ax_e.set_xlabel(r"effective step $\eta / (1 - \mu)$")
    return fig

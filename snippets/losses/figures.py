"""Figures of the chapter 损失函数与输出层, each computed with the snippets the pages show."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from snippets.figures import figure
from snippets.losses.ce_vs_mse import (
    bce_grad_wrt_logit,
    ce_vs_mse_experiment,
    make_blobs,
    mse_grad_wrt_logit,
)
from snippets.losses.convexity import loss_along_segment
from snippets.losses.cross_entropy import bernoulli_log_likelihood, bernoulli_mle
from snippets.losses.divergence import bimodal_on_grid, fit_gaussian, gaussian_on_grid
from snippets.losses.margin_softmax import target_logit
from snippets.losses.nonconvex_demo import permutation_pair
from snippets.losses.regression_losses import grad_wrt_residual, huber, mae, mse, smooth_l1
from snippets.losses.softmax import softmax
from snippets.losses.surrogate import loss_and_accuracy_along
from snippets.plotting import new_figure


@figure("softmax-temperature")
def softmax_temperature() -> Figure:
    """Bars of softmax(z / tau) for one logit vector at four temperatures."""
    z = np.array([2.0, 1.0, 0.1, -1.0])
    temperatures = (0.5, 1.0, 2.0, 5.0)
    fig, ax = new_figure("wide")
    k = np.arange(len(z))
    width = 0.8 / len(temperatures)
    for i, tau in enumerate(temperatures):
        offset = (i - (len(temperatures) - 1) / 2) * width
        ax.bar(k + offset, softmax(z, temperature=tau), width, color=f"C{i}", label=rf"$\tau = {tau:g}$")
    ax.set_xticks(k, [f"$k = {j}$\n$z_{j} = {v:g}$" for j, v in enumerate(z)])
    ax.set_ylabel(r"$\mathrm{softmax}(z / \tau)_k$")
    ax.set_ylim(0, 1)
    ax.legend(ncols=len(temperatures), loc="upper right")
    return fig


@figure("bernoulli-likelihood")
def bernoulli_likelihood() -> Figure:
    """Log-likelihood of theta for 7 ones in 10 draws, peaking at the MLE 0.7."""
    x = np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1])
    theta = np.linspace(0.01, 0.99, 397)
    theta_hat = bernoulli_mle(x)
    fig, ax = new_figure("half")
    ax.plot(theta, bernoulli_log_likelihood(theta, x), color="C0")
    ax.axvline(theta_hat, color="C1", linestyle="--", label=rf"$\hat\theta = k/n = {theta_hat:g}$")
    ax.set_xlabel(r"$\theta$")
    ax.set_ylabel(r"$\log p(x \mid \theta)$")
    ax.set_ylim(-30, 0)
    ax.set_title(r"$n = 10,\ k = 7$")
    ax.legend(loc="lower center", bbox_to_anchor=(0.4, 0.02))
    return fig


@figure("ce-vs-mse-gradient")
def ce_vs_mse_gradient() -> Figure:
    """|dL/dz| against the logit z for target y = 1: MSE's gradient vanishes when z << 0."""
    z = np.linspace(-8.0, 8.0, 401)
    fig, ax = new_figure("half")
    ax.plot(z, np.abs(bce_grad_wrt_logit(z, 1.0)), color="C0", label=r"CE: $|\sigma(z) - y|$")
    ax.plot(z, np.abs(mse_grad_wrt_logit(z, 1.0)), color="C1", label=r"MSE: $|\sigma(z) - y|\,\sigma'(z)$")
    ax.set_xlabel(r"logit $z$  (target $y = 1$)")
    ax.set_ylabel(r"$|\partial \mathcal{L} / \partial z|$")
    ax.set_ylim(0, 1.05)
    ax.legend(loc="upper right")
    return fig


@figure("ce-vs-mse-training")
def ce_vs_mse_training() -> Figure:
    """Median and range over seeds of BCE and accuracy per step, CE vs MSE at several learning rates."""
    # 页面上打印的五组里画四组: CE 在 eta = 32 时第 1 步就完成, 与 eta = 2 的曲线挤在一起
    # the same call as the notebook's, so the build runs it once (snippets/run_cache.py)
    runs = {c: h for c, h in ce_vs_mse_experiment().items() if c != ("ce", 32.0)}
    fig, (ax_loss, ax_acc) = new_figure("full", ncols=2)
    for i, ((name, lr), histories) in enumerate(runs.items()):
        steps = np.arange(1, len(histories[0].loss) + 1)
        label = rf"{name.upper()}, $\eta = {lr:g}$"
        for ax, curves in ((ax_loss, [h.loss for h in histories]), (ax_acc, [h.accuracy for h in histories])):
            c = np.array(curves)  # (seeds, steps)
            ax.fill_between(steps, c.min(axis=0), c.max(axis=0), color=f"C{i}", alpha=0.2, linewidth=0)
            ax.plot(steps, np.median(c, axis=0), color=f"C{i}", label=label)
    for ax in (ax_loss, ax_acc):
        ax.set_xscale("log")
        ax.set_xlabel("step")
    ax_loss.set_ylabel("training BCE")
    ax_loss.set_yscale("log")
    ax_acc.set_ylabel("training accuracy")
    ax_acc.set_ylim(0, 1.02)
    ax_loss.legend(loc="lower left", fontsize=8)
    n = len(next(iter(runs.values())))
    fig.suptitle(rf"$w_0 = (-5, -5)$, $N = 200$; median and range over {n} seeds", fontsize=9.5)
    return fig


@figure("nonconvex-segment")
def nonconvex_segment() -> Figure:
    """Median and range over seeds of the loss along the segment from a trained MLP to its permuted copy."""
    ts = np.linspace(0.0, 1.0, 51)
    seeds = range(10)
    losses = np.array([loss_along_segment(*permutation_pair(seed), ts) for seed in seeds])  # (seeds, T)
    fig, ax = new_figure("half")
    ax.fill_between(ts, losses.min(axis=0), losses.max(axis=0), color="C0", alpha=0.2, linewidth=0)
    ax.plot(ts, np.median(losses, axis=0), color="C0", label=r"$\mathcal{L}((1 - t)\,a + t\,b)$")
    ax.axhline(np.median(losses[:, 0]), color="C1", linestyle="--", label=r"$\mathcal{L}(a) = \mathcal{L}(b)$")
    ax.set_xlabel(r"$t$")
    ax.set_ylabel("training BCE")
    ax.set_title(rf"tanh MLP, $H = 4$, XOR; median and range, {len(seeds)} seeds", fontsize=8.5)
    ax.legend(loc="upper right", fontsize=8)
    return fig


@figure("accuracy-vs-cross-entropy")
def accuracy_vs_cross_entropy() -> Figure:
    """Cross-entropy and accuracy of a linear classifier along a line W + t D in weight space."""
    X, y = make_blobs(200, np.random.default_rng(0))
    W = np.array([[0.3, -0.2], [-0.1, 0.4]])  # (K, D) = (2, 2), the start of the line
    D = np.array([[-1.0, -1.0], [1.0, 1.0]])  # the direction that separates the two clusters
    ts = np.linspace(-1.0, 1.0, 801)
    losses, accuracies = loss_and_accuracy_along(X, y, W, D, ts)
    fig, (ax_loss, ax_acc) = new_figure("wide", ncols=2)
    ax_loss.plot(ts, losses, color="C0")
    ax_loss.set_xlabel(r"$t$")
    ax_loss.set_ylabel(r"cross-entropy $\mathcal{L}(W + tD)$")
    ax_acc.step(ts, accuracies, where="mid", color="C1")
    ax_acc.set_xlabel(r"$t$")
    ax_acc.set_ylabel(r"accuracy$(W + tD)$")
    ax_acc.set_ylim(0, 1.02)
    return fig


# --- divergences, regression losses, margin-based softmax (questions added to this chapter) ---


@figure("kl-forward-reverse")
def kl_forward_reverse() -> Figure:
    """A bimodal p and the Gaussians that minimise forward KL(p || q) and reverse KL(q || p)."""
    x = np.linspace(-12.0, 12.0, 241)
    p = bimodal_on_grid(x)
    mus, sigmas = np.linspace(-5.0, 5.0, 41), np.linspace(0.5, 4.5, 81)
    fig, ax = new_figure("wide")
    ax.plot(x, p, color="C0", label=r"$p$: $\frac{1}{2}\mathcal{N}(-3, 1) + \frac{1}{2}\mathcal{N}(3, 1)$")
    names = (("forward", r"\mathrm{KL}(p\,\|\,q)"), ("reverse", r"\mathrm{KL}(q\,\|\,p)"))
    for i, (direction, name) in enumerate(names):
        mu, s, value = fit_gaussian(p, x, direction, mus, sigmas)  # type: ignore[arg-type]
        q = np.exp(gaussian_on_grid(x, np.array([mu]), np.array([s]))[0])
        label = rf"$q$ minimising ${name}$: $\mu = {abs(mu):.2g},\ s = {s:.3g}$"
        ax.plot(x, q, color=f"C{i + 1}", linestyle="--" if i == 0 else "-.", label=label)
    ax.set_xlim(-9, 9)
    ax.set_xlabel(r"$x$")
    ax.set_ylabel("probability on the grid")
    ax.legend(loc="upper left", fontsize=8)
    return fig


@figure("margin-target-logit")
def margin_target_logit() -> Figure:
    """The true-class logit against the angle theta for softmax and the four margin-based variants (scale 1)."""
    theta = np.linspace(0.0, np.pi, 721)
    curves = [
        ("softmax", 1, r"softmax: $\cos\theta$", "-"),
        ("l-softmax", 2, r"L-Softmax ($m = 2$): $\psi(\theta)$", "--"),
        ("sphereface", 4, r"SphereFace ($m = 4$): $\psi(\theta)$", "-."),
        ("cosface", 0.35, r"CosFace: $\cos\theta - 0.35$", ":"),
        ("arcface", 0.5, r"ArcFace: $\cos(\theta + 0.5)$", "-"),
    ]
    fig, ax = new_figure("wide")
    for i, (method, m, label, style) in enumerate(curves):
        ax.plot(np.degrees(theta), target_logit(theta, method, m), color=f"C{i}", linestyle=style, label=label)  # type: ignore[arg-type]
    ax.set_xlim(0, 180)
    ax.set_ylim(-2.5, 1.1)
    ax.set_xticks(range(0, 181, 30))
    ax.set_xlabel(r"angle $\theta$ between $x$ and $W_y$ (degrees)")
    ax.set_ylabel(r"target logit / scale")
    ax.legend(loc="lower left", fontsize=8)
    return fig


@figure("regression-losses")
def regression_losses() -> Figure:
    """MSE, MAE, Huber and Smooth L1 of one residual (left) and their derivatives (right)."""
    r = np.linspace(-3.0, 3.0, 601)
    zero = np.zeros(1)
    curves = [
        ("mse", r"MSE: $r^2$", lambda v: mse(np.array([v]), zero), 1.0),
        ("mae", r"MAE: $|r|$", lambda v: mae(np.array([v]), zero), 1.0),
        ("huber", r"Huber, $\delta = 1$", lambda v: huber(np.array([v]), zero, 1.0), 1.0),
        ("smooth_l1", r"Smooth L1, $\beta = 0.5$", lambda v: smooth_l1(np.array([v]), zero, 0.5), 0.5),
    ]
    fig, (ax_l, ax_g) = new_figure("full", ncols=2)
    for i, (name, label, f, delta) in enumerate(curves):
        ax_l.plot(r, [f(v) for v in r], color=f"C{i}", label=label)
        ax_g.plot(r, grad_wrt_residual(r, name, delta), color=f"C{i}", label=label)  # type: ignore[arg-type]
    ax_l.set_ylim(0, 4)
    ax_l.set_xlabel(r"residual $r = \hat{y} - y$")
    ax_l.set_ylabel("loss")
    ax_l.legend(loc="upper center", fontsize=8)
    ax_g.set_ylim(-3, 3)
    ax_g.set_xlabel(r"residual $r = \hat{y} - y$")
    ax_g.set_ylabel(r"$\partial\,\mathrm{loss} / \partial r$")
    return fig

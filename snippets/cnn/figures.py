"""Figures of the chapter 卷积神经网络, each computed with the snippets the pages show."""

from __future__ import annotations

import matplotlib.cbook as cbook
import matplotlib.image as mpimg
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from snippets.cnn.conv import conv2d, convolve1d, correlate1d
from snippets.cnn.output_size import conv_output_size
from snippets.cnn.pooling_shift import median_range, shift_change_seeds
from snippets.cnn.receptive_field import Layer, input_gradient_of_center_unit, receptive_field
from snippets.cnn.sobel import rgb_to_gray, sobel
from snippets.cnn.transposed_conv import conv_transpose2d, upsample_nearest
from snippets.figures import figure
from snippets.plotting import new_figure


def grace_hopper_gray() -> np.ndarray:
    """Matplotlib's bundled sample photograph (600 x 512) in gray, values in [0, 1]."""
    path = cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    return rgb_to_gray(mpimg.imread(path).astype(float) / 255.0)


@figure("conv-vs-correlation")
def conv_vs_correlation() -> Figure:
    """A unit impulse through correlate1d and convolve1d with an asymmetric kernel."""
    x = np.zeros(11)
    x[5] = 1.0
    w = np.array([1.0, 2.0, 3.0])
    fig, axes = new_figure("wide", ncols=3, sharey=True)
    panels = [(x, r"input $x$ (impulse at 5)"), (correlate1d(x, w), r"cross-correlation $x \star w$"),
              (convolve1d(x, w), r"convolution $x * w$")]
    for i, (ax, (y, title)) in enumerate(zip(axes, panels, strict=True)):
        ax.stem(np.arange(len(y)), y, linefmt=f"C{i}-", markerfmt=f"C{i}o", basefmt=" ")
        ax.set_title(title, fontsize=9.5)
        ax.set_xlabel("index")
    axes[0].set_ylabel(r"value   ($w = [1, 2, 3]$)")
    return fig


@figure("receptive-field-gradient")
def receptive_field_gradient() -> Figure:
    """|dy_center/dx| for three stacks, with the formula's receptive field drawn as a box."""
    stacks = {
        r"3 $\times$ conv3, $s = 1$": [Layer(3)] * 3,
        r"conv3 $s{=}2$, conv3 $s{=}2$, conv3": [Layer(3, 2), Layer(3, 2), Layer(3)],
        r"conv3 with $d = 1, 2, 4$": [Layer(3, 1, 0, 1), Layer(3, 1, 0, 2), Layer(3, 1, 0, 4)],
    }
    size = 25
    fig, axes = new_figure("wide", ncols=3)
    for ax, (title, layers) in zip(axes, stacks.items(), strict=True):
        g = input_gradient_of_center_unit(layers, size)
        ax.imshow(g, cmap="viridis", interpolation="nearest")
        rf = receptive_field(layers)[-1]
        n_out = size
        for L in layers:
            n_out = conv_output_size(n_out, L.kernel_size, L.stride, L.padding, L.dilation)
        r, c = rf.r, rf.start + (n_out // 2) * rf.j  # 中心单元的感受野中心 (输入坐标)
        ax.add_patch(Rectangle((c - r / 2, c - r / 2), r, r, fill=False, edgecolor="C1", linewidth=1.5))
        ax.set_title(f"{title}\n$r = {r}$", fontsize=8.5)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return fig


@figure("pooling-shift")
def pooling_shift() -> Figure:
    """Relative change of the pooled map against a circular shift: median and range over 10 seeds."""
    shifts = np.arange(9)
    fig, ax = new_figure("half")
    runs = [("none", 1, "no pooling"), ("max", 2, "max pool 2"), ("avg", 2, "avg pool 2"),
            ("max", 4, "max pool 4"), ("avg", 4, "avg pool 4")]
    for i, (kind, k, label) in enumerate(runs):
        med, lo, hi = median_range(shift_change_seeds(kind, k, shifts))
        ax.fill_between(shifts, lo, hi, color=f"C{i}", alpha=0.25, linewidth=0)
        ax.plot(shifts, med, marker="o", markersize=3, color=f"C{i}",
                linestyle="--" if kind == "avg" else "-", label=label)
    ax.set_xlabel("shift $t$ (pixels)")
    ax.set_ylabel(r"$\|\mathrm{pool}(x_t) - \mathrm{pool}(x)\|\ /\ \|\mathrm{pool}(x)\|$", fontsize=8)
    ax.set_title("10 seeds x 200 sparse 16x16 maps:\nmedian (line), range (band)", fontsize=8.5)
    ax.legend(fontsize=7.5, loc="lower right")
    return fig


@figure("sobel-grace-hopper")
def sobel_grace_hopper() -> Figure:
    """A photograph, |Gx|, |Gy| and the gradient magnitude computed with the chapter's conv2d."""
    gray = grace_hopper_gray()
    Gx, Gy, mag, _ = sobel(gray)
    fig, axes = new_figure("wide", ncols=4)
    vmax = float(np.percentile(mag, 97))  # 同一个色阶: 三张梯度图可以直接比较
    panels = [(gray, "gray image", 1.0), (np.abs(Gx), r"$|G_x|$", vmax), (np.abs(Gy), r"$|G_y|$", vmax),
              (mag, r"$\sqrt{G_x^2 + G_y^2}$", vmax)]
    for ax, (img, title, top) in zip(axes, panels, strict=True):
        ax.imshow(img, cmap="gray", vmin=0.0, vmax=top)
        ax.set_title(title, fontsize=9.5)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return fig


@figure("checkerboard")
def checkerboard() -> Figure:
    """Constant input through transposed convs (k=3 and k=4, s=2) and through nearest-upsample + conv."""
    X = np.ones((1, 1, 6, 6))
    panels = [
        (conv_transpose2d(X, np.ones((1, 1, 3, 3)), stride=2, padding=1, output_padding=1)[0, 0],
         r"ConvTranspose $k{=}3, s{=}2$"),
        (conv_transpose2d(X, np.ones((1, 1, 4, 4)), stride=2, padding=1)[0, 0], r"ConvTranspose $k{=}4, s{=}2$"),
        (conv2d(upsample_nearest(X, 2), np.ones((1, 1, 3, 3)), padding=1)[0, 0], r"nearest $\times 2$ + conv3"),
    ]
    fig, axes = new_figure("wide", ncols=3)
    for ax, (Y, title) in zip(axes, panels, strict=True):
        im = ax.imshow(Y, cmap="viridis", vmin=0, vmax=9, interpolation="nearest")
        ax.set_title(f"{title}\nvalues {sorted({int(v) for v in np.unique(Y)})}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    fig.colorbar(im, ax=list(axes), shrink=0.8)
    return fig


# --- conv algorithms, padding, odd/even kernels ---


@figure("conv-algorithm-costs")
def conv_algorithm_costs() -> Figure:
    """Real multiplications of direct, Winograd F(2x2, 3x3) and FFT convolution for one 64x64 channel."""
    from snippets.cnn.conv_algorithms import multiplication_counts

    ks = np.arange(1, 33, 2)
    counts = [multiplication_counts(64, int(k)) for k in ks]
    fig, ax = new_figure("half")
    ax.plot(ks, [c["direct"] for c in counts], marker="o", markersize=3, color="C0", label="direct / im2col")
    ax.plot(ks, [c["fft"] for c in counts], marker="s", markersize=3, color="C1", label="FFT (radix-2 model)")
    ax.plot([3], [counts[1]["winograd"]], marker="*", markersize=9, linestyle="", color="C2",
            label=r"Winograd $F(2{\times}2, 3{\times}3)$")
    ax.set_yscale("log")
    ax.set_xlabel(r"kernel size $k$  (input $64 \times 64$)")
    ax.set_ylabel("real multiplications")
    ax.legend(fontsize=7.5)
    return fig


@figure("padding-modes")
def padding_modes() -> Figure:
    """A 3x3 image padded by 2 on every side in nn.Conv2d's four padding modes."""
    from snippets.cnn.padding import MODES, pad2d

    X = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    fig, axes = new_figure("square", ncols=2, nrows=2)
    for ax, mode in zip(axes.ravel(), MODES, strict=True):
        P = pad2d(X, (2, 2, 2, 2), mode)[0, 0]  # (7, 7)
        ax.imshow(P, cmap="viridis", vmin=0, vmax=9, interpolation="nearest")
        for (i, j), v in np.ndenumerate(P):
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=8,
                    color="white" if v < 5 else "black")
        ax.add_patch(Rectangle((1.5, 1.5), 3, 3, fill=False, edgecolor="C1", linewidth=2))
        ax.set_title(f'padding_mode="{mode}"', fontsize=8.5)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return fig


@figure("even-kernel-shift")
def even_kernel_shift() -> Figure:
    """An impulse after four same-padded box filters: k = 3, k = 2 (PyTorch's split), k = 2 symmetric."""
    from snippets.cnn.kernel_parity import impulse_response

    n, L = 21, 4
    runs = [(3, False, r"$k = 3$"), (2, False, r"$k = 2$, extra pad after"), (2, True, r"$k = 2$, symmetric")]
    fig, axes = new_figure("wide", ncols=3, sharey=True)
    idx = np.arange(n) - n // 2
    for i, (ax, (k, sym, title)) in enumerate(zip(axes, runs, strict=True)):
        y = impulse_response(k, L, sym, n)
        ax.stem(idx, y, linefmt=f"C{i}-", markerfmt=f"C{i}o", basefmt=" ")
        ax.axvline(0, color="C6", linewidth=0.8, linestyle="--")
        ax.axvline(float(idx @ y), color="C1", linewidth=1.5)
        ax.set_title(f"{title}\ncentroid {round(float(idx @ y), 6) + 0.0:+.1f}", fontsize=8.5)
        ax.set_xlabel("position - impulse")
        ax.set_xlim(-6.5, 6.5)
    axes[0].set_ylabel(f"response after {L} layers")
    return fig


# --- cnn-b: fusion, convolution types, visualisation (Grad-CAM, occlusion) ---

# What docs/cnn/visualize.md states about gradcam_occlusion_runs (5 seeds), checked at every build.
GRADCAM_STATED = {"accuracy_median": 0.96, "accuracy_min": 0.87, "accuracy_max": 0.97,
                  "corr_median": -0.1, "corr_min": -0.36, "corr_max": 0.15}


@figure("conv-sampling-grids")
def conv_sampling_grids() -> Figure:
    """Where one 3 x 3 kernel reads its input: standard, dilated (d = 2), deformable (random offsets)."""
    from snippets.cnn.conv_types import bilinear_sample  # noqa: F401  (the sampler the deformable panel assumes)

    rng = np.random.default_rng(0)
    i, j = np.divmod(np.arange(9), 3)
    grids = {
        "standard 3x3": (i + 3.0, j + 3.0),
        r"dilated, $d = 2$": (2 * i + 2.0, 2 * j + 2.0),
        "deformable: grid + offsets": (i + 3.0 + rng.uniform(-1.5, 1.5, 9), j + 3.0 + rng.uniform(-1.5, 1.5, 9)),
    }
    fig, axes = new_figure("wide", ncols=3)
    for k, (ax, (title, (y, x))) in enumerate(zip(axes, grids.items(), strict=True)):
        ax.set_xlim(-0.5, 8.5)
        ax.set_ylim(8.5, -0.5)
        ax.set_xticks(np.arange(-0.5, 9, 1), labels=[])
        ax.set_yticks(np.arange(-0.5, 9, 1), labels=[])
        ax.tick_params(length=0)
        ax.set_aspect("equal")
        if k == 2:  # 规则网格用虚线画出, 箭头指向加了偏移的采样点
            ax.scatter(j + 3.0, i + 3.0, s=25, facecolors="none", edgecolors="C0", linewidths=1)
            for a, b, c, d in zip(j + 3.0, i + 3.0, x, y, strict=True):
                ax.annotate("", xy=(c, d), xytext=(a, b), arrowprops={"arrowstyle": "->", "color": "C1", "lw": 1})
        ax.scatter(x, y, s=40, color=f"C{k}", zorder=3)
        ax.set_title(title, fontsize=9)
    return fig


@figure("gradcam-occlusion", checks="visualize.md's accuracy and Grad-CAM/occlusion correlation")
def gradcam_occlusion() -> Figure:
    """Test digits (seed 0) with the Grad-CAM of the predicted class and the occlusion map."""
    from snippets.cnn.gradcam import gradcam_occlusion_runs

    runs = gradcam_occlusion_runs()
    acc = np.array([r.accuracy for r in runs])
    corr = np.array([r.corr_median for r in runs])
    claims = {
        "accuracy median": abs(np.median(acc) - GRADCAM_STATED["accuracy_median"]) <= 0.02,
        "accuracy min": abs(acc.min() - GRADCAM_STATED["accuracy_min"]) <= 0.03,
        "accuracy max": abs(acc.max() - GRADCAM_STATED["accuracy_max"]) <= 0.02,
        "corr median": abs(np.median(corr) - GRADCAM_STATED["corr_median"]) <= 0.05,
        "corr min": abs(corr.min() - GRADCAM_STATED["corr_min"]) <= 0.05,
        "corr max": abs(corr.max() - GRADCAM_STATED["corr_max"]) <= 0.05,
        "sign differs across seeds": bool((corr < 0).any() and (corr > 0).any()),
    }
    failed = [c for c, ok in claims.items() if not ok]
    if failed:  # 页面上的数字不再成立时, 构建失败
        raise AssertionError(f"visualize.md claims no longer hold: {failed} (acc {acc}, corr {corr})")
    ex, labels = runs[0].examples, runs[0].labels
    n = len(ex)
    fig, axes = new_figure("full", ncols=n, nrows=3)
    fig.set_size_inches(7.2, 4.6)
    rows = ("input", "Grad-CAM", "occlusion")
    for col in range(n):
        for row in range(3):
            ax = axes[row, col]
            m = ex[col, row]
            if row == 0:
                ax.imshow(m, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
                ax.set_title(f"label {labels[col, 0]}, pred {labels[col, 1]}", fontsize=8.5)
            else:
                lim = float(np.abs(m).max()) or 1.0  # 每张图各自对称缩放: 看形状, 不比大小
                ax.imshow(m, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            if col == 0:
                ax.set_ylabel(rows[row], fontsize=9)
    return fig

"""Figures of the chapter 图像分割, each computed with the snippets the pages show."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from snippets.figures import figure
from snippets.plotting import new_figure

# ---- tasks, architectures, instance (ch-seg) ----
from snippets.segmentation.atrous import footprint, valid_taps  # noqa: E402
from snippets.segmentation.instance import COCO_SIGMAS  # noqa: E402
from snippets.segmentation.scene import CLASS_NAMES, STUFF, panoptic_scene  # noqa: E402


def _paint(ids: np.ndarray, colours: dict[int, str]) -> np.ndarray:
    """RGBA image: each id's pixels in its colour, ids without a colour transparent."""
    img = np.zeros((*ids.shape, 4))
    for k, c in colours.items():
        img[ids == k] = to_rgba(c, alpha=1.0)
    return img


@figure("seg-tasks")
def seg_tasks() -> Figure:
    """One synthetic scene under semantic, instance and panoptic segmentation."""
    sem, inst = panoptic_scene(64)
    fig, axes = new_figure("full", ncols=3)
    thing_colours = {1: "C3", 2: "C4", 3: "C2"}
    panels = [("semantic: class per pixel", _paint(sem, {0: "C5", 1: "C1", 2: "C0", 3: "C2"})),
              ("instance: things only", _paint(inst, thing_colours)),
              ("panoptic: class + id per pixel",
               _paint(np.where(inst > 0, inst + 10, sem), {0: "C5", 1: "C1", 11: "C3", 12: "C4", 13: "C2"}))]
    for ax, (title, img) in zip(axes, panels, strict=True):
        ax.imshow(img, interpolation="nearest")
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    names = {0: (8, 8), 1: (6, 58)}
    for c, (x, y) in names.items():  # stuff 的名字只在语义和全景图上有
        for ax in (axes[0], axes[2]):
            ax.text(x, y, CLASS_NAMES[c], fontsize=8, color="white", fontweight="bold")
    for ax in axes:
        ax.text(52, 17, "3" if ax is not axes[0] else "square", fontsize=8, ha="center", va="center", color="white")
    for ax in (axes[1], axes[2]):
        ax.text(18, 38, "1", fontsize=9, ha="center", va="center", color="white", fontweight="bold")
        ax.text(34, 38, "2", fontsize=9, ha="center", va="center", color="white", fontweight="bold")
    axes[0].text(27, 38, "disk", fontsize=8, ha="center", va="center", color="white")
    assert set(STUFF) == {0, 1}
    return fig


@figure("atrous-valid-taps")
def atrous_valid_taps() -> Figure:
    """Share of output positions whose 3x3 atrous filter has all 9 taps (or only the centre) inside the map."""
    fig, ax = new_figure("wide")
    for i, n in enumerate((65, 33)):
        rates = np.arange(1, n)
        full = [float((valid_taps(n, int(r)) == 9).mean()) for r in rates]
        one = [float((valid_taps(n, int(r)) == 1).mean()) for r in rates]
        ax.plot(rates, full, color=f"C{i}", label=f"{n}x{n} map: all 9 taps inside")
        ax.plot(rates, one, color=f"C{i}", linestyle="--", label=f"{n}x{n} map: only the centre tap")
    for r in (6, 12, 18):
        ax.axvline(r, color="C6", linewidth=0.8, linestyle=":")
    ax.set_xlabel("atrous rate r")
    ax.set_ylabel("share of output positions")
    ax.set_xscale("log")
    ax.set_xticks([1, 6, 12, 18, 32, 64], labels=["1", "6", "12", "18", "32", "64"])
    ax.legend(loc="center left", fontsize=8)
    return fig


@figure("atrous-gridding")
def atrous_gridding() -> Figure:
    """Footprint of three stacked 3x3 convs: dilations (2, 2, 2) leave holes, (1, 2, 5) cover every pixel."""
    fig, axes = new_figure("full", ncols=2)
    for ax, d in zip(axes, [(2, 2, 2), (1, 2, 5)], strict=True):
        F = footprint(d)
        ax.imshow(np.where(F > 0, F, np.nan), cmap="viridis", interpolation="nearest")
        ax.set_title(f"dilations {d}: {int((F > 0).sum())} of {F.size} pixels used", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return fig


@figure("oks-falloff")
def oks_falloff() -> Figure:
    """Per-keypoint similarity exp(-d^2 / (2 s^2 k^2)) against the error d / s for the smallest and largest sigma."""
    fig, ax = new_figure("wide")
    t = np.linspace(0.0, 0.5, 201)  # d / s
    for i, (name, j) in enumerate([("nose (sigma 0.026)", 0), ("shoulder (sigma 0.079)", 5),
                                   ("hip (sigma 0.107)", 11)]):
        k = 2 * COCO_SIGMAS[j]
        ax.plot(t, np.exp(-(t**2) / (2 * k**2)), color=f"C{i}", label=name)
    ax.axhline(0.5, color="C6", linewidth=0.8, linestyle=":")
    ax.set_xlabel("keypoint error d / s   (s = sqrt(object area))")
    ax.set_ylabel("per-keypoint similarity")
    ax.legend()
    return fig
# ---- end of ch-seg figures ----

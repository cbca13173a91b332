"""Figures of the chapter 目标检测, each computed with the snippets the pages show."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from snippets.detection.anchor_free import (
    centerness,
    draw_heatmap,
    fcos_encode,
    fcos_points,
    gaussian_radius,
    heatmap_peaks,
)
from snippets.detection.ap import match_image, mean_ap, precision_recall
from snippets.detection.box_coder import smooth_l1
from snippets.detection.boxes import box_iou, complete_box_iou, distance_box_iou, generalized_box_iou
from snippets.detection.focal import sigmoid_focal_loss
from snippets.detection.nms import nms, soft_nms
from snippets.detection.scenes import box_shapes, crowd_scene, noisy_detections
from snippets.detection.tiny_detector import tiny_detector_run
from snippets.detection.yolo import kmeans_anchors, wh_iou
from snippets.figures import figure
from snippets.plotting import new_figure


def _draw(ax: object, box: np.ndarray, color: str, lw: float = 1.2, ls: str = "-") -> None:
    x1, y1, x2, y2 = box
    ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=color, linewidth=lw,  # type: ignore[attr-defined]
                           linestyle=ls))


@figure("iou-family-slide")
def iou_family_slide() -> Figure:
    """IoU, GIoU, DIoU, CIoU of a 2x2 box sliding right past a fixed 2x2 box (and a 4x1 box)."""
    fixed = np.array([[0.0, 0.0, 2.0, 2.0]])
    d = np.linspace(-5.0, 5.0, 401)
    moving = np.stack([d, np.zeros_like(d), d + 2, np.full_like(d, 2.0)], axis=1)
    fig, ax = new_figure("wide")
    for i, (name, fn) in enumerate([("IoU", box_iou), ("GIoU", generalized_box_iou),
                                    ("DIoU", distance_box_iou)]):
        ax.plot(d, fn(fixed, moving)[0], color=f"C{i}", label=name)
    wide = np.stack([d - 1, np.full_like(d, 0.5), d + 3, np.full_like(d, 1.5)], axis=1)  # 4 x 1, 同一中心轨迹
    ax.plot(d, complete_box_iou(fixed, wide)[0], color="C3", linestyle="--", label=r"CIoU (moving box $4\times 1$)")
    ax.axvspan(-5, -2, color="C6", alpha=0.08)
    ax.axvspan(2, 5, color="C6", alpha=0.08)
    ax.set_xlabel(r"horizontal offset $d$ of the moving box (fixed box $[0,2]\times[0,2]$)")
    ax.set_ylabel("value")
    ax.set_ylim(-1.0, 1.05)
    ax.legend(loc="lower center", ncols=2)
    return fig


@figure("nms-crowd")
def nms_crowd() -> Figure:
    """Two overlapping objects: greedy NMS at 0.5 keeps one box, Gaussian Soft-NMS ranks a box on each object."""
    gt, boxes, scores = crowd_scene(seed=0)
    keep = nms(boxes, scores, 0.5)
    soft_keep, soft_scores = soft_nms(boxes, scores, method="gaussian", sigma=0.5)
    fig, axes = new_figure("full", ncols=3)
    titles = ["candidates", f"NMS: {len(keep)} kept", "Soft-NMS: top 2"]
    for ax, title in zip(axes, titles, strict=True):
        for g in gt:
            _draw(ax, g, "C6", lw=2.2, ls=":")
        ax.set_title(title)
        ax.set_xlim(0, 70)
        ax.set_ylim(100, 0)
        ax.set_aspect("equal")
        ax.set_xticks([0, 35, 70])
    for b in boxes:
        _draw(axes[0], b, "C0" if box_iou(b[None], gt)[0].argmax() == 0 else "C1", lw=0.9)
    for i in keep:
        _draw(axes[1], boxes[i], "C0", lw=1.8)
        axes[1].text(boxes[i, 0] + 1, boxes[i, 1] - 2, f"{scores[i]:.2f}", color="C0", fontsize=8)
    for r, (i, s) in enumerate(zip(soft_keep[:2], soft_scores[:2], strict=True)):
        _draw(axes[2], boxes[i], f"C{r}", lw=1.8)
        axes[2].text(boxes[i, 0] + 1 + 20 * r, boxes[i, 1] - 2, f"{s:.2f}", color=f"C{r}", fontsize=8)
    return fig


@figure("smooth-l1")
def smooth_l1_figure() -> Figure:
    """L2, L1 and Smooth L1 (beta = 1) and their derivatives against the residual x."""
    x = np.linspace(-3.0, 3.0, 601)
    fig, (ax_l, ax_g) = new_figure("full", ncols=2)
    curves = [(r"L2: $\frac{1}{2}x^2$", 0.5 * x**2, x), ("L1: $|x|$", np.abs(x), np.sign(x)),
              (r"Smooth L1, $\beta = 1$", smooth_l1(x), np.clip(x, -1, 1))]
    for i, (name, loss, grad) in enumerate(curves):
        ax_l.plot(x, loss, color=f"C{i}", label=name)
        ax_g.plot(x, grad, color=f"C{i}", label=name)
    ax_l.set_ylim(0, 3.2)
    ax_l.set_xlabel("residual $x$")
    ax_l.set_ylabel("loss")
    ax_l.legend(loc="upper center")
    ax_g.set_ylim(-3.2, 3.2)
    ax_g.set_xlabel("residual $x$")
    ax_g.set_ylabel(r"$\partial \mathrm{loss} / \partial x$")
    return fig


@figure("roi-pool-vs-align")
def roi_pool_vs_align() -> Figure:
    """Where RoI Pooling and RoI Align read a 2x2 output from one RoI on an 8x8 feature map."""
    import math

    H = W = 8
    roi = (1.3, 0.9, 6.2, 5.6)  # (x1, y1, x2, y2), 特征图坐标 (spatial_scale 已乘上)
    P, sr = 2, 2
    fig, axes = new_figure("full", ncols=2)
    for ax in axes:
        for v in range(H + 1):
            ax.axhline(v, color="C6", linewidth=0.4, alpha=0.4)
            ax.axvline(v, color="C6", linewidth=0.4, alpha=0.4)
        _draw(ax, np.array(roi), "C0", lw=2.0, ls="--")
        ax.set_xlim(0, W)
        ax.set_ylim(H, 0)
        ax.set_aspect("equal")
        ax.grid(False)
        ax.set_xticks(range(0, W + 1, 2))
        ax.set_yticks(range(0, H + 1, 2))
    # RoI Pooling: 端点取整, bin 边界 floor / ceil (整格)
    xs, ys = math.floor(roi[0] + 0.5), math.floor(roi[1] + 0.5)
    xe, ye = math.floor(roi[2] + 0.5), math.floor(roi[3] + 0.5)
    rw, rh = xe - xs + 1, ye - ys + 1
    for ph in range(P):
        for pw in range(P):
            h0, h1 = math.floor(ph * rh / P) + ys, math.ceil((ph + 1) * rh / P) + ys
            w0, w1 = math.floor(pw * rw / P) + xs, math.ceil((pw + 1) * rw / P) + xs
            _draw(axes[0], np.array([w0, h0, w1, h1], dtype=float), f"C{1 + ph * P + pw}", lw=1.6)
    axes[0].set_title("RoI Pool: cells after two roundings")
    # RoI Align (aligned=True: 格子 i 覆盖 [i, i+1), 中心 i + 0.5): bin 是实数, 每个 bin 2 x 2 个双线性采样点
    bw, bh = (roi[2] - roi[0]) / P, (roi[3] - roi[1]) / P
    for ph in range(P):
        for pw in range(P):
            c = f"C{1 + ph * P + pw}"
            _draw(axes[1], np.array([roi[0] + pw * bw, roi[1] + ph * bh, roi[0] + (pw + 1) * bw,
                                     roi[1] + (ph + 1) * bh]), c, lw=1.2)
            for iy in range(sr):
                for ix in range(sr):
                    axes[1].plot(roi[0] + pw * bw + (ix + 0.5) * bw / sr, roi[1] + ph * bh + (iy + 0.5) * bh / sr,
                                 "o", color=c, markersize=4)
    axes[1].set_title("RoI Align: exact bins, 2x2 samples")
    return fig


def _node(ax: object, x: float, y: float, text: str, color: str, w: float = 1.5, h: float = 0.62) -> None:
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.04",  # type: ignore[attr-defined]
                                fill=False, edgecolor=color, linewidth=1.4))
    ax.text(x, y, text, ha="center", va="center", fontsize=8.5)  # type: ignore[attr-defined]


def _arrow(ax: object, xy0: tuple[float, float], xy1: tuple[float, float], color: str = "C6") -> None:
    ax.annotate("", xy=xy1, xytext=xy0,  # type: ignore[attr-defined]
                arrowprops={"arrowstyle": "->", "color": color, "linewidth": 1.2, "shrinkA": 0, "shrinkB": 0})


@figure("faster-rcnn-pipeline")
def faster_rcnn_pipeline() -> Figure:
    """Faster R-CNN as a data-flow diagram: shared backbone, RPN branch, RoI pooling, detection head."""
    fig, ax = new_figure("full")
    ax.set_xlim(0, 10.4)
    ax.set_ylim(0.2, 3.8)
    ax.axis("off")
    top, bottom = 3.3, 1.3
    _node(ax, 0.85, top, "image\n(3, H, W)", "C6", w=1.4)
    _node(ax, 2.65, top, "backbone\n(shared conv)", "C0", w=1.6)
    _node(ax, 4.6, top, "feature map\n(C, H/16, W/16)", "C0", w=1.85)
    _node(ax, 6.75, top, "RoI Pool\n(C, 7, 7) / RoI", "C2", w=1.75)
    _node(ax, 8.9, top, "head: FC\ncls K+1, box 4K", "C3", w=1.85)
    _node(ax, 4.6, bottom, "RPN: 3x3 conv\ncls A, box 4A", "C1", w=1.85)
    _node(ax, 6.75, bottom, "proposals\ndecode, NMS", "C1", w=1.75)
    for x0, x1 in [(1.55, 1.85), (3.45, 3.675), (5.525, 5.875), (7.625, 7.975)]:
        _arrow(ax, (x0, top), (x1, top))
    _arrow(ax, (4.6, top - 0.31), (4.6, bottom + 0.31))
    _arrow(ax, (5.525, bottom), (5.875, bottom))
    _arrow(ax, (6.75, bottom + 0.31), (6.75, top - 0.31))
    ax.text(4.6, 0.45, r"$L_{rpn} = (1/N_{cls})\sum_i L_{cls} + \lambda\,(1/N_{reg})\sum_i p_i^* L_{reg}$",
            ha="center", fontsize=9.5, color="C1")
    ax.text(8.9, 2.45, r"$L_{det} = L_{cls} + \lambda\,[u \geq 1]\, L_{loc}$", ha="center", fontsize=9.5, color="C3")
    ax.text(6.65, 2.3, "~300 RoIs", ha="right", fontsize=8.5, color="C1")
    return fig


@figure("ap-interpolation")
def ap_interpolation() -> Figure:
    """One class's precision-recall curve, its monotone envelope, and the 11 and 101 points AP reads."""
    images = noisy_detections(0, n_images=20)
    tps, scores, n_gt = [], [], 0
    for im in images:
        d, g = im.labels == 0, im.gt_labels == 0
        tps.append(match_image(im.boxes[d], im.scores[d], im.gt_boxes[g], 0.5))
        scores.append(im.scores[d])
        n_gt += int(g.sum())
    p, r = precision_recall(np.concatenate(tps), np.concatenate(scores), n_gt)
    env = np.maximum.accumulate(p[::-1])[::-1]
    fig, ax = new_figure("wide")
    ax.plot(r, p, color="C0", linewidth=1.0, marker=".", markersize=4, label="precision after each detection")
    ax.step(np.concatenate([[0.0], r]), np.concatenate([[env[0]], env]), where="pre", color="C1",
            label="envelope (VOC2010+ area)")
    t101 = np.linspace(0, 1, 101)
    idx = np.searchsorted(r, t101, side="left")
    q = np.where(idx < len(env), env[np.minimum(idx, len(env) - 1)], 0.0)
    ax.plot(t101, q, "o", color="C3", markersize=2.0, label="COCO: 101 points")
    t11 = np.arange(0.0, 1.1, 0.1)
    q11 = [env[r >= t].max() if (r >= t).any() else 0.0 for t in t11]
    ax.plot(t11, q11, "s", color="C2", markersize=5, fillstyle="none", label="VOC2007: 11 points")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.03, 1.05)
    ax.legend(loc="lower left", fontsize=8)
    return fig


@figure("yolo-anchor-clusters")
def yolo_anchor_clusters() -> Figure:
    """Box sizes clustered with 1 - IoU (k = 5), and mean best IoU against k for 1 - IoU and Euclidean k-means."""
    fig, (ax_s, ax_k) = new_figure("full", ncols=2)
    wh = box_shapes(0)
    c, _ = kmeans_anchors(wh, 5, np.random.default_rng(0))
    assign = wh_iou(wh, c).argmax(axis=1)
    for j in range(5):
        ax_s.scatter(*wh[assign == j].T, s=3, color=f"C{j}", alpha=0.5, linewidths=0)
    ax_s.scatter(*c.T, marker="X", s=70, color="C6", label="1 - IoU centroids")
    e, _ = kmeans_anchors(wh, 5, np.random.default_rng(0), distance="euclidean")
    ax_s.scatter(*e.T, marker="P", s=60, facecolor="none", edgecolor="C6", label="Euclidean centroids")
    ax_s.set_xscale("log")
    ax_s.set_yscale("log")
    ax_s.set_xlabel("box width (px)")
    ax_s.set_ylabel("box height (px)")
    ax_s.legend(loc="upper left", fontsize=8)
    ks = (2, 3, 5, 7, 9)
    for i, (name, dist) in enumerate([("1 - IoU", "iou"), ("Euclidean", "euclidean")]):
        vals = np.zeros((5, len(ks)))
        for seed in range(5):
            boxes = box_shapes(seed)
            for m, k in enumerate(ks):
                cc, _ = kmeans_anchors(boxes, k, np.random.default_rng(seed), distance=dist)
                vals[seed, m] = wh_iou(boxes, cc).max(axis=1).mean()
        med = np.median(vals, axis=0)
        ax_k.plot(ks, med, marker="o", color=f"C{i}", label=f"{name} k-means")
        ax_k.fill_between(ks, vals.min(axis=0), vals.max(axis=0), color=f"C{i}", alpha=0.25, linewidth=0)
    ax_k.set_xlabel("number of anchors $k$")
    ax_k.set_ylabel("mean best IoU")
    ax_k.set_title("median and range, 5 seeds")
    ax_k.legend(loc="lower right")
    return fig


@figure("focal-loss")
def focal_loss_figure() -> Figure:
    """FL against p_t for several gamma (alpha = 1 for the shape), as in Lin et al.'s figure 1."""
    pt = np.linspace(0.001, 0.999, 500)
    z = np.log(pt / (1 - pt))  # y = 1 时 p_t = sigmoid(z)
    fig, ax = new_figure("half")
    for i, gamma in enumerate((0.0, 0.5, 1.0, 2.0, 5.0)):
        ax.plot(pt, sigmoid_focal_loss(z, np.ones_like(z), alpha=1.0, gamma=gamma), color=f"C{i}",
                label=rf"$\gamma = {gamma:g}$")
    ax.axvspan(0.6, 1.0, color="C6", alpha=0.08)
    ax.text(0.62, 1.3, "well classified", fontsize=8)
    ax.set_xlabel(r"probability of the true class $p_t$")
    ax.set_ylabel("loss")
    ax.set_ylim(0, 4)
    ax.legend(loc="upper right")
    return fig


@figure("tiny-detector-nms")
def tiny_detector_nms() -> Figure:
    """A test image's detections (score > 0.1) before and after NMS, and mAP@0.5 before/after NMS over 5 seeds."""
    fig, axes = new_figure("full", ncols=3)
    raw, nmsed, X = tiny_detector_run(0)
    i = 3  # 第 3 张测试图
    for ax, im, title in [(axes[0], raw[i], "before NMS"), (axes[1], nmsed[i], "after NMS (0.5)")]:
        ax.imshow(X[i, 0], cmap="gray", vmin=0, vmax=1, extent=(0, 64, 64, 0))
        ax.grid(False)
        keep = im.scores > 0.1
        for g in im.gt_boxes:
            _draw(ax, g, "C6", lw=1.0, ls=":")
        for b, c in zip(im.boxes[keep], im.labels[keep], strict=True):
            _draw(ax, b, f"C{1 + int(c)}", lw=1.2)
        ax.set_title(f"{title}: {int(keep.sum())} boxes")
        ax.set_xticks([0, 32, 64])
        ax.set_yticks([0, 32, 64])
    before, after = [], []
    for seed in range(5):
        r, n, _ = tiny_detector_run(seed)
        before.append(mean_ap(r, (0.5,)))
        after.append(mean_ap(n, (0.5,)))
    xs = np.arange(5)
    axes[2].plot(xs, before, "o", color="C0", label="before NMS")
    axes[2].plot(xs, after, "s", color="C1", label="after NMS")
    axes[2].set_xticks(xs)
    axes[2].set_xlim(-0.5, 4.5)
    axes[2].set_xlabel("seed")
    axes[2].set_ylabel("mAP@0.5 (COCO 101-pt)")
    axes[2].set_ylim(0.6, 0.9)
    axes[2].legend(loc="lower right", fontsize=8)
    return fig


@figure("anchor-free-targets")
def anchor_free_targets() -> Figure:
    """FCOS centre-ness inside a box, and CenterNet's Gaussian targets for three boxes with their radii."""
    fig, (ax_c, ax_h) = new_figure("full", ncols=2)
    box = np.array([[8.0, 16.0, 88.0, 56.0]])
    pts = fcos_points(9, 12, 8)
    d = fcos_encode(pts, box)[:, 0]  # (P, 4)
    inside = d.min(axis=1) > 0
    ax_c.scatter(*pts[~inside].T, s=6, color="C6", alpha=0.5)
    sc = ax_c.scatter(*pts[inside].T, s=28, c=centerness(d[inside]), cmap="viridis", vmin=0, vmax=1)
    fig.colorbar(sc, ax=ax_c, label="centre-ness", shrink=0.8)
    _draw(ax_c, box[0], "C3", lw=1.6)
    ax_c.set_title("FCOS: stride-8 points")
    ax_c.set_xlim(0, 96)
    ax_c.set_ylim(72, 0)
    ax_c.set_aspect("equal")
    ax_c.grid(False)
    boxes = np.array([[2.0, 6.0, 22.0, 30.0], [26.0, 2.0, 58.0, 38.0], [12.0, 32.0, 20.0, 40.0]])  # 输出图坐标
    centres = ((boxes[:, :2] + boxes[:, 2:]) / 2).astype(int)
    radii = np.array([max(0, int(gaussian_radius(b[3] - b[1], b[2] - b[0]))) for b in boxes], dtype=float)
    Y = draw_heatmap((44, 64), centres, radii)
    ax_h.imshow(Y, cmap="magma", vmin=0, vmax=1, extent=(0, 64, 44, 0))
    for b, r in zip(boxes, radii, strict=True):
        _draw(ax_h, b, "C2", lw=1.2)
        ax_h.text(b[0] + 0.8, b[1] + 2.6, f"r = {int(r)}", color="C2", fontsize=8)
    s, _, ys, xs = heatmap_peaks(Y[None], k=10)
    ax_h.plot(xs[s > 0.1] + 0.5, ys[s > 0.1] + 0.5, "x", color="C0", markersize=7, label="3x3 max-pool peaks")
    ax_h.legend(loc="lower right", fontsize=8)
    ax_h.set_title("CenterNet: target heatmap")
    ax_h.grid(False)
    return fig


@figure("mosaic-example")
def mosaic_example() -> Figure:
    """Four synthetic images with their boxes, and their Mosaic around a centre point with shifted, clipped boxes."""
    from snippets.detection.mosaic import mosaic
    from snippets.detection.tiny_detector import make_shapes

    X, boxes, _ = make_shapes(4, np.random.default_rng(3))
    ims = [np.clip(x[0], 0, 1)[:, :, None] for x in X]  # 4 x (64, 64, 1)
    fig, (ax_in, ax_out) = new_figure("full", ncols=2)
    tiled = np.block([[ims[0][:, :, 0], ims[1][:, :, 0]], [ims[2][:, :, 0], ims[3][:, :, 0]]])
    ax_in.imshow(tiled, cmap="gray", vmin=0, vmax=1, extent=(0, 128, 128, 0))
    for i, b in enumerate(boxes):
        for bb in b:
            _draw(ax_in, bb + np.array([64 * (i % 2), 64 * (i // 2)] * 2), f"C{i}", lw=1.4)
    ax_in.set_title("4 training images")
    canvas, out, src = mosaic(ims, boxes, 96, (40, 54))
    ax_out.imshow(canvas[:, :, 0], cmap="gray", vmin=0, vmax=1, extent=(0, 96, 96, 0))
    for bb, i in zip(out, src, strict=True):
        _draw(ax_out, bb, f"C{int(i)}", lw=1.4)
    ax_out.plot([40], [54], "+", color="C4", markersize=10, markeredgewidth=2)
    ax_out.set_title(f"Mosaic 96x96: {len(out)} of {sum(len(b) for b in boxes)} boxes kept")
    for ax in (ax_in, ax_out):
        ax.grid(False)
    return fig


@figure("atss-candidates")
def atss_candidates_figure() -> Figure:
    """Each object's ATSS candidates (9 per level) by pyramid level and IoU, the threshold mean + std, the positives."""
    from snippets.detection.anchors import generate_anchors
    from snippets.detection.assign import atss_assign, atss_candidates

    strides = (8, 16, 32, 64, 128)
    levels = [generate_anchors(512 // s, 512 // s, s, sizes=(8.0 * s,), ratios=(1.0,)) for s in strides]
    anchors, counts = np.concatenate(levels), tuple(len(a) for a in levels)
    gt = np.array([[100.0, 100.0, 132.0, 132.0], [200.0, 150.0, 296.0, 214.0], [40.0, 260.0, 440.0, 500.0]])
    cand = atss_candidates(anchors, counts, gt, 9)  # (45, 3)
    matched, thr = atss_assign(anchors, counts, gt, 9)
    level_of = np.repeat(np.arange(len(strides)), counts)
    iou = box_iou(anchors, gt)
    fig, ax = new_figure("wide")
    names = ["32x32", "96x64", "400x240"]
    for j in range(len(gt)):
        idx = cand[:, j]
        x = level_of[idx] + (j - 1) * 0.27 + (np.arange(len(idx)) % 9 - 4) * 0.022  # 同一层的 9 个候选左右错开
        pos = matched[idx] == j
        ax.scatter(x[~pos], iou[idx[~pos], j], s=14, facecolor="none", edgecolor=f"C{j}", linewidths=0.9)
        ax.scatter(x[pos], iou[idx[pos], j], s=18, color=f"C{j}", label=f"gt {names[j]}: {int(pos.sum())} positives")
        ax.plot([-0.4, len(strides) - 0.6], [thr[j]] * 2, color=f"C{j}", linestyle="--", linewidth=1.0)
    ax.set_xticks(range(len(strides)), [f"P{3 + i} (stride {s})" for i, s in enumerate(strides)])
    ax.set_ylabel("IoU with the object")
    ax.set_xlabel("pyramid level of the candidate anchor (one 8S square anchor per location)")
    ax.legend(loc="upper right", fontsize=8)
    return fig

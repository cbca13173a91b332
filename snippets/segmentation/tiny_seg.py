"""Synthetic shapes segmentation, a tiny U-Net and a skip-free FCN, trained briefly on CPU (PyTorch).

Classes: 0 background, 1 square (side 6-10 px), 2 thin bar (2 px wide), 3 small dim square (side 3-4 px).
The base variant has a tiny square in every image; the imbalanced one in about one image in five.
Masks are exact: each pixel's label is the last shape drawn over its centre.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from snippets._checks import check_int
from snippets.run_cache import shared_run
from snippets.segmentation.metrics import confusion_matrix

SIZE, K = 24, 4  # 图像边长, 类别数 (含背景)
ARCHS, LOSSES = ("unet", "fcn"), ("ce", "dice", "ce+dice")


# --8<-- [start:data]
def make_seg_shapes(n: int, rng: np.random.Generator, rare: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """n noisy grey images (n, 1, 24, 24) and exact label maps (n, 24, 24) int64."""
    n = check_int(n, "n", 1)
    X, Y = np.zeros((n, 1, SIZE, SIZE)), np.zeros((n, SIZE, SIZE), dtype=np.int64)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE] + 0.5  # 像素中心
    for i in range(n):
        shapes = [1, 2]                                 # 一个方块, 一根细条
        if not rare or rng.random() < 0.2:
            shapes.append(3)                            # 小方块: 均衡版每张都有, 不均衡版约五分之一
        for c in rng.permutation(shapes):
            if c == 2:                                  # 长 8-16, 宽 2 的横条或竖条
                L, w = rng.integers(8, 17), 2
                a, b = rng.integers(0, SIZE - L + 1), rng.integers(0, SIZE - w + 1)
                along, across = (xx, yy) if rng.random() < 0.5 else (yy, xx)
                mask = (along > a) & (along < a + L) & (across > b) & (across < b + w)
            else:                                       # 方块: 边长 6-10 (类 1) 或 3-4 (类 3)
                s = rng.integers(6, 11) if c == 1 else rng.integers(3, 5)
                x0, y0 = rng.integers(0, SIZE - s + 1, 2)
                mask = (xx > x0) & (xx < x0 + s) & (yy > y0) & (yy < y0 + s)
            # 方块和细条亮 (0.6-1), 小方块暗 (0.25-0.45): 小方块逐像素就能认出, 难点只在它少
            X[i, 0][mask] = rng.uniform(0.6, 1.0) if c != 3 else rng.uniform(0.25, 0.45)
            Y[i][mask] = c
    X += rng.normal(0, 0.1, X.shape)
    return X, Y
# --8<-- [end:data]


def _block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU())


# --8<-- [start:models]
class TinyUNet(nn.Module):
    """Encoder 24 -> 12 -> 6, decoder back up with transposed convs, concatenating the encoder's maps (skips)."""

    def __init__(self, c: int = 8) -> None:
        super().__init__()
        c = check_int(c, "c", 1)
        self.enc1, self.enc2, self.mid = _block(1, c), _block(c, 2 * c), _block(2 * c, 4 * c)
        self.up2, self.dec2 = nn.ConvTranspose2d(4 * c, 2 * c, 2, stride=2), _block(4 * c, 2 * c)
        self.up1, self.dec1 = nn.ConvTranspose2d(2 * c, c, 2, stride=2), _block(2 * c, c)
        self.head = nn.Conv2d(c, K, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, 1, 24, 24) -> (N, K, 24, 24)
        e1 = self.enc1(x)                                 # (N, c, 24, 24)
        e2 = self.enc2(F.max_pool2d(e1, 2))               # (N, 2c, 12, 12)
        m = self.mid(F.max_pool2d(e2, 2))                 # (N, 4c, 6, 6)
        d2 = self.dec2(torch.cat([self.up2(m), e2], 1))   # (N, 2c, 12, 12)
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))  # (N, c, 24, 24)
        return self.head(d1)


class TinyFCN(nn.Module):
    """The same encoder, a 1x1 classifier on the stride-4 map, bilinear upsampling x4; no skips."""

    def __init__(self, c: int = 8) -> None:
        super().__init__()
        c = check_int(c, "c", 1)
        self.enc1, self.enc2, self.mid = _block(1, c), _block(c, 2 * c), _block(2 * c, 4 * c)
        self.head = nn.Conv2d(4 * c, K, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        m = self.mid(F.max_pool2d(self.enc2(F.max_pool2d(self.enc1(x), 2)), 2))  # (N, 4c, 6, 6)
        return F.interpolate(self.head(m), scale_factor=4, mode="bilinear", align_corners=False)
# --8<-- [end:models]


# --8<-- [start:dice_torch]
def dice_loss_torch(logits: torch.Tensor, y: torch.Tensor, eps: float = 1.0) -> torch.Tensor:
    """Soft Dice on softmax(logits), sums over batch and pixels per class, mean over classes."""
    if logits.ndim != 4 or y.shape != (logits.shape[0], *logits.shape[2:]):
        raise ValueError(f"logits must be (N, K, H, W) and y (N, H, W), got {tuple(logits.shape)} and {tuple(y.shape)}")
    P = torch.softmax(logits, 1)                                  # (N, K, H, W)
    Y = F.one_hot(y, logits.shape[1]).permute(0, 3, 1, 2).to(P)   # (N, K, H, W)
    inter, S = (P * Y).sum((0, 2, 3)), P.sum((0, 2, 3)) + Y.sum((0, 2, 3)) + eps
    return 1 - ((2 * inter + eps) / S).mean()
# --8<-- [end:dice_torch]


# --8<-- [start:train]
def train_seg(seed: int, arch: str = "unet", loss: str = "ce", rare: bool = True, n_train: int = 256,
              steps: int = 120, batch: int = 8, lr: float = 2e-2) -> nn.Module:
    """Adam on cross-entropy, soft Dice, or their sum, on one seed's synthetic shapes."""
    if arch not in ARCHS or loss not in LOSSES:
        raise ValueError(f"arch must be one of {ARCHS} and loss one of {LOSSES}, got {arch!r}, {loss!r}")
    check_int(steps, "steps", 1)
    if check_int(batch, "batch", 1) > check_int(n_train, "n_train", 1):
        raise ValueError(f"batch must be at most n_train ({n_train}), got {batch}")
    rng = np.random.default_rng(check_int(seed, "seed", 0))
    X, Y = make_seg_shapes(n_train, rng, rare)
    Xt, Yt = torch.from_numpy(X).float(), torch.from_numpy(Y)
    torch.manual_seed(seed)
    model: nn.Module = TinyUNet() if arch == "unet" else TinyFCN()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        idx = torch.from_numpy(rng.choice(n_train, batch, replace=False))
        out = model(Xt[idx])  # (B, K, 24, 24)
        ce = F.cross_entropy(out, Yt[idx]) if loss != "dice" else 0.0
        dice = dice_loss_torch(out, Yt[idx]) if loss != "ce" else 0.0
        opt.zero_grad()
        (ce + dice).backward()  # type: ignore[union-attr]
        opt.step()
    return model
# --8<-- [end:train]


def predict(model: nn.Module, X: np.ndarray) -> np.ndarray:
    """(N, 1, 24, 24) images -> (N, 24, 24) int64 argmax labels."""
    if not isinstance(X, np.ndarray) or X.ndim != 4 or X.shape[1:] != (1, SIZE, SIZE):
        raise ValueError(f"X must have shape (N, 1, {SIZE}, {SIZE})")
    model.eval()  # BN 用训练时累计的均值方差
    with torch.no_grad():
        return model(torch.from_numpy(X).float()).argmax(1).numpy().astype(np.int64)


@shared_run  # 一次构建里两张图共用同一批训练
def seg_run(seed: int, arch: str = "unet", loss: str = "ce", rare: bool = True,
            n_test: int = 64) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Train one configuration; return its test confusion matrix (K, K) and two test images holding class 3:
    images (2, 1, 24, 24), labels (2, 24, 24), predictions (2, 24, 24)."""
    check_int(n_test, "n_test", 8)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # 小卷积多线程只会互相等待; 一个线程也让结果与核数无关
    try:
        model = train_seg(seed, arch, loss, rare)
        X, Y = make_seg_shapes(n_test, np.random.default_rng(10_000 + seed), rare)
        P = predict(model, X)
    finally:
        torch.set_num_threads(threads)
    show = [i for i in range(n_test) if (Y[i] == 3).any()][:2] or [0, 1]
    return confusion_matrix(Y, P, K), X[show], Y[show], P[show]


CONFIGS = (("unet", "ce"), ("fcn", "ce"), ("unet", "dice"), ("unet", "ce+dice"))
CLASSES = ("background", "square", "bar", "small square")


def experiment_scores(n_seeds: int = 5) -> dict[tuple[str, str], np.ndarray]:
    """Per configuration, an array (n_seeds, 2, K): test IoU (row 0) and Dice (row 1) of each class, per seed."""
    from snippets.segmentation.metrics import seg_scores

    check_int(n_seeds, "n_seeds", 1)
    out = {}
    for arch, loss in CONFIGS:
        rows = []
        for seed in range(n_seeds):
            s = seg_scores(seg_run(seed, arch, loss)[0])
            rows.append([s.iou, s.dice])
        out[(arch, loss)] = np.array(rows)
    return out


# --8<-- [start:claims]
def experiment_claims(scores: dict[tuple[str, str], np.ndarray]) -> dict[str, bool]:
    """The statements the experiment page makes, each checked over every seed."""
    if not isinstance(scores, dict) or any(cfg not in scores or np.shape(scores[cfg])[1:] != (2, K) for cfg in CONFIGS):
        raise ValueError(f"scores must map each of {CONFIGS} to an array (seeds, 2, {K})")
    unet, fcn = scores[("unet", "ce")][:, 0], scores[("fcn", "ce")][:, 0]   # (seeds, K) IoU
    dice, both = scores[("unet", "dice")][:, 0], scores[("unet", "ce+dice")][:, 0]
    gap = unet - fcn                                                         # (seeds, K)
    dice_gain = dice[:, 1:3] - unet[:, 1:3]                                  # (seeds, 2): square, bar
    return {
        "U-Net beats FCN on bg, square and bar, every seed": bool((gap[:, :3] > 0).all()),
        "gap on the thin bar > 0.2 on every seed": bool((gap[:, 2] > 0.2).all()),
        "gap on the square < gap on the bar on every seed": bool((gap[:, 1] < gap[:, 2]).all()),
        "CE alone: rare-class IoU < 0.1 on every seed": bool((unet[:, 3] < 0.1).all()),
        "FCN with CE: rare-class IoU < 0.1 on every seed": bool((fcn[:, 3] < 0.1).all()),
        "Dice: rare-class IoU > 0.1 on every seed, median > 0.3": bool((dice[:, 3] > 0.1).all()
                                                                       and np.median(dice[:, 3]) > 0.3),
        "CE+Dice: median rare-class IoU > 0.3": bool(np.median(both[:, 3]) > 0.3),
        "CE+Dice: rare-class IoU < 0.05 on at least one seed": bool((both[:, 3] < 0.05).any()),
        "Dice vs CE on square and bar: never 0.1 above on a seed, more than 0.05 below on some seed": bool(
            dice_gain.max() < 0.1 and dice_gain.min() < -0.05),
    }
# --8<-- [end:claims]


def experiment_summary(scores: dict[tuple[str, str], np.ndarray]) -> dict[str, tuple[float, float, float]]:
    """(median, min, max) over seeds of the IoU differences and rare-class IoUs the page quotes."""
    experiment_claims(scores)  # 检查输入
    unet, fcn = scores[("unet", "ce")][:, 0], scores[("fcn", "ce")][:, 0]
    dice, both = scores[("unet", "dice")][:, 0], scores[("unet", "ce+dice")][:, 0]
    rows = {"bar gap": unet[:, 2] - fcn[:, 2], "square gap": unet[:, 1] - fcn[:, 1],
            "Dice rare": dice[:, 3], "CE+Dice rare": both[:, 3]}
    return {k: (float(np.median(v)), float(v.min()), float(v.max())) for k, v in rows.items()}

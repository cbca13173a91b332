"""Seeing what a small CNN uses: CAM, Grad-CAM with hooks, and occlusion maps, on load_digits."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets.cnn._checks import check_int
from snippets.run_cache import shared_run


def small_cnn(seed: int = 0) -> nn.Sequential:
    """conv3(1->16) ReLU maxpool2 conv3(16->32) ReLU | GAP linear(32->10): (N, 1, 8, 8) -> (N, 10)."""
    torch.manual_seed(check_int(seed, "seed", 0))
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (N, 16, 4, 4)
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),  # index 4: 最后一个卷积层的输出 A, (N, 32, 4, 4)
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10),  # GAP + 线性层: CAM 的结构
    )


TARGET_LAYER = 4  # the ReLU after the last conv: Grad-CAM's feature maps A


def digits_split(seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """load_digits scaled to [0, 1] as (N, 1, 8, 8) float32; a seeded split of 1297 train / 500 test."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    idx = np.random.default_rng(check_int(seed, "seed", 0)).permutation(len(y))
    Xt = torch.tensor(X[idx] / 16.0, dtype=torch.float32).reshape(-1, 1, 8, 8)
    yt = torch.tensor(y[idx])
    return Xt[:1297], yt[:1297], Xt[1297:], yt[1297:]


def train_digits_cnn(seed: int, steps: int = 300, batch_size: int = 64,
                     lr: float = 2e-2) -> tuple[nn.Sequential, float]:
    """Train small_cnn with Adam on the seed's split; returns (model in eval mode, test accuracy)."""
    check_int(steps, "steps", 1)
    check_int(batch_size, "batch_size", 1)
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    Xtr, ytr, Xte, yte = digits_split(seed)
    model = small_cnn(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        i = torch.randint(len(ytr), (batch_size,), generator=gen)
        loss = F.cross_entropy(model(Xtr[i]), ytr[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(Xte).argmax(1) == yte).float().mean().item()
    return model, acc


def _check_explain(model: nn.Module, layer: int, x: torch.Tensor, target: int) -> None:
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be an nn.Sequential, got {type(model).__name__}")
    if isinstance(layer, bool) or not isinstance(layer, int):
        raise TypeError(f"layer must be an int, got {type(layer).__name__}")
    if not -len(model) <= layer < len(model):
        raise ValueError(f"layer must index model (length {len(model)}), got {layer}")
    if not isinstance(x, torch.Tensor) or x.ndim != 4 or x.shape[0] != 1:
        raise ValueError(f"x must be one image of shape (1, C, H, W), got {getattr(x, 'shape', type(x))}")
    n_classes = model[-1].out_features if isinstance(model[-1], nn.Linear) else None
    if isinstance(target, bool) or not isinstance(target, int) or target < 0 or (n_classes and target >= n_classes):
        raise ValueError(f"target must be a class index in [0, {n_classes}), got {target!r}")


# --8<-- [start:gradcam]
def grad_cam(model: nn.Sequential, layer: int, x: torch.Tensor,
             target: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Grad-CAM (Selvaraju et al., 2017) of class `target` at the output of model[layer], via hooks.

    Args:
        model: an nn.Sequential; layer: index of the module whose output A is explained.
        x: one image, (1, C, H, W); target: the class whose score y_c is explained.

    Returns:
        (cam, A, dA): cam (h, w) = ReLU(sum_k alpha_k A_k) with alpha_k = mean over (i, j) of dy_c/dA_k(i, j);
        A and dA are (K, h, w).
    """
    _check_explain(model, layer, x, target)
    store: dict[str, torch.Tensor] = {}

    def keep(module: nn.Module, inputs: tuple[torch.Tensor, ...], out: torch.Tensor) -> None:
        store["A"] = out
        out.register_hook(lambda g: store.__setitem__("dA", g))  # 反向经过 A 时记下 dy_c/dA

    handle = model[layer].register_forward_hook(keep)
    try:
        y = model(x)  # (1, num_classes)
        model.zero_grad()
        y[0, target].backward()  # 只对目标类的分数 (softmax 之前) 求导
    finally:
        handle.remove()
    A, dA = store["A"][0].detach(), store["dA"][0]  # (K, h, w)
    alpha = dA.mean(dim=(1, 2))  # (K,) 梯度的全局平均池化 = 通道权重
    cam = torch.relu((alpha[:, None, None] * A).sum(0))  # (h, w), 只留正的贡献
    return cam, A, dA
# --8<-- [end:gradcam]


# --8<-- [start:cam]
def cam(model: nn.Sequential, layer: int, x: torch.Tensor, target: int) -> torch.Tensor:
    """CAM (Zhou et al., 2016) for a net ending in GAP + linear: sum_k w_ck A_k, shape (h, w), no ReLU."""
    _check_explain(model, layer, x, target)
    A = model[: layer + 1](x)[0].detach()  # (K, h, w)
    head = model[-1]
    if not isinstance(head, nn.Linear):
        raise TypeError(f"model must end in nn.Linear for CAM, got {type(head).__name__}")
    w = head.weight[target].detach()  # (K,) 最后一层线性层的第 c 行
    return (w[:, None, None] * A).sum(0)
# --8<-- [end:cam]


# --8<-- [start:occlusion]
def occlusion_map(model: nn.Module, x: torch.Tensor, target: int, size: int = 3, fill: float = 0.0) -> torch.Tensor:
    """Occlusion sensitivity (Zeiler & Fergus, 2014): drop of y_c when the patch around each pixel is set to `fill`.

    The size x size patch covers rows i - size//2 ... i - size//2 + size - 1 (centred for odd sizes).

    Args:
        x: one image, (1, C, H, W). Patches are clipped at the border.

    Returns:
        (H, W): y_c(x) - y_c(x with the patch around (i, j) occluded). Brute force: H * W forward passes.
    """
    check_int(size, "size", 1)
    if not isinstance(x, torch.Tensor) or x.ndim != 4 or x.shape[0] != 1:
        raise ValueError(f"x must be one image of shape (1, C, H, W), got {getattr(x, 'shape', type(x))}")
    check_int(target, "target", 0)
    _, _, H, W = x.shape
    r = size // 2
    batch = x.repeat(H * W, 1, 1, 1)  # (H*W, C, H, W) 每个位置一张被遮挡的图, 一次前向算完
    for i in range(H):
        for j in range(W):
            batch[i * W + j, :, max(i - r, 0): i - r + size, max(j - r, 0): j - r + size] = fill
    with torch.no_grad():
        base = model(x)[0, target]
        scores = model(batch)[:, target]  # (H*W,)
    return (base - scores).reshape(H, W)
# --8<-- [end:occlusion]


def upsample(m: torch.Tensor, size: int) -> torch.Tensor:
    """A (h, w) map bilinearly resized to (size, size), as Grad-CAM is shown over the input."""
    if not isinstance(m, torch.Tensor) or m.ndim != 2:
        raise ValueError(f"m must be a 2-D tensor (h, w), got {getattr(m, 'shape', type(m))}")
    check_int(size, "size", 1)
    return F.interpolate(m[None, None], size=(size, size), mode="bilinear", align_corners=False)[0, 0]


def pearson(a: torch.Tensor, b: torch.Tensor) -> float:
    """Pearson correlation of two maps (flattened); nan if either is constant."""
    if not isinstance(a, torch.Tensor) or not isinstance(b, torch.Tensor) or a.numel() != b.numel():
        raise ValueError("a and b must be tensors with the same number of elements")
    a, b = a.flatten().double(), b.flatten().double()
    a, b = a - a.mean(), b - b.mean()
    den = float(a.norm() * b.norm())
    return float((a @ b) / den) if den > 0 else float("nan")


class MapRun(NamedTuple):
    """One seed: test accuracy, the median over test images of corr(Grad-CAM, occlusion), example maps."""

    accuracy: float
    corr_median: float
    examples: np.ndarray  # (n_examples, 3, 8, 8): input, Grad-CAM upsampled to 8 x 8, occlusion map
    labels: np.ndarray  # (n_examples, 2): true class, predicted class (the class explained)


@shared_run
def gradcam_occlusion_runs(seeds: tuple[int, ...] = (0, 1, 2, 3, 4), n_images: int = 100,
                           n_examples: int = 5) -> list[MapRun]:
    """Per seed: train, then correlate the upsampled Grad-CAM with the occlusion map on n_images test images."""
    check_int(n_images, "n_images", 1)
    check_int(n_examples, "n_examples", 0)
    runs = []
    for seed in seeds:
        model, acc = train_digits_cnn(seed)
        _, _, Xte, yte = digits_split(seed)
        corrs, examples, labels = [], [], []
        for n, x in enumerate(Xte[:n_images]):
            c = int(model(x[None]).argmax())  # 解释网络预测的类
            g = upsample(grad_cam(model, TARGET_LAYER, x[None], c)[0], 8)
            occ = occlusion_map(model, x[None], c)
            corrs.append(pearson(g, occ))
            if n < n_examples:
                examples.append(torch.stack([x[0], g, occ]).numpy())
                labels.append((int(yte[n]), c))
        runs.append(MapRun(acc, float(np.nanmedian(corrs)), np.array(examples), np.array(labels)))
    return runs

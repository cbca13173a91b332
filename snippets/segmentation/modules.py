"""Segmentation building blocks in PyTorch, written from nn primitives: ASPP (DeepLabv3), the pyramid
pooling module (PSPNet) and one U-Net level (Ronneberger et al.); with parameter-count formulas and a
shape table that runs a module on the meta device (shapes without arithmetic)."""

from __future__ import annotations

import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets._checks import check_int


def _ints(values: tuple[int, ...], name: str) -> tuple[int, ...]:
    if not isinstance(values, tuple) or not values:
        raise ValueError(f"{name} must be a non-empty tuple of ints, got {values!r}")
    return tuple(check_int(v, name, 1) for v in values)


# --8<-- [start:aspp]
def conv_bn_relu(cin: int, cout: int, kernel_size: int = 1, dilation: int = 1) -> nn.Sequential:
    """Conv (no bias: BN follows) + BN + ReLU; padding keeps H, W for odd kernels at any dilation."""
    check_int(cin, "cin", 1), check_int(cout, "cout", 1)
    pad = check_int(dilation, "dilation", 1) * (check_int(kernel_size, "kernel_size", 1) // 2)
    return nn.Sequential(nn.Conv2d(cin, cout, kernel_size, padding=pad, dilation=dilation, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU())


class ASPP(nn.Module):
    """Atrous spatial pyramid pooling of DeepLabv3: (N, cin, H, W) -> (N, cout, H, W)."""

    def __init__(self, cin: int, cout: int = 256, rates: tuple[int, ...] = (6, 12, 18)) -> None:
        super().__init__()
        check_int(cin, "cin", 1), check_int(cout, "cout", 1)
        rates = _ints(rates, "rates")
        self.branches = nn.ModuleList([conv_bn_relu(cin, cout, 1)]  # 1x1 分支
                                      + [conv_bn_relu(cin, cout, 3, r) for r in rates])  # 3x3, 空洞率 r
        self.image_pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), conv_bn_relu(cin, cout, 1))  # 全图上下文
        self.project = conv_bn_relu((len(rates) + 2) * cout, cout, 1)  # 拼接后 1x1 融合

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        H, W = x.shape[-2:]
        outs = [b(x) for b in self.branches]  # 每个 (N, cout, H, W)
        pooled = self.image_pool(x)  # (N, cout, 1, 1)
        outs.append(F.interpolate(pooled, size=(H, W), mode="bilinear", align_corners=False))
        return self.project(torch.cat(outs, dim=1))  # (N, (R+2)*cout, H, W) -> (N, cout, H, W)
# --8<-- [end:aspp]


# --8<-- [start:psp]
class PyramidPooling(nn.Module):
    """PSPNet's pyramid pooling module: (N, cin, H, W) -> (N, 2 * cin, H, W) with bins (1, 2, 3, 6)."""

    def __init__(self, cin: int, bins: tuple[int, ...] = (1, 2, 3, 6)) -> None:
        super().__init__()
        bins = _ints(bins, "bins")
        if check_int(cin, "cin", 1) % len(bins):
            raise ValueError(f"cin must be divisible by len(bins)={len(bins)}, got {cin}")
        self.stages = nn.ModuleList([nn.Sequential(nn.AdaptiveAvgPool2d(b), conv_bn_relu(cin, cin // len(bins), 1))
                                     for b in bins])  # 每级: 池化到 b x b, 1x1 把通道降到 cin / 级数

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        H, W = x.shape[-2:]
        up = [F.interpolate(s(x), size=(H, W), mode="bilinear", align_corners=False) for s in self.stages]
        return torch.cat([x, *up], dim=1)  # 原特征 + 各级上下文
# --8<-- [end:psp]


# --8<-- [start:unet]
def double_conv(cin: int, cout: int, padding: int) -> nn.Sequential:
    """Two 3x3 conv + ReLU; padding=0 is the original U-Net ("valid", each conv loses 2 pixels)."""
    check_int(cin, "cin", 1), check_int(cout, "cout", 1)
    if padding not in (0, 1):
        raise ValueError(f"padding must be 0 (valid) or 1 (same), got {padding!r}")
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=padding), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=padding), nn.ReLU())


class UNetLevel(nn.Module):
    """One U-Net level: encoder double conv + 2x2 max pool, decoder 2x2 up-conv + crop-and-concat + double conv.

    ``inner`` maps (N, cout, H', W') to (N, 2 * cout, H'', W''): the deeper levels (or the bottleneck).
    """

    def __init__(self, cin: int, cout: int, inner: nn.Module, padding: int = 0) -> None:
        super().__init__()
        check_int(cin, "cin", 1), check_int(cout, "cout", 1)
        if padding not in (0, 1):
            raise ValueError(f"padding must be 0 (valid) or 1 (same), got {padding!r}")
        self.down = double_conv(cin, cout, padding)
        self.inner = inner
        self.up = nn.ConvTranspose2d(2 * cout, cout, kernel_size=2, stride=2)  # 通道减半, 尺寸加倍
        self.fuse = double_conv(2 * cout, cout, padding)  # 输入: 跳连的 cout + 上采样的 cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = self.down(x)  # (N, cout, H - 4, W - 4) when padding=0
        y = self.up(self.inner(F.max_pool2d(skip, 2)))  # (N, cout, h, w), h <= H - 4
        dh, dw = skip.shape[-2] - y.shape[-2], skip.shape[-1] - y.shape[-1]
        skip = skip[..., dh // 2: dh // 2 + y.shape[-2], dw // 2: dw // 2 + y.shape[-1]]  # 居中裁剪
        return self.fuse(torch.cat([skip, y], dim=1))  # 拼接 (不是相加), 然后两次卷积
# --8<-- [end:unet]


# --8<-- [start:counts]
def conv_params(cin: int, cout: int, k: int, bias: bool) -> int:
    """Weights k*k*cin*cout (+ cout biases)."""
    check_int(cin, "cin", 1), check_int(cout, "cout", 1), check_int(k, "k", 1)
    return k * k * cin * cout + (cout if bias else 0)


def aspp_params(cin: int, cout: int, n_rates: int) -> int:
    """ASPP: a 1x1 branch, n_rates 3x3 branches, an image-pool 1x1 branch, a 1x1 projection; each conv + BN."""
    check_int(n_rates, "n_rates", 1)
    bn = 2 * cout  # BN 的 gamma 与 beta (running mean/var 是缓冲区, 不算参数)
    return ((conv_params(cin, cout, 1, False) + bn) * 2 + (conv_params(cin, cout, 3, False) + bn) * n_rates
            + conv_params((n_rates + 2) * cout, cout, 1, False) + bn)


def psp_params(cin: int, n_bins: int) -> int:
    """Pyramid pooling: n_bins 1x1 convs cin -> cin / n_bins, each with BN."""
    if check_int(cin, "cin", 1) % check_int(n_bins, "n_bins", 1):
        raise ValueError(f"cin must be divisible by n_bins={n_bins}, got {cin}")
    c = cin // n_bins
    return n_bins * (conv_params(cin, c, 1, False) + 2 * c)


def unet_level_params(cin: int, cout: int) -> int:
    """One U-Net level without its inner part: two double convs and the 2x2 up-conv (all with bias)."""
    down = conv_params(cin, cout, 3, True) + conv_params(cout, cout, 3, True)
    up = conv_params(2 * cout, cout, 2, True)
    fuse = conv_params(2 * cout, cout, 3, True) + conv_params(cout, cout, 3, True)
    return down + up + fuse
# --8<-- [end:counts]


def count_params(module: nn.Module) -> int:
    """Number of trainable parameters (buffers such as BN running statistics excluded)."""
    if not isinstance(module, nn.Module):
        raise TypeError(f"module must be an nn.Module, got {type(module).__name__}")
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


# --8<-- [start:table]
def shape_table(module: nn.Module, input_shape: tuple[int, ...]) -> list[tuple[str, tuple[int, ...], int]]:
    """(name, output shape, parameters) for each direct child, run on the meta device (no arithmetic)."""
    if not isinstance(module, nn.Module):
        raise TypeError(f"module must be an nn.Module, got {type(module).__name__}")
    _ints(input_shape, "input_shape")
    rows: list[tuple[str, tuple[int, ...], int]] = []
    m = copy.deepcopy(module).to("meta").eval()  # eval: 训练模式下 1x1 池化分支的 BN 在 N=1 时会报错
    hooks = []
    for name, child in m.named_children():
        for sub_name, sub in ([(f"{name}.{i}", c) for i, c in enumerate(child)] if isinstance(child, nn.ModuleList)
                              else [(name, child)]):
            hooks.append(sub.register_forward_hook(
                lambda _m, _i, out, n=sub_name, s=sub: rows.append((n, tuple(out.shape), count_params(s)))))
    out = m(torch.empty(input_shape, device="meta"))
    for h in hooks:
        h.remove()
    rows.append(("output", tuple(out.shape), count_params(m)))
    return rows
# --8<-- [end:table]


def unet_sizes(size: int, depth: int, padding: int = 0) -> list[int]:
    """Spatial size after each stage of a U-Net: down convs and pools, bottleneck, then up-conv and convs.

    Returns [input, after level-1 convs, after pool, ..., bottleneck, after up, after convs, ..., output].
    """
    s, d = check_int(size, "size", 1), check_int(depth, "depth", 1)
    if padding not in (0, 1):
        raise ValueError(f"padding must be 0 or 1, got {padding!r}")
    loss = 0 if padding else 4  # 两个 valid 3x3 卷积各少 2 个像素
    sizes = [s]
    for _ in range(d):
        s -= loss
        if s <= 0 or s % 2:
            raise ValueError(f"size={size} gives an odd or empty map before a 2x2 pool; choose another size")
        sizes += [s, s // 2]
        s //= 2
    s -= loss  # 最底层 (bottleneck) 的两次卷积
    sizes.append(s)
    for _ in range(d):
        up = 2 * s  # 2x2 上卷积把尺寸加倍
        s = up - loss  # 再两次卷积
        if s <= 0:
            raise ValueError(f"size={size} is too small for depth={depth}")
        sizes += [up, s]
    return sizes

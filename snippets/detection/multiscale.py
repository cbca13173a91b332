"""Multi-scale detection: SSD's default-box scales and hard negative mining, FPN's RoI level and its top-down module."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from snippets._checks import check_int


# --8<-- [start:ssd]
def ssd_scales(m: int = 6, s_min: float = 0.2, s_max: float = 0.9) -> np.ndarray:
    """s_k = s_min + (s_max - s_min)(k - 1)/(m - 1), k = 1..m (Liu et al. 2016, eq. 4): fractions of the side."""
    m = check_int(m, "m", 2)
    if not 0 < s_min < s_max <= 1:
        raise ValueError(f"need 0 < s_min < s_max <= 1, got s_min={s_min!r}, s_max={s_max!r}")
    k = np.arange(1, m + 1)
    return s_min + (s_max - s_min) * (k - 1) / (m - 1)


def ssd_box_shapes(s_k: float, s_next: float, ratios: tuple[float, ...] = (1.0, 2.0, 3.0, 0.5, 1 / 3)) -> np.ndarray:
    """Default-box (w, h) on one map: w = s_k sqrt(a), h = s_k / sqrt(a), plus a square of side sqrt(s_k s_{k+1})."""
    if not 0 < s_k <= s_next:
        raise ValueError(f"need 0 < s_k <= s_next, got {s_k!r}, {s_next!r}")
    if len(ratios) == 0 or any(a <= 0 for a in ratios):
        raise ValueError(f"ratios must be positive, got {ratios!r}")
    wh = [(s_k * math.sqrt(a), s_k / math.sqrt(a)) for a in ratios]
    extra = math.sqrt(s_k * s_next)
    return np.array(wh + [(extra, extra)])  # (len(ratios) + 1, 2)
# --8<-- [end:ssd]


# --8<-- [start:mining]
def hard_negative_mining(loss: np.ndarray, positive: np.ndarray, neg_pos_ratio: int = 3) -> np.ndarray:
    """SSD's hard negative mining for one image: which default boxes enter the confidence loss.

    All positives, and the negatives with the highest confidence loss, at most neg_pos_ratio per
    positive (Liu et al. 2016, sec. 2.2). Ties are broken by index.

    Args:
        loss: (N,) confidence (cross-entropy) loss of every default box.
        positive: (N,) bool, the matched default boxes.
    Returns:
        (N,) bool mask of the selected boxes.
    """
    if not isinstance(loss, np.ndarray) or loss.ndim != 1 or not np.isfinite(loss).all():
        raise ValueError("loss must be a finite 1-D array")
    if not isinstance(positive, np.ndarray) or positive.dtype != bool or positive.shape != loss.shape:
        raise ValueError(f"positive must be a bool array of shape {loss.shape}")
    r = check_int(neg_pos_ratio, "neg_pos_ratio", 0)
    n_neg = min(r * int(positive.sum()), int((~positive).sum()))
    neg_loss = np.where(positive, -np.inf, loss)  # 正样本不参与排序
    hardest = np.argsort(-neg_loss, kind="stable")[:n_neg]
    keep = positive.copy()
    keep[hardest] = True
    return keep
# --8<-- [end:mining]


# --8<-- [start:level]
def fpn_level(w: np.ndarray, h: np.ndarray, k0: int = 4, canonical: float = 224.0,
              k_min: int = 2, k_max: int = 5) -> np.ndarray:
    """FPN's level of an RoI (Lin et al. 2017, eq. 1): floor(k0 + log2(sqrt(w h) / 224)), clipped to [k_min, k_max]."""
    w, h = np.asarray(w, dtype=np.float64), np.asarray(h, dtype=np.float64)
    if w.shape != h.shape or (w <= 0).any() or (h <= 0).any():
        raise ValueError("w and h must be positive arrays of the same shape")
    if not canonical > 0:
        raise ValueError(f"canonical must be > 0, got {canonical!r}")
    if not k_min <= k0 <= k_max:
        raise ValueError(f"need k_min <= k0 <= k_max, got {k_min}, {k0}, {k_max}")
    k = np.floor(k0 + np.log2(np.sqrt(w * h) / canonical))
    return np.clip(k, k_min, k_max).astype(np.int64)
# --8<-- [end:level]


# --8<-- [start:fpn]
class FPN(nn.Module):
    """Top-down pathway with lateral connections (Lin et al. 2017, fig. 3).

    P5 = lateral_5(C5); P_l = lateral_l(C_l) + upsample_nearest(P_{l+1}); each P_l then goes through
    a 3x3 convolution (to reduce the aliasing of upsampling). All outputs have out_channels (d = 256).
    """

    def __init__(self, in_channels: list[int], out_channels: int = 256) -> None:
        super().__init__()
        if not in_channels or any(c < 1 for c in in_channels):
            raise ValueError(f"in_channels must be a non-empty list of positive ints, got {in_channels!r}")
        check_int(out_channels, "out_channels", 1)
        self.lateral = nn.ModuleList(nn.Conv2d(c, out_channels, 1) for c in in_channels)
        self.output = nn.ModuleList(nn.Conv2d(out_channels, out_channels, 3, padding=1) for _ in in_channels)

    def forward(self, feats: list[torch.Tensor]) -> list[torch.Tensor]:
        """feats: [C2, ..., C5], finest first, each (N, C_l, H_l, W_l) -> [P2, ..., P5], each (N, d, H_l, W_l)."""
        if len(feats) != len(self.lateral):
            raise ValueError(f"feats must hold {len(self.lateral)} maps, got {len(feats)}")
        top = self.lateral[-1](feats[-1])
        merged = [top]
        for lat, x in zip(reversed(self.lateral[:-1]), reversed(feats[:-1]), strict=True):
            top = lat(x) + F.interpolate(top, size=x.shape[-2:], mode="nearest")  # 自顶向下: 最近邻上采样后相加
            merged.append(top)
        return [conv(p) for conv, p in zip(self.output, reversed(merged), strict=True)]
# --8<-- [end:fpn]

"""DropBlock (Ghiasi et al., 2018): drop contiguous block_size x block_size squares of a feature map."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from snippets._checks import check_float_array, check_int


def _check_keep_prob(keep_prob: float) -> None:
    if isinstance(keep_prob, bool) or not isinstance(keep_prob, (int, float)) or not 0.0 < keep_prob <= 1.0:
        raise ValueError(f"keep_prob must be a float in (0, 1], got {keep_prob!r}")


def _check_block(block_size: int, H: int, W: int) -> None:
    check_int(block_size, "block_size", 1)
    if block_size > min(H, W):
        raise ValueError(f"block_size must be <= min(H, W) = {min(H, W)}, got {block_size}")


def _check_seeds(seeds: object, block_size: int) -> None:
    check_float_array(seeds, "seeds", (4,))
    assert isinstance(seeds, np.ndarray)
    if not np.isin(seeds, (0.0, 1.0)).all():
        raise ValueError("seeds must hold only 0 and 1")
    check_int(block_size, "block_size", 1)


# --8<-- [start:gamma]
def dropblock_gamma(keep_prob: float, block_size: int, H: int, W: int) -> float:
    """Rate of block seeds so that about 1 - keep_prob of the H x W positions are dropped.

    Each seed drops block_size**2 positions and seeds may only lie on the
    (H - block_size + 1)(W - block_size + 1) positions whose block fits (overlaps ignored).
    """
    # --8<-- [end:gamma]
    _check_keep_prob(keep_prob)
    check_int(H, "H", 1)
    check_int(W, "W", 1)
    _check_block(block_size, H, W)
    # --8<-- [start:gamma_body]
    b = block_size
    return (1.0 - keep_prob) / b**2 * (H * W) / ((H - b + 1) * (W - b + 1))
    # --8<-- [end:gamma_body]


# --8<-- [start:mask]
def block_mask_from_seeds(seeds: np.ndarray, block_size: int) -> np.ndarray:
    """Keep mask (1 kept, 0 dropped) of shape (N, C, H, W) from seeds (N, C, H - b + 1, W - b + 1).

    A seed at (u, v) drops the square rows u..u+b-1, columns v..v+b-1: the dilation of the seed
    map by a b x b max filter (zero padding of b - 1 on every side, stride 1).
    """
    _check_seeds(seeds, block_size)
    b = block_size
    padded = np.pad(seeds, ((0, 0), (0, 0), (b - 1, b - 1), (b - 1, b - 1)))  # (N, C, H + b - 1, W + b - 1)
    H, W = seeds.shape[2] + b - 1, seeds.shape[3] + b - 1
    # b x b 最大池化可分离: 先沿行取 b 个的最大, 再沿列
    rows = np.max([padded[:, :, k : k + H, :] for k in range(b)], axis=0)  # (N, C, H, W + b - 1)
    dropped = np.max([rows[:, :, :, k : k + W] for k in range(b)], axis=0)  # (N, C, H, W)
    return 1.0 - dropped


def dropblock(
    X: np.ndarray, keep_prob: float, block_size: int, rng: np.random.Generator, training: bool = True
) -> np.ndarray:
    """DropBlock on X (N, C, H, W): one independent block mask per sample and channel.

    Returns X * M * count(M) / count_ones(M) (Algorithm 1 of the paper); X itself in evaluation.
    """
    # --8<-- [end:mask]
    check_float_array(X, "X", (4,))
    _check_keep_prob(keep_prob)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    N, C, H, W = X.shape
    _check_block(block_size, H, W)
    # --8<-- [start:apply]
    if not training or keep_prob == 1.0:
        return X
    b = block_size
    gamma = dropblock_gamma(keep_prob, b, H, W)
    seeds = (rng.random((N, C, H - b + 1, W - b + 1)) < gamma).astype(X.dtype)  # 中心只落在块放得下的位置
    M = block_mask_from_seeds(seeds, b)  # (N, C, H, W)
    kept = M.sum()
    return X * M * (M.size / kept) if kept > 0 else np.zeros_like(X)  # 按实际保留比例放大
    # --8<-- [end:apply]


# --8<-- [start:torch]
class DropBlock2d(torch.nn.Module):
    """DropBlock as a PyTorch module: identity in eval(); the block mask by F.max_pool2d."""

    def __init__(self, keep_prob: float, block_size: int) -> None:
        super().__init__()
        _check_keep_prob(keep_prob)
        check_int(block_size, "block_size", 1)
        self.keep_prob, self.block_size = keep_prob, block_size

    def mask_from_seeds(self, seeds: torch.Tensor) -> torch.Tensor:
        b = self.block_size  # seeds: (N, C, H - b + 1, W - b + 1) -> mask (N, C, H, W)
        return 1.0 - F.max_pool2d(F.pad(seeds, (b - 1, b - 1, b - 1, b - 1)), kernel_size=b, stride=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (N, C, H, W)
        if not self.training or self.keep_prob == 1.0:
            return x
        N, C, H, W = x.shape
        b = self.block_size
        gamma = dropblock_gamma(self.keep_prob, b, H, W)
        seeds = (torch.rand(N, C, H - b + 1, W - b + 1, device=x.device) < gamma).to(x.dtype)
        M = self.mask_from_seeds(seeds)
        return x * M * (M.numel() / M.sum().clamp(min=1.0))
# --8<-- [end:torch]


def expected_kept_share(keep_prob: float, block_size: int, H: int, W: int) -> float:
    """Exact E[share of kept positions]: position (i, j) is kept iff none of the n_ij seeds covering it fires."""
    gamma = dropblock_gamma(keep_prob, block_size, H, W)  # checks the arguments
    b = block_size
    n = np.zeros((H, W))
    for u in range(H - b + 1):
        for v in range(W - b + 1):
            n[u : u + b, v : v + b] += 1  # 覆盖 (i, j) 的种子个数
    return float(np.mean((1.0 - gamma) ** n))

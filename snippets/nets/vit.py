"""Vision Transformer (Dosovitskiy et al., 2021) in PyTorch, laid out as torchvision's vit_b_16."""

from __future__ import annotations

import torch
import torch.nn as nn

from snippets._checks import check_int


# --8<-- [start:vit]
class EncoderBlock(nn.Module):
    """Pre-LN Transformer block: x + MHA(LN(x)), then x + MLP(LN(x)) with a 4x GELU MLP."""

    def __init__(self, dim: int, num_heads: int, mlp_dim: int) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.ln_2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp_dim), nn.GELU(), nn.Linear(mlp_dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, L, D) -> (N, L, D)
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class ViT(nn.Module):
    """Patchify with a strided conv, prepend a class token, add learned positions, encode, classify the token."""

    def __init__(self, image_size: int = 224, patch_size: int = 16, dim: int = 768, depth: int = 12,
                 num_heads: int = 12, mlp_dim: int = 3072, num_classes: int = 1000) -> None:
        super().__init__()
        p = check_int(patch_size, "patch_size", 1)
        if check_int(image_size, "image_size", 1) % p:
            raise ValueError(f"image_size must be a multiple of patch_size, got {image_size} and {p}")
        n_patches = (image_size // p) ** 2  # 224 / 16 = 14, 196 个块
        self.patch = nn.Conv2d(3, dim, kernel_size=p, stride=p)  # 步长 = 核大小: 每块一次线性投影
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.empty(1, n_patches + 1, dim).normal_(std=0.02))
        self.blocks = nn.Sequential(*[EncoderBlock(dim, num_heads, mlp_dim)
                                      for _ in range(check_int(depth, "depth", 1))])
        self.ln = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, check_int(num_classes, "num_classes", 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, 3, H, W) -> (N, num_classes)
        x = self.patch(x).flatten(2).transpose(1, 2)  # (N, D, 14, 14) -> (N, 196, D)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos  # (N, 197, D)
        x = self.ln(self.blocks(x))
        return self.head(x[:, 0])  # 只用 class token 分类
# --8<-- [end:vit]


# --8<-- [start:macs]
def vit_macs(image_size: int = 224, patch_size: int = 16, dim: int = 768, depth: int = 12, mlp_dim: int = 3072,
             num_classes: int = 1000) -> dict[str, int]:
    """Multiply-accumulates of one image through a ViT, by part (LayerNorm, softmax, GELU not counted)."""
    p, D, M = check_int(patch_size, "patch_size", 1), check_int(dim, "dim", 1), check_int(mlp_dim, "mlp_dim", 1)
    n = (check_int(image_size, "image_size", 1) // p) ** 2
    L = n + 1  # 加上 class token
    blocks = check_int(depth, "depth", 1)
    return {
        "patch embedding": n * (3 * p * p) * D,
        "qkv + output projections": blocks * 4 * L * D * D,
        "attention (QK^T and AV)": blocks * 2 * L * L * D,  # 与序列长度 L 成平方
        "MLP": blocks * 2 * L * D * M,
        "head": D * check_int(num_classes, "num_classes", 1),
    }
# --8<-- [end:macs]

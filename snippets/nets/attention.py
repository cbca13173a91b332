"""Scaled dot-product and multi-head attention from scratch in NumPy (PyTorch is the reference in tests)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int


def _check_float(name: str, a: np.ndarray) -> None:
    if not isinstance(a, np.ndarray) or a.dtype.kind != "f":
        raise TypeError(f"{name} must be a float NumPy array")


# --8<-- [start:sdpa]
def scaled_dot_product_attention(Q: np.ndarray, K: np.ndarray, V: np.ndarray,
                                 mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """softmax(Q K^T / sqrt(d)) V over the last two axes.

    Args:
        Q: (..., L_q, d) queries.  K: (..., L_k, d) keys.  V: (..., L_k, d_v) values.
        mask: optional bool (L_q, L_k); False entries are left out (like attn_mask in PyTorch's SDPA).

    Returns:
        (output (..., L_q, d_v), attention weights (..., L_q, L_k); each row sums to 1).
    """
    for name, a in (("Q", Q), ("K", K), ("V", V)):
        _check_float(name, a)
    if Q.shape[-1] != K.shape[-1] or K.shape[-2] != V.shape[-2]:
        raise ValueError(f"Q, K, V shapes do not fit: {Q.shape}, {K.shape}, {V.shape}")
    d = Q.shape[-1]
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d)  # (..., L_q, L_k): 除以 sqrt(d) 让分数的方差约为 1
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    S = S - S.max(axis=-1, keepdims=True)  # 减最大值: 数值稳定
    A = np.exp(S)
    A /= A.sum(axis=-1, keepdims=True)
    return A @ V, A
# --8<-- [end:sdpa]


# --8<-- [start:mha]
def multi_head_attention(X: np.ndarray, W_in: np.ndarray, b_in: np.ndarray, W_out: np.ndarray,
                         b_out: np.ndarray, num_heads: int) -> np.ndarray:
    """Self-attention with h heads, weights laid out as nn.MultiheadAttention's.

    Args:
        X: (N, L, E) tokens (batch first).
        W_in: (3E, E) stacked W_q, W_k, W_v (in_proj_weight).  b_in: (3E,).
        W_out: (E, E) output projection.  b_out: (E,).
        num_heads: h; each head works in d = E / h dimensions.

    Returns:
        (N, L, E).
    """
    _check_float("X", X)
    N, L, E = X.shape
    h = check_int(num_heads, "num_heads", 1)
    if E % h:
        raise ValueError(f"num_heads must divide the embedding size {E}, got {h}")
    d = E // h
    QKV = X @ W_in.T + b_in  # (N, L, 3E)
    Q, K, V = (QKV[..., i * E:(i + 1) * E].reshape(N, L, h, d).transpose(0, 2, 1, 3) for i in range(3))  # (N, h, L, d)
    out, _ = scaled_dot_product_attention(Q, K, V)  # 每个头独立做注意力
    out = out.transpose(0, 2, 1, 3).reshape(N, L, E)  # 拼接各头
    return out @ W_out.T + b_out
# --8<-- [end:mha]


def score_variance(d: int, n: int = 20000, seed: int = 0) -> tuple[float, float]:
    """Variance of q.k and of q.k / sqrt(d) for q, k with iid N(0, 1) entries (n samples)."""
    d, n = check_int(d, "d", 1), check_int(n, "n", 2)
    rng = np.random.default_rng(seed)
    s = np.einsum("nd,nd->n", rng.standard_normal((n, d)), rng.standard_normal((n, d)))
    return float(s.var()), float((s / np.sqrt(d)).var())

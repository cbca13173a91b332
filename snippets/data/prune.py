"""Magnitude pruning: unstructured (single weights) and structured (whole rows = output units)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array


def _n_prune(amount: float, n: int) -> int:
    if not 0.0 <= amount <= 1.0:
        raise ValueError(f"amount must be a fraction in [0, 1], got {amount}")
    return int(round(amount * n))  # 与 torch.nn.utils.prune 相同: 比例乘个数再四舍五入


# --8<-- [start:masks]
def unstructured_mask(W: np.ndarray, amount: float) -> np.ndarray:
    """0/1 mask that zeroes the round(amount * W.size) weights of smallest |w|, same shape as W."""
    check_float_array(W, "W", tuple(range(1, 5)))
    k = _n_prune(amount, W.size)
    mask = np.ones(W.size)
    mask[np.argsort(np.abs(W), axis=None, kind="stable")[:k]] = 0.0
    return mask.reshape(W.shape)


def structured_mask(W: np.ndarray, amount: float, n: float = 2) -> np.ndarray:
    """0/1 mask that zeroes the round(amount * out) rows of W (out, in) with the smallest L_n norm."""
    check_float_array(W, "W", (2,))
    if not n > 0:
        raise ValueError(f"n must be > 0, got {n}")
    k = _n_prune(amount, W.shape[0])
    norms = np.linalg.norm(W, ord=n, axis=1)  # (out,) 每个输出单元一整行
    mask = np.ones_like(W, dtype=np.float64)
    mask[np.argsort(norms, kind="stable")[:k]] = 0.0
    return mask


def shrink_hidden(
    W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, keep: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop hidden units of Linear(W1, b1) -> ReLU -> Linear(W2): a smaller dense layer, same output.

    Args:
        W1: (H, D).  b1: (H,).  W2: (K, H).
        keep: (H,) bool, the hidden units whose row of W1 survived structured pruning.

    Returns:
        (W1[keep], b1[keep], W2[:, keep]) with shapes (H', D), (H',), (K, H').
    """
    check_float_array(W1, "W1", (2,))
    check_float_array(W2, "W2", (2,))
    keep = np.asarray(keep)
    if keep.dtype != bool or keep.shape != (W1.shape[0],) or b1.shape != keep.shape or W2.shape[1] != len(keep):
        raise ValueError(f"keep must be a ({W1.shape[0]},) bool array matching b1 and W2's columns")
    # 被剪掉的单元输出 ReLU(0 * x + 0) = 0 (偏置也一起剪), 对下一层没有贡献: 删掉 W2 的对应列
    return W1[keep], b1[keep], W2[:, keep]
# --8<-- [end:masks]

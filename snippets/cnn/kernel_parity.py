"""Odd vs even kernels: where "same" padding puts the output, and how an even kernel's half-pixel shift adds up."""

from __future__ import annotations

import numpy as np

from snippets.cnn._checks import check_int
from snippets.cnn.conv import correlate1d


# --8<-- [start:shift]
def same_box_filter(x: np.ndarray, kernel_size: int, extra_after: bool = True) -> np.ndarray:
    """A k-tap mean filter with stride 1 and "same" output length (1-D, zero padding).

    Args:
        x: signal, shape (n,).
        kernel_size: k; for even k the total padding k - 1 is odd.
        extra_after: put the odd extra zero after the signal (PyTorch's padding="same") or before it.

    Returns:
        Shape (n,).
    """
    k = check_int(kernel_size, "kernel_size", 1)
    before = (k - 1) // 2 if extra_after else k // 2
    xp = np.pad(x, (before, k - 1 - before))  # 奇数 k 时两侧相同, 偶数 k 时一侧多 1
    return correlate1d(xp, np.full(k, 1.0 / k))


def impulse_response(kernel_size: int, n_layers: int, symmetric: bool = False, n: int = 33) -> np.ndarray:
    """An impulse in the middle of n zeros after n_layers same-padded k-tap box filters.

    Args:
        kernel_size: k.
        n_layers: how many filters in a row.
        symmetric: average the two one-sided paddings in every layer (half the channels padded on
            each side, as Wu et al. 2019 do with four corners in 2-D) instead of PyTorch's split.
        n: signal length (odd; the impulse sits at n // 2).

    Returns:
        Shape (n,), sums to 1.
    """
    L, k = check_int(n_layers, "n_layers", 1), check_int(kernel_size, "kernel_size", 1)
    if check_int(n, "n", 3) % 2 == 0 or n // 2 < L * (k - 1):
        raise ValueError(f"n must be odd with n // 2 >= n_layers * (kernel_size - 1), got {n}")
    x = np.zeros(n)
    x[n // 2] = 1.0
    for _ in range(L):
        if symmetric:
            x = 0.5 * (same_box_filter(x, k, True) + same_box_filter(x, k, False))
        else:
            x = same_box_filter(x, k)
    return x


def impulse_shift(kernel_size: int, n_layers: int, symmetric: bool = False, n: int = 33) -> float:
    """Centroid of impulse_response minus the impulse position, in pixels.

    Returns:
        0 for odd k; -n_layers / 2 for even k with PyTorch's split (the map drifts to index 0).
    """
    x = impulse_response(kernel_size, n_layers, symmetric, n)
    return float(np.arange(n) @ x - n // 2)  # 质心相对冲激位置的偏移 (x 的和为 1)
# --8<-- [end:shift]

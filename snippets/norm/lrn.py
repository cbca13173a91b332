"""Local Response Normalization (AlexNet, 2012) across channels, forward and backward."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array, check_int


def _window_sum(S: np.ndarray, n: int) -> np.ndarray:
    """Sum over channels c - n//2 .. c + (n-1)//2 (clipped at the edges), like PyTorch's padding."""
    N, C, H, W = S.shape
    front, back = n // 2, (n - 1) // 2
    padded = np.concatenate([np.zeros((N, front, H, W)), S, np.zeros((N, back, H, W))], axis=1)
    csum = np.concatenate([np.zeros((N, 1, H, W)), np.cumsum(padded, axis=1)], axis=1)  # 前缀和
    return csum[:, n:] - csum[:, :-n]  # (N, C, H, W)


def _check(X: np.ndarray, n: int, alpha: float, beta: float, k: float) -> None:
    check_float_array(X, "X", (4,))
    check_int(n, "n", 1)
    for name, v in (("alpha", alpha), ("beta", beta), ("k", k)):
        if not (isinstance(v, float) and v >= 0):
            raise ValueError(f"{name} must be a float >= 0, got {v!r}")


# --8<-- [start:lrn]
def lrn_alexnet(
    X: np.ndarray, n: int = 5, alpha: float = 1e-4, beta: float = 0.75, k: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    """b_c = a_c / (k + alpha * sum_{j near c} a_j^2)^beta, the sum over n neighbouring channels.

    AlexNet's constants (Krizhevsky et al., 2012, Sec. 3.3): k = 2, n = 5, alpha = 1e-4, beta = 0.75.
    PyTorch's nn.LocalResponseNorm(size=n, alpha, beta, k) divides alpha by n: pass alpha * n.

    Returns:
        Y (N, C, H, W) and the denominator base D = k + alpha * window_sum(a^2) for backward.
    """
    _check(X, n, alpha, beta, k)
    D = k + alpha * _window_sum(X**2, n)  # (N, C, H, W)
    return X * D**-beta, D
# --8<-- [end:lrn]


def lrn_backward(
    dY: np.ndarray, X: np.ndarray, D: np.ndarray, n: int = 5, alpha: float = 1e-4, beta: float = 0.75
) -> np.ndarray:
    """dL/dX of ``lrn_alexnet``: b_i = a_i D_i^-beta and D_i depends on a_j for j in i's window."""
    _check(X, n, alpha, beta, 0.0)
    for name, v in (("dY", dY), ("D", D)):
        check_float_array(v, name, (4,))
        if v.shape != X.shape:
            raise ValueError(f"{name} must have X's shape {X.shape}, got {v.shape}")
    # d b_i / d a_l = [i = l] D_i^-beta - 2 alpha beta a_i a_l D_i^(-beta-1) [l in window(i)];
    # l in window(i) <=> i in the mirrored window of l: 对偶数 n 前后 padding 互换
    G = dY * X * D ** (-beta - 1)
    mirrored = np.flip(_window_sum(np.flip(G, axis=1), n), axis=1)
    return dY * D**-beta - 2 * alpha * beta * X * mirrored

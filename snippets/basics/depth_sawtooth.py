"""Depth buys linear pieces: the tent map composed k times (Telgarsky 2016) as a deep ReLU network.

Delta(x) = 2 ReLU(x) - 4 ReLU(x - 1/2) is the tent map on [0, 1]: 2x up to 1/2, then 2 - 2x. Composing it
k times takes k hidden layers of 2 ReLU units and gives a sawtooth with 2^k linear pieces. A network with
one hidden layer of m ReLU units computes a piecewise linear function of x in R with at most m + 1 pieces.
"""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int
from snippets.basics.backprop import Params, forward


# --8<-- [start:tent]
def tent_network(k: int) -> Params:
    """The ReLU network x -> Delta^k(x): k hidden layers of 2 units, W_l of shape (out, in)."""
    check_int(k, "k", 1)
    first = (np.array([[1.0], [1.0]]), np.array([0.0, -0.5]))  # h = (ReLU(x), ReLU(x - 1/2))
    # 下一层的输入是 Delta = 2 h_1 - 4 h_2, 直接并进下一层的权重: W = [1, 1]^T [2, -4]
    middle = (np.array([[2.0, -4.0], [2.0, -4.0]]), np.array([0.0, -0.5]))
    last = (np.array([[2.0, -4.0]]), np.array([0.0]))
    return [first] + [middle] * (k - 1) + [last]


def count_pieces(y: np.ndarray, x: np.ndarray, tol: float = 1e-9) -> int:
    """Number of maximal linear pieces of a function sampled at sorted points x, (n,) each.

    Exact when every kink lies on a grid point (true for Delta^k on a grid of step 2^-(k+1) or finer).
    """
    slopes = np.diff(y) / np.diff(x)  # (n - 1,) 每个格子上的斜率
    return 1 + int(np.sum(np.abs(np.diff(slopes)) > tol * np.maximum(1.0, np.abs(slopes[1:]))))
# --8<-- [end:tent]


def sawtooth(k: int, x: np.ndarray) -> np.ndarray:
    """Delta^k(x) evaluated by the network, x: (n,) -> (n,)."""
    if not isinstance(x, np.ndarray) or x.ndim != 1 or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a 1-D floating NumPy array")
    params = tent_network(k)
    y, _ = forward(params, x[:, None], ["relu"] * k + ["identity"])
    return y[:, 0]


def pieces_of_deep(k: int) -> int:
    """Linear pieces of Delta^k on [0, 1], counted on a dyadic grid that contains every kink."""
    check_int(k, "k", 1)
    x = np.linspace(0.0, 1.0, 2 ** (k + 2) + 1)
    return count_pieces(sawtooth(k, x), x)


def shallow_equivalent(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One hidden layer that computes Delta^k on [0, 1]: 2^k units, a ReLU(x) for the first slope, one per kink.

    Returns: W, b, v, each (2^k,): f(x) = sum_j v_j ReLU(W_j x + b_j).
    """
    check_int(k, "k", 1)
    n = 2**k
    kinks = np.arange(n) / n  # 0 和 Delta^k 的 2^k - 1 个折点 j / 2^k
    slopes = float(n) * (-1.0) ** np.arange(n)  # 每段的斜率 +-2^k 交替
    v = np.concatenate([[slopes[0]], np.diff(slopes)])  # 第一个单元给出初始斜率, 之后每个折点改变斜率
    return np.ones(n), -kinks, v


def shallow_pieces(W: np.ndarray, b: np.ndarray, v: np.ndarray, lo: float, hi: float) -> int:
    """Exact piece count on [lo, hi] of x -> sum_j v_j ReLU(W_j x + b_j): one kink per unit whose kink is inside.

    Args: W, b, v: (m,) input weights, biases and output weights of m hidden units.
    """
    for name, a in (("W", W), ("b", b), ("v", v)):
        if not isinstance(a, np.ndarray) or a.ndim != 1 or a.shape != W.shape:
            raise ValueError(f"{name} must be a 1-D array of the same length as W")
    if not lo < hi:
        raise ValueError(f"lo must be < hi, got {lo!r}, {hi!r}")
    active = (W != 0) & (v != 0)
    with np.errstate(over="ignore"):  # |W| 极小时折点在无穷远 (inf), 不落在 (lo, hi) 内
        kinks = -b[active] / W[active]
    inside = kinks[(kinks > lo) & (kinks < hi)]
    # 同一位置的几个折点, 斜率变化之和可能恰好抵消: 按位置合并后再数
    jumps: dict[float, float] = {}
    mask = (kinks > lo) & (kinks < hi)
    for c, w, u in zip(inside, W[active][mask], v[active][mask], strict=True):
        jumps[float(c)] = jumps.get(float(c), 0.0) + abs(w) * u
    return 1 + sum(1 for j in jumps.values() if j != 0)

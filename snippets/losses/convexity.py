"""A network's loss is not convex in its weights: permuting hidden units gives a second minimum."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snippets.losses.cross_entropy import binary_cross_entropy_with_logits


@dataclass(frozen=True)
class MLPParams:
    """Weights of x -> h = tanh(W1 x + b1) -> z = W2 h + b2, each W as (out, in).

    Shapes: W1 (H, D), b1 (H,), W2 (1, H), b2 (1,).
    """

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray


def _check_params(params: MLPParams, name: str = "params") -> int:
    """Shapes must chain; returns the hidden width H."""
    if not isinstance(params, MLPParams):
        raise TypeError(f"{name} must be MLPParams, got {type(params).__name__}")
    H = params.W1.shape[0] if params.W1.ndim == 2 else -1
    if H < 1 or params.b1.shape != (H,) or params.W2.shape != (1, H) or params.b2.shape != (1,):
        raise ValueError(f"{name} must have W1 (H, D), b1 (H,), W2 (1, H), b2 (1,)")
    return H


def _check_perm(params: MLPParams, perm: np.ndarray) -> np.ndarray:
    H = _check_params(params)
    perm = np.asarray(perm)
    if perm.shape != (H,) or not np.array_equal(np.sort(perm), np.arange(H)):
        raise ValueError(f"perm must be a permutation of 0..{H - 1}")
    return perm


def _check_data(params: MLPParams, X: np.ndarray, y: np.ndarray) -> None:
    _check_params(params)
    if not isinstance(X, np.ndarray) or X.ndim != 2 or X.shape[1] != params.W1.shape[1]:
        raise ValueError(f"X must have shape (N, D) with D = {params.W1.shape[1]}")
    if not np.issubdtype(X.dtype, np.floating) or not np.all(np.isfinite(X)):
        raise TypeError("X must be a finite floating array")
    if not isinstance(y, np.ndarray) or y.shape != (X.shape[0],) or not np.all((y >= 0) & (y <= 1)):
        raise ValueError(f"y must have shape (N,) = ({X.shape[0]},) with entries in [0, 1]")


# --8<-- [start:loss]
def mlp_logits(params: MLPParams, X: np.ndarray) -> np.ndarray:
    """Output logits of the one-hidden-layer tanh network.

    Args:
        params: the network's weights.
        X: inputs, shape (N, D).

    Returns:
        Logits z, shape (N,).
    """
    _check_data(params, X, np.zeros(len(X)))
    h = np.tanh(X @ params.W1.T + params.b1)  # (N, H)
    return (h @ params.W2.T + params.b2)[:, 0]  # (N,)


def mlp_loss(params: MLPParams, X: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of the network on (X, y).

    Args:
        params: the network's weights.
        X: inputs, shape (N, D).
        y: labels in [0, 1], shape (N,).

    Returns:
        The loss, a float.
    """
    _check_data(params, X, y)
    # 对 logit z 而言 BCE 是凸的; 非凸来自 z 对权重的依赖 (tanh 和 W2 h 里的乘积)
    return binary_cross_entropy_with_logits(mlp_logits(params, X), y.astype(float))
# --8<-- [end:loss]


# --8<-- [start:permute]
def permute_hidden(params: MLPParams, perm: np.ndarray) -> MLPParams:
    """The same network with its hidden units relabelled by ``perm``.

    Args:
        params: the network's weights, hidden width H.
        perm: a permutation of 0..H-1, shape (H,).

    Returns:
        New MLPParams computing exactly the same function.
    """
    perm = _check_perm(params, perm)
    # 隐藏单元 i 由 W1 的第 i 行、b1[i] 和 W2 的第 i 列共同描述; 三者一起换位, 求和顺序变了, 函数不变
    return MLPParams(W1=params.W1[perm], b1=params.b1[perm], W2=params.W2[:, perm], b2=params.b2.copy())
# --8<-- [end:permute]


def _check_segment(a: MLPParams, b: MLPParams, X: np.ndarray, y: np.ndarray, ts: np.ndarray) -> None:
    _check_data(a, X, y)
    _check_data(b, X, y)
    ts_ok = isinstance(ts, np.ndarray) and ts.ndim == 1 and np.issubdtype(ts.dtype, np.floating)
    if not (ts_ok and np.all(np.isfinite(ts))):
        raise ValueError("ts must be a finite floating array of shape (T,)")


# --8<-- [start:segment]
def loss_along_segment(
    a: MLPParams, b: MLPParams, X: np.ndarray, y: np.ndarray, ts: np.ndarray
) -> np.ndarray:
    """Loss at the weights (1 - t) a + t b for each t.

    Args:
        a, b: the two endpoints, same shapes.
        X: inputs, shape (N, D).
        y: labels in [0, 1], shape (N,).
        ts: interpolation coefficients, shape (T,); 0 gives a, 1 gives b.

    Returns:
        Losses, shape (T,).
    """
    _check_segment(a, b, X, y, ts)
    # 凸函数满足 f((1-t) a + t b) <= (1-t) f(a) + t f(b): 沿线段的损失不能高过两端的连线
    fields = ("W1", "b1", "W2", "b2")
    mix = [MLPParams(*[(1 - t) * getattr(a, f) + t * getattr(b, f) for f in fields]) for t in ts]
    return np.array([mlp_loss(p, X, y) for p in mix])
# --8<-- [end:segment]

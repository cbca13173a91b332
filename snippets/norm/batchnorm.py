"""Batch Normalization from scratch: training and evaluation forward, running statistics, backward."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snippets._checks import check_float_array


def _reduce_axes(X: np.ndarray) -> tuple[int, ...]:
    # (N, C) 在 N 上归约; (N, C, H, W) 在 N, H, W 上归约: 每个通道一组统计量
    return (0,) if X.ndim == 2 else (0, 2, 3)


def _per_channel(v: np.ndarray, X: np.ndarray) -> np.ndarray:
    return v.reshape((1, -1) + (1,) * (X.ndim - 2))  # (1, C) or (1, C, 1, 1), broadcasts against X


@dataclass
class BNCache:
    """What backward needs: the normalized input, 1/sqrt(var + eps) and gamma."""

    X_hat: np.ndarray  # same shape as X
    inv_std: np.ndarray  # (C,)
    gamma: np.ndarray  # (C,)


def _check_params(X: np.ndarray, eps: float, **per_channel: np.ndarray) -> None:
    check_float_array(X, "X", (2, 4))
    C = X.shape[1]
    for name, v in per_channel.items():
        check_float_array(v, name, (1,))
        if v.shape != (C,):
            raise ValueError(f"{name} must have shape ({C},) for X of shape {X.shape}, got {v.shape}")
    if not (isinstance(eps, float) and eps > 0):
        raise ValueError(f"eps must be a float > 0, got {eps!r}")


# --8<-- [start:train]
def batchnorm_train(
    X: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> tuple[np.ndarray, BNCache, np.ndarray, np.ndarray]:
    """BN in training mode: normalize with this batch's statistics, update the running ones.

    Args:
        X: (N, C) or (N, C, H, W).
        gamma, beta: (C,), the learned scale and shift.
        running_mean, running_var: (C,), the buffers used in evaluation.
        momentum: PyTorch's convention, the weight of the NEW batch statistic.
        eps: added to the variance inside the square root.

    Returns:
        Y (X's shape), the cache for backward, the updated running_mean and running_var.
    """
    _check_params(X, eps, gamma=gamma, beta=beta, running_mean=running_mean, running_var=running_var)
    if X.size == X.shape[1]:
        raise ValueError(f"X must hold more than one value per channel in training mode, got shape {X.shape}")
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum!r}")
    axes = _reduce_axes(X)
    m = X.size // X.shape[1]  # 每个通道参与统计的元素个数: N (或 N*H*W)
    mu = X.mean(axis=axes)  # (C,)
    var = X.var(axis=axes)  # (C,), 有偏 (除以 m): 用来归一化
    inv_std = 1.0 / np.sqrt(var + eps)
    X_hat = (X - _per_channel(mu, X)) * _per_channel(inv_std, X)
    Y = _per_channel(gamma, X) * X_hat + _per_channel(beta, X)
    # 运行统计量: PyTorch 存的是无偏方差 (除以 m - 1), 新值的权重是 momentum (不是 EMA 的 beta)
    new_mean = (1 - momentum) * running_mean + momentum * mu
    new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)
    return Y, BNCache(X_hat, inv_std, gamma), new_mean, new_var
# --8<-- [end:train]


# --8<-- [start:eval]
def batchnorm_eval(
    X: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    eps: float = 1e-5,
) -> np.ndarray:
    """BN in evaluation mode: a fixed per-channel affine map built from the running statistics."""
    _check_params(X, eps, gamma=gamma, beta=beta, running_mean=running_mean, running_var=running_var)
    scale = gamma / np.sqrt(running_var + eps)  # (C,)
    shift = beta - running_mean * scale  # (C,): 可以并进前一层卷积的权重和偏置
    return _per_channel(scale, X) * X + _per_channel(shift, X)
# --8<-- [end:eval]


# --8<-- [start:backward]
def batchnorm_backward(dY: np.ndarray, cache: BNCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of BN in training mode (the batch statistics depend on X).

    Args:
        dY: upstream gradient, X's shape.
        cache: from ``batchnorm_train``.

    Returns:
        dX (X's shape), dgamma (C,), dbeta (C,).
    """
    if not isinstance(cache, BNCache):
        raise TypeError(f"cache must be a BNCache, got {type(cache).__name__}")
    check_float_array(dY, "dY", (2, 4))
    if dY.shape != cache.X_hat.shape:
        raise ValueError(f"dY must have the input's shape {cache.X_hat.shape}, got {dY.shape}")
    X_hat, inv_std, gamma = cache.X_hat, cache.inv_std, cache.gamma
    axes = _reduce_axes(dY)
    dbeta = dY.sum(axis=axes)
    dgamma = (dY * X_hat).sum(axis=axes)
    m = dY.size // dY.shape[1]
    # dX = gamma / sigma / m * (m dY - sum dY - X_hat * sum(dY X_hat)): 减去均值方向和 X_hat 方向的分量
    dX = _per_channel(gamma * inv_std / m, dY) * (
        m * dY - _per_channel(dbeta, dY) - X_hat * _per_channel(dgamma, dY)
    )
    return dX, dgamma, dbeta
# --8<-- [end:backward]


# --8<-- [start:fold]
def fold_into_linear(
    W: np.ndarray,
    b: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    eps: float = 1e-5,
) -> tuple[np.ndarray, np.ndarray]:
    """Fold an evaluation-mode BN that follows ``x @ W.T + b`` into the layer's weights.

    Args:
        W: (out, in); b, gamma, beta, running_mean, running_var: (out,).

    Returns:
        W' (out, in) and b' (out,) with x @ W'.T + b' == BN_eval(x @ W.T + b).
    """
    check_float_array(W, "W", (2,))
    _check_params(W.T, eps, b=b, gamma=gamma, beta=beta, running_mean=running_mean, running_var=running_var)
    scale = gamma / np.sqrt(running_var + eps)  # (out,)
    return W * scale[:, None], (b - running_mean) * scale + beta
# --8<-- [end:fold]

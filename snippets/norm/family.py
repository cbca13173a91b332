"""LayerNorm, InstanceNorm, GroupNorm and Switchable Norm from scratch: one normalization, different axes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snippets._checks import check_float_array, check_int


@dataclass
class NormCache:
    """What backward needs: the normalized input, 1/sqrt(var + eps) (broadcastable) and the reduced axes."""

    X_hat: np.ndarray
    inv_std: np.ndarray
    axes: tuple[int, ...]


# --8<-- [start:normalize]
def normalize(X: np.ndarray, axes: tuple[int, ...], eps: float = 1e-5) -> tuple[np.ndarray, NormCache]:
    """(X - mean) / sqrt(var + eps), mean and biased var taken over ``axes`` (kept for broadcasting).

    BN: axes (0, 2, 3); LN: (1, 2, 3); IN: (2, 3); GN: (2, 3, 4) of X viewed as (N, G, C/G, H, W).
    """
    check_float_array(X, "X", (2, 3, 4, 5))
    if not axes or any(isinstance(a, bool) or not isinstance(a, int) or not 0 <= a < X.ndim for a in axes):
        raise ValueError(f"axes must be a non-empty tuple of axes of X (ndim {X.ndim}), got {axes!r}")
    if not (isinstance(eps, float) and eps > 0):
        raise ValueError(f"eps must be a float > 0, got {eps!r}")
    mu = X.mean(axis=axes, keepdims=True)
    var = X.var(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    X_hat = (X - mu) * inv_std
    return X_hat, NormCache(X_hat, inv_std, axes)


def normalize_backward(dX_hat: np.ndarray, cache: NormCache) -> np.ndarray:
    """Gradient through ``normalize``: the BN formula with sums over the same axes."""
    if not isinstance(cache, NormCache):
        raise TypeError(f"cache must be a NormCache, got {type(cache).__name__}")
    check_float_array(dX_hat, "dX_hat", (2, 3, 4, 5))
    if dX_hat.shape != cache.X_hat.shape:
        raise ValueError(f"dX_hat must have shape {cache.X_hat.shape}, got {dX_hat.shape}")
    X_hat, inv_std, axes = cache.X_hat, cache.inv_std, cache.axes
    m = int(np.prod([X_hat.shape[a] for a in axes]))  # 每组参与统计的元素个数
    return (inv_std / m) * (
        m * dX_hat
        - dX_hat.sum(axis=axes, keepdims=True)
        - X_hat * (dX_hat * X_hat).sum(axis=axes, keepdims=True)
    )
# --8<-- [end:normalize]


def _check_nchw(X: np.ndarray, eps: float) -> None:
    check_float_array(X, "X", (4,))
    if not (isinstance(eps, float) and eps > 0):
        raise ValueError(f"eps must be a float > 0, got {eps!r}")


def _check_channel_params(C: int, gamma: np.ndarray | None, beta: np.ndarray | None) -> None:
    for name, v in (("gamma", gamma), ("beta", beta)):
        if v is not None:
            check_float_array(v, name, (1,))
            if v.shape != (C,):
                raise ValueError(f"{name} must have shape ({C},), got {v.shape}")


# --8<-- [start:group_norm]
def group_norm(
    X: np.ndarray, num_groups: int, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, NormCache]:
    """GroupNorm: per sample, per group of C/G channels; per-channel gamma, beta (C,).

    G = 1 is LayerNorm over (C, H, W) with per-channel affine; G = C is InstanceNorm.
    """
    _check_nchw(X, eps)
    N, C, H, W = X.shape
    check_int(num_groups, "num_groups", 1)
    if C % num_groups:
        raise ValueError(f"num_groups must divide C={C}, got {num_groups}")
    _check_channel_params(C, gamma, beta)
    Xg = X.reshape(N, num_groups, C // num_groups, H, W)
    X_hat, cache = normalize(Xg, axes=(2, 3, 4), eps=eps)
    Y = X_hat.reshape(N, C, H, W) * gamma.reshape(1, C, 1, 1) + beta.reshape(1, C, 1, 1)
    return Y, cache
# --8<-- [end:group_norm]


def group_norm_backward(
    dY: np.ndarray, cache: NormCache, gamma: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dX (N, C, H, W), dgamma (C,), dbeta (C,) of ``group_norm``."""
    check_float_array(dY, "dY", (4,))
    N, C, H, W = dY.shape
    if cache.X_hat.size != dY.size or cache.X_hat.shape[0] != N:
        raise ValueError(f"dY must have the input's shape, got {dY.shape}")
    X_hat = cache.X_hat.reshape(N, C, H, W)
    dgamma, dbeta = (dY * X_hat).sum(axis=(0, 2, 3)), dY.sum(axis=(0, 2, 3))
    dX_hat = (dY * gamma.reshape(1, C, 1, 1)).reshape(cache.X_hat.shape)
    return normalize_backward(dX_hat, cache).reshape(N, C, H, W), dgamma, dbeta


# --8<-- [start:layer_norm]
def layer_norm(
    X: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, NormCache]:
    """nn.LayerNorm(normalized_shape=X.shape[1:]): per sample over all other axes, elementwise affine.

    Args:
        X: (N, ...) e.g. (N, C, H, W) or (N, D); weight, bias: X.shape[1:].
    """
    check_float_array(X, "X", (2, 3, 4))
    for name, v in (("weight", weight), ("bias", bias)):
        check_float_array(v, name, (X.ndim - 1,))
        if v.shape != X.shape[1:]:
            raise ValueError(f"{name} must have shape {X.shape[1:]}, got {v.shape}")
    X_hat, cache = normalize(X, axes=tuple(range(1, X.ndim)), eps=eps)
    return X_hat * weight + bias, cache  # weight 与 bias 是逐元素的 (C, H, W), 不是逐通道
# --8<-- [end:layer_norm]


def layer_norm_backward(
    dY: np.ndarray, cache: NormCache, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dX, dweight, dbias of ``layer_norm`` (dweight, dbias have weight's shape)."""
    check_float_array(dY, "dY", (2, 3, 4))
    if dY.shape != cache.X_hat.shape:
        raise ValueError(f"dY must have shape {cache.X_hat.shape}, got {dY.shape}")
    dweight, dbias = (dY * cache.X_hat).sum(axis=0), dY.sum(axis=0)
    return normalize_backward(dY * weight, cache), dweight, dbias


# --8<-- [start:switchable]
def switchable_norm(
    X: np.ndarray,
    mean_logits: np.ndarray,
    var_logits: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    eps: float = 1e-5,
) -> np.ndarray:
    """Switchable Norm (training mode): mean and var are softmax-weighted mixes of IN, LN and BN statistics.

    Args:
        X: (N, C, H, W); mean_logits, var_logits: (3,) learned, order (IN, LN, BN); gamma, beta: (C,).
    """
    _check_nchw(X, eps)
    _check_channel_params(X.shape[1], gamma, beta)
    for name, v in (("mean_logits", mean_logits), ("var_logits", var_logits)):
        check_float_array(v, name, (1,))
        if v.shape != (3,):
            raise ValueError(f"{name} must have shape (3,), got {v.shape}")
    mu_in = X.mean(axis=(2, 3), keepdims=True)  # (N, C, 1, 1)
    var_in = X.var(axis=(2, 3), keepdims=True)
    sq_in = var_in + mu_in**2  # E[x^2] per (n, c): LN 和 BN 的统计量可由 IN 的统计量算出
    mu_ln, mu_bn = mu_in.mean(axis=1, keepdims=True), mu_in.mean(axis=0, keepdims=True)
    var_ln = sq_in.mean(axis=1, keepdims=True) - mu_ln**2
    var_bn = sq_in.mean(axis=0, keepdims=True) - mu_bn**2
    wm = np.exp(mean_logits - mean_logits.max())
    wv = np.exp(var_logits - var_logits.max())
    wm, wv = wm / wm.sum(), wv / wv.sum()  # softmax: 三种统计量的权重, 和为 1
    mu = wm[0] * mu_in + wm[1] * mu_ln + wm[2] * mu_bn
    var = wv[0] * var_in + wv[1] * var_ln + wv[2] * var_bn
    X_hat = (X - mu) / np.sqrt(var + eps)
    return X_hat * gamma.reshape(1, -1, 1, 1) + beta.reshape(1, -1, 1, 1)
# --8<-- [end:switchable]

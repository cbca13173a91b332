"""A multilayer perceptron in NumPy with a hand-written backward pass (backpropagation).

Layer l computes Z_l = A_{l-1} W_l^T + b_l and A_l = f_l(Z_l), batch first: A_0 = X is (N, D),
W_l is (out, in) as in torch.nn.Linear, Z_l and A_l are (N, out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from snippets.basics.activations_modern import ZOO

Params = list[tuple[np.ndarray, np.ndarray]]  # [(W_1, b_1), ..., (W_L, b_L)]


def _check_acts(acts: Sequence[str], n_layers: int) -> None:
    if len(acts) != n_layers:
        raise ValueError(f"acts must name one activation per layer ({n_layers}), got {len(acts)}")
    for a in acts:
        if a != "identity" and a not in ZOO:
            raise ValueError(f"acts: unknown activation {a!r}; use 'identity' or one of {sorted(ZOO)}")


def _check_X(X: np.ndarray, params: Params) -> None:
    if not isinstance(X, np.ndarray) or not np.issubdtype(X.dtype, np.floating) or X.ndim != 2:
        raise TypeError("X must be a floating array of shape (N, D)")
    if X.shape[1] != params[0][0].shape[1]:
        raise ValueError(f"X must have D = {params[0][0].shape[1]} columns, got {X.shape[1]}")


def init_mlp(sizes: Sequence[int], rng: np.random.Generator, init: str = "xavier") -> Params:
    """Random weights, zero biases.

    Args:
        sizes: layer widths [D, H_1, ..., K], at least two entries.
        rng: source of randomness.
        init: "xavier" (Var = 2 / (in + out), Glorot & Bengio 2010) or "he" (Var = 2 / in, He et al. 2015).

    Returns:
        [(W_l, b_l)] with W_l of shape (sizes[l], sizes[l-1]) and b_l of shape (sizes[l],).
    """
    if len(sizes) < 2 or any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in sizes):
        raise ValueError(f"sizes must be at least two positive ints, got {sizes!r}")
    if init not in ("xavier", "he"):
        raise ValueError(f"init must be 'xavier' or 'he', got {init!r}")
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        var = 2 / (fan_in + fan_out) if init == "xavier" else 2 / fan_in
        params.append((rng.normal(0.0, np.sqrt(var), (fan_out, fan_in)), np.zeros(fan_out)))
    return params


@dataclass(frozen=True)
class Cache:
    """What the forward pass keeps for the backward pass: inputs A_{l-1} and pre-activations Z_l per layer."""

    inputs: list[np.ndarray]
    pre: list[np.ndarray]


# --8<-- [start:forward]
def forward(params: Params, X: np.ndarray, acts: Sequence[str]) -> tuple[np.ndarray, Cache]:
    """Forward pass.

    Args:
        params: [(W_l, b_l)], W_l of shape (out, in).
        X: inputs, shape (N, D).
        acts: one activation name per layer ("identity" or a key of ZOO).

    Returns:
        the output A_L of shape (N, K), and the cache for ``backward``.
    """
    _check_acts(acts, len(params))
    _check_X(X, params)
    A, inputs, pre = X, [], []
    for (W, b), act in zip(params, acts, strict=True):
        Z = A @ W.T + b  # (N, out)
        inputs.append(A)
        pre.append(Z)
        A = Z if act == "identity" else ZOO[act][0](Z)
    return A, Cache(inputs, pre)
# --8<-- [end:forward]


# --8<-- [start:backward]
def backward(params: Params, cache: Cache, dA: np.ndarray, acts: Sequence[str]) -> Params:
    """Backward pass: from dL/dA_L to dL/dW_l and dL/db_l for every layer.

    Args:
        params: the parameters used in ``forward``.
        cache: the cache returned by ``forward``.
        dA: dL/dA_L, shape (N, K), the gradient of the loss w.r.t. the network output.
        acts: the activation names used in ``forward``.

    Returns:
        [(dW_l, db_l)], each the shape of (W_l, b_l).
    """
    _check_acts(acts, len(params))
    if dA.shape != cache.pre[-1].shape:
        raise ValueError(f"dA must have the output's shape {cache.pre[-1].shape}, got {dA.shape}")
    grads: Params = []
    for k in reversed(range(len(params))):  # k = L-1, ..., 0: 第 k + 1 层
        Z, A_prev, (W, _) = cache.pre[k], cache.inputs[k], params[k]
        # delta_l = dL/dZ_l = dL/dA_l ⊙ f_l'(Z_l): 逐元素激活的雅可比是对角阵, 所以是逐元素乘
        delta = dA if acts[k] == "identity" else dA * ZOO[acts[k]][1](Z)  # (N, out)
        grads.append((delta.T @ A_prev, delta.sum(axis=0)))  # (out, in), (out,)
        dA = delta @ W  # dL/dA_{l-1} = delta_l W_l, (N, in)
    return grads[::-1]
# --8<-- [end:backward]


# --8<-- [start:train_sse]
def sse(y_hat: np.ndarray, y: np.ndarray) -> float:
    """Sum of squared errors sum_i sum_k (y_hat - y)^2 over the whole set (no 1/2, no 1/N)."""
    if y_hat.shape != y.shape:
        raise ValueError(f"y must have y_hat's shape {y_hat.shape}, got {y.shape}")
    return float(np.sum((y_hat - y) ** 2))


def train_sse(
    X: np.ndarray, y: np.ndarray, params: Params, acts: Sequence[str], lr: float, epochs: int
) -> tuple[Params, np.ndarray]:
    """Full-batch gradient descent on the SSE, one step per epoch, with the hand-written backward.

    Args:
        X: inputs (N, D); y: targets (N, K); params: initial parameters (not modified).
        acts: activation per layer; lr: learning rate; epochs: number of steps.

    Returns:
        the trained parameters and the SSE before each step, shape (epochs,).
    """
    if not (isinstance(lr, (int, float)) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be an int >= 1, got {epochs!r}")
    params = [(W.copy(), b.copy()) for W, b in params]
    losses = np.empty(epochs)
    for t in range(epochs):
        y_hat, cache = forward(params, X, acts)
        losses[t] = sse(y_hat, y)
        grads = backward(params, cache, 2 * (y_hat - y), acts)  # d SSE / d y_hat = 2 (y_hat - y)
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads, strict=True)]
    return params, losses
# --8<-- [end:train_sse]

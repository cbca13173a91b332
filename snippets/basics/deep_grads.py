"""Per-layer gradient norms of deep MLPs: plain sigmoid, plain ReLU with He init, residual sigmoid."""

from __future__ import annotations

from typing import Literal

import numpy as np

from snippets._checks import check_int
from snippets.basics.activations import sigmoid
from snippets.basics.backprop import Params, _check_X, backward, forward, init_mlp

Kind = Literal["sigmoid", "relu_he", "residual"]
KINDS: tuple[Kind, ...] = ("sigmoid", "relu_he", "residual")


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def _check_shapes(depth: int, width: int) -> None:
    check_int(depth, "depth", 3)
    check_int(width, "width", 3)


def make_regression(n: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Inputs X ~ N(0, I) of shape (n, d) and targets y = sin(X u) of shape (n, 1), u ~ N(0, I / d)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    X = rng.standard_normal((n, d))
    u = rng.standard_normal(d) / np.sqrt(d)
    return X, np.sin(X @ u)[:, None]


def init_deep(kind: Kind, depth: int, width: int, d: int, rng: np.random.Generator) -> Params:
    """depth weight matrices: d -> width -> ... -> width -> 1; Xavier init, He init for "relu_he"."""
    _check_kind(kind)
    _check_shapes(depth, width)
    return init_mlp([d] + [width] * (depth - 1) + [1], rng, "he" if kind == "relu_he" else "xavier")


# --8<-- [start:residual]
def residual_forward(params: Params, X: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Residual sigmoid MLP: A_1 = X W_1^T + b_1, A_l = A_{l-1} + sigma(A_{l-1}) W_l^T + b_l, y = A_{L-1} W_L^T + b_L.

    Args:
        params: [(W_l, b_l)]; the middle layers are square (width, width).
        X: inputs (N, D).

    Returns:
        the output (N, 1) and the list [A_1, ..., A_{L-1}] of shapes (N, width) for the backward pass.
    """
    _check_X(X, params)
    W, b = params[0]
    A = [X @ W.T + b]  # 输入投影, 不加激活
    for W, b in params[1:-1]:
        A.append(A[-1] + sigmoid(A[-1]) @ W.T + b)  # 恒等捷径 + 残差分支
    W, b = params[-1]
    return A[-1] @ W.T + b, A


def residual_backward(params: Params, X: np.ndarray, A: list[np.ndarray], dy: np.ndarray) -> Params:
    """Gradients of the residual MLP from dL/dy (N, 1); returns [(dW_l, db_l)] shaped like params."""
    if dy.shape != (X.shape[0], 1) or len(A) != len(params) - 1:
        raise ValueError(f"dy must have shape (N, 1) = ({X.shape[0]}, 1) and A one entry per hidden layer")
    grads: Params = [(dy.T @ A[-1], dy.sum(axis=0))]
    dA = dy @ params[-1][0]  # (N, width)
    for k in range(len(params) - 2, 0, -1):  # 残差块, 从输出侧往回
        W, S = params[k][0], sigmoid(A[k - 1])  # S = sigma(A_{k-1}), (N, width)
        grads.append((dA.T @ S, dA.sum(axis=0)))
        # 雅可比 I + W diag(sigma'): 恒等项让梯度原样通过, 不随层数连乘衰减; sigma' = S (1 - S)
        dA = dA + (dA @ W) * S * (1 - S)
    grads.append((dA.T @ X, dA.sum(axis=0)))
    return grads[::-1]
# --8<-- [end:residual]


# --8<-- [start:experiment]
def loss_and_grads(kind: Kind, params: Params, X: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
    """Mean squared error 0.5 mean((y_hat - y)^2) and its gradients for one of the three networks."""
    _check_kind(kind)
    if kind == "residual":
        y_hat, A = residual_forward(params, X)
        return 0.5 * float(np.mean((y_hat - y) ** 2)), residual_backward(params, X, A, (y_hat - y) / len(y))
    acts = ["sigmoid" if kind == "sigmoid" else "relu"] * (len(params) - 1) + ["identity"]
    y_hat, cache = forward(params, X, acts)
    return 0.5 * float(np.mean((y_hat - y) ** 2)), backward(params, cache, (y_hat - y) / len(y), acts)


def grad_norms_per_layer(
    kind: Kind, seed: int, depth: int = 20, width: int = 32, steps: int = 50, lr: float = 0.005
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """||dL/dW_l||_F for every layer at initialisation and after ``steps`` of full-batch gradient descent.

    Args:
        kind: "sigmoid" (plain, Xavier), "relu_he" (plain ReLU, He init), "residual" (sigmoid, Xavier, skips).
        seed: seed of data and weights.
        depth: number of weight layers L; width: hidden width.
        steps: gradient-descent steps between the two measurements; lr: learning rate.

    Returns:
        norms at init (depth,), norms after training (depth,), the loss before each step and after the
        last one (steps + 1,).
    """
    rng = np.random.default_rng(seed)
    X, y = make_regression(128, 16, rng)
    params = init_deep(kind, depth, width, 16, rng)
    losses = np.empty(steps + 1)
    first = np.empty(depth)
    for t in range(steps):
        losses[t], grads = loss_and_grads(kind, params, X, y)
        if t == 0:
            first = np.array([np.linalg.norm(dW) for dW, _ in grads])
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads, strict=True)]
    losses[steps], grads = loss_and_grads(kind, params, X, y)  # 第 steps 步之后的损失
    return first, np.array([np.linalg.norm(dW) for dW, _ in grads]), losses
# --8<-- [end:experiment]

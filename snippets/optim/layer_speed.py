"""Do layers learn at different speeds (004#45)? A deep MLP with a hand-written backward pass."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from snippets.optim._checks import check_hyper

Act = Literal["sigmoid", "relu"]


def _check_net(Ws: list[np.ndarray], X: np.ndarray, y: np.ndarray) -> None:
    if len(Ws) < 2 or X.ndim != 2 or Ws[0].shape[1] != X.shape[1] or Ws[-1].shape[0] != 1:
        raise ValueError("Ws must chain from X's D features to 1 output, e.g. shapes (H, D), ..., (1, H)")
    for i in range(1, len(Ws)):
        if Ws[i].shape[1] != Ws[i - 1].shape[0]:
            raise ValueError(f"Ws[{i}] has shape {Ws[i].shape}, does not follow {Ws[i - 1].shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")


# --8<-- [start:backward]
def loss_and_grads(Ws: list[np.ndarray], X: np.ndarray, y: np.ndarray, act: Act,
                   norm: bool) -> tuple[float, list[np.ndarray]]:
    """Mean BCE of z = W_L f(... f(W_1 X)) and its gradient for every W_l (no biases).

    Args:
        Ws: weights, W_l of shape (out, in); the last one is (1, H).
        X: inputs (N, D); y: labels in {0, 1}, shape (N,).
        act: hidden nonlinearity, "sigmoid" or "relu".
        norm: standardize every hidden pre-activation over the batch (BN without gamma, beta).

    Returns:
        The loss and dL/dW_l for every layer (shapes of Ws).
    """
    _check_net(Ws, X, y)
    a, cache = X, []
    for W in Ws[:-1]:
        z = a @ W.T  # (N, out)
        if norm:
            inv = 1 / np.sqrt(z.var(axis=0) + 1e-5)
            z = (z - z.mean(axis=0)) * inv
        else:
            inv = None
        h = 1 / (1 + np.exp(-z)) if act == "sigmoid" else np.maximum(z, 0)
        cache.append((a, z, inv, h))
        a = h
    logit = (a @ Ws[-1].T)[:, 0]
    loss = float(np.mean(np.logaddexp(0, logit) - y * logit))
    dz = ((1 / (1 + np.exp(-logit)) - y) / len(y))[:, None]  # (N, 1)
    grads = [dz.T @ a]
    da = dz @ Ws[-1]
    for W, (a_in, z, inv, h) in zip(Ws[-2::-1], cache[::-1], strict=True):
        # sigmoid' <= 1/4 只约束逐元素因子 (W^T 可能放大): 每往下一层梯度约缩小 4 倍左右
        dz = da * (h * (1 - h) if act == "sigmoid" else (z > 0))
        if inv is not None:
            # 标准化的反向: 去掉 dz 的均值和沿 z 方向的分量, 再乘 1/std
            dz = inv * (dz - dz.mean(axis=0) - z * (dz * z).mean(axis=0))
        grads.append(dz.T @ a_in)
        da = dz @ W
    return loss, grads[::-1]
# --8<-- [end:backward]


@dataclass(frozen=True)
class LayerSpeed:
    """rel_change[t, l] = ||W_l(t) - W_l(0)|| / ||W_l(0)||, shape (steps + 1, L); grad_norm (steps, L)."""

    rel_change: np.ndarray
    grad_norm: np.ndarray
    loss: np.ndarray


# --8<-- [start:experiment]
def layer_speed(act: Act, norm: bool, depth: int = 6, width: int = 32, steps: int = 200,
                lr: float = 0.5, seed: int = 0) -> LayerSpeed:
    """Full-batch GD on a teacher-labelled task; track how far each layer's weights move.

    Args:
        act, norm: the variant (see ``loss_and_grads``).
        depth: number of weight matrices L; width: hidden size; steps, lr: gradient descent.
        seed: seeds data, teacher and initialization (He for ReLU, Xavier for sigmoid).

    Returns:
        A ``LayerSpeed`` with per-layer relative weight change and gradient norm.
    """
    if act not in ("sigmoid", "relu"):
        raise ValueError(f"act must be 'sigmoid' or 'relu', got {act!r}")
    lr = check_hyper("lr", lr)
    if depth < 2 or width < 1 or steps < 1:
        raise ValueError(f"need depth >= 2, width >= 1, steps >= 1, got {depth}, {width}, {steps}")
    rng = np.random.default_rng(seed)
    N, D = 256, 16
    X = rng.standard_normal((N, D))
    teacher = np.tanh(X @ rng.standard_normal((D, 8))) @ rng.standard_normal(8)
    y = (teacher > np.median(teacher)).astype(float)
    sizes = [D] + [width] * (depth - 1) + [1]
    Ws = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        std = np.sqrt(2 / fan_in) if act == "relu" else np.sqrt(2 / (fan_in + fan_out))
        Ws.append(std * rng.standard_normal((fan_out, fan_in)))
    W0 = [W.copy() for W in Ws]
    rel = np.zeros((steps + 1, depth))
    gnorm = np.empty((steps, depth))
    losses = np.empty(steps)
    for t in range(steps):
        losses[t], grads = loss_and_grads(Ws, X, y, act, norm)
        for k, g in enumerate(grads):
            gnorm[t, k] = np.linalg.norm(g)
            Ws[k] = Ws[k] - lr * g
            rel[t + 1, k] = np.linalg.norm(Ws[k] - W0[k]) / np.linalg.norm(W0[k])
    return LayerSpeed(rel_change=rel, grad_norm=gnorm, loss=losses)
# --8<-- [end:experiment]


# --8<-- [start:settle]
def settle_step(rel_change: np.ndarray, frac: float = 0.9) -> np.ndarray:
    """First step at which each layer has covered ``frac`` of its final distance from W_l(0).

    Args:
        rel_change: ``LayerSpeed.rel_change``, shape (steps + 1, L).
        frac: the fraction in (0, 1].

    Returns:
        Step index per layer, shape (L,); a small value means the layer stopped moving early.
    """
    rel_change = np.asarray(rel_change, dtype=float)
    if rel_change.ndim != 2 or rel_change.shape[0] < 2:
        raise ValueError(f"rel_change must have shape (steps + 1, L) with steps >= 1, got {rel_change.shape}")
    frac = check_hyper("frac", frac, 0.0, 1.0, closed_high=True)
    # 第一次达到最终位移的 frac 倍; 用 argmax 找第一个 True (最后一步一定满足)
    return np.argmax(rel_change >= frac * rel_change[-1], axis=0)
# --8<-- [end:settle]

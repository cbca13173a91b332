"""Do layers learn at different speeds (004#45)? A deep MLP with a hand-written backward pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from snippets.optim._checks import check_hyper

Act = Literal["sigmoid", "relu"]


def _T(A: np.ndarray) -> np.ndarray:
    return np.swapaxes(A, -1, -2)


def _check_net(Ws: list[np.ndarray], X: np.ndarray, y: np.ndarray) -> None:
    if len(Ws) < 2 or X.ndim != 3 or any(W.ndim != 3 for W in Ws):
        raise ValueError("Ws must be >= 2 arrays (S, out, in) and X (S, N, D)")
    if Ws[0].shape[2] != X.shape[2] or Ws[-1].shape[1] != 1:
        raise ValueError(f"Ws must chain from X's D = {X.shape[2]} features to 1 output: (S, H, D), ..., (S, 1, H)")
    for i in range(1, len(Ws)):
        if Ws[i].shape[2] != Ws[i - 1].shape[1] or Ws[i].shape[0] != X.shape[0]:
            raise ValueError(f"Ws[{i}] has shape {Ws[i].shape}, does not follow {Ws[i - 1].shape}")
    if y.shape != X.shape[:2]:
        raise ValueError(f"y must have shape {X.shape[:2]}, got {y.shape}")


# --8<-- [start:backward]
def loss_and_grads(Ws: list[np.ndarray], X: np.ndarray, y: np.ndarray, act: Act,
                   norm: bool) -> tuple[np.ndarray, list[np.ndarray]]:
    """Mean BCE of z = W_L f(... f(W_1 x)) and its gradient for every W_l, for S networks at once (no biases).

    Args:
        Ws: weights, W_l of shape (S, out, in); the last one is (S, 1, H).
        X: inputs (S, N, D); y: labels in {0, 1}, shape (S, N).
        act: hidden nonlinearity, "sigmoid" or "relu".
        norm: standardize every hidden pre-activation over the batch (BN without gamma, beta).

    Returns:
        The loss of each network, shape (S,), and dLoss/dW_l for every layer (shapes of Ws).
    """
    _check_net(Ws, X, y)
    a, cache = X, []
    for W in Ws[:-1]:
        z = a @ _T(W)  # (S, N, out)
        if norm:
            inv = 1 / np.sqrt(z.var(axis=1, keepdims=True) + 1e-5)
            z = (z - z.mean(axis=1, keepdims=True)) * inv
        else:
            inv = None
        h = 1 / (1 + np.exp(-z)) if act == "sigmoid" else np.maximum(z, 0)
        cache.append((a, z, inv, h))
        a = h
    logit = (a @ _T(Ws[-1]))[..., 0]  # (S, N)
    loss = np.mean(np.logaddexp(0, logit) - y * logit, axis=1)
    dz = ((1 / (1 + np.exp(-logit)) - y) / y.shape[1])[..., None]  # (S, N, 1)
    grads = [_T(dz) @ a]
    da = dz @ Ws[-1]
    for W, (a_in, z, inv, h) in zip(Ws[-2::-1], cache[::-1], strict=True):
        # sigmoid' <= 1/4 只约束逐元素因子 (W^T 可能放大或缩小): 每往下一层梯度通常缩小数倍
        dz = da * (h * (1 - h) if act == "sigmoid" else (z > 0))
        if inv is not None:
            # 标准化的反向: 去掉 dz 的均值和沿 z 方向的分量, 再乘 1/std
            dz = inv * (dz - dz.mean(axis=1, keepdims=True) - z * (dz * z).mean(axis=1, keepdims=True))
        grads.append(_T(dz) @ a_in)
        da = dz @ W
    return loss, grads[::-1]
# --8<-- [end:backward]


@dataclass(frozen=True)
class LayerSpeed:
    """One variant trained from S seeds at once (T steps of full-batch gradient descent, L layers).

    rel_change[s, t, l] = ||W_l(t) - W_l(0)|| / ||W_l(0)||, shape (S, T + 1, L).
    grad_norm[s, t, l] = ||d Loss / d W_l|| at W(t), shape (S, T, L).
    loss[s, t] = Loss(W(t)), shape (S, T + 1).
    first_rise: the first t with loss[s, t] > loss[s, t - 1] + RISE_TOL on some seed, or None.
    """

    rel_change: np.ndarray
    grad_norm: np.ndarray
    loss: np.ndarray
    first_rise: int | None


RISE_TOL = 1e-9  # 只吸收舍入: 本页稳定的运行里每步损失至少降 1e-7 量级


def _task(seed: int, depth: int, width: int, act: Act) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Data, teacher labels and initial weights of one seed (He for ReLU, Xavier for sigmoid)."""
    rng = np.random.default_rng(seed)
    N, D = 128, 16
    X = rng.standard_normal((N, D))
    teacher = np.tanh(X @ rng.standard_normal((D, 8))) @ rng.standard_normal(8)
    y = (teacher > np.median(teacher)).astype(float)  # 两类各半
    sizes = [D] + [width] * (depth - 1) + [1]
    Ws = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        std = np.sqrt(2 / fan_in) if act == "relu" else np.sqrt(2 / (fan_in + fan_out))
        Ws.append(std * rng.standard_normal((fan_out, fan_in)))
    return X, y, Ws


def _fro(A: np.ndarray) -> np.ndarray:
    return np.sqrt((A**2).sum(axis=(-2, -1)))  # 每个网络这一层的 Frobenius 范数, (S,)


# --8<-- [start:experiment]
def layer_speed(act: Act, norm: bool, lr: float, seeds: Sequence[int], steps: int = 200, depth: int = 6,
                width: int = 32, stop_at_rise: bool = False) -> LayerSpeed:
    """Full-batch GD on a teacher-labelled task, one network per seed; track how far each layer moves.

    Args:
        act, norm: the variant (see ``loss_and_grads``).
        lr: the step size eta; seeds: one data set, teacher and initialization per seed.
        steps: T; depth: number of weight matrices L; width: hidden size.
        stop_at_rise: return (with arrays cut at that step) as soon as some seed's loss goes up.

    Returns:
        A ``LayerSpeed`` with per-layer relative weight change and gradient norm, per seed and step.
    """
    if act not in ("sigmoid", "relu"):
        raise ValueError(f"act must be 'sigmoid' or 'relu', got {act!r}")
    lr = check_hyper("lr", lr)
    if len(seeds) == 0:
        raise ValueError("seeds must be non-empty")
    if depth < 2 or width < 1 or steps < 1:
        raise ValueError(f"need depth >= 2, width >= 1, steps >= 1, got {depth}, {width}, {steps}")
    tasks = [_task(s, depth, width, act) for s in seeds]
    X = np.stack([t[0] for t in tasks])  # (S, N, D)
    y = np.stack([t[1] for t in tasks])  # (S, N)
    Ws = [np.stack([t[2][k] for t in tasks]) for k in range(depth)]  # W^(k+1): (S, out, in)
    W0 = [W.copy() for W in Ws]
    rel = np.zeros((len(seeds), steps + 1, depth))
    gnorm = np.empty((len(seeds), steps, depth))
    losses = np.empty((len(seeds), steps + 1))
    first_rise = None
    for t in range(steps + 1):
        # 发散的运行 (步长过大) 会溢出; 它们由 first_rise 判为不稳定, 不需要警告
        with np.errstate(over="ignore", invalid="ignore"):
            losses[:, t], grads = loss_and_grads(Ws, X, y, act, norm)
        if first_rise is None and t > 0 and not np.all(losses[:, t] <= losses[:, t - 1] + RISE_TOL):
            first_rise = t
            if stop_at_rise:
                return LayerSpeed(rel[:, :t + 1], gnorm[:, :t], losses[:, :t + 1], first_rise)
        if t == steps:
            break
        for k, g in enumerate(grads):
            gnorm[:, t, k] = _fro(g)
            Ws[k] = Ws[k] - lr * g
            rel[:, t + 1, k] = _fro(Ws[k] - W0[k]) / _fro(W0[k])
    return LayerSpeed(rel, gnorm, losses, first_rise)
# --8<-- [end:experiment]


# --8<-- [start:stable_lr]
LR_GRID = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)  # 本页各变体的步长从这里挑
SEEDS = tuple(range(10))  # 本页每个结论所用的 10 个种子


def stable_run(act: Act, norm: bool, grid: Sequence[float], seeds: Sequence[int],
               steps: int = 200) -> tuple[float, LayerSpeed, dict[float, int]]:
    """The largest lr in ``grid`` whose loss never goes up, on any seed, during ``steps`` steps of GD.

    Returns:
        That lr, its full run, and for every larger lr of the grid the step at which a loss first rose.
    """
    rejected: dict[float, int] = {}
    for lr in sorted(grid, reverse=True):
        run = layer_speed(act, norm, lr, seeds, steps, stop_at_rise=True)  # 不稳定的步长很快就停下
        if run.first_rise is None:
            return lr, run, rejected
        rejected[lr] = run.first_rise
    raise ValueError(f"grid {list(grid)} has no lr whose loss never rises for {act}, norm={norm}")
# --8<-- [end:stable_lr]


# --8<-- [start:settle]
def settle_step(rel_change: np.ndarray, frac: float = 0.9) -> np.ndarray:
    """First step at which each layer has covered ``frac`` of its final distance from W_l(0).

    Args:
        rel_change: ``LayerSpeed.rel_change``, shape (..., T + 1, L).
        frac: the fraction in (0, 1].

    Returns:
        Step index per layer, shape (..., L); a small value means the layer stopped moving early.
    """
    rel_change = np.asarray(rel_change, dtype=float)
    if rel_change.ndim < 2 or rel_change.shape[-2] < 2:
        raise ValueError(f"rel_change must have shape (..., T + 1, L) with T >= 1, got {rel_change.shape}")
    frac = check_hyper("frac", frac, 0.0, 1.0, closed_high=True)
    # 第一次达到最终位移的 frac 倍; 用 argmax 找第一个 True (最后一步一定满足)
    return np.argmax(rel_change >= frac * rel_change[..., -1:, :], axis=-2)
# --8<-- [end:settle]


def first_below(loss: np.ndarray, level: float) -> np.ndarray:
    """Per seed, the first step t with loss[s, t] < level, or -1 if none (loss: (S, T + 1))."""
    loss = np.asarray(loss, dtype=float)
    if loss.ndim != 2 or loss.shape[1] < 1:
        raise ValueError(f"loss must have shape (S, T + 1), got {loss.shape}")
    below = loss < check_hyper("level", level)
    return np.where(below.any(axis=1), np.argmax(below, axis=1), -1)

"""The seed's batch-size experiment (004#43), re-run: a 12-16-1 tanh MLP on two 12-D Gaussians."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from snippets.optim._checks import check_hyper


# --8<-- [start:data]
def two_gaussians(seed: int, n: int = 500, D: int = 12, n_train: int = 400) -> tuple[np.ndarray, ...]:
    """Two classes N(-0.5 * 1, I) and N(+0.5 * 1, I): means 1 apart in every dimension.

    Args:
        seed: seeds the sampling and the train/test split.
        n: total samples (half per class); D: dimension; n_train: size of the training split.

    Returns:
        X_train (n_train, D), y_train (n_train,), X_test (n - n_train, D), y_test (n - n_train,).
    """
    if n < 4 or not 0 < n_train < n or D < 1:
        raise ValueError(f"need n >= 4, 0 < n_train < n and D >= 1, got n={n}, n_train={n_train}, D={D}")
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], [n // 2, n - n // 2])
    X = rng.standard_normal((n, D)) + (y[:, None] - 0.5)  # 共享协方差 I, 均值 -0.5 或 +0.5
    order = rng.permutation(n)
    X, y = X[order], y[order]
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]
# --8<-- [end:data]


@dataclass(frozen=True)
class BatchRun:
    """Test accuracy, shape (n_seeds,), and the number of parameter updates made."""

    accuracy: np.ndarray
    updates: int


# --8<-- [start:grads]
def mlp_grads(W1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray, Xb: np.ndarray,
              yb: np.ndarray) -> tuple[np.ndarray, ...]:
    """Gradients of the batch-mean BCE of z = w2 . tanh(W1 x + b1) + b2, for S networks at once.

    Args:
        W1 (S, H, D), b1 (S, H), w2 (S, H), b2 (S,): the S networks' parameters.
        Xb (S, B, D), yb (S, B): one mini-batch per network, labels in {0, 1}.

    Returns:
        dW1, db1, dw2, db2 with the parameters' shapes.
    """
    if Xb.ndim != 3 or W1.shape[::2] != Xb.shape[::2] or yb.shape != Xb.shape[:2]:
        raise ValueError(f"Xb must be (S, B, D) matching W1 {W1.shape}, yb (S, B); got {Xb.shape}, {yb.shape}")
    a = np.tanh(np.einsum("sbd,shd->sbh", Xb, W1) + b1[:, None])  # (S, B, H)
    z = np.einsum("sbh,sh->sb", a, w2) + b2[:, None]  # (S, B)
    dz = (1 / (1 + np.exp(-z)) - yb) / Xb.shape[1]  # 批内平均 BCE 对 logit 的梯度: (sigmoid(z) - y) / B
    dh = dz[:, :, None] * w2[:, None, :] * (1 - a**2)  # (S, B, H), tanh' = 1 - a^2
    return np.einsum("sbh,sbd->shd", dh, Xb), dh.sum(axis=1), np.einsum("sb,sbh->sh", dz, a), dz.sum(axis=1)
# --8<-- [end:grads]


# --8<-- [start:train]
def train_mlp(batch_size: int, lr: float, epochs: int, seeds: tuple[int, ...], hidden: int = 16) -> BatchRun:
    """Mini-batch SGD on the mean BCE of a 12-H-1 tanh MLP, all seeds at once (vectorised over seeds).

    Args:
        batch_size: B in [1, 400]; the last batch of an epoch may be smaller.
        lr: learning rate eta.
        epochs: passes over the 400 training samples (reshuffled every epoch, per seed).
        seeds: one independent data set, initialization and shuffle order per seed.
        hidden: H, the width of the hidden layer.

    Returns:
        A ``BatchRun`` with the test accuracy of every seed.
    """
    if not isinstance(batch_size, int) or not 1 <= batch_size <= 400:
        raise ValueError(f"batch_size must be an int in [1, 400], got {batch_size}")
    lr = check_hyper("lr", lr)
    if not isinstance(epochs, int) or epochs < 1 or len(seeds) == 0:
        raise ValueError(f"epochs must be >= 1 and seeds non-empty, got epochs={epochs}, seeds={seeds}")
    data = [two_gaussians(s) for s in seeds]
    X = np.stack([d[0] for d in data])  # (S, 400, 12)
    y = np.stack([d[1] for d in data]).astype(float)  # (S, 400)
    S, N, D = X.shape
    rng = np.random.default_rng(list(seeds))
    W1 = rng.standard_normal((S, hidden, D)) / np.sqrt(D)  # (S, H, D), 每个种子一个网络
    b1 = np.zeros((S, hidden))
    w2 = rng.standard_normal((S, hidden)) / np.sqrt(hidden)  # (S, H)
    b2 = np.zeros(S)
    updates = 0
    for _ in range(epochs):
        order = np.argsort(rng.random((S, N)), axis=1)
        for i in range(0, N, batch_size):
            idx = order[:, i:i + batch_size]
            Xb = np.take_along_axis(X, idx[:, :, None], axis=1)  # (S, B, D)
            yb = np.take_along_axis(y, idx, axis=1)  # (S, B)
            dW1, db1, dw2, db2 = mlp_grads(W1, b1, w2, b2, Xb, yb)
            W1, b1, w2, b2 = W1 - lr * dW1, b1 - lr * db1, w2 - lr * dw2, b2 - lr * db2
            updates += 1
    Xt = np.stack([d[2] for d in data])
    yt = np.stack([d[3] for d in data])
    zt = np.einsum("snh,sh->sn", np.tanh(np.einsum("snd,shd->snh", Xt, W1) + b1[:, None]), w2) + b2[:, None]
    return BatchRun(accuracy=((zt > 0) == yt).mean(axis=1), updates=updates)
# --8<-- [end:train]


# --8<-- [start:rules]
# 学习率随批大小的规则 eta(B) = base * B**power: power 0 固定, 1 线性缩放, 0.5 平方根缩放
LR_RULES: tuple[tuple[float, float], ...] = ((0.01, 0.0), (0.1, 0.0), (0.5, 0.0), (0.01, 1.0), (0.01, 0.5), (0.2, 0.5))


def lr_sweep(rules: Sequence[tuple[float, float]], batch_sizes: Sequence[int], epochs: int,
             seeds: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Test accuracy for every rule and batch size, and eta times the number of updates.

    Args:
        rules: (base, power) pairs, eta(B) = base * B**power.
        batch_sizes: the B to try; epochs, seeds: as in ``train_mlp``.

    Returns:
        accuracy (len(rules), len(batch_sizes), len(seeds)) and eta * updates (len(rules), len(batch_sizes)).
    """
    for base, power in rules:
        check_hyper("base", base)
        check_hyper("power", power, 0.0, 1.0, closed_high=True)
    acc = np.empty((len(rules), len(batch_sizes), len(seeds)))
    budget = np.empty((len(rules), len(batch_sizes)))
    for i, (base, power) in enumerate(rules):
        for j, B in enumerate(batch_sizes):
            lr = base * float(B) ** power
            run = train_mlp(B, lr, epochs, seeds)
            acc[i, j], budget[i, j] = run.accuracy, lr * run.updates  # SGD 走过的“总步长”
    return acc, budget
# --8<-- [end:rules]

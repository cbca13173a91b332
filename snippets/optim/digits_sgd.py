"""Softmax regression on scikit-learn's bundled digits, trained by GD, SGD or mini-batch SGD (several seeds at once)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from snippets.optim._checks import check_hyper

N_TRAIN = 1200  # 1797 张 8x8 数字图中取 1200 张训练, 其余 597 张测试


@functools.cache
def _digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits  # 随 scikit-learn 安装, 不需要下载

    X, y = load_digits(return_X_y=True)
    return X / 16.0, y  # 像素 0..16 缩放到 [0, 1]


def digits_split(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A seeded split of load_digits: X_train (1200, 64), y_train (1200,), X_test (597, 64), y_test (597,)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    X, y = _digits()
    order = np.random.default_rng(seed).permutation(len(y))
    tr, te = order[:N_TRAIN], order[N_TRAIN:]
    return X[tr], y[tr], X[te], y[te]


# --8<-- [start:grad]
def softmax_ce_grad(W: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Mean cross-entropy of softmax(X W^T + b) and its gradients, for S models at once.

    Args:
        W (S, K, D), b (S, K): the S models; X (S, B, D), y (S, B): one batch per model, labels in [0, K).

    Returns:
        loss (S,), dW (S, K, D), db (S, K).
    """
    if X.ndim != 3 or W.ndim != 3 or X.shape[::2] != W.shape[::2] or y.shape != X.shape[:2]:
        raise ValueError(f"X must be (S, B, D) matching W {W.shape} and y (S, B); got {X.shape}, {y.shape}")
    z = X @ W.transpose(0, 2, 1) + b[:, None]  # (S, B, K)
    z = z - z.max(axis=2, keepdims=True)  # 减去最大值, exp 不溢出
    logp = z - np.log(np.exp(z).sum(axis=2, keepdims=True))
    picked = np.take_along_axis(logp, y[:, :, None], axis=2)[:, :, 0]  # (S, B): log p_y
    dz = np.exp(logp)
    np.put_along_axis(dz, y[:, :, None], np.take_along_axis(dz, y[:, :, None], axis=2) - 1, axis=2)
    dz /= X.shape[1]  # 批内平均: (softmax - onehot) / B
    return -picked.mean(axis=1), dz.transpose(0, 2, 1) @ X, dz.sum(axis=1)
# --8<-- [end:grad]


@dataclass(frozen=True)
class DigitsRun:
    """Training loss on all 1200 training images at each checkpoint, shape (n_seeds, n_checks),
    the epochs at which they were taken, shape (n_checks,), and the final test accuracy (n_seeds,)."""

    loss: np.ndarray
    epochs: np.ndarray
    accuracy: np.ndarray


# --8<-- [start:train]
def train_softmax(batch_size: int, lr: float, epochs: int, seeds: tuple[int, ...], momentum: float = 0.0,
                  checks_per_epoch: int = 1) -> DigitsRun:
    """Mini-batch SGD (PyTorch's momentum form) on softmax regression; B = 1200 is full-batch GD.

    Args:
        batch_size: B in [1, 1200]; 1 is SGD, 1200 is GD; an epoch is ceil(1200 / B) updates.
        lr, momentum: eta and mu of b = mu b + g, theta = theta - eta b.
        epochs: passes over the training set, reshuffled every epoch (per seed).
        seeds: each seed has its own split, shuffle order and initialization.
        checks_per_epoch: how many times per epoch the full training loss is recorded.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= N_TRAIN:
        raise ValueError(f"batch_size must be an int in [1, {N_TRAIN}], got {batch_size!r}")
    lr = check_hyper("lr", lr)
    momentum = check_hyper("momentum", momentum, 0.0, 1.0)
    if not isinstance(epochs, int) or epochs < 1 or not isinstance(checks_per_epoch, int) or checks_per_epoch < 1:
        raise ValueError(f"epochs and checks_per_epoch must be ints >= 1, got {epochs}, {checks_per_epoch}")
    if len(seeds) == 0:
        raise ValueError("seeds must be non-empty")
    data = [digits_split(s) for s in seeds]
    X, y = np.stack([d[0] for d in data]), np.stack([d[1] for d in data])  # (S, 1200, 64), (S, 1200)
    S, N, D = X.shape
    rng = np.random.default_rng([*seeds, batch_size])
    W, b = 0.01 * rng.standard_normal((S, 10, D)), np.zeros((S, 10))
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    steps = -(-N // batch_size)  # 每个 epoch 的更新次数
    at = {round(k * steps / checks_per_epoch) for k in range(1, checks_per_epoch + 1)}  # 在哪些步后记录损失
    losses, when = [softmax_ce_grad(W, b, X, y)[0]], [0.0]
    for epoch in range(epochs):
        order = np.argsort(rng.random((S, N)), axis=1)
        for i in range(steps):
            idx = order[:, i * batch_size:(i + 1) * batch_size]
            Xb, yb = np.take_along_axis(X, idx[:, :, None], axis=1), np.take_along_axis(y, idx, axis=1)
            _, dW, db = softmax_ce_grad(W, b, Xb, yb)
            vW, vb = momentum * vW + dW, momentum * vb + db
            W, b = W - lr * vW, b - lr * vb
            if i + 1 in at:
                losses.append(softmax_ce_grad(W, b, X, y)[0])
                when.append(epoch + (i + 1) / steps)
    Xt, yt = np.stack([d[2] for d in data]), np.stack([d[3] for d in data])
    pred = (Xt @ W.transpose(0, 2, 1) + b[:, None]).argmax(axis=2)
    return DigitsRun(np.array(losses).T, np.array(when), (pred == yt).mean(axis=1))
# --8<-- [end:train]


# --8<-- [start:noise]
def minibatch_grad_variance(W: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray, batch_size: int) -> float:
    """E||g_B - g||^2 of the mean gradient of B samples drawn without replacement (exact, not sampled).

    Args:
        W (K, D), b (K,): one model; X (N, D), y (N,): the whole training set; batch_size: B in [1, N].

    Returns:
        tr(Sigma) * (N - B) / (B (N - 1)), Sigma the covariance of the N per-sample gradients.
    """
    N = X.shape[0]
    if not 1 <= batch_size <= N:
        raise ValueError(f"batch_size must be in [1, {N}], got {batch_size}")
    # 每个样本单独成一批 (N 个 "模型" 共用同一组参数), 得到 N 个单样本梯度
    _, dW, db = softmax_ce_grad(np.broadcast_to(W, (N, *W.shape)), np.broadcast_to(b, (N, *b.shape)),
                                X[:, None], y[:, None])
    G = np.concatenate([dW.reshape(N, -1), db], axis=1)  # (N, K*D + K)
    tr_sigma = ((G - G.mean(axis=0)) ** 2).sum(axis=1).mean()  # 单样本梯度的总方差
    return float(tr_sigma * (N - batch_size) / (batch_size * (N - 1)))  # 不放回抽样的有限总体修正
# --8<-- [end:noise]


# --8<-- [start:compare]
VARIANTS: tuple[tuple[str, int], ...] = (("GD (B = 1200)", 1200), ("mini-batch (B = 32)", 32), ("SGD (B = 1)", 1))


def compare_variants(lr: float, epochs: int, gd_epochs: int, seeds: tuple[int, ...]) -> dict[str, DigitsRun]:
    """GD, mini-batch and SGD with the same lr; GD also runs on to gd_epochs (its updates are cheap).

    The losses are recorded 10 times per epoch for B = 32 and B = 1, once per epoch (= per update) for GD.
    """
    if gd_epochs < epochs:
        raise ValueError(f"gd_epochs must be >= epochs, got {gd_epochs} < {epochs}")
    return {name: train_softmax(B, lr, gd_epochs if B == N_TRAIN else epochs, seeds,
                                checks_per_epoch=1 if B == N_TRAIN else 10) for name, B in VARIANTS}
# --8<-- [end:compare]

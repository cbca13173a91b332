"""Weight initialization: Xavier/Glorot and He/Kaiming from variance preservation, and what breaks."""

from __future__ import annotations

from typing import Literal

import numpy as np

from snippets.optim._checks import check_positive

Activation = Literal["linear", "tanh", "relu", "sigmoid"]
_GAIN = {"linear": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3.0, "relu": float(np.sqrt(2.0))}


def _check_fans(fan_in: int, fan_out: int) -> None:
    for name, v in (("fan_in", fan_in), ("fan_out", fan_out)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be a positive int, got {v!r}")


def _check_activation(activation: str) -> None:
    if activation not in _GAIN:
        raise ValueError(f"activation must be one of {sorted(_GAIN)}, got {activation!r}")


# --8<-- [start:init]
def gain(activation: Activation) -> float:
    """torch.nn.init.calculate_gain: 1 (linear, sigmoid), 5/3 (tanh), sqrt(2) (relu)."""
    _check_activation(activation)
    return _GAIN[activation]


def xavier_std(fan_in: int, fan_out: int, g: float = 1.0) -> float:
    """Glorot & Bengio (2010): Var(W) = 2 / (fan_in + fan_out), times gain^2."""
    _check_fans(fan_in, fan_out)
    g = check_positive("g", g)
    # 前向要 fan_in Var(W) = 1, 反向要 fan_out Var(W) = 1, 取两者的调和折中
    return g * np.sqrt(2.0 / (fan_in + fan_out))


def kaiming_std(fan_in: int, fan_out: int, g: float = float(np.sqrt(2.0)), mode: str = "fan_in") -> float:
    """He et al. (2015): Var(W) = gain^2 / fan, gain^2 = 2 for ReLU (it zeroes half the inputs)."""
    _check_fans(fan_in, fan_out)
    g = check_positive("g", g)
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    return g / np.sqrt(fan_in if mode == "fan_in" else fan_out)


def init_weight(fan_in: int, fan_out: int, std: float, rng: np.random.Generator,
                uniform: bool = False) -> np.ndarray:
    """W of shape (fan_out, fan_in) with the given std: normal, or uniform on [-sqrt(3) std, sqrt(3) std]."""
    _check_fans(fan_in, fan_out)
    if not np.isfinite(std) or std < 0:
        raise ValueError(f"std must be finite and >= 0, got {std}")
    if uniform:
        a = np.sqrt(3.0) * std  # U(-a, a) 的方差是 a^2 / 3
        return rng.uniform(-a, a, size=(fan_out, fan_in))
    return std * rng.standard_normal((fan_out, fan_in))
# --8<-- [end:init]


def _act(z: np.ndarray, activation: Activation) -> np.ndarray:
    if activation == "tanh":
        return np.tanh(z)
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "sigmoid":
        return 1 / (1 + np.exp(-z))
    return z


# --8<-- [start:forward_stats]
def forward_moments(std: float, activation: Activation, depth: int = 20, width: int = 128, n: int = 128,
                    seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Push N(0, I) inputs through ``depth`` layers z = W a, a = act(z) (no bias); second moments per layer.

    Args:
        std: the std of every weight (e.g. ``kaiming_std(width, width)``, 0.01 or 1.0).
        activation: the nonlinearity after every layer.
        depth, width: number of layers L and their size; n: number of input samples.
        seed: seeds inputs and weights.

    Returns:
        mean of z^2 and mean of a^2 = act(z)^2 over all samples and units, each of shape (depth,).
    """
    _check_activation(activation)  # 未知的名字不能悄悄当成线性
    if depth < 1 or width < 1 or n < 2:
        raise ValueError(f"depth, width must be >= 1 and n >= 2, got {depth}, {width}, {n}")
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, width))  # (N, width), E[a^2] = 1: 输入不是 ReLU 的输出
    z2, a2 = np.empty(depth), np.empty(depth)
    for layer in range(depth):
        W = init_weight(width, width, std, rng)  # (out, in)
        # z = a W^T; E[z^2] = fan_in Var(W) E[a^2]. 用 einsum 而非 @: 这种尺寸下多线程 BLAS 反而更慢
        z = np.einsum("ni,oi->no", a, W)
        a = _act(z, activation)
        z2[layer], a2[layer] = np.mean(z**2), np.mean(a**2)
    return z2, a2


def preactivation_stds(std: float, activation: Activation, depth: int = 20, width: int = 128, n: int = 128,
                       seed: int = 0) -> np.ndarray:
    """Root mean square of z per layer, shape (depth,): its std, since the weights have mean 0."""
    return np.sqrt(forward_moments(std, activation, depth, width, n, seed)[0])
# --8<-- [end:forward_stats]


# --8<-- [start:symmetry]
def hidden_unit_spread(W1_init: np.ndarray, w2_init: np.ndarray, steps: int = 200, lr: float = 0.5,
                       seed: int = 0) -> float:
    """Train a 2-H-1 tanh MLP on a toy task; return max over hidden units of |W1[j] - W1[0]| afterwards.

    Args:
        W1_init: first-layer weights, shape (H, 2); w2_init: output weights, shape (H,).
        steps, lr: full-batch gradient descent on mean squared error; seed: seeds the 64 inputs.

    Returns:
        0.0 exactly when every hidden unit still has the same incoming weights (symmetry never broke).
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    lr = check_positive("lr", lr)
    W1, w2 = np.array(W1_init, dtype=float), np.array(w2_init, dtype=float)
    if W1.ndim != 2 or W1.shape[1] != 2 or w2.shape != (W1.shape[0],):
        raise ValueError(f"W1_init must be (H, 2) and w2_init (H,), got {W1.shape} and {w2.shape}")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((64, 2))
    y = np.sin(X[:, 0]) * X[:, 1]  # 一个需要多个不同隐藏单元才能拟合的目标
    for _ in range(steps):
        a = np.tanh(X @ W1.T)  # (64, H)
        dy = (a @ w2 - y) / len(y)  # (64,)
        dW1 = ((dy[:, None] * w2) * (1 - a**2)).T @ X  # 每个单元的梯度只依赖它自己的 W1[j], w2[j]
        w2 -= lr * a.T @ dy
        W1 -= lr * dW1
    return float(np.abs(W1 - W1[0]).max())
# --8<-- [end:symmetry]


# --8<-- [start:orthogonal]
def orthogonal_weight(fan_in: int, fan_out: int, rng: np.random.Generator, g: float = 1.0) -> np.ndarray:
    """W of shape (fan_out, fan_in) with orthonormal rows (or columns, if fan_out > fan_in), times gain g.

    Same construction as torch.nn.init.orthogonal_: QR of a Gaussian matrix, signs fixed by diag(R).
    """
    _check_fans(fan_in, fan_out)
    g = check_positive("g", g)
    A = rng.standard_normal((max(fan_in, fan_out), min(fan_in, fan_out)))
    Q, R = np.linalg.qr(A)  # Q: (max, min), 列正交
    Q *= np.sign(np.diag(R))  # 让 Q 在正交矩阵上均匀分布 (Haar), 而不只是某个 QR 约定的结果
    return g * (Q.T if fan_out < fan_in else Q)


def chain_singular_values(init: Literal["gaussian", "orthogonal"], depth: int = 20, width: int = 128,
                          seed: int = 0) -> np.ndarray:
    """Singular values of W^(L) ... W^(1) for a deep linear net: its input-output Jacobian, shape (width,)."""
    if init not in ("gaussian", "orthogonal") or depth < 1:
        raise ValueError(f"init must be 'gaussian' or 'orthogonal' and depth >= 1, got {init!r}, {depth}")
    rng = np.random.default_rng(seed)
    J = np.eye(width)
    for _ in range(depth):
        W = (orthogonal_weight(width, width, rng) if init == "orthogonal"
             else init_weight(width, width, 1 / np.sqrt(width), rng))  # 两者都让 E|W x|^2 = |x|^2
        J = W @ J
    return np.linalg.svd(J, compute_uv=False)
# --8<-- [end:orthogonal]

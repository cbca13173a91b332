"""Universal approximation in practice: fitting a 1-D function with H hidden units, and why polynomials fail."""

from __future__ import annotations

import math

import numpy as np

from snippets._checks import check_int
from snippets.basics.backprop import Params, backward, forward, init_mlp


def target(x: np.ndarray) -> np.ndarray:
    """The function every fit on the page tries to approximate: sin(3x) + 0.3 x on [-2, 2]."""
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a floating numpy array")
    return np.sin(3 * x) + 0.3 * x


def _check_hidden_seed(hidden: int, seed: int) -> None:
    check_int(hidden, "hidden", 1)
    check_int(seed, "seed", 0)


def _check_fit(hidden: int, seed: int, steps: int, lr: float, n: int) -> None:
    _check_hidden_seed(hidden, seed)
    check_int(steps, "steps", 1)
    if not (isinstance(lr, float) and 0 < lr < math.inf):
        raise ValueError(f"lr must be a positive finite float, got {lr!r}")
    check_int(n, "n", 2)


# --8<-- [start:fit_1d]
def adam_update(
    p: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, t: int, lr: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One Adam step (Kingma & Ba, 2015) with PyTorch's defaults betas = (0.9, 0.999), eps = 1e-8.

    Args:
        p: a parameter array; g: its gradient; m, v: the first and second moment estimates (all one shape).
        t: the step number, starting at 1 (for bias correction); lr: the learning rate.

    Returns:
        the updated parameter, m and v.
    """
    if not (p.shape == g.shape == m.shape == v.shape):
        raise ValueError(f"p, g, m, v must have one shape, got {p.shape}, {g.shape}, {m.shape}, {v.shape}")
    if isinstance(t, bool) or not isinstance(t, int) or t < 1:
        raise ValueError(f"t must be an int >= 1, got {t!r}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 <= lr < math.inf:
        raise ValueError(f"lr must be a finite number >= 0, got {lr!r}")
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    return p - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), m, v


def cosine_lr(lr: float, t: int, steps: int) -> float:
    """Learning rate of step t (1-based) decayed from lr to 0 by half a cosine, like CosineAnnealingLR(T_max=steps)."""
    if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= steps:
        raise ValueError(f"t must be an int in [1, steps], got {t!r}")
    return lr * 0.5 * (1 + math.cos(math.pi * (t - 1) / steps))


def fit_1d(hidden: int, seed: int, steps: int = 2000, lr: float = 0.03, n: int = 100) -> tuple[Params, float]:
    """Train x -> W_2 tanh(W_1 x + b_1) + b_2 on ``target`` with full-batch Adam on the MSE.

    Args:
        hidden: number of hidden units H.
        seed: seed of the initial weights.
        steps: Adam steps; lr: Adam's peak learning rate (cosine decay to 0); n: grid points on [-2, 2].

    Returns:
        the trained parameters and the final training MSE.
    """
    _check_fit(hidden, seed, steps, lr, n)
    x = np.linspace(-2.0, 2.0, n)[:, None]  # (n, 1)
    y = target(x)
    acts = ["tanh", "identity"]
    params = init_mlp([1, hidden, 1], np.random.default_rng(seed))
    m = [np.zeros_like(p) for pair in params for p in pair]
    v = [np.zeros_like(p) for pair in params for p in pair]
    for t in range(1, steps + 1):
        y_hat, cache = forward(params, x, acts)
        grads = backward(params, cache, 2 * (y_hat - y) / n, acts)  # MSE 的梯度
        flat = [p for pair in params for p in pair]
        # 学习率恒为 0.03 时 Adam 到最后仍在振荡 (末 200 步的损失相差可达百倍), 终点的误差只是振荡的一个快照;
        # 余弦退火到 0 让末段收敛, 报告的误差才是这次训练到达的位置
        lr_t = cosine_lr(lr, t, steps)
        for i, g in enumerate(g for pair in grads for g in pair):
            flat[i], m[i], v[i] = adam_update(flat[i], g, m[i], v[i], t, lr_t)
        params = [(flat[2 * k], flat[2 * k + 1]) for k in range(len(params))]
    y_hat, _ = forward(params, x, acts)
    return params, float(np.mean((y_hat - y) ** 2))
# --8<-- [end:fit_1d]


def predict_1d(params: Params, x: np.ndarray) -> np.ndarray:
    """Evaluate a network from ``fit_1d``. Args: params, x of shape (n,). Returns: (n,)."""
    if not isinstance(x, np.ndarray) or x.ndim != 1:
        raise ValueError("x must be a 1-D array")
    y_hat, _ = forward(params, x[:, None], ["tanh", "identity"])
    return y_hat[:, 0]


def _check_power_features(x: np.ndarray, y: np.ndarray, hidden: int, activation: str, seed: int) -> None:
    for name, a in (("x", x), ("y", y)):
        if not isinstance(a, np.ndarray) or not np.issubdtype(a.dtype, np.floating):
            raise TypeError(f"{name} must be a floating numpy array, got {getattr(a, 'dtype', type(a).__name__)}")
    if x.ndim != 1 or y.shape != x.shape:
        raise ValueError("x and y must be 1-D arrays of the same length")
    if activation not in ("square", "tanh"):
        raise ValueError(f"activation must be 'square' or 'tanh', got {activation!r}")
    _check_hidden_seed(hidden, seed)


# --8<-- [start:power_features]
def best_output_layer_mse(x: np.ndarray, y: np.ndarray, hidden: int, activation: str, seed: int) -> float:
    """Random hidden layer, then the least-squares output layer: the best fit given those hidden weights.

    Args:
        x: inputs (n,); y: targets (n,).
        hidden: number of hidden units H.
        activation: "square" (t^2, a polynomial) or "tanh".
        seed: seed of the hidden weights w, c ~ N(0, 1).

    Returns:
        the training MSE of sum_j a_j f(w_j x + c_j) + a_0 with the best a.
    """
    _check_power_features(x, y, hidden, activation, seed)
    rng = np.random.default_rng(seed)
    w, c = rng.standard_normal(hidden), rng.standard_normal(hidden)
    pre = np.outer(x, w) + c  # (n, H)
    # (w x + c)^2 = w^2 x^2 + 2wc x + c^2: 每个隐藏单元都落在 span{1, x, x^2} 里, 再宽也一样
    H = pre**2 if activation == "square" else np.tanh(pre)
    H1 = np.hstack([H, np.ones((len(x), 1))])  # (n, H + 1)
    a, *_ = np.linalg.lstsq(H1, y, rcond=None)
    return float(np.mean((H1 @ a - y) ** 2))
# --8<-- [end:power_features]

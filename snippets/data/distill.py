"""Knowledge distillation (Hinton et al., 2015): soft targets at temperature tau and the tau^2 factor."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array
from snippets.losses.softmax import log_softmax, softmax


def _check(z_s: np.ndarray, z_t: np.ndarray, temperature: float) -> None:
    check_float_array(z_s, "z_s", (2,))
    check_float_array(z_t, "z_t", (2,))
    if z_s.shape != z_t.shape:
        raise ValueError(f"z_t must have the shape of z_s {z_s.shape}, got {z_t.shape}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")


# --8<-- [start:loss]
def soft_target_loss(z_s: np.ndarray, z_t: np.ndarray, temperature: float) -> float:
    """Mean over the batch of -sum_k q_k log p_k, q = softmax(z_t / tau), p = softmax(z_s / tau).

    Args:
        z_s: student logits, (N, K).  z_t: teacher logits, (N, K).
        temperature: tau > 0.

    Returns:
        The soft-target cross-entropy, without the tau^2 factor.
    """
    _check(z_s, z_t, temperature)
    q = softmax(z_t, axis=1, temperature=temperature)  # (N, K) 教师的软目标
    return float(-(q * log_softmax(z_s / temperature, axis=1)).sum(axis=1).mean())


def soft_target_grad(z_s: np.ndarray, z_t: np.ndarray, temperature: float) -> np.ndarray:
    """Gradient of soft_target_loss with respect to z_s: (p - q) / (tau N), shape (N, K)."""
    _check(z_s, z_t, temperature)
    N = z_s.shape[0]
    p = softmax(z_s, axis=1, temperature=temperature)
    q = softmax(z_t, axis=1, temperature=temperature)
    # 对 z_s / tau 的梯度是 p - q (同普通交叉熵), 链式法则再乘 1 / tau
    return (p - q) / (temperature * N)


def distillation_loss(
    z_s: np.ndarray, z_t: np.ndarray, y: np.ndarray, temperature: float, alpha: float
) -> float:
    """alpha * tau^2 * soft-target CE + (1 - alpha) * CE with the labels y, (N,) ints."""
    _check(z_s, z_t, temperature)
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    y = np.asarray(y)
    if y.shape != (z_s.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be ({z_s.shape[0]},) integer labels, got {y.shape} {y.dtype}")
    hard = -log_softmax(z_s, axis=1)[np.arange(len(y)), y].mean()
    # tau^2 抵消软目标梯度里的 1 / tau^2, 两项梯度量级可比, 换温度时 alpha 不必重调
    return float(alpha * temperature**2 * soft_target_loss(z_s, z_t, temperature) + (1 - alpha) * hard)
# --8<-- [end:loss]

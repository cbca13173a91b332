"""Reddi, Kale and Kumar (ICLR 2018): an online problem where Adam converges to the worst point."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from snippets.optim._checks import check_hyper


def _check_C(C: float) -> float:
    C = check_hyper("C", C, 2.0)
    if C == 2.0:
        raise ValueError("C must be > 2 (otherwise x* = -1 is not the unique optimum)")
    return C


# --8<-- [start:setting]
@dataclass(frozen=True)
class Theorem1Setting:
    """The constants of Theorem 1 of Reddi et al.: beta1 = 0, beta2 = 1 / (1 + C^2), alpha < sqrt(1 - beta2)."""

    C: float
    alpha: float
    beta1: float
    beta2: float

    def as_kwargs(self) -> dict[str, float]:
        """The keyword arguments of ``online_adam`` for this setting."""
        return {"alpha": self.alpha, "beta1": self.beta1, "beta2": self.beta2}


def theorem1_setting(C: float = 3.0, alpha: float = 0.5) -> Theorem1Setting:
    """The paper's setting for a given C; raises ValueError when alpha breaks the theorem's condition."""
    C = _check_C(C)
    beta2 = 1 / (1 + C**2)
    alpha = check_hyper("alpha", alpha)
    if not 0 < alpha < math.sqrt(1 - beta2):
        raise ValueError(f"alpha must be in (0, sqrt(1 - beta2)) = (0, {math.sqrt(1 - beta2):.4f}), got {alpha}")
    return Theorem1Setting(C=C, alpha=alpha, beta1=0.0, beta2=beta2)
# --8<-- [end:setting]


# --8<-- [start:reddi]
def reddi_gradient(t: int, C: float) -> float:
    """Gradient of f_t(x) = C x if t % 3 == 1 else -x  (t = 1, 2, ...); x* = -1 on [-1, 1]."""
    if isinstance(t, bool) or not isinstance(t, int) or t < 1:
        raise ValueError(f"t must be a positive int, got {t!r}")
    return C if t % 3 == 1 else -1.0


def online_adam(C: float, steps: int, alpha: float = 0.5, beta1: float = 0.0, beta2: float | None = None,
                amsgrad: bool = False, eps: float = 1e-8, x0: float = 0.0) -> np.ndarray:
    """Adam / AMSGrad as in the paper's Algorithm 1 and 2: step alpha / sqrt(t), no bias correction,
    projection onto [-1, 1].

    Args:
        C: the large gradient, C > 2.
        steps: number of rounds T.
        alpha: base step size; round t uses alpha / sqrt(t).
        beta1, beta2: moment decays; beta2 defaults to the paper's 1 / (1 + C^2).
        amsgrad: keep the running maximum of v (the fix).
        eps: added to sqrt(v) (the analysis uses 0; it only guards a zero division).
        x0: start point in [-1, 1].

    Returns:
        The iterates x_1..x_T, shape (steps,).
    """
    C = _check_C(C)
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps}")
    beta2 = 1 / (1 + C**2) if beta2 is None else check_hyper("beta2", beta2, 0.0, 1.0)
    beta1 = check_hyper("beta1", beta1, 0.0, 1.0)
    x = check_hyper("x0", x0, -1.0, 1.0, closed_high=True)
    m = v = v_max = 0.0
    xs = np.empty(steps)
    for t in range(1, steps + 1):
        xs[t - 1] = x
        g = reddi_gradient(t, C)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)
        denom = math.sqrt(v_max if amsgrad else v) + eps
        # 大梯度 C 每 3 步才出现一次; Adam 的 v 很快把它忘掉, 两次 -1 的步子比一次 C 的步子走得远
        x = min(1.0, max(-1.0, x - alpha / math.sqrt(t) * m / denom))  # 投影回 [-1, 1]
    return xs
# --8<-- [end:reddi]


def average_regret(xs: np.ndarray, C: float) -> np.ndarray:
    """R_T / T = (1/T) sum_t [f_t(x_t) - f_t(-1)] for T = 1..len(xs); shape (len(xs),)."""
    xs = np.asarray(xs, dtype=float)
    if xs.ndim != 1 or xs.size == 0:
        raise ValueError(f"xs must be a non-empty 1-D array, got shape {xs.shape}")
    C = _check_C(C)
    t = np.arange(1, xs.size + 1)
    g = np.where(t % 3 == 1, C, -1.0)
    # f_t 是线性的: f_t(x_t) - f_t(x*) = g_t (x_t - x*)
    return np.cumsum(g * (xs + 1.0)) / t

"""Exponential moving average: recursion, bias correction, the weights it puts on the past."""

from __future__ import annotations

import numpy as np

from snippets.optim._checks import check_hyper


def _check_series(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"x must be a floating array, got {x.dtype}")
    if x.ndim < 1 or x.shape[0] == 0 or not np.all(np.isfinite(x)):
        raise ValueError(f"x must be finite with at least one step along axis 0, got shape {x.shape}")
    return x


# --8<-- [start:ema]
def ema(x: np.ndarray, beta: float, bias_correction: bool = False) -> np.ndarray:
    """s_t = beta s_{t-1} + (1 - beta) x_t with s_0 = 0, optionally divided by 1 - beta^t.

    Args:
        x: the series, time along axis 0, shape (T, ...).
        beta: decay in [0, 1); larger beta = longer memory.
        bias_correction: return s_t / (1 - beta^t), as Adam does.

    Returns:
        The averages s_1..s_T, shape of x.
    """
    x = _check_series(x)
    beta = check_hyper("beta", beta, 0.0, 1.0)
    s = np.zeros(x.shape[1:])
    out = np.empty_like(x, dtype=float)
    for t in range(x.shape[0]):
        s = beta * s + (1 - beta) * x[t]
        # s_t 的权重之和是 1 - beta^t < 1 (缺的那部分给了 s_0 = 0), 除掉它就是加权平均
        out[t] = s / (1 - beta ** (t + 1)) if bias_correction else s
    return out


def ema_weights(beta: float, T: int) -> np.ndarray:
    """Weight of x_{T-k} in s_T for k = 0..T-1: (1 - beta) beta^k; shape (T,)."""
    beta = check_hyper("beta", beta, 0.0, 1.0)
    if not isinstance(T, int) or T < 1:
        raise ValueError(f"T must be a positive int, got {T}")
    return (1 - beta) * beta ** np.arange(T)
# --8<-- [end:ema]


def effective_window(beta: float) -> float:
    """1 / (1 - beta): the mean age + 1 of what the EMA remembers (beta = 0.9 -> 10 steps)."""
    beta = check_hyper("beta", beta, 0.0, 1.0)
    return 1.0 / (1.0 - beta)

"""Exponential moving average: recursion, bias correction, the weights it puts on the past."""

from __future__ import annotations

import math

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
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 1:
        raise ValueError(f"T must be a positive int, got {T!r}")
    return (1 - beta) * beta ** np.arange(T)
# --8<-- [end:ema]


def effective_window(beta: float) -> float:
    """1 / (1 - beta): the mean age + 1 of what the EMA remembers (beta = 0.9 -> 10 steps)."""
    beta = check_hyper("beta", beta, 0.0, 1.0)
    return 1.0 / (1.0 - beta)


def _check_update(t: int) -> int:
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 1:
        raise ValueError(f"t must be a positive int (the update count, 1 at the first update), got {t!r}")
    return int(t)


# --8<-- [start:warmup]
def yolov5_decay(t: int, decay: float = 0.9999, t0: float = 2000.0) -> float:
    """Decay used at update t = 1, 2, ... by YOLOv5's ModelEMA: decay * (1 - exp(-t / t0)).

    YOLOv5's code calls the time constant t0 ``tau``; here it is t0, since tau is the softmax temperature.
    """
    t = _check_update(t)
    decay, t0 = check_hyper("decay", decay, 0.0, 1.0), check_hyper("t0", t0)
    if t0 == 0:
        raise ValueError("t0 must be > 0")
    return decay * (1 - math.exp(-t / t0))


def mean_teacher_decay(t: int, alpha: float = 0.999) -> float:
    """Decay at update t = 1, 2, ... in the Mean Teacher code (CuriousAI/mean-teacher): min(1 - 1/(t + 1), alpha)."""
    t = _check_update(t)
    return min(1 - 1 / (t + 1), check_hyper("alpha", alpha, 0.0, 1.0))


def weight_ema(thetas: np.ndarray, decays: np.ndarray) -> np.ndarray:
    """EMA of model weights as implementations keep it: s_0 = theta_0 (a copy), s_t = d_t s_{t-1} + (1 - d_t) theta_t.

    Args:
        thetas: thetas[0] is the starting point s_0 (a copy of the initial weights theta_0; in the Mean Teacher
            code, the teacher's own initialization), then theta_1..theta_T; time along axis 0, shape (T + 1, ...).
        decays: d_1..d_T in [0, 1), shape (T,).

    Returns:
        s_0..s_T, shape of thetas.
    """
    thetas = _check_series(thetas)
    d = np.asarray(decays, dtype=float)
    if d.shape != (thetas.shape[0] - 1,) or not np.all((d >= 0) & (d < 1)):
        raise ValueError(f"decays must have shape ({thetas.shape[0] - 1},) with values in [0, 1), got {d.shape}")
    out = np.empty_like(thetas, dtype=float)
    out[0] = thetas[0]  # 从第一份权重的拷贝开始, 而不是从 0: 没有 Adam 那种偏向 0 的偏差
    for t in range(1, thetas.shape[0]):
        out[t] = d[t - 1] * out[t - 1] + (1 - d[t - 1]) * thetas[t]
    return out


def initial_weight(decays: np.ndarray) -> np.ndarray:
    """Weight that s_t still puts on theta_0 (the random init), prod_{k <= t} d_k, for t = 1..T; shape (T,)."""
    d = np.asarray(decays, dtype=float)
    if d.ndim != 1 or d.size == 0 or not np.all((d >= 0) & (d < 1)):
        raise ValueError(f"decays must be a non-empty 1-D array with values in [0, 1), got shape {d.shape}")
    # 常数衰减 beta 时这是 beta^t: beta = 0.9999 要 1 万步才降到 1/e, 平均里长期混着随机初始化
    return np.cumprod(d)
# --8<-- [end:warmup]

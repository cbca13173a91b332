"""SELU's self-normalisation (Klambauer et al. 2017): activations of a deep SELU MLP keep mean 0 and variance 1
with LeCun-normal weights, and AlphaDropout keeps them there where ordinary dropout would not."""

from __future__ import annotations

from typing import Literal

import numpy as np

from snippets._checks import check_int
from snippets.basics.activations import SELU_ALPHA, SELU_SCALE, selu

Init = Literal["lecun", "he"]


# --8<-- [start:alpha_dropout]
def alpha_dropout(x: np.ndarray, p: float, keep: np.ndarray) -> np.ndarray:
    """AlphaDropout: dropped units take SELU's negative saturation value, then an affine map restores mean 0, var 1.

    Args:
        x: activations, any shape; p: drop probability in (0, 1); keep: bool mask of x's shape (True = kept).
    """
    if not 0 < p < 1:
        raise ValueError(f"p must be in (0, 1), got {p!r}")
    if not isinstance(keep, np.ndarray) or keep.dtype != np.bool_ or keep.shape != np.shape(x):
        raise ValueError("keep must be a bool array of x's shape")
    alpha_p = -SELU_SCALE * SELU_ALPHA  # SELU 在 z -> -inf 时的值, 约 -1.7581
    a = ((1 - p) * (1 + p * alpha_p**2)) ** -0.5  # 输入均值 0、方差 1 时, 让输出也是均值 0、方差 1
    b = -a * alpha_p * p
    return a * np.where(keep, x, alpha_p) + b
# --8<-- [end:alpha_dropout]


# --8<-- [start:selu_stats]
def selu_layer_stats(
    init: Init, seed: int, depth: int = 30, width: int = 64, n: int = 256, p_drop: float = 0.0,
    dropout: Literal["alpha", "plain"] = "alpha",
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of every layer's SELU outputs for standard-normal inputs, no training.

    Args:
        init: "lecun" (Var W = 1 / fan_in, what SELU assumes) or "he" (Var W = 2 / fan_in).
        seed: seed of inputs, weights and dropout masks; depth: layers; width: units; n: samples.
        p_drop: drop probability after each layer (0: none); dropout: "alpha" or "plain" (inverted dropout).

    Returns:
        means (depth,), variances (depth,) over all n * width outputs of each layer.
    """
    if init not in ("lecun", "he"):
        raise ValueError(f"init must be 'lecun' or 'he', got {init!r}")
    if dropout not in ("alpha", "plain") or not 0 <= p_drop < 1:
        raise ValueError(f"dropout must be 'alpha' or 'plain' and p_drop in [0, 1), got {dropout!r}, {p_drop!r}")
    for name, value, low in (("seed", seed, 0), ("depth", depth, 1), ("width", width, 1), ("n", n, 2)):
        check_int(value, name, low)
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, width))  # (n, width), 已标准化的输入
    gain = 1.0 if init == "lecun" else 2.0
    means, variances = np.empty(depth), np.empty(depth)
    for k in range(depth):
        W = rng.normal(0.0, np.sqrt(gain / width), (width, width))  # (out, in)
        A = selu(A @ W.T)
        if p_drop > 0:
            keep = rng.random(A.shape) >= p_drop
            A = alpha_dropout(A, p_drop, keep) if dropout == "alpha" else np.where(keep, A, 0.0) / (1 - p_drop)
        means[k], variances[k] = A.mean(), A.var()
    return means, variances
# --8<-- [end:selu_stats]

"""Why ReLU replaced sigmoid and tanh: gradient norms through depth and exact zeros, at initialisation."""

from __future__ import annotations

from typing import Literal

import numpy as np

from snippets._checks import check_int
from snippets.basics.backprop import backward, forward, init_mlp
from snippets.basics.deep_grads import make_regression

Act = Literal["sigmoid", "tanh", "relu"]
ACTS: tuple[Act, ...] = ("sigmoid", "tanh", "relu")


# --8<-- [start:depth_profile]
def depth_profile(act: Act, seed: int, depth: int = 20, width: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """Per-layer gradient norms and exact-zero shares of a plain MLP at initialisation.

    The network is 16 -> width -> ... -> width -> 1 with ``depth`` weight layers, ``act`` after every hidden
    layer, Xavier init for sigmoid and tanh, He init for ReLU (each with the init made for it), zero biases;
    the loss is 0.5 * mean((y_hat - y)^2) on 128 samples of y = sin(x^T u).

    Returns:
        ||dL/dW_l||_F for l = 1..depth, shape (depth,); share of hidden outputs exactly 0 per hidden layer,
        shape (depth - 1,).
    """
    if act not in ACTS:
        raise ValueError(f"act must be one of {ACTS}, got {act!r}")
    check_int(seed, "seed", 0)
    check_int(depth, "depth", 2)
    check_int(width, "width", 1)
    rng = np.random.default_rng(seed)
    X, y = make_regression(128, 16, rng)  # (128, 16), (128, 1)
    params = init_mlp([16] + [width] * (depth - 1) + [1], rng, "he" if act == "relu" else "xavier")
    acts = [act] * (depth - 1) + ["identity"]
    y_hat, cache = forward(params, X, acts)
    grads = backward(params, cache, (y_hat - y) / len(y), acts)
    norms = np.array([np.linalg.norm(dW) for dW, _ in grads])
    zeros = np.array([np.mean(A == 0.0) for A in cache.inputs[1:]])  # 第 l 层的输入 = 第 l-1 层的输出
    return norms, zeros
# --8<-- [end:depth_profile]

"""Newer activations and their derivatives: GELU (exact and tanh form), SiLU/Swish, Mish, hard-sigmoid, hard-swish.

Also ``ZOO``: every activation of the chapter by the name ``torch.nn.functional`` gives it, with its derivative.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from snippets.basics.activations import (
    _check_x,
    elu,
    elu_grad,
    leaky_relu,
    leaky_relu_grad,
    relu,
    relu_grad,
    selu,
    selu_grad,
    sigmoid,
    sigmoid_grad,
    softplus,
    softplus_grad,
    tanh,
    tanh_grad,
)

_erf = np.vectorize(math.erf, otypes=[float])  # NumPy 没有 erf; math.erf 精确到双精度


# --8<-- [start:gelu]
def gelu(x: float | np.ndarray) -> np.ndarray:
    """GELU(x) = x Phi(x), Phi the standard normal CDF (Hendrycks & Gimpel, 2016)."""
    x = _check_x(x)
    return x * 0.5 * (1 + _erf(x / math.sqrt(2)))


def gelu_grad(x: float | np.ndarray) -> np.ndarray:
    """Phi(x) + x phi(x), phi the standard normal density; dips below 0 for x < ~-0.75."""
    x = _check_x(x)
    cdf = 0.5 * (1 + _erf(x / math.sqrt(2)))
    pdf = np.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)
    return cdf + x * pdf


def gelu_tanh(x: float | np.ndarray) -> np.ndarray:
    """The tanh approximation 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), PyTorch's approximate="tanh"."""
    x = _check_x(x)
    u = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
    return 0.5 * x * (1 + np.tanh(u))


def gelu_tanh_grad(x: float | np.ndarray) -> np.ndarray:
    """Derivative of gelu_tanh by the product and chain rules."""
    x = _check_x(x)
    u = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
    du = math.sqrt(2 / math.pi) * (1 + 3 * 0.044715 * x**2)
    t = np.tanh(u)
    return 0.5 * (1 + t) + 0.5 * x * (1 - t**2) * du
# --8<-- [end:gelu]


# --8<-- [start:silu_mish]
def silu(x: float | np.ndarray) -> np.ndarray:
    """SiLU / Swish-1: x sigma(x)."""
    x = _check_x(x)
    return x * sigmoid(x)


def silu_grad(x: float | np.ndarray) -> np.ndarray:
    """sigma(x) (1 + x (1 - sigma(x))); like GELU's, it is slightly negative for x < ~-1.28."""
    s = sigmoid(x)
    return s * (1 + np.asarray(x) * (1 - s))


def mish(x: float | np.ndarray) -> np.ndarray:
    """Mish(x) = x tanh(softplus(x)) (Misra, 2019)."""
    x = _check_x(x)
    return x * np.tanh(softplus(x))


def mish_grad(x: float | np.ndarray) -> np.ndarray:
    """tanh(sp) + x (1 - tanh(sp)^2) sigma(x), with sp = softplus(x) and sp' = sigma."""
    x = _check_x(x)
    t = np.tanh(softplus(x))
    return t + x * (1 - t**2) * sigmoid(x)
# --8<-- [end:silu_mish]


# --8<-- [start:hard]
def hardsigmoid(x: float | np.ndarray) -> np.ndarray:
    """Piecewise-linear sigmoid: 0 for x <= -3, 1 for x >= 3, x / 6 + 1/2 between (PyTorch's definition)."""
    x = _check_x(x)
    return np.clip(x / 6 + 0.5, 0.0, 1.0)


def hardsigmoid_grad(x: float | np.ndarray) -> np.ndarray:
    """1/6 on the open interval (-3, 3), 0 elsewhere (PyTorch returns 0 at x = +-3)."""
    x = _check_x(x)
    return np.where((x > -3) & (x < 3), 1 / 6, 0.0)


def hardswish(x: float | np.ndarray) -> np.ndarray:
    """x * hardsigmoid(x) (Howard et al., 2019, MobileNetV3): no exp, cheap on mobile hardware."""
    x = _check_x(x)
    return x * hardsigmoid(x)


def hardswish_grad(x: float | np.ndarray) -> np.ndarray:
    """0 for x <= -3, x / 3 + 1/2 on (-3, 3), 1 for x >= 3 (PyTorch's values at the two kinks)."""
    x = _check_x(x)
    return np.where(x <= -3, 0.0, np.where(x >= 3, 1.0, x / 3 + 0.5))
# --8<-- [end:hard]


Fn = Callable[[np.ndarray], np.ndarray]

# --8<-- [start:zoo]
# 名字与 torch.nn.functional 中的函数一致 ("gelu_tanh" 对应 F.gelu(x, approximate="tanh"))
ZOO: dict[str, tuple[Fn, Fn]] = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "elu": (elu, elu_grad),
    "selu": (selu, selu_grad),
    "softplus": (softplus, softplus_grad),
    "gelu": (gelu, gelu_grad),
    "gelu_tanh": (gelu_tanh, gelu_tanh_grad),
    "silu": (silu, silu_grad),
    "mish": (mish, mish_grad),
    "hardsigmoid": (hardsigmoid, hardsigmoid_grad),
    "hardswish": (hardswish, hardswish_grad),
}
# --8<-- [end:zoo]

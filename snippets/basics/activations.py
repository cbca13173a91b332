"""Classic activations and their derivatives: sigmoid, tanh, ReLU family, ELU, SELU, softplus.

Every ``*_grad`` returns the value PyTorch's autograd returns, including at kinks (see the page on
non-differentiable activations): ReLU'(0) = 0, LeakyReLU'(0) = PReLU'(0) = slope, SELU'(0) = scale * alpha.
"""

from __future__ import annotations

import numpy as np

# SELU 的两个常数 (Klambauer et al., 2017, eq. 14), 与 torch.nn.SELU 相同
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _check_x(x: float | np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.dtype.kind != "f":  # 训练循环里每步都调用: 用最便宜的检查
        raise TypeError(f"x must be a floating array, got {x.dtype}")
    if np.isnan(x).any():
        raise ValueError("x must not contain NaN")
    return x


def _check_positive(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")


def _check_slope(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")


# --8<-- [start:sigmoid_tanh]
def sigmoid(x: float | np.ndarray) -> np.ndarray:
    """sigma(x) = 1 / (1 + e^-x) without overflow or underflow, to about one ulp wherever sigma(x) is a normal float.

    Args: x, any shape, float16/32/64, +-inf allowed. Returns: same shape and dtype; exact 0 and 1 in the limits.
    """
    x = _check_x(x)
    a = np.abs(x)
    # 只算 e^{-|x|} (指数不为正, 不可能上溢); e^{-|x|} 小于最小正规数时 (float64 |x| > 708, float32 |x| > 87)
    # 不去算它而直接取 0, 所以也没有下溢: 那里 sigma(x) 的真值 (x < 0 时) 本身已小于最小正规数
    big = -np.log(np.finfo(x.dtype).tiny) * (1 - 1e-6)
    e = np.exp(-a, out=np.zeros_like(x), where=a < big)
    # x >= 0: 1 / (1 + e^{-x}); x < 0: e^{x} / (1 + e^{x}); 两支都只用 e in [0, 1], 分母在 [1, 2]
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(x: float | np.ndarray) -> np.ndarray:
    """sigma'(x) = sigma(x) (1 - sigma(x)) <= 1/4, equality only at x = 0."""
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x: float | np.ndarray) -> np.ndarray:
    """tanh(x) = 2 sigma(2x) - 1, zero-centred, range (-1, 1)."""
    return np.tanh(_check_x(x))


def tanh_grad(x: float | np.ndarray) -> np.ndarray:
    """tanh'(x) = 1 - tanh(x)^2 <= 1, equality only at x = 0."""
    return 1 - np.tanh(_check_x(x)) ** 2
# --8<-- [end:sigmoid_tanh]


# --8<-- [start:relu_family]
def relu(x: float | np.ndarray) -> np.ndarray:
    """max(0, x)."""
    x = _check_x(x)
    return np.where(x > 0, x, 0.0)


def relu_grad(x: float | np.ndarray) -> np.ndarray:
    """1 for x > 0, else 0: at the kink x = 0 PyTorch (and we) return 0, one valid subgradient."""
    return (_check_x(x) > 0).astype(float)


def leaky_relu(x: float | np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
    """x for x > 0, negative_slope * x otherwise (negative_slope is fixed, not learned)."""
    x = _check_x(x)
    _check_slope("negative_slope", negative_slope)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x: float | np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
    """1 for x > 0, negative_slope for x <= 0 (PyTorch's choice at 0)."""
    _check_slope("negative_slope", negative_slope)
    return np.where(_check_x(x) > 0, 1.0, negative_slope)


def prelu_grads(x: float | np.ndarray, a: float) -> tuple[np.ndarray, np.ndarray]:
    """PReLU = leaky ReLU whose slope a is learned (He et al., 2015), one shared a.

    Args:
        x: inputs, any shape.
        a: the learned negative slope.

    Returns:
        (d out / d x, d out / d a), each the shape of x; d/da is x on the negative side, 0 elsewhere.
    """
    x = _check_x(x)
    _check_slope("a", a)
    return np.where(x > 0, 1.0, a), np.where(x > 0, 0.0, x)
# --8<-- [end:relu_family]


# --8<-- [start:elu_selu]
def elu(x: float | np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """x for x > 0, alpha (e^x - 1) otherwise: smooth, saturates at -alpha for x -> -inf."""
    x = _check_x(x)
    _check_positive("alpha", alpha)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x: float | np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """1 for x > 0, alpha e^x for x <= 0 (continuous at 0 only when alpha = 1)."""
    x = _check_x(x)
    _check_positive("alpha", alpha)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def selu(x: float | np.ndarray) -> np.ndarray:
    """scale * elu(x, alpha) with the fixed constants that make activations self-normalising."""
    return SELU_SCALE * elu(x, SELU_ALPHA)


def selu_grad(x: float | np.ndarray) -> np.ndarray:
    """scale for x > 0, scale * alpha * e^x for x <= 0 (at 0: scale * alpha ~ 1.758, as PyTorch)."""
    return SELU_SCALE * elu_grad(x, SELU_ALPHA)
# --8<-- [end:elu_selu]


# --8<-- [start:softplus]
def softplus(x: float | np.ndarray, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """log(1 + e^(beta x)) / beta, a smooth ReLU; returns x where beta x > threshold, like PyTorch."""
    x = _check_x(x)
    _check_positive("beta", beta)
    bx = beta * x
    # log1p(e^{-|t|}) + max(t, 0) 等于 log(1 + e^t) 且不上溢
    smooth = (np.log1p(np.exp(-np.abs(bx))) + np.maximum(bx, 0.0)) / beta
    return np.where(bx > threshold, x, smooth)


def softplus_grad(x: float | np.ndarray, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """sigma(beta x): the derivative of softplus is the sigmoid (1 past the threshold)."""
    x = _check_x(x)
    _check_positive("beta", beta)
    return np.where(beta * x > threshold, 1.0, sigmoid(beta * x))
# --8<-- [end:softplus]

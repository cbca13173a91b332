"""Adaptive optimizers written as in torch.optim: AdaGrad, RMSprop, Adam (with AMSGrad), AdamW."""

from __future__ import annotations

import numpy as np

from snippets.optim._checks import check_flag, check_hyper, check_param_grad


# --8<-- [start:adagrad]
class Adagrad:
    """torch.optim.Adagrad (lr_decay = 0) for one parameter array.

    Args:
        lr: learning rate eta.
        eps: added to sqrt(G) in the denominator (PyTorch's default 1e-10).
        weight_decay: lambda, added to the gradient (L2).
    """

    def __init__(self, lr: float = 0.01, eps: float = 1e-10, weight_decay: float = 0.0) -> None:
        self.lr = check_hyper("lr", lr)
        self.eps = check_hyper("eps", eps)
        self.weight_decay = check_hyper("weight_decay", weight_decay)
        self.G: np.ndarray | None = None  # 每个元素的梯度平方和

    def step(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """One update; returns the new theta."""
        theta, grad = check_param_grad(theta, grad)
        g = grad + self.weight_decay * theta
        self.G = g * g if self.G is None else self.G + g * g
        # G 只增不减: 每个坐标的有效步长 eta / sqrt(G) 单调变小
        return theta - self.lr * g / (np.sqrt(self.G) + self.eps)
# --8<-- [end:adagrad]


# --8<-- [start:rmsprop]
class RMSprop:
    """torch.optim.RMSprop (centered = False) for one parameter array.

    Args:
        lr: learning rate eta.
        alpha: decay of the squared-gradient average (PyTorch's default 0.99).
        eps: added to sqrt(s) (outside the square root, as PyTorch does).
        weight_decay: lambda, added to the gradient (L2).
        momentum: mu; if > 0, the scaled step g / (sqrt(s) + eps) goes through a momentum buffer.
    """

    def __init__(self, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0) -> None:
        self.lr = check_hyper("lr", lr)
        self.alpha = check_hyper("alpha", alpha, 0.0, 1.0)
        self.eps = check_hyper("eps", eps)
        self.weight_decay = check_hyper("weight_decay", weight_decay)
        self.momentum = check_hyper("momentum", momentum, 0.0, 1.0)
        self.s: np.ndarray | None = None
        self.buf: np.ndarray | None = None

    def step(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """One update; returns the new theta."""
        theta, grad = check_param_grad(theta, grad)
        g = grad + self.weight_decay * theta
        s_prev = np.zeros_like(theta) if self.s is None else self.s
        # 与 AdaGrad 的唯一区别: 平方和换成指数移动平均, 旧梯度会被遗忘
        self.s = self.alpha * s_prev + (1 - self.alpha) * g * g
        scaled = g / (np.sqrt(self.s) + self.eps)
        if self.momentum > 0:
            self.buf = scaled if self.buf is None else self.momentum * self.buf + scaled
            scaled = self.buf
        return theta - self.lr * scaled
# --8<-- [end:rmsprop]


# --8<-- [start:adam]
class Adam:
    """torch.optim.Adam / AdamW for one parameter array.

    Args:
        lr: learning rate eta.
        betas: (beta1, beta2), decays of the first and second moment averages.
        eps: added to the bias-corrected sqrt(v_hat).
        weight_decay: lambda; L2 (added to the gradient) unless ``decoupled``.
        amsgrad: divide by the running maximum of v (Reddi et al., 2018).
        decoupled: AdamW: shrink theta by (1 - eta * lambda) outside the adaptive step.
    """

    def __init__(self, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, decoupled: bool = False) -> None:
        self.lr = check_hyper("lr", lr)
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas}")
        self.beta1 = check_hyper("betas[0]", betas[0], 0.0, 1.0)
        self.beta2 = check_hyper("betas[1]", betas[1], 0.0, 1.0)
        self.eps = check_hyper("eps", eps)
        self.weight_decay = check_hyper("weight_decay", weight_decay)
        self.amsgrad, self.decoupled = check_flag("amsgrad", amsgrad), check_flag("decoupled", decoupled)
        self.t = 0
        self.m: np.ndarray | None = None
        self.v: np.ndarray | None = None
        self.v_max: np.ndarray | None = None

    def step(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """One update; returns the new theta."""
        theta, grad = check_param_grad(theta, grad)
        if self.m is None or self.v is None:
            self.m, self.v = np.zeros_like(theta), np.zeros_like(theta)
        self.t += 1
        if self.decoupled:
            theta = theta * (1 - self.lr * self.weight_decay)  # AdamW: 衰减不经过 1/sqrt(v)
            g = grad
        else:
            g = grad + self.weight_decay * theta  # Adam + L2: 衰减项也被自适应地缩放
        self.m = self.beta1 * self.m + (1 - self.beta1) * g
        self.v = self.beta2 * self.v + (1 - self.beta2) * g * g
        v = self.v
        if self.amsgrad:
            self.v_max = v if self.v_max is None else np.maximum(self.v_max, v)
            v = self.v_max
        # 偏差修正: m, v 从 0 开始, 前几步的平均被拉向 0, 除以 1 - beta^t 抵消
        m_hat = self.m / (1 - self.beta1**self.t)
        v_hat = v / (1 - self.beta2**self.t)
        return theta - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
# --8<-- [end:adam]


def AdamW(lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,  # noqa: N802
          weight_decay: float = 1e-2, amsgrad: bool = False) -> Adam:
    """torch.optim.AdamW: Adam with decoupled weight decay (PyTorch's default lambda = 0.01).

    Args:
        lr, betas, eps, weight_decay, amsgrad: as for ``Adam``.

    Returns:
        An ``Adam`` with ``decoupled=True``.
    """
    return Adam(lr, betas, eps, weight_decay, amsgrad, decoupled=True)

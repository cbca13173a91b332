"""SGD with momentum and Nesterov in PyTorch's form, and the "lr inside the velocity" form."""

from __future__ import annotations

import numpy as np

from snippets.optim._checks import check_flag, check_hyper, check_param_grad, check_positive


# --8<-- [start:sgd]
class SGD:
    """torch.optim.SGD for one parameter array: weight decay, momentum, dampening, Nesterov.

    Args:
        lr: learning rate eta > 0.
        momentum: mu in [0, 1).
        dampening: d in [0, 1]; the new gradient enters the buffer with weight 1 - d.
        weight_decay: lambda >= 0, added to the gradient as lambda * theta (L2).
        nesterov: use the look-ahead direction g + mu * buf (needs momentum > 0, dampening = 0).
    """

    def __init__(self, lr: float, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False) -> None:
        self.lr = check_positive("lr", lr)
        self.momentum = check_hyper("momentum", momentum, 0.0, 1.0)
        self.dampening = check_hyper("dampening", dampening, 0.0, 1.0, closed_high=True)
        self.weight_decay = check_hyper("weight_decay", weight_decay)
        nesterov = check_flag("nesterov", nesterov)
        if nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError("nesterov requires momentum > 0 and dampening = 0")
        self.nesterov = nesterov
        self.buf: np.ndarray | None = None  # 动量缓冲 b, 第一次 step 时才创建

    def step(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """One update; returns the new theta (shape of theta), keeps the momentum buffer."""
        theta, grad = check_param_grad(theta, grad)
        g = grad + self.weight_decay * theta
        if self.momentum > 0:
            # PyTorch: 第一步 b = g (不乘 1 - dampening), 之后 b = mu b + (1 - d) g
            if self.buf is None:
                self.buf = g.copy()
            else:
                self.buf = self.momentum * self.buf + (1 - self.dampening) * g
            g = g + self.momentum * self.buf if self.nesterov else self.buf
        # 学习率乘在缓冲之外: 调度器改 lr 会立刻作用到整个累计的速度上
        return theta - self.lr * g
# --8<-- [end:sgd]


# --8<-- [start:lr_inside]
class MomentumLrInside:
    """Momentum as in many textbooks: v <- alpha v - eta g, theta <- theta + v.

    Args:
        lr: learning rate eta > 0 (may be changed between steps through the attribute).
        momentum: alpha in [0, 1).
    """

    def __init__(self, lr: float, momentum: float) -> None:
        self.lr = check_positive("lr", lr)
        self.momentum = check_hyper("momentum", momentum, 0.0, 1.0)
        self.v: np.ndarray | None = None

    def step(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """One update; returns the new theta, keeps the velocity v (shape of theta)."""
        theta, grad = check_param_grad(theta, grad)
        if self.v is None:
            self.v = np.zeros_like(theta)
        # 学习率在速度里面: 旧的 eta 留在 v 中, 改 lr 只影响新加入的梯度
        self.v = self.momentum * self.v - self.lr * grad
        return theta + self.v
# --8<-- [end:lr_inside]

"""Newton's method on L2-regularised logistic regression (NumPy, float64), and torch.optim.LBFGS on the same problem."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snippets.optim._checks import check_hyper

LOGREG_LAM = 1e-3  # 本页逻辑回归的 L2 系数 lambda


def digits_binary(a: int = 3, b: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Digits a and b of load_digits, pixels / 16 with a column of ones: X (N, 65), y (N,) in {0, 1} (1 for b)."""
    if not (0 <= a <= 9 and 0 <= b <= 9 and a != b):
        raise ValueError(f"a and b must be two different digits in 0..9, got a={a}, b={b}")
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    keep = (y == a) | (y == b)
    X = np.hstack([X[keep] / 16.0, np.ones((keep.sum(), 1))])  # 最后一列为 1: 偏置并入 w
    return X, (y[keep] == b).astype(float)


# --8<-- [start:logreg]
def logreg_loss_grad_hess(w: np.ndarray, X: np.ndarray, y: np.ndarray, lam: float) -> tuple[float, np.ndarray,
                                                                                            np.ndarray]:
    """L(w) = mean_i log(1 + exp(-s_i x_i.w)) + lam/2 |w|^2 (s_i = 2 y_i - 1), its gradient and Hessian.

    Args:
        w (d,); X (N, d); y (N,) in {0, 1}; lam >= 0.

    Returns:
        L, gradient (d,), Hessian (d, d) = X^T diag(p(1-p)) X / N + lam I.
    """
    if X.ndim != 2 or w.shape != (X.shape[1],) or y.shape != (X.shape[0],):
        raise ValueError(f"w must be (d,), X (N, d), y (N,); got {w.shape}, {X.shape}, {y.shape}")
    lam = check_hyper("lam", lam)
    z = X @ w  # (N,)
    p = 1 / (1 + np.exp(-z))
    loss = np.mean(np.logaddexp(0, z) - y * z) + lam / 2 * w @ w  # log(1+e^z) - y z, 不溢出
    grad = X.T @ (p - y) / len(y) + lam * w
    hess = (X.T * (p * (1 - p))) @ X / len(y) + lam * np.eye(len(w))
    return float(loss), grad, hess
# --8<-- [end:logreg]


# --8<-- [start:newton]
def newton(grad_hess: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], w0: np.ndarray,
           iters: int) -> np.ndarray:
    """Pure Newton steps w <- w - H^{-1} g (no line search); returns the iterates, shape (iters + 1, d).

    Args:
        grad_hess: w -> (gradient (d,), Hessian (d, d)).
        w0 (d,): start; iters: number of steps.
    """
    if not isinstance(iters, int) or iters < 0:
        raise ValueError(f"iters must be an int >= 0, got {iters!r}")
    ws = [np.asarray(w0, dtype=float)]
    for _ in range(iters):
        g, H = grad_hess(ws[-1])
        ws.append(ws[-1] - np.linalg.solve(H, g))  # 解 d x d 线性方程组, O(d^3); 不求逆
    return np.array(ws)
# --8<-- [end:newton]


def gradient_descent(grad: Callable[[np.ndarray], np.ndarray], w0: np.ndarray, lr: float, iters: int) -> np.ndarray:
    """Plain gradient descent for comparison; returns the iterates, shape (iters + 1, d)."""
    lr = check_hyper("lr", lr)
    if not isinstance(iters, int) or iters < 0:
        raise ValueError(f"iters must be an int >= 0, got {iters!r}")
    ws = [np.asarray(w0, dtype=float)]
    for _ in range(iters):
        ws.append(ws[-1] - lr * grad(ws[-1]))
    return np.array(ws)


# --8<-- [start:lbfgs]
def lbfgs_torch(X: np.ndarray, y: np.ndarray, lam: float, iters: int, history_size: int = 10,
                max_eval: int | None = 25) -> np.ndarray:
    """torch.optim.LBFGS on the same loss, one iteration per .step(closure); losses after each step (iters + 1,).

    max_eval: function evaluations allowed per .step(); None keeps torch's default (here 1, see below).
    """
    import torch

    lam = check_hyper("lam", lam)
    if not isinstance(iters, int) or iters < 0:
        raise ValueError(f"iters must be an int >= 0, got {iters!r}")
    if max_eval is not None and (isinstance(max_eval, bool) or not isinstance(max_eval, int) or max_eval < 1):
        raise ValueError(f"max_eval must be None or an int >= 1, got {max_eval!r}")
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)  # float64
    w = torch.zeros(X.shape[1], dtype=torch.float64, requires_grad=True)
    # max_iter=1: 每次 .step() 只走一次迭代, 便于记录; max_eval 默认是 max_iter * 5 // 4 = 1, 线搜索只剩一次试探,
    # 试探点的损失不下降就返回步长 0, 之后每步重复同一次试探 (卡死), 所以要给够
    opt = torch.optim.LBFGS([w], lr=1, max_iter=1, max_eval=max_eval, history_size=history_size,
                            line_search_fn="strong_wolfe", tolerance_grad=1e-12, tolerance_change=1e-15)

    def closure() -> torch.Tensor:  # LBFGS 在一步里要多次求损失和梯度 (线搜索), 所以要传一个闭包
        opt.zero_grad()
        z = Xt @ w
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, yt) + lam / 2 * w @ w
        loss.backward()
        return loss

    losses = [closure().item()]
    for _ in range(iters):
        opt.step(closure)
        losses.append(closure().item())
    return np.array(losses)
# --8<-- [end:lbfgs]

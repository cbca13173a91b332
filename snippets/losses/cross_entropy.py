"""Cross-entropy as negative log-likelihood: multiclass, binary (from logits), and Bernoulli MLE."""

from __future__ import annotations

from typing import Literal

import numpy as np

from snippets.losses.softmax import log_softmax, softmax

Reduction = Literal["mean", "sum", "none"]
_REDUCTIONS = ("mean", "sum", "none")


def _check_labels(y: np.ndarray, N: int, num_classes: int, name: str = "y") -> np.ndarray:
    """Integer class labels of shape (N,) with values in [0, num_classes)."""
    y = np.asarray(y)
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{name} must be an integer array of class indices, got {y.dtype}")
    if y.shape != (N,):
        raise ValueError(f"{name} must have shape (N,) = ({N},), got {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"{name} must lie in [0, {num_classes}), got range [{y.min()}, {y.max()}]")
    return y


def _check_matrix(a: np.ndarray, name: str) -> np.ndarray:
    """A finite floating array of shape (N, K) with N, K >= 1."""
    a = np.asarray(a)
    if not np.issubdtype(a.dtype, np.floating):
        raise TypeError(f"{name} must be a floating array, got {a.dtype}")
    if a.ndim != 2 or a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"{name} must have shape (N, K) with N, K >= 1, got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return a


def one_hot(y: np.ndarray, num_classes: int) -> np.ndarray:
    """One-hot encoding of integer labels.

    Args:
        y: class indices, shape (N,), values in [0, num_classes).
        num_classes: K >= 1.

    Returns:
        Float array of shape (N, K) with a single 1 per row.
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)):
        raise TypeError(f"num_classes must be an int, got {type(num_classes).__name__}")
    if num_classes < 1:
        raise ValueError(f"num_classes must be >= 1, got {num_classes}")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must have shape (N,), got {y.shape}")
    y = _check_labels(y, y.shape[0], num_classes)
    return np.eye(num_classes)[y]


def _check_ce(z: np.ndarray, y: np.ndarray, reduction: str = "mean") -> tuple[np.ndarray, np.ndarray]:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    z = _check_matrix(z, "z")
    return z, _check_labels(y, z.shape[0], z.shape[1])


def _check_probs(p: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = _check_matrix(p, "p")
    if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-6):
        raise ValueError("p must be non-negative with rows summing to 1")
    return p, _check_labels(y, p.shape[0], p.shape[1])


# --8<-- [start:cross_entropy]
def cross_entropy(z: np.ndarray, y: np.ndarray, reduction: Reduction = "mean") -> float | np.ndarray:
    """Softmax cross-entropy from logits, like ``torch.nn.functional.cross_entropy``.

    Args:
        z: logits, shape (N, K).
        y: true class indices, shape (N,).
        reduction: "mean" (over N), "sum", or "none".

    Returns:
        A float for "mean"/"sum"; per-example losses of shape (N,) for "none".
    """
    z, y = _check_ce(z, y, reduction)
    N = z.shape[0]
    # l_i = -log p_{i, y_i} = logsumexp(z_i) - z_{i, y_i}. 走 log_softmax 而不是 log(softmax):
    # 正确类的概率下溢到 0 时, 后者给出 inf
    losses = -log_softmax(z, axis=1)[np.arange(N), y]  # (N,)
    if reduction == "none":
        return losses
    return float(losses.sum()) if reduction == "sum" else float(losses.mean())
# --8<-- [end:cross_entropy]


# --8<-- [start:grad]
def cross_entropy_grad(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gradient of the mean cross-entropy with respect to the logits.

    Args:
        z: logits, shape (N, K).
        y: true class indices, shape (N,).

    Returns:
        dL/dz, shape (N, K).
    """
    z, y = _check_ce(z, y)
    N, K = z.shape
    # softmax 的 Jacobian 与 -log p_y 的导数相乘后化简为 p - onehot(y); "mean" 再除以 N
    return (softmax(z, axis=1) - one_hot(y, K)) / N
# --8<-- [end:grad]


# --8<-- [start:nll]
def nll_from_probs(p: np.ndarray, y: np.ndarray) -> float:
    """Mean negative log-likelihood of labels under a categorical model with probabilities p.

    Args:
        p: predicted class probabilities, shape (N, K), rows summing to 1.
        y: observed class indices, shape (N,).

    Returns:
        -(1/N) sum_i log p[i, y_i], a float.
    """
    p, y = _check_probs(p, y)
    N = p.shape[0]
    p_y = p[np.arange(N), y]  # (N,)
    # 似然 prod_i p[i, y_i] 取负对数再平均: 这正是交叉熵 (onehot(y) 与 p 之间).
    # 给真实类别概率 0 的模型似然为 0, NLL = inf: 这是答案而不是错误. 只对 p_y > 0 求 log, 其余直接填 -inf
    log_p_y = np.log(p_y, out=np.full(N, -np.inf), where=p_y > 0)
    return float(-np.mean(log_p_y))
# --8<-- [end:nll]


def _check_binary(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z, y = np.asarray(z), np.asarray(y)
    if not np.issubdtype(z.dtype, np.floating):
        raise TypeError(f"z must be a floating array, got {z.dtype}")
    if not np.issubdtype(y.dtype, np.floating):
        raise TypeError(f"y must be a floating array of targets in [0, 1], got {y.dtype}")
    if z.shape != y.shape or z.size == 0:
        raise ValueError(f"y must have the same non-empty shape as z, got z {z.shape}, y {y.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError("z must be finite (no NaN or inf)")
    if not np.all((y >= 0) & (y <= 1)):
        raise ValueError("y must lie in [0, 1]")
    return z, y


# --8<-- [start:bce]
def binary_cross_entropy_with_logits(z: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of sigmoid(z) against y, like PyTorch's ``..._with_logits``.

    Args:
        z: logits, any shape.
        y: targets in [0, 1], same shape as z.

    Returns:
        mean of -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))], a float.
    """
    z, y = _check_binary(z, y)
    # 代入 log sigmoid(z) = -log(1 + e^{-z}) 化简得 (1 - y) z + log(1 + e^{-z});
    # 对 z < 0 再改写一次, 合并成 max(z, 0) - z y + log(1 + e^{-|z|}): exp 的参数 <= 0, 不会上溢
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
# --8<-- [end:bce]


def _check_sample(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must have shape (n,) with n >= 1, got {x.shape}")
    if not np.all((x == 0) | (x == 1)):
        raise ValueError("x must contain only 0 and 1")
    return x


def _check_theta(theta: float | np.ndarray) -> np.ndarray:
    theta = np.asarray(theta)
    if not np.issubdtype(theta.dtype, np.floating):
        raise TypeError(f"theta must be floating, got {theta.dtype}")
    if not np.all((theta > 0) & (theta < 1)):
        raise ValueError("theta must lie in the open interval (0, 1)")
    return theta


# --8<-- [start:mle]
def bernoulli_log_likelihood(theta: float | np.ndarray, x: np.ndarray) -> np.ndarray:
    """Log-likelihood log p(x | theta) of an i.i.d. 0/1 sample under Bernoulli(theta).

    Args:
        theta: success probability in (0, 1); a float or an array of candidate values.
        x: the sample, shape (n,), entries 0 or 1.

    Returns:
        k log(theta) + (n - k) log(1 - theta) for k = sum(x), same shape as theta.
    """
    theta, x = _check_theta(theta), _check_sample(x)
    n, k = x.size, float(x.sum())
    # 独立同分布: 似然是乘积, 取 log 变成求和, 只依赖 1 的个数 k
    return k * np.log(theta) + (n - k) * np.log1p(-theta)


def bernoulli_mle(x: np.ndarray) -> float:
    """Maximum-likelihood estimate of theta for a 0/1 sample: the fraction of ones.

    Args:
        x: the sample, shape (n,), entries 0 or 1.

    Returns:
        theta_hat = k / n, a float.
    """
    x = _check_sample(x)
    # d/dtheta [k log theta + (n - k) log(1 - theta)] = 0  =>  theta = k / n
    return float(np.mean(x))
# --8<-- [end:mle]

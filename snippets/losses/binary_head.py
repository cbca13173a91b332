"""Binary classification two ways: one logit with sigmoid, or two logits with a two-class softmax."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array, check_int
from snippets.basics.activations import sigmoid
from snippets.losses.cross_entropy import cross_entropy_grad


def _check_head(W: np.ndarray, b: np.ndarray) -> None:
    check_float_array(W, "W", (2,))
    check_float_array(b, "b", (1,))
    if W.shape[0] != 2 or b.shape != (2,):
        raise ValueError(f"W must have shape (2, D) and b shape (2,), got W {W.shape}, b {b.shape}")


def _check_data(X: np.ndarray, y: np.ndarray) -> None:
    check_float_array(X, "X", (2,))
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must be an integer NumPy array of 0/1 labels, got {type(y).__name__}")
    if y.shape != (X.shape[0],) or not np.isin(y, (0, 1)).all():
        raise ValueError(f"y must have shape (N,) = ({X.shape[0]},) and hold only 0 and 1, got {y.shape}")


# --8<-- [start:equivalence]
def sigmoid_of_difference(Z: np.ndarray) -> np.ndarray:
    """P(class 1) of a two-class softmax, computed as sigmoid(z1 - z0).

    Args:
        Z: two logits per example, shape (N, 2).

    Returns:
        softmax(Z)[:, 1], shape (N,).
    """
    check_float_array(Z, "Z", (2,))
    if Z.shape[1] != 2:
        raise ValueError(f"Z must have shape (N, 2), got {Z.shape}")
    # e^{z1} / (e^{z0} + e^{z1}): 分子分母同除以 e^{z1}, 得 1 / (1 + e^{-(z1 - z0)}) = sigma(z1 - z0)
    return sigmoid(Z[:, 1] - Z[:, 0])


def merge_two_class_head(W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float]:
    """The one-logit head (w, c) that gives the same probabilities as a two-class head (W, b).

    Args:
        W: weights of the two-class linear head, shape (2, D) (out x in).
        b: its biases, shape (2,).

    Returns:
        w = W[1] - W[0], shape (D,), and c = b[1] - b[0].
    """
    _check_head(W, b)
    # 只有 z1 - z0 = (W[1] - W[0]) x + (b[1] - b[0]) 进入概率; W[0] + W[1] 方向上的 D + 1 个参数是多余的
    return W[1] - W[0], float(b[1] - b[0])
# --8<-- [end:equivalence]


# --8<-- [start:train]
def train_softmax_head(X: np.ndarray, y: np.ndarray, lr: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Full-batch gradient descent on mean cross-entropy of a two-class linear head, from zeros.

    Args: X (N, D) features, y (N,) labels in {0, 1}, lr > 0, steps >= 0.
    Returns: W (2, D) and b (2,).
    """
    _check_data(X, y)
    _check_lr(lr)
    check_int(steps, "steps", 0)
    W, b = np.zeros((2, X.shape[1])), np.zeros(2)
    for _ in range(steps):
        G = cross_entropy_grad(X @ W.T + b, y)  # (N, 2): (p - onehot(y)) / N; its two columns are opposite
        W, b = W - lr * G.T @ X, b - lr * G.sum(axis=0)
    return W, b


def train_sigmoid_head(X: np.ndarray, y: np.ndarray, lr: float, steps: int) -> tuple[np.ndarray, float]:
    """Full-batch gradient descent on mean binary cross-entropy of a one-logit linear head, from zeros.

    Args: X (N, D) features, y (N,) labels in {0, 1}, lr > 0, steps >= 0.
    Returns: w (D,) and c.
    """
    _check_data(X, y)
    _check_lr(lr)
    check_int(steps, "steps", 0)
    w, c = np.zeros(X.shape[1]), 0.0
    for _ in range(steps):
        g = (sigmoid(X @ w + c) - y) / len(y)  # (N,): d BCE / d logit, mean over N
        w, c = w - lr * X.T @ g, c - lr * float(g.sum())
    return w, c
# --8<-- [end:train]


def _check_lr(lr: float) -> None:
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a finite number > 0, got {lr!r}")

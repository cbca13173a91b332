"""Why hidden layers need a nonlinearity: XOR, and stacked linear layers collapsing into one."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int
from snippets.basics.activations import sigmoid
from snippets.basics.backprop import Params, backward, forward, init_mlp


def _check_params(params: Params) -> None:
    if not params or any(not isinstance(W, np.ndarray) or W.ndim != 2 for W, _ in params):
        raise ValueError("params must be a non-empty list of (W, b) with W of shape (out, in)")
    for (W, _), (W_next, _) in zip(params[:-1], params[1:], strict=True):
        if W_next.shape[1] != W.shape[0]:
            raise ValueError(f"params: layer widths do not chain, {W.shape} then {W_next.shape}")


# --8<-- [start:collapse]
def collapse_linear(params: Params) -> tuple[np.ndarray, np.ndarray]:
    """Multiply out a stack of linear layers (no activation) into one: W = W_L ... W_1.

    Args:
        params: [(W_l, b_l)], W_l of shape (out, in).

    Returns:
        (W, b) with W of shape (K, D) and b of shape (K,), so that the stack equals x -> W x + b.
    """
    _check_params(params)
    W, b = params[0]
    for W_l, b_l in params[1:]:
        # W_l (W x + b) + b_l = (W_l W) x + (W_l b + b_l): 仍是仿射映射
        W, b = W_l @ W, W_l @ b + b_l
    return W, b
# --8<-- [end:collapse]


def _check_fit_data(X: np.ndarray, y: np.ndarray) -> None:
    if not isinstance(X, np.ndarray) or not np.issubdtype(X.dtype, np.number):
        raise TypeError(f"X must be a numeric numpy array of shape (N, D), got {type(X).__name__}")
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.number):
        raise TypeError(f"y must be a numeric numpy array of shape (N,), got {type(y).__name__}")
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape (N,) = ({X.shape[0]},) for X of shape (N, D), got {y.shape}")


# --8<-- [start:xor_least_squares]
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # (4, 2)
XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])  # (4,)


def best_linear_fit(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Least-squares affine model y ~ X w + b (the best any linear layer can do under MSE).

    Args:
        X: inputs (N, D); y: targets (N,).

    Returns:
        (w of shape (D,), b).
    """
    _check_fit_data(X, y)
    X1 = np.hstack([X, np.ones((X.shape[0], 1))])  # (N, D + 1), 最后一列对应 b
    coef, *_ = np.linalg.lstsq(X1, y, rcond=None)
    return coef[:-1], float(coef[-1])
# --8<-- [end:xor_least_squares]


def _check_data(n: int, rng: np.random.Generator, noise: float) -> None:
    check_int(n, "n", 4)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")


def make_xor(n: int, rng: np.random.Generator, noise: float = 0.35) -> tuple[np.ndarray, np.ndarray]:
    """Noisy XOR: n points around the corners (+-1, +-1); label 1 when the two signs differ.

    Args:
        n: number of points (n // 4 per corner, the rest at random corners).
        rng: source of randomness.
        noise: standard deviation of the Gaussian noise around each corner.

    Returns:
        X of shape (n, 2), labels y of shape (n,) with entries 0.0 or 1.0.
    """
    _check_data(n, rng, noise)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    k = np.concatenate([np.repeat(np.arange(4), n // 4), rng.integers(0, 4, n % 4)])
    X = corners[k] + noise * rng.standard_normal((n, 2))
    y = (k == 1) | (k == 2)  # 两个坐标异号
    return X, y.astype(float)


def _check_train(X: np.ndarray, y: np.ndarray, hidden: int, seed: int, lr: float, steps: int) -> None:
    check_int(hidden, "hidden", 0)
    check_int(seed, "seed", 0)
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr < float("inf"):
        raise ValueError(f"lr must be a positive finite number, got {lr!r}")
    check_int(steps, "steps", 1)
    _check_fit_data(X, y)


# --8<-- [start:train_classifier]
def train_classifier(
    X: np.ndarray, y: np.ndarray, hidden: int, seed: int, lr: float = 0.5, steps: int = 2000
) -> Params:
    """Binary classifier trained by full-batch gradient descent on mean BCE with logits.

    Args:
        X: inputs (N, 2); y: labels 0/1, shape (N,).
        hidden: hidden width; 0 gives a linear model (logistic regression).
        seed: seed of the initial weights.
        lr: learning rate; steps: gradient steps.

    Returns:
        trained [(W, b)]; the last layer outputs one logit per point.
    """
    _check_train(X, y, hidden, seed, lr, steps)
    sizes = [X.shape[1], 1] if hidden == 0 else [X.shape[1], hidden, 1]
    acts = ["identity"] if hidden == 0 else ["tanh", "identity"]
    params = init_mlp(sizes, np.random.default_rng(seed))
    for _ in range(steps):
        z, cache = forward(params, X, acts)  # (N, 1) logits
        dz = (sigmoid(z) - y[:, None]) / len(y)  # 平均 BCE 对 logit 的梯度 (p - y) / N
        grads = backward(params, cache, dz, acts)
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads, strict=True)]
    return params
# --8<-- [end:train_classifier]


# --8<-- [start:xor_tanh]
def xor_two_tanh_units(k: float = 5.0) -> Params:
    """Two tanh units that solve XOR for corners (+-1, +-1), in the form ``train_classifier`` trains.

    With s = x_1 + x_2 the class-1 corners have s = 0 and the class-0 corners s = +-2:
    h_1 = tanh(k (s + 1)), h_2 = tanh(k (s - 1)), logit = h_1 - h_2 - 1, which is about +1 for |s| < 1
    and about -1 for |s| > 1 (a band between two parallel lines).

    Args:
        k: steepness of the two units, > 0.55 so that the logit is positive at s = 0 (2 tanh(k) > 1).

    Returns:
        [(W_1 (2, 2), b_1 (2,)), (W_2 (1, 2), b_2 (1,))].
    """
    if isinstance(k, bool) or not isinstance(k, (int, float)) or not 0.55 < k < float("inf"):
        raise ValueError(f"k must be a finite number > 0.55, got {k!r}")
    W1, b1 = np.full((2, 2), float(k)), np.array([k, -k], dtype=float)
    W2, b2 = np.array([[1.0, -1.0]]), np.array([-1.0])
    return [(W1, b1), (W2, b2)]
# --8<-- [end:xor_tanh]


def predict(params: Params, X: np.ndarray) -> np.ndarray:
    """Class 1 where the logit is > 0. Args: trained params, X (N, 2). Returns: (N,) of 0.0 / 1.0."""
    _check_params(params)
    acts = ["identity"] if len(params) == 1 else ["tanh"] * (len(params) - 1) + ["identity"]
    z, _ = forward(params, X, acts)
    return (z[:, 0] > 0).astype(float)

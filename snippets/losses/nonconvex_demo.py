"""Train the small tanh network of convexity.py: hand-written backward pass, XOR data, and the
trained network paired with its hidden-unit permutation (the non-convexity experiment)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int
from snippets.basics.activations import sigmoid
from snippets.losses.convexity import MLPParams, _check_data, _check_params, permute_hidden


def _check_rng(rng: np.random.Generator) -> None:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")


# --8<-- [start:backward]
def mlp_grads(params: MLPParams, X: np.ndarray, y: np.ndarray) -> MLPParams:
    """Gradient of ``mlp_loss`` with respect to every weight, by hand-written backprop.

    Args:
        params: the network's weights.
        X: inputs, shape (N, D).
        y: labels in [0, 1], shape (N,).

    Returns:
        MLPParams holding dL/dW1, dL/db1, dL/dW2, dL/db2 (same shapes as params).
    """
    _check_data(params, X, y)
    N = X.shape[0]
    h = np.tanh(X @ params.W1.T + params.b1)  # (N, H)
    z = h @ params.W2.T + params.b2  # (N, 1)
    dz = (sigmoid(z) - y[:, None]) / N  # (N, 1); BCE 对 logit 的梯度 s - y, 取平均再除以 N
    dW2, db2 = dz.T @ h, dz.sum(axis=0)  # (1, H), (1,)
    da = (dz @ params.W2) * (1 - h**2)  # (N, H); tanh'(a) = 1 - tanh(a)^2
    dW1, db1 = da.T @ X, da.sum(axis=0)  # (H, D), (H,)
    return MLPParams(W1=dW1, b1=db1, W2=dW2, b2=db2)
# --8<-- [end:backward]


def _check_fit(X: np.ndarray, hidden: int, steps: int, lr: float, seed: int) -> None:
    check_int(hidden, "hidden", 1)
    check_int(steps, "steps", 0)
    check_int(seed, "seed", 0)
    if not (isinstance(lr, (int, float)) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if not isinstance(X, np.ndarray) or X.ndim != 2:
        raise ValueError("X must have shape (N, D)")


# --8<-- [start:fit]
def fit_mlp(X: np.ndarray, y: np.ndarray, hidden: int, steps: int, lr: float, seed: int) -> MLPParams:
    """Train the tanh network by full-batch gradient descent from a seeded random start.

    Args:
        X: inputs, shape (N, D).
        y: labels in [0, 1], shape (N,).
        hidden: hidden width H.
        steps: number of gradient steps.
        lr: learning rate.
        seed: seed of the initial weights.

    Returns:
        The trained MLPParams.
    """
    _check_fit(X, hidden, steps, lr, seed)
    rng = np.random.default_rng(seed)
    D = X.shape[1]
    # 随机初始化打破对称: 若所有隐藏单元起点相同, 梯度也相同, 它们永远是同一个单元
    p = MLPParams(
        W1=rng.standard_normal((hidden, D)), b1=np.zeros(hidden),
        W2=rng.standard_normal((1, hidden)) / np.sqrt(hidden), b2=np.zeros(1),
    )
    _check_data(p, X, y)
    for _ in range(steps):
        g = mlp_grads(p, X, y)
        p = MLPParams(p.W1 - lr * g.W1, p.b1 - lr * g.b1, p.W2 - lr * g.W2, p.b2 - lr * g.b2)
    return p
# --8<-- [end:fit]


# --8<-- [start:data]
def xor_data(n_per_cluster: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """XOR-like data: four Gaussian clusters at (+-1, +-1), label 1 where x1 x2 > 0.

    Args:
        n_per_cluster: points in each of the four clusters, >= 1.
        rng: source of randomness.

    Returns:
        X of shape (4 n_per_cluster, 2) and labels y of shape (4 n_per_cluster,), entries 0 or 1.
    """
    check_int(n_per_cluster, "n_per_cluster", 1)
    _check_rng(rng)
    centers = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    y = np.repeat([1, 1, 0, 0], n_per_cluster)  # (4 n,); 同号象限为类 1, 线性不可分
    X = np.repeat(centers, n_per_cluster, axis=0) + 0.3 * rng.standard_normal((4 * n_per_cluster, 2))
    return X, y
# --8<-- [end:data]


# --8<-- [start:experiment]
def most_different_pair(params: MLPParams) -> tuple[int, int]:
    """The two hidden units whose weights (row of W1, entry of b1, column of W2) lie farthest apart.

    Args:
        params: the network's weights, hidden width H >= 2.

    Returns:
        (i, j) with i < j.
    """
    H = _check_params(params)
    if H < 2:
        raise ValueError(f"params must have at least 2 hidden units to swap, got H = {H}")
    U = np.concatenate([params.W1, params.b1[:, None], params.W2.T], axis=1)  # (H, D + 2): 每行描述一个单元
    dist = np.linalg.norm(U[:, None, :] - U[None, :, :], axis=-1)  # (H, H)
    i, j = np.unravel_index(np.argmax(dist), dist.shape)
    return int(min(i, j)), int(max(i, j))


def permutation_pair(seed: int = 0) -> tuple[MLPParams, MLPParams, np.ndarray, np.ndarray]:
    """A network a (H = 4) trained on XOR data, and its copy b with its two most different units swapped.

    Args:
        seed: seed of the data (100 points) and of the initial weights.

    Returns:
        (a, b, X, y) with X of shape (100, 2) and y of shape (100,).
    """
    check_int(seed, "seed", 0)
    X, y = xor_data(25, np.random.default_rng(seed))
    a = fit_mlp(X, y, hidden=4, steps=500, lr=2.0, seed=seed)
    # 中点处被交换的两个单元取平均, 成了同一个单元: 两者差得越多, 中点的网络丢掉的能力越多
    i, j = most_different_pair(a)
    perm = np.arange(4)
    perm[[i, j]] = [j, i]
    return a, permute_hidden(a, perm), X, y
# --8<-- [end:experiment]

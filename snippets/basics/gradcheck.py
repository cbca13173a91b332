"""Central finite differences: the independent check of any hand-written backward pass."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Params = list[tuple[np.ndarray, np.ndarray]]


# --8<-- [start:numerical_grads]
def numerical_grads(loss: Callable[[Params], float], params: Params, eps: float = 1e-6) -> Params:
    """dL/dtheta for every entry of every (W, b) by central differences (L(theta+eps) - L(theta-eps)) / 2 eps.

    Args:
        loss: maps parameters to a scalar loss.
        params: [(W_l, b_l)]; perturbed in place and restored.
        eps: step; the error is O(eps^2) from truncation plus O(machine eps / eps) from rounding.

    Returns:
        [(dW_l, db_l)], each the shape of (W_l, b_l).
    """
    if not (isinstance(eps, float) and eps > 0):
        raise ValueError(f"eps must be a positive float, got {eps!r}")
    grads: Params = []
    for W, b in params:
        pair = []
        for theta in (W, b):
            g = np.zeros_like(theta)
            for idx in np.ndindex(theta.shape):
                old = theta[idx]
                theta[idx] = old + eps
                up = loss(params)
                theta[idx] = old - eps
                down = loss(params)
                theta[idx] = old  # 恢复原值
                g[idx] = (up - down) / (2 * eps)
            pair.append(g)
        grads.append((pair[0], pair[1]))
    return grads
# --8<-- [end:numerical_grads]


# --8<-- [start:eps_sweep]
def gradcheck_errors(epsilons: np.ndarray, seed: int = 0) -> np.ndarray:
    """Max relative error of central differences vs the hand-written backward pass of a 3-4-2 network.

    Args:
        epsilons: finite-difference steps to try, shape (E,), all > 0.
        seed: seed of the weights and of the random batch (5 samples).

    Returns:
        max_i |numeric_i - backprop_i| / max_i |backprop_i| for each step, shape (E,).
    """
    from snippets.basics.backprop import backward, forward, init_mlp, sse  # 避免循环导入的局部导入

    if not isinstance(epsilons, np.ndarray) or epsilons.ndim != 1 or not np.all(epsilons > 0):
        raise ValueError("epsilons must be a 1-D array of positive steps")
    rng = np.random.default_rng(seed)
    acts = ["tanh", "sigmoid"]
    params = init_mlp([3, 4, 2], rng)
    X, Y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    Y_hat, cache = forward(params, X, acts)
    exact = np.concatenate([g.ravel() for pair in backward(params, cache, 2 * (Y_hat - Y), acts) for g in pair])
    errors = np.empty(len(epsilons))
    for i, eps in enumerate(epsilons):
        num = numerical_grads(lambda p: sse(forward(p, X, acts)[0], Y), params, eps=float(eps))
        approx = np.concatenate([g.ravel() for pair in num for g in pair])
        errors[i] = np.max(np.abs(approx - exact)) / np.max(np.abs(exact))
    return errors
# --8<-- [end:eps_sweep]

"""Run one of our optimizers and a torch.optim optimizer side by side on the same gradient field."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from snippets.optim.quadratic import Optimizer

_RNG = np.random.default_rng(123)
_A = _RNG.standard_normal((12, 12)) / 4
A = _A @ _A.T + 0.1 * np.eye(12)  # 正定, 条件数不小
B = _RNG.standard_normal(12)


def grad_field(theta: np.ndarray) -> np.ndarray:
    """A smooth non-quadratic gradient: A theta + B + 0.5 sin(3 theta), theta of shape (3, 4)."""
    flat = theta.reshape(-1)
    return (A @ flat + B + 0.5 * np.sin(3 * flat)).reshape(theta.shape)


def run_both(ours: Optimizer, make_torch: Callable[[list[torch.nn.Parameter]], torch.optim.Optimizer],
             steps: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Trajectories (steps + 1, 3, 4) of both optimizers from the same random start."""
    theta0 = np.random.default_rng(seed).standard_normal((3, 4))
    p = torch.nn.Parameter(torch.tensor(theta0, dtype=torch.float64))
    opt = make_torch([p])
    ours_path, torch_path = [theta0], [theta0]
    theta = theta0
    for _ in range(steps):
        theta = ours.step(theta, grad_field(theta))
        ours_path.append(theta)
        p.grad = torch.from_numpy(grad_field(p.detach().numpy()))
        opt.step()
        torch_path.append(p.detach().numpy().copy())
    return np.array(ours_path), np.array(torch_path)

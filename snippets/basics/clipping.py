"""Gradient clipping by global norm and by value: torch.nn.utils.clip_grad_norm_ and clip_grad_value_ in NumPy."""

from __future__ import annotations

import numpy as np


def _check_grads(grads: list[np.ndarray]) -> None:
    if not isinstance(grads, list) or not grads or any(not isinstance(g, np.ndarray) for g in grads):
        raise TypeError("grads must be a non-empty list of numpy arrays")


# --8<-- [start:clip_norm]
def clip_grad_norm(grads: list[np.ndarray], max_norm: float, norm_type: float = 2.0) -> tuple[list[np.ndarray], float]:
    """Rescale all gradients together so that their joint norm is at most max_norm.

    Args:
        grads: one array per parameter, any shapes.
        max_norm: the allowed total norm.
        norm_type: p of the p-norm over all entries of all arrays (np.inf for the max norm).

    Returns:
        (clipped gradients, total norm before clipping), like torch.nn.utils.clip_grad_norm_.
    """
    _check_grads(grads)
    if not max_norm > 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm!r}")
    flat = np.concatenate([g.ravel() for g in grads])
    if norm_type == np.inf:
        total = float(np.max(np.abs(flat)))
    else:
        total = float(np.sum(np.abs(flat) ** norm_type) ** (1 / norm_type))
    # PyTorch: clip_coef = max_norm / (total + 1e-6), 只在 < 1 时缩放; 方向不变, 只改长度
    coef = min(max_norm / (total + 1e-6), 1.0)
    return [g * coef for g in grads], total
# --8<-- [end:clip_norm]


# --8<-- [start:clip_value]
def clip_grad_value(grads: list[np.ndarray], clip_value: float) -> list[np.ndarray]:
    """Clamp every gradient entry to [-clip_value, clip_value], like torch.nn.utils.clip_grad_value_.

    Args:
        grads: one array per parameter.
        clip_value: the bound, > 0.

    Returns:
        clipped copies; unlike norm clipping this changes the direction of the gradient.
    """
    _check_grads(grads)
    if not clip_value > 0:
        raise ValueError(f"clip_value must be > 0, got {clip_value!r}")
    return [np.clip(g, -clip_value, clip_value) for g in grads]
# --8<-- [end:clip_value]

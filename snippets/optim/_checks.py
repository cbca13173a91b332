"""Input checks shared by the optimizer modules (argument names appear in every message)."""

from __future__ import annotations

import numpy as np


def check_hyper(name: str, value: float, low: float = 0.0, high: float = np.inf, closed_high: bool = False) -> float:
    """Require a real number in [low, high) (or [low, high] when ``closed_high``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    ok = low <= value <= high if closed_high else low <= value < high
    if not (np.isfinite(value) and ok):
        raise ValueError(f"{name} must be in [{low}, {high}{']' if closed_high else ')'}, got {value}")
    return float(value)


def check_positive(name: str, value: float) -> float:
    """Require a finite real number > 0 (a learning rate, a gain)."""
    value = check_hyper(name, value)
    if value == 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def check_flag(name: str, value: bool) -> bool:
    """Require a bool (a truthy string or number is a mistake, not a switch)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return bool(value)


def check_param_grad(theta: np.ndarray, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Require two finite floating arrays of the same shape."""
    theta, grad = np.asarray(theta), np.asarray(grad)
    for name, a in (("theta", theta), ("grad", grad)):
        if not np.issubdtype(a.dtype, np.floating):
            raise TypeError(f"{name} must be a floating array, got {a.dtype}")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} must be finite (no NaN or inf)")
    if theta.shape != grad.shape:
        raise ValueError(f"grad must have theta's shape {theta.shape}, got {grad.shape}")
    return theta, grad

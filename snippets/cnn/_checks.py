"""Shared input checks of the CNN chapter (argument names appear in every message)."""

from __future__ import annotations

import numpy as np


def check_array(a: np.ndarray, name: str, ndim: int) -> np.ndarray:
    """A finite floating array with ``ndim`` dimensions."""
    a = np.asarray(a)
    if not np.issubdtype(a.dtype, np.floating):
        raise TypeError(f"{name} must be a floating array, got {a.dtype}")
    if a.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return a


def check_int(v: int, name: str, low: int) -> int:
    """An int (not bool) that is >= ``low``."""
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(v).__name__}")
    if v < low:
        raise ValueError(f"{name} must be >= {low}, got {v}")
    return int(v)


def pair(v: int | tuple[int, int], name: str, low: int) -> tuple[int, int]:
    """An int or a pair of ints, each >= ``low``, as a pair (PyTorch's ``_pair``)."""
    if isinstance(v, tuple):
        if len(v) != 2:
            raise ValueError(f"{name} must be an int or a pair, got {v}")
        return check_int(v[0], name, low), check_int(v[1], name, low)
    value = check_int(v, name, low)
    return value, value

"""Input checks used by more than one chapter (each message names the argument)."""

from __future__ import annotations


def check_int(value: int, name: str, low: int) -> int:
    """Require an int (not a bool) >= ``low``; a ValueError naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    return value


def check_float_array(X: object, name: str, ndims: tuple[int, ...]) -> None:
    """Require a finite floating NumPy array with one of ``ndims`` dimensions (TypeError/ValueError naming ``name``)."""
    import numpy as np

    if not isinstance(X, np.ndarray) or not np.issubdtype(X.dtype, np.floating):
        raise TypeError(f"{name} must be a floating NumPy array, got {type(X).__name__}")
    if X.ndim not in ndims:
        raise ValueError(f"{name} must have {' or '.join(map(str, ndims))} dimensions, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")

"""Input checks used by more than one chapter (each message names the argument)."""

from __future__ import annotations

import numpy as np


def check_int(value: int, name: str, low: int) -> int:
    """Require an int (not a bool) >= ``low``; a ValueError naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    return value


def check_boxes(boxes: object, name: str) -> np.ndarray:
    """Require a finite float array of shape (N, 4) in (x1, y1, x2, y2) with x2 >= x1, y2 >= y1."""
    if not isinstance(boxes, np.ndarray) or not np.issubdtype(boxes.dtype, np.floating):
        raise TypeError(f"{name} must be a float NumPy array, got {type(boxes).__name__}")
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f"{name} must have shape (N, 4), got {boxes.shape}")
    if not np.isfinite(boxes).all():
        raise ValueError(f"{name} must be finite")
    if (boxes[:, 2] < boxes[:, 0]).any() or (boxes[:, 3] < boxes[:, 1]).any():
        raise ValueError(f"{name} must satisfy x2 >= x1 and y2 >= y1")
    return boxes.astype(np.float64, copy=False)


def check_float_array(X: object, name: str, ndims: tuple[int, ...]) -> None:
    """Require a finite floating NumPy array with one of ``ndims`` dimensions (TypeError/ValueError naming ``name``)."""
    if not isinstance(X, np.ndarray) or not np.issubdtype(X.dtype, np.floating):
        raise TypeError(f"{name} must be a floating NumPy array, got {type(X).__name__}")
    if X.ndim not in ndims:
        raise ValueError(f"{name} must have {' or '.join(map(str, ndims))} dimensions, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")


def check_binary_matrix(y: object, name: str, ndims: tuple[int, ...]) -> np.ndarray:
    """Require a NumPy array of 0/1 (int or bool) with one of ``ndims`` dimensions; return it as int64."""
    if not isinstance(y, np.ndarray) or not (np.issubdtype(y.dtype, np.integer) or y.dtype == np.bool_):
        raise TypeError(f"{name} must be an integer or bool NumPy array of 0/1, got {type(y).__name__}")
    if y.ndim not in ndims:
        raise ValueError(f"{name} must have {' or '.join(map(str, ndims))} dimensions, got shape {y.shape}")
    if y.size == 0 or not np.isin(y, (0, 1)).all():
        raise ValueError(f"{name} must be non-empty and hold only 0 and 1")
    return y.astype(np.int64)

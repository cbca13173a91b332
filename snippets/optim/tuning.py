"""How much the final loss of softmax regression on load_digits moves with the learning rate vs with momentum."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from snippets.optim.digits_sgd import train_softmax


# --8<-- [start:grid]
def lr_momentum_grid(lrs: Sequence[float], momenta: Sequence[float], epochs: int, seeds: tuple[int, ...],
                     batch_size: int = 32) -> np.ndarray:
    """Final training loss for every (lr, momentum) pair and seed, shape (len(lrs), len(momenta), len(seeds)).

    Args:
        lrs, momenta: the values of eta and mu to cross; epochs, seeds, batch_size: as in ``train_softmax``.
    """
    if len(lrs) == 0 or len(momenta) == 0:
        raise ValueError(f"lrs and momenta must be non-empty, got {list(lrs)}, {list(momenta)}")
    out = np.empty((len(lrs), len(momenta), len(seeds)))
    for i, lr in enumerate(lrs):
        for j, mu in enumerate(momenta):
            out[i, j] = train_softmax(batch_size, lr, epochs, seeds, momentum=mu).loss[:, -1]
    return out


def spread(medians: np.ndarray, axis: int) -> np.ndarray:
    """Ratio of the largest to the smallest median loss along one axis: how much that knob alone moves it."""
    medians = np.asarray(medians, dtype=float)
    if medians.ndim != 2 or axis not in (0, 1) or not np.all(medians > 0):
        raise ValueError(f"medians must be a positive 2-D array and axis 0 or 1, got {medians.shape}, axis {axis}")
    return medians.max(axis=axis) / medians.min(axis=axis)
# --8<-- [end:grid]

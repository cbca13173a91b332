"""Checks for a loss that is NaN or does not go down: the loss at initialisation and overfitting one batch."""

from __future__ import annotations

import numpy as np
import torch

from snippets._checks import check_int
from snippets.data.digits_mlp import one_thread


@one_thread
# --8<-- [start:overfit]
def overfit_one_batch(
    model: torch.nn.Module, X: np.ndarray, y: np.ndarray, steps: int = 100, lr: float = 1e-2,
    softmax_first: bool = False,
) -> np.ndarray:
    """Train on one small batch only and return the loss after each step, (steps,).

    A correct model, loss and optimiser drive this to about 0. ``softmax_first`` plants a common
    bug (softmax before nn.CrossEntropyLoss, i.e. two softmaxes): the loss then stalls above a floor.
    """
    check_int(steps, "steps", 1)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (N, D) and y (N,), got {X.shape} and {y.shape}")
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        z = model(Xt)  # (N, K) logits
        if softmax_first:
            z = torch.softmax(z, dim=1)  # 错误: CrossEntropyLoss 内部还会再做一次 log_softmax
        loss = torch.nn.functional.cross_entropy(z, yt)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return np.array(losses)
# --8<-- [end:overfit]

"""A small MLP on scikit-learn's digits: the trained model the compression and transfer answers use."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from snippets._checks import check_int

T = TypeVar("T")


def one_thread(fn: Callable[..., T]) -> Callable[..., T]:
    """Decorator: run ``fn`` on one torch thread (tiny matrices; idle threads spin on a shared machine)."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> T:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return fn(*args, **kwargs)
        finally:
            torch.set_num_threads(threads)

    return wrapper


@dataclass(frozen=True)
class Split:
    """A seeded, stratified train/test split of load_digits, pixels scaled to [0, 1].

    Attributes:
        X_train: (N_train, 64) float32.  y_train: (N_train,) int64.
        X_test: (N_test, 64) float32.    y_test: (N_test,) int64.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def digits_split(seed: int, n_train: int = 500) -> Split:
    """load_digits split into ``n_train`` training images and the rest (1797 - n_train) for testing."""
    check_int(seed, "seed", 0)
    check_int(n_train, "n_train", 20)
    if n_train > 1500:
        raise ValueError(f"n_train must be <= 1500 to leave a test set, got {n_train}")
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(
        (X / 16.0).astype(np.float32), y.astype(np.int64), train_size=n_train, stratify=y, random_state=seed
    )
    return Split(X_tr, y_tr, X_te, y_te)


def make_mlp(hidden: int, seed: int, n_in: int = 64, n_out: int = 10) -> torch.nn.Sequential:
    """Linear(n_in, hidden) -> ReLU -> Linear(hidden, n_out), float32, initialised from ``seed``."""
    check_int(hidden, "hidden", 1)
    check_int(seed, "seed", 0)
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(n_in, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, n_out))


# --8<-- [start:train]
def train(
    model: torch.nn.Module,
    X: np.ndarray,
    y: np.ndarray,
    steps: int = 150,
    lr: float = 2e-2,
    teacher_logits: np.ndarray | None = None,
    temperature: float = 4.0,
    alpha: float = 0.0,
) -> torch.nn.Module:
    """Full-batch Adam on cross-entropy; with ``teacher_logits`` and alpha > 0, the distillation loss.

    Args:
        model: maps (N, 64) to (N, 10) logits; trained in place.
        X: (N, 64) float32 inputs.  y: (N,) int labels.
        steps: Adam steps on the whole batch.  lr: Adam's learning rate.
        teacher_logits: (N, 10) logits of a teacher on X, or None.
        temperature: tau of the soft targets.  alpha: weight of the soft term, in [0, 1].

    Returns:
        The same model.
    """
    check_int(steps, "steps", 1)
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    if alpha > 0 and teacher_logits is None:
        raise ValueError("teacher_logits must be given when alpha > 0")
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    soft = None if teacher_logits is None else torch.softmax(torch.from_numpy(teacher_logits) / temperature, 1)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        z = model(Xt)
        loss = (1 - alpha) * torch.nn.functional.cross_entropy(z, yt)
        if soft is not None and alpha > 0:
            log_p = torch.log_softmax(z / temperature, 1)
            loss = loss + alpha * temperature**2 * -(soft * log_p).sum(1).mean()
        loss.backward()
        opt.step()
    return model
# --8<-- [end:train]


def accuracy(model: torch.nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of rows of X whose argmax logit equals y."""
    with torch.no_grad():
        return float((model(torch.from_numpy(X)).argmax(1).numpy() == y).mean())


def logits(model: torch.nn.Module, X: np.ndarray) -> np.ndarray:
    """The model's logits on X as a float64 NumPy array, (N, 10)."""
    with torch.no_grad():
        return model(torch.from_numpy(X)).double().numpy()

"""Accuracy has no useful gradient; cross-entropy bounds the error rate: the claims of the page."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets.losses.ce_vs_mse import make_blobs
from snippets.losses.cross_entropy import cross_entropy
from snippets.losses.surrogate import accuracy, loss_and_accuracy_along


@pytest.mark.parametrize(("N", "K"), [(1, 2), (7, 3), (50, 10)])
def test_accuracy_matches_torch_argmax(N: int, K: int) -> None:
    rng = np.random.default_rng(N * K)
    z, y = rng.normal(size=(N, K)), rng.integers(0, K, size=N)
    expected = (torch.argmax(torch.tensor(z), dim=1) == torch.tensor(y)).double().mean().item()
    assert accuracy(z, y) == expected


@settings(max_examples=200, deadline=None)
@given(
    z=arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 6)),
             elements=st.floats(-30, 30, allow_nan=False)),
    data=st.data(),
)
def test_each_error_costs_at_least_ln2_of_cross_entropy(z: np.ndarray, data: st.DataObject) -> None:
    N, K = z.shape
    y = np.array(data.draw(st.lists(st.integers(0, K - 1), min_size=N, max_size=N)))
    losses = cross_entropy(z, y, reduction="none")
    wrong = np.argmax(z, axis=1) != y  # then z[k] >= z[y] for k = argmax, so p_y <= 1/2
    assert np.all(wrong <= losses / math.log(2) + 1e-12)
    assert 1 - accuracy(z, y) <= cross_entropy(z, y) / math.log(2) + 1e-12


def test_accuracy_has_zero_finite_difference_gradient_where_cross_entropy_does_not() -> None:
    X, y = make_blobs(200, np.random.default_rng(0))
    rng = np.random.default_rng(1)
    for _ in range(20):
        W = rng.normal(size=(2, 2))
        for idx in np.ndindex(2, 2):
            E = np.zeros_like(W)
            E[idx] = 1e-6
            d_acc = accuracy(X @ (W + E).T, y) - accuracy(X @ (W - E).T, y)
            d_ce = cross_entropy(X @ (W + E).T, y) - cross_entropy(X @ (W - E).T, y)
            assert d_acc == 0.0
            assert d_ce != 0.0


def test_path_matches_pointwise_evaluation_and_accuracy_is_a_step_function() -> None:
    X, y = make_blobs(200, np.random.default_rng(0))
    W, D = np.array([[0.3, -0.2], [-0.1, 0.4]]), np.array([[-1.0, -1.0], [1.0, 1.0]])
    ts = np.linspace(-1, 1, 41)
    losses, accs = loss_and_accuracy_along(X, y, W, D, ts)
    for t, loss, acc in zip(ts, losses, accs, strict=True):
        assert loss == pytest.approx(cross_entropy(X @ (W + t * D).T, y), rel=1e-12)
        assert acc == accuracy(X @ (W + t * D).T, y)
    assert np.allclose(accs * 200, np.round(accs * 200))  # only multiples of 1/N
    assert len(np.unique(accs)) < len(ts) // 2  # flat steps, not a smooth curve


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: accuracy(np.zeros((3, 2), dtype=int), np.zeros(3, dtype=int)), TypeError, "z"),
        (lambda: accuracy(np.zeros((3, 1)), np.zeros(3, dtype=int)), ValueError, "z"),
        (lambda: accuracy(np.full((2, 2), np.nan), np.zeros(2, dtype=int)), ValueError, "z"),
        (lambda: accuracy(np.zeros((3, 2)), np.zeros(3)), TypeError, "y"),
        (lambda: accuracy(np.zeros((3, 2)), np.array([0, 1, 2])), ValueError, "y"),
        (lambda: loss_and_accuracy_along(np.zeros((3, 2)), np.zeros(3, dtype=int), np.zeros((2, 3)),
                                         np.zeros((2, 3)), np.zeros(2)), ValueError, "W"),
        (lambda: loss_and_accuracy_along(np.zeros((3, 2)), np.zeros(3, dtype=int), np.zeros((2, 2)),
                                         np.zeros((2, 3)), np.zeros(2)), ValueError, "D"),
        (lambda: loss_and_accuracy_along(np.zeros((3, 2)), np.zeros(3, dtype=int), np.zeros((2, 2)),
                                         np.zeros((2, 2)), np.zeros((2, 2))), ValueError, "ts"),
    ],
)
def test_bad_input_raises_with_argument_name(call, error: type[Exception], name: str) -> None:
    with pytest.raises(error, match=name):
        call()

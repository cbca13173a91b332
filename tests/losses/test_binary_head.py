"""Tests for snippets.losses.binary_head: sigmoid(z1 - z0) is the two-class softmax, in PyTorch float64 too."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets.losses.binary_head import (
    merge_two_class_head,
    sigmoid_of_difference,
    train_sigmoid_head,
    train_softmax_head,
)
from snippets.losses.cross_entropy import binary_cross_entropy_with_logits, cross_entropy


def _data(seed: int = 0, N: int = 40, D: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    y = (X[:, 0] - X[:, 1] + 0.7 * rng.standard_normal(N) > 0).astype(np.int64)
    return X, y


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, (5, 2), elements=st.floats(-700, 700)))
def test_sigmoid_of_difference_equals_torch_two_class_softmax(Z: np.ndarray) -> None:
    expected = torch.softmax(torch.from_numpy(Z), dim=1)[:, 1].numpy()
    np.testing.assert_allclose(sigmoid_of_difference(Z), expected, rtol=1e-12, atol=1e-300)


def test_sigmoid_of_difference_hand_case() -> None:
    # z1 - z0 = ln 3: e^{ln 3} / (1 + e^{ln 3}) = 3/4
    Z = np.array([[1.0, 1.0 + math.log(3.0)], [5.0, 5.0]])
    np.testing.assert_allclose(sigmoid_of_difference(Z), [0.75, 0.5], rtol=1e-15)


def test_two_class_cross_entropy_equals_bce_on_the_difference_with_equal_gradients() -> None:
    rng = np.random.default_rng(1)
    Z = torch.tensor(4 * rng.standard_normal((30, 2)), requires_grad=True)
    y = torch.from_numpy(rng.integers(0, 2, 30))
    d = (Z[:, 1] - Z[:, 0]).detach().requires_grad_(True)
    ce, bce = F.cross_entropy(Z, y), F.binary_cross_entropy_with_logits(d, y.double())
    ce.backward()
    bce.backward()
    torch.testing.assert_close(ce, bce, rtol=1e-12, atol=0)
    # dCE/dz1 = p1 - y = dBCE/dd, dCE/dz0 = -(p1 - y)
    torch.testing.assert_close(Z.grad[:, 1], d.grad, rtol=1e-12, atol=1e-15)
    torch.testing.assert_close(Z.grad[:, 0], -d.grad, rtol=1e-12, atol=1e-15)
    # and our NumPy versions give the same number
    z_np, y_np = Z.detach().numpy(), y.numpy()
    bce_np = binary_cross_entropy_with_logits(z_np[:, 1] - z_np[:, 0], y_np.astype(float))
    np.testing.assert_allclose(cross_entropy(z_np, y_np), bce_np, rtol=1e-12)


def test_merged_head_gives_the_probabilities_of_the_two_class_head() -> None:
    X, _ = _data()
    rng = np.random.default_rng(2)
    W, b = rng.standard_normal((2, 3)), rng.standard_normal(2)
    w, c = merge_two_class_head(W, b)
    lin = torch.nn.Linear(3, 2).double()
    with torch.no_grad():
        lin.weight.copy_(torch.from_numpy(W))
        lin.bias.copy_(torch.from_numpy(b))
        p_torch = torch.softmax(lin(torch.from_numpy(X)), dim=1)[:, 1].numpy()
    np.testing.assert_allclose(torch.sigmoid(torch.from_numpy(X @ w + c)).numpy(), p_torch, rtol=1e-12)
    assert sum(p.numel() for p in lin.parameters()) == 2 * (w.size + 1)


@pytest.mark.parametrize("lr, steps", [(0.1, 50), (0.5, 200)])
def test_softmax_head_at_lr_is_sigmoid_head_at_twice_lr(lr: float, steps: int) -> None:
    X, y = _data()
    W, b = train_softmax_head(X, y, lr, steps)
    w, c = train_sigmoid_head(X, y, 2 * lr, steps)
    w_merged, c_merged = merge_two_class_head(W, b)
    np.testing.assert_allclose(w_merged, w, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(c_merged, c, rtol=1e-10, atol=1e-12)
    # from zeros the two rows stay opposite: the redundant direction W[0] + W[1] never moves
    np.testing.assert_allclose(W[0] + W[1], 0.0, atol=1e-12)
    # and the same lr is not the same run
    w_same, _ = train_sigmoid_head(X, y, lr, steps)
    assert np.abs(w_same - w_merged).max() > 1e-3


def test_sigmoid_head_matches_torch_sgd() -> None:
    X, y = _data(3)
    w, c = train_sigmoid_head(X, y, 0.3, 20)
    lin = torch.nn.Linear(3, 1).double()
    torch.nn.init.zeros_(lin.weight)
    torch.nn.init.zeros_(lin.bias)
    opt = torch.optim.SGD(lin.parameters(), lr=0.3)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y).double()
    for _ in range(20):
        opt.zero_grad()
        F.binary_cross_entropy_with_logits(lin(Xt)[:, 0], yt).backward()
        opt.step()
    np.testing.assert_allclose(w, lin.weight.detach().numpy()[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(c, lin.bias.item(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("optimizer", ["sgd_momentum", "adam"])
def test_two_for_one_holds_for_momentum_and_adam_from_a_matching_random_init(optimizer: str) -> None:
    # the rows' gradients are opposite and both updates are odd in the gradient, so w = W1 - W0 moves
    # exactly like a sigmoid head at twice the rate, from any init where the sigmoid head starts at (W1 - W0, b1 - b0)
    X, y = _data(4)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    torch.manual_seed(0)
    two = torch.nn.Linear(3, 2).double()  # default (random) init: W0 + W1 != 0

    def make(params: object, lr: float) -> torch.optim.Optimizer:
        if optimizer == "adam":
            return torch.optim.Adam(params, lr=lr)  # type: ignore[arg-type]
        return torch.optim.SGD(params, lr=lr, momentum=0.9)  # type: ignore[arg-type]

    ones = []
    for lr in (0.1, 0.05):  # the sigmoid head at 2 * 0.05 and at the same 0.05
        one = torch.nn.Linear(3, 1).double()
        with torch.no_grad():
            one.weight.copy_((two.weight[1] - two.weight[0])[None])
            one.bias.copy_((two.bias[1] - two.bias[0])[None])
        ones.append((one, make(one.parameters(), lr)))
    opt2 = make(two.parameters(), 0.05)
    for _ in range(30):
        opt2.zero_grad()
        F.cross_entropy(two(Xt), yt).backward()
        opt2.step()
        for one, opt1 in ones:
            opt1.zero_grad()
            F.binary_cross_entropy_with_logits(one(Xt)[:, 0], yt.double()).backward()
            opt1.step()
    w_merged = (two.weight[1] - two.weight[0]).detach().numpy()
    np.testing.assert_allclose(ones[0][0].weight.detach().numpy()[0], w_merged, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ones[0][0].bias.item(), (two.bias[1] - two.bias[0]).item(), rtol=1e-10, atol=1e-12)
    assert np.abs(ones[1][0].weight.detach().numpy()[0] - w_merged).max() > 1e-3


def test_bad_inputs_name_the_argument() -> None:
    X, y = _data()
    with pytest.raises(ValueError, match=r"^Z\b"):
        sigmoid_of_difference(np.zeros((3, 3)))
    with pytest.raises(TypeError, match=r"^Z\b"):
        sigmoid_of_difference(np.zeros((3, 2), dtype=int))
    with pytest.raises(ValueError, match=r"^W\b"):
        merge_two_class_head(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"^b\b"):
        merge_two_class_head(np.zeros((2, 2)), np.zeros((2, 1)))
    for train in (train_softmax_head, train_sigmoid_head):
        with pytest.raises(ValueError, match=r"^lr\b"):
            train(X, y, 0.0, 5)
        with pytest.raises(ValueError, match=r"^steps\b"):
            train(X, y, 0.1, -1)
        with pytest.raises(ValueError, match=r"^y\b"):
            train(X, y + 1, 0.1, 5)
        with pytest.raises(TypeError, match=r"^y\b"):
            train(X, y.astype(float), 0.1, 5)
        with pytest.raises(ValueError, match=r"^X\b"):
            train(X[:, 0], y, 0.1, 5)

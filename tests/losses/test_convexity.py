"""Tests for snippets.losses.convexity: backward vs autograd and central differences, the bump."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets.losses.convexity import MLPParams, loss_along_segment, mlp_logits, mlp_loss, permute_hidden
from snippets.losses.nonconvex_demo import fit_mlp, mlp_grads, most_different_pair, permutation_pair, xor_data
from snippets.losses.seeds import summarize_seeds
from snippets.losses.softmax import softmax, softmax_jacobian

FIELDS = ("W1", "b1", "W2", "b2")


def _random_params(H: int, D: int, seed: int) -> MLPParams:
    rng = np.random.default_rng(seed)
    W1, b1 = rng.standard_normal((H, D)), rng.standard_normal(H)
    return MLPParams(W1, b1, rng.standard_normal((1, H)), rng.standard_normal(1))


def _torch_loss(params: dict[str, torch.Tensor], X: np.ndarray, y: np.ndarray) -> torch.Tensor:
    h = torch.tanh(torch.from_numpy(X) @ params["W1"].T + params["b1"])
    z = (h @ params["W2"].T + params["b2"])[:, 0]
    return torch.nn.functional.binary_cross_entropy_with_logits(z, torch.from_numpy(y).double())


@pytest.mark.parametrize("H, D, N", [(1, 1, 3), (3, 2, 10), (4, 5, 7)])
def test_mlp_loss_and_grads_match_torch_autograd(H: int, D: int, N: int) -> None:
    p = _random_params(H, D, seed=H)
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((N, D)), rng.integers(0, 2, size=N)
    tp = {f: torch.from_numpy(getattr(p, f)).requires_grad_(True) for f in FIELDS}
    L = _torch_loss(tp, X, y)
    L.backward()
    np.testing.assert_allclose(mlp_loss(p, X, y), L.item(), rtol=1e-12, atol=0)
    g = mlp_grads(p, X, y)
    for f in FIELDS:
        grad = tp[f].grad
        assert grad is not None
        np.testing.assert_allclose(getattr(g, f), grad.numpy(), rtol=1e-10, atol=1e-14, err_msg=f)


def test_mlp_grads_match_central_differences() -> None:
    p = _random_params(3, 2, seed=7)
    X, y = xor_data(3, np.random.default_rng(1))
    g, eps = mlp_grads(p, X, y), 1e-6
    for f in FIELDS:
        numeric = np.zeros_like(getattr(p, f))
        for idx in np.ndindex(*numeric.shape):
            shift = np.zeros_like(numeric)
            shift[idx] = eps
            plus = MLPParams(**{**vars(p), f: getattr(p, f) + shift})
            minus = MLPParams(**{**vars(p), f: getattr(p, f) - shift})
            numeric[idx] = (mlp_loss(plus, X, y) - mlp_loss(minus, X, y)) / (2 * eps)
        np.testing.assert_allclose(getattr(g, f), numeric, rtol=1e-6, atol=1e-9, err_msg=f)


@pytest.mark.parametrize("perm", [[1, 0, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]])
def test_permuted_hidden_units_give_identical_predictions_and_loss(perm: list[int]) -> None:
    p = _random_params(4, 2, seed=3)
    X, y = xor_data(5, np.random.default_rng(2))
    q = permute_hidden(p, np.array(perm))
    assert not np.array_equal(q.W1, p.W1)
    np.testing.assert_allclose(mlp_logits(q, X), mlp_logits(p, X), rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(mlp_loss(q, X, y), mlp_loss(p, X, y), rtol=1e-14, atol=0)


@pytest.mark.experiment
def test_fit_mlp_solves_xor_and_decreases_the_loss() -> None:
    X, y = xor_data(25, np.random.default_rng(4))
    start, trained = fit_mlp(X, y, 4, 0, 2.0, 4), fit_mlp(X, y, 4, 500, 2.0, 4)
    assert mlp_loss(trained, X, y) < 0.01 < 0.5 < mlp_loss(start, X, y)
    assert np.all((mlp_logits(trained, X) > 0) == (y == 1))


def test_most_different_pair_picks_the_farthest_units_by_hand() -> None:
    # 单元 i 由 (W1[i], b1[i], W2[0, i]) 描述; 单元 0 与 3 相距最远
    p = MLPParams(W1=np.array([[0.0], [1.0], [2.0], [5.0]]), b1=np.zeros(4), W2=np.zeros((1, 4)), b2=np.zeros(1))
    assert most_different_pair(p) == (0, 3)
    q = MLPParams(W1=np.zeros((3, 2)), b1=np.array([0.0, 0.0, 0.0]), W2=np.array([[1.0, -4.0, 0.5]]), b2=np.zeros(1))
    assert most_different_pair(q) == (0, 1)


@pytest.mark.experiment
def test_segment_between_permuted_minima_violates_convexity_on_every_seed() -> None:
    # 页面上的实验: 10 个种子, XOR 100 点, H = 4, 500 步, lr = 2; b 交换了相差最大的两个隐藏单元
    ends, mids = [], []
    for seed in range(10):
        a, b, X, y = permutation_pair(seed)
        assert not np.array_equal(a.W1, b.W1)
        np.testing.assert_allclose(mlp_logits(b, X), mlp_logits(a, X), rtol=1e-12, atol=1e-12)
        L = loss_along_segment(a, b, X, y, np.array([0.0, 0.5, 1.0]))
        np.testing.assert_allclose(L[[0, 2]], [mlp_loss(a, X, y), mlp_loss(b, X, y)], rtol=1e-14, atol=0)
        np.testing.assert_allclose(L[0], L[2], rtol=1e-12, atol=0)
        assert L[0] < 0.02  # 训练好了: 实测 0.0014-0.0099
        assert L[1] > 0.5 > 25 * (L[0] + L[2]) / 2  # 凸函数要求 L(mid) <= (L(a) + L(b)) / 2; 实测中点 0.64-2.7
        ends.append(L[0])
        mids.append(L[1])
    e, m = summarize_seeds(ends), summarize_seeds(mids)
    assert e.median < 0.005 and 1.0 < m.median < 1.6  # 页面: 中位数 0.0033 与 1.3


def test_cross_entropy_hessian_wrt_logits_is_softmax_jacobian_and_psd() -> None:
    z = np.array([1.5, -0.3, 0.2, 2.0])
    y = 2
    H = torch.autograd.functional.hessian(
        lambda v: torch.nn.functional.cross_entropy(v[None], torch.tensor([y])), torch.from_numpy(z)
    ).numpy()
    np.testing.assert_allclose(H, softmax_jacobian(softmax(z)), rtol=1e-12, atol=1e-15)
    assert np.linalg.eigvalsh(H).min() >= -1e-12


@settings(max_examples=100, deadline=None)
@given(z=arrays(np.float64, st.integers(1, 8), elements=st.floats(-30.0, 30.0)))
def test_cross_entropy_is_convex_in_logits_psd_hessian(z: np.ndarray) -> None:
    assert np.linalg.eigvalsh(softmax_jacobian(softmax(z))).min() >= -1e-12


@pytest.mark.parametrize(
    "fn, args, error, match",
    [
        pytest.param(
            mlp_logits, (_random_params(2, 3, 0), np.zeros((4, 2))), ValueError, r"X must have shape \(N, D\)",
            id="mlp_logits",
        ),
        pytest.param(
            mlp_loss, (_random_params(2, 3, 0), np.zeros((4, 3)), np.zeros(5)), ValueError, r"y must have shape",
            id="mlp_loss",
        ),
        pytest.param(
            permute_hidden, (_random_params(3, 2, 0), np.array([0, 0, 1])), ValueError, "perm must be a permutation",
            id="permute_hidden",
        ),
        pytest.param(
            loss_along_segment,
            (_random_params(2, 2, 0), _random_params(2, 2, 1), np.zeros((1, 2)), np.zeros(1), np.array([0, 1])),
            ValueError, "ts must be a finite floating array", id="loss_along_segment",
        ),
        pytest.param(
            mlp_grads, ("W", np.zeros((1, 2)), np.zeros(1)), TypeError, "params must be MLPParams", id="mlp_grads"
        ),
        pytest.param(
            fit_mlp, (np.zeros((4, 2)), np.zeros(4), 0, 10, 1.0, 0), ValueError, "hidden must be an int >= 1",
            id="fit_mlp",
        ),
        pytest.param(
            xor_data, (0, np.random.default_rng(0)), ValueError, "n_per_cluster must be an int >= 1", id="xor_data"
        ),
        pytest.param(permutation_pair, (-1,), ValueError, "seed must be an int >= 0", id="permutation_pair"),
        pytest.param(
            most_different_pair, (_random_params(1, 2, 0),), ValueError, "params must have at least 2 hidden units",
            id="most_different_pair",
        ),
    ],
)
def test_bad_input_raises_with_argument_name(fn, args, error, match) -> None:
    with pytest.raises(error, match=match):
        fn(*args)

"""Tests for snippets.losses.cross_entropy: PyTorch in float64, paper cases, CE == NLL, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.losses.cross_entropy import (
    bernoulli_log_likelihood,
    bernoulli_mle,
    binary_cross_entropy_with_logits,
    cross_entropy,
    cross_entropy_grad,
    nll_from_probs,
    one_hot,
)
from snippets.losses.softmax import softmax

SHAPES = [(1, 1), (1, 3), (4, 2), (8, 10)]


def _batch(N: int, K: int, scale: float = 3.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return scale * rng.standard_normal((N, K)), rng.integers(0, K, size=N)


@pytest.mark.parametrize("N, K", SHAPES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_matches_torch_float64(N: int, K: int, reduction: str) -> None:
    z, y = _batch(N, K)
    expected = F.cross_entropy(torch.from_numpy(z), torch.from_numpy(y), reduction=reduction).numpy()
    np.testing.assert_allclose(cross_entropy(z, y, reduction=reduction), expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("N, K", SHAPES)
def test_cross_entropy_grad_matches_torch_autograd(N: int, K: int) -> None:
    z, y = _batch(N, K, seed=1)
    zt = torch.from_numpy(z).requires_grad_(True)
    F.cross_entropy(zt, torch.from_numpy(y)).backward()
    assert zt.grad is not None
    np.testing.assert_allclose(cross_entropy_grad(z, y), zt.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_cross_entropy_grad_matches_central_differences() -> None:
    z, y = _batch(3, 4, seed=2)
    eps = 1e-6
    numeric = np.zeros_like(z)
    for idx in np.ndindex(*z.shape):
        dz = np.zeros_like(z)
        dz[idx] = eps
        numeric[idx] = (cross_entropy(z + dz, y) - cross_entropy(z - dz, y)) / (2 * eps)
    np.testing.assert_allclose(cross_entropy_grad(z, y), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("K", [2, 3, 10, 1000])
def test_cross_entropy_of_uniform_prediction_is_ln_K(K: int) -> None:
    z = np.zeros((3, K))
    np.testing.assert_allclose(cross_entropy(z, np.array([0, 1, K - 1])), math.log(K), rtol=1e-14, atol=0)


def test_cross_entropy_of_0_ln3_logits_by_hand() -> None:
    z = np.array([[0.0, math.log(3.0)]])
    # p = [1/4, 3/4]: 类 1 的损失 -ln(3/4), 类 0 的损失 -ln(1/4) = ln 4
    np.testing.assert_allclose(cross_entropy(z, np.array([1])), math.log(4 / 3), rtol=1e-14, atol=0)
    np.testing.assert_allclose(cross_entropy(z, np.array([0])), math.log(4), rtol=1e-14, atol=0)


def test_cross_entropy_stays_finite_for_huge_logits() -> None:
    z = np.array([[1000.0, 0.0], [0.0, -1000.0]])
    losses = cross_entropy(z, np.array([1, 1]), reduction="none")
    np.testing.assert_allclose(losses, [1000.0, 1000.0], rtol=1e-15, atol=0)


@pytest.mark.parametrize("N, K", SHAPES)
def test_cross_entropy_equals_nll_of_softmax_probabilities(N: int, K: int) -> None:
    z, y = _batch(N, K, seed=3)
    nll = nll_from_probs(softmax(z, axis=1), y)
    np.testing.assert_allclose(cross_entropy(z, y), nll, rtol=1e-12, atol=1e-14)


def test_nll_is_infinite_when_the_true_class_has_probability_zero_without_any_float_error() -> None:
    # 不对 0 求 log (而不是把 divide-by-zero 警告关掉): 在 all="raise" 下也不抛错
    with np.errstate(all="raise"):
        assert nll_from_probs(np.array([[1.0, 0.0]]), np.array([1])) == np.inf
        assert nll_from_probs(np.array([[1.0, 0.0], [0.5, 0.5]]), np.array([1, 0])) == np.inf
        np.testing.assert_allclose(nll_from_probs(np.array([[0.25, 0.75]]), np.array([1])), -np.log(0.75), rtol=1e-15)


def test_one_hot_matches_torch() -> None:
    y = np.array([2, 0, 1, 2])
    expected = F.one_hot(torch.from_numpy(y), num_classes=4).numpy()
    np.testing.assert_array_equal(one_hot(y, 4), expected)


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2)])
def test_bce_with_logits_matches_torch_float64(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(4)
    z, y = 5.0 * rng.standard_normal(shape), rng.uniform(0.0, 1.0, size=shape)
    expected = F.binary_cross_entropy_with_logits(torch.from_numpy(z), torch.from_numpy(y)).item()
    np.testing.assert_allclose(binary_cross_entropy_with_logits(z, y), expected, rtol=1e-12, atol=0)


def test_bce_with_logits_is_finite_and_exact_for_huge_logits() -> None:
    z, y = np.array([1000.0, -1000.0, 1000.0]), np.array([0.0, 1.0, 1.0])
    expected = F.binary_cross_entropy_with_logits(torch.from_numpy(z), torch.from_numpy(y)).item()
    np.testing.assert_allclose(binary_cross_entropy_with_logits(z, y), 2000.0 / 3, rtol=1e-15, atol=0)
    np.testing.assert_allclose(expected, 2000.0 / 3, rtol=1e-15, atol=0)


def test_bce_at_zero_logit_is_ln2() -> None:
    loss = binary_cross_entropy_with_logits(np.zeros(3), np.array([0.0, 1.0, 0.5]))
    np.testing.assert_allclose(loss, math.log(2), rtol=1e-15, atol=0)


def test_bernoulli_log_likelihood_matches_torch_distribution() -> None:
    x = np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1])
    theta = np.array([0.1, 0.5, 0.7, 0.99])
    xt = torch.from_numpy(x).double()
    expected = [torch.distributions.Bernoulli(probs=torch.tensor(t)).log_prob(xt).sum().item() for t in theta]
    np.testing.assert_allclose(bernoulli_log_likelihood(theta, x), expected, rtol=1e-12, atol=0)


def test_bernoulli_log_likelihood_at_one_half_is_n_ln_half() -> None:
    log_lik = bernoulli_log_likelihood(0.5, np.array([1, 0, 0, 1]))
    np.testing.assert_allclose(log_lik, 4 * math.log(0.5), rtol=1e-15, atol=0)


def test_bernoulli_mle_is_the_argmax_of_the_log_likelihood() -> None:
    x = np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1])
    theta = np.linspace(0.001, 0.999, 999)
    assert bernoulli_mle(x) == pytest.approx(0.7, abs=1e-15)
    assert theta[np.argmax(bernoulli_log_likelihood(theta, x))] == pytest.approx(0.7, abs=1e-3)


@pytest.mark.parametrize(
    "fn, args, error, match",
    [
        pytest.param(one_hot, (np.array([0, 3]), 3), ValueError, r"y must lie in \[0, 3\)", id="one_hot"),
        pytest.param(
            cross_entropy, (np.zeros((2, 3)), np.array([0, 1]), "avg"), ValueError, "reduction must be one of",
            id="cross_entropy",
        ),
        pytest.param(
            cross_entropy_grad, (np.zeros((2, 3)), np.array([0])), ValueError, r"y must have shape \(N,\)",
            id="cross_entropy_grad",
        ),
        pytest.param(
            nll_from_probs, (np.full((1, 2), 0.7), np.array([0])), ValueError, "p must be non-negative",
            id="nll_from_probs",
        ),
        pytest.param(
            binary_cross_entropy_with_logits, (np.array([np.nan]), np.array([1.0])), ValueError, "z must be finite",
            id="binary_cross_entropy_with_logits",
        ),
        pytest.param(
            bernoulli_log_likelihood, (1.0, np.array([0, 1])), ValueError, r"theta must lie in the open interval",
            id="bernoulli_log_likelihood",
        ),
        pytest.param(bernoulli_mle, (np.array([0, 2]),), ValueError, "x must contain only 0", id="bernoulli_mle"),
    ],
)
def test_bad_input_raises_with_argument_name(fn, args, error, match) -> None:
    with pytest.raises(error, match=match):
        fn(*args)


def test_cross_entropy_rejects_float_labels_naming_y() -> None:
    with pytest.raises(TypeError, match="y must be an integer array"):
        cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0]))


@pytest.mark.parametrize(
    ("dtype", "z"),
    [
        (torch.float32, 17.33), (torch.float32, 18.0), (torch.float32, 30.0),
        (torch.float64, 37.43), (torch.float64, 800.0),
    ],
)
def test_bce_after_sigmoid_is_clamped_by_torch_while_the_logit_form_is_exact(dtype: torch.dtype, z: float) -> None:
    # 页面上的警告: z >= (bits + 1) ln 2 时任何舍入正确的 sigmoid 都给出 1 (float32: 17.33, float64: 37.43),
    # BCELoss 把 log 0 截断成 -100, 梯度为 0; 我们的 logit 写法给出 z 本身
    zt = torch.tensor([z], dtype=dtype, requires_grad=True)
    clamped = F.binary_cross_entropy(torch.sigmoid(zt), torch.zeros(1, dtype=dtype))
    clamped.backward()
    assert zt.grad is not None
    np.testing.assert_allclose([clamped.item(), zt.grad.item()], [100.0, 0.0], rtol=1e-6, atol=0)
    ours = binary_cross_entropy_with_logits(np.array([z]), np.array([0.0]))
    np.testing.assert_allclose(ours, z, rtol=0, atol=1e-6)
    assert abs(ours - clamped.item()) > 50

"""snippets.norm.batchnorm against nn.BatchNorm1d/2d and autograd in float64, central differences, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.norm.batchnorm import BNCache, batchnorm_backward, batchnorm_eval, batchnorm_train, fold_into_linear

SHAPES = [(8, 3), (4, 3, 5, 5), (2, 4, 3, 1), (16, 1)]


def _torch_bn(C: int, ndim: int, momentum: float) -> torch.nn.Module:
    cls = torch.nn.BatchNorm1d if ndim == 2 else torch.nn.BatchNorm2d
    return cls(C, momentum=momentum, dtype=torch.float64)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("momentum", [0.1, 0.5, 1.0])
def test_train_forward_running_stats_and_backward_match_torch(shape: tuple[int, ...], momentum: float) -> None:
    rng = np.random.default_rng(0)
    C = shape[1]
    X = 3.0 * rng.standard_normal(shape) + 2.0
    gamma, beta = rng.uniform(0.5, 2.0, C), rng.standard_normal(C)
    rm, rv = rng.standard_normal(C), rng.uniform(0.5, 2.0, C)
    dY = rng.standard_normal(shape)

    bn = _torch_bn(C, len(shape), momentum)
    with torch.no_grad():
        bn.weight.copy_(torch.from_numpy(gamma))
        bn.bias.copy_(torch.from_numpy(beta))
        bn.running_mean.copy_(torch.from_numpy(rm))
        bn.running_var.copy_(torch.from_numpy(rv))
    Xt = torch.from_numpy(X).requires_grad_()
    Yt = bn.train()(Xt)
    Yt.backward(torch.from_numpy(dY))

    Y, cache, new_rm, new_rv = batchnorm_train(X, gamma, beta, rm, rv, momentum=momentum)
    dX, dgamma, dbeta = batchnorm_backward(dY, cache)
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(new_rm, bn.running_mean.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(new_rv, bn.running_var.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(dgamma, bn.weight.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dbeta, bn.bias.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("shape", SHAPES)
def test_eval_forward_matches_torch_eval_mode(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(1)
    C = shape[1]
    X = rng.standard_normal(shape)
    gamma, beta = rng.uniform(0.5, 2.0, C), rng.standard_normal(C)
    rm, rv = rng.standard_normal(C), rng.uniform(0.5, 2.0, C)
    bn = _torch_bn(C, len(shape), 0.1)
    with torch.no_grad():
        bn.weight.copy_(torch.from_numpy(gamma))
        bn.bias.copy_(torch.from_numpy(beta))
        bn.running_mean.copy_(torch.from_numpy(rm))
        bn.running_var.copy_(torch.from_numpy(rv))
        expected = bn.eval()(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(batchnorm_eval(X, gamma, beta, rm, rv), expected, rtol=1e-12, atol=1e-13)


def test_backward_matches_central_differences() -> None:
    rng = np.random.default_rng(2)
    X, dY = rng.standard_normal((5, 2, 2, 2)), rng.standard_normal((5, 2, 2, 2))
    gamma, beta, zeros, ones = np.array([1.5, 0.7]), np.array([0.1, -0.3]), np.zeros(2), np.ones(2)

    def loss(X_: np.ndarray) -> float:
        return float((batchnorm_train(X_, gamma, beta, zeros, ones)[0] * dY).sum())

    numeric = np.zeros_like(X)
    h = 1e-6
    for idx in np.ndindex(X.shape):
        E = np.zeros_like(X)
        E[idx] = h
        numeric[idx] = (loss(X + E) - loss(X - E)) / (2 * h)
    dX = batchnorm_backward(dY, batchnorm_train(X, gamma, beta, zeros, ones)[1])[0]
    np.testing.assert_allclose(dX, numeric, rtol=1e-6, atol=1e-8)


def test_hand_case_two_samples_normalize_to_minus_one_and_one() -> None:
    # X = (1, 3): mean 2, biased var 1 -> X_hat = (-1, 1) (eps = 0 not allowed, so a tiny one);
    # running_var gets the unbiased var 2: 0.9 * 1 + 0.1 * 2 = 1.1; running_mean 0.9 * 0 + 0.1 * 2 = 0.2
    X = np.array([[1.0], [3.0]])
    Y, _, rm, rv = batchnorm_train(X, np.ones(1), np.zeros(1), np.zeros(1), np.ones(1), eps=1e-12)
    np.testing.assert_allclose(Y.ravel(), [-1.0, 1.0], rtol=1e-10)
    np.testing.assert_allclose(rm, [0.2], rtol=1e-14)
    np.testing.assert_allclose(rv, [1.1], rtol=1e-14)


def test_gradient_wrt_input_is_orthogonal_to_constants_and_to_x_hat() -> None:
    # BN 的输出不随 X 整体平移或 (每通道) 缩放而变: dX 与 1 和 X_hat 正交
    rng = np.random.default_rng(3)
    X, dY = rng.standard_normal((32, 4)), rng.standard_normal((32, 4))
    _, cache, _, _ = batchnorm_train(X, np.ones(4), np.zeros(4), np.zeros(4), np.ones(4), eps=1e-12)
    dX = batchnorm_backward(dY, cache)[0]
    np.testing.assert_allclose(dX.sum(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose((dX * cache.X_hat).sum(axis=0), 0.0, atol=1e-9)


def test_bad_inputs_raise_naming_the_argument() -> None:
    X, g, b, rm, rv = np.zeros((4, 3)), np.ones(3), np.zeros(3), np.zeros(3), np.ones(3)
    with pytest.raises(TypeError, match="X"):
        batchnorm_train(X.astype(int), g, b, rm, rv)
    with pytest.raises(ValueError, match="X"):
        batchnorm_train(np.zeros((4, 3, 2)), g, b, rm, rv)
    with pytest.raises(ValueError, match="gamma"):
        batchnorm_train(X, np.ones(2), b, rm, rv)
    with pytest.raises(ValueError, match="running_var"):
        batchnorm_train(X, g, b, rm, np.ones(4))
    with pytest.raises(ValueError, match="X must hold more than one value"):
        batchnorm_train(np.zeros((1, 3)), g, b, rm, rv)
    with pytest.raises(ValueError, match="momentum"):
        batchnorm_train(X, g, b, rm, rv, momentum=1.5)
    with pytest.raises(ValueError, match="eps"):
        batchnorm_eval(X, g, b, rm, rv, eps=0.0)
    with pytest.raises(ValueError, match="beta"):
        batchnorm_eval(X, g, np.zeros(4), rm, rv)
    _, cache, _, _ = batchnorm_train(np.random.default_rng(0).standard_normal((4, 3)), g, b, rm, rv)
    with pytest.raises(ValueError, match="dY"):
        batchnorm_backward(np.zeros((5, 3)), cache)
    with pytest.raises(TypeError, match="cache"):
        batchnorm_backward(np.zeros((4, 3)), "cache")  # type: ignore[arg-type]
    assert isinstance(cache, BNCache)


def test_folded_linear_equals_linear_then_bn_in_eval_mode() -> None:
    rng = np.random.default_rng(4)
    W, b, x = rng.standard_normal((5, 3)), rng.standard_normal(5), rng.standard_normal((7, 3))
    gamma, beta, rm, rv = rng.uniform(0.5, 2, 5), rng.standard_normal(5), rng.standard_normal(5), rng.uniform(0.5, 2, 5)
    W2, b2 = fold_into_linear(W, b, gamma, beta, rm, rv)
    np.testing.assert_allclose(x @ W2.T + b2, batchnorm_eval(x @ W.T + b, gamma, beta, rm, rv), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="running_mean"):
        fold_into_linear(W, b, gamma, beta, np.zeros(4), rv)
    with pytest.raises(TypeError, match="W"):
        fold_into_linear(W.astype(int), b, gamma, beta, rm, rv)


def test_a_bias_before_bn_changes_nothing_in_training_mode() -> None:
    rng = np.random.default_rng(5)
    Z, b = rng.standard_normal((16, 4)), 10 * rng.standard_normal(4)
    args = (np.ones(4), np.zeros(4), np.zeros(4), np.ones(4))
    np.testing.assert_allclose(batchnorm_train(Z + b, *args)[0], batchnorm_train(Z, *args)[0], rtol=1e-9, atol=1e-9)


def test_scaling_the_previous_weights_by_a_positive_number_changes_nothing_in_training_mode() -> None:
    rng = np.random.default_rng(6)
    X, W = rng.standard_normal((32, 5)), rng.standard_normal((4, 5))  # W is (out, in)
    args = (np.ones(4), np.zeros(4), np.zeros(4), np.ones(4))
    ref = batchnorm_train(X @ W.T, *args)[0]
    for a in (0.1, 0.5, 30.0):  # up to eps: at a = 1e-3 the batch variance is comparable to eps = 1e-5
        np.testing.assert_allclose(batchnorm_train(X @ (a * W).T, *args)[0], ref, rtol=1e-3, atol=1e-3)
    assert not np.allclose(batchnorm_train(X @ (1e-3 * W).T, *args)[0], ref, rtol=1e-3, atol=1e-3)

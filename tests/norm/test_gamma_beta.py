"""What gamma and beta add to BN: the identity is reachable, and a following linear layer absorbs them."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.norm.batchnorm import batchnorm_train


@pytest.mark.parametrize("shape", [(64, 3), (8, 2, 5, 5), (4, 1, 3, 7)])
def test_gamma_std_beta_mean_turns_bn_into_the_identity(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    C = shape[1]
    X = rng.normal(2.0, 3.0, size=shape)
    axes = (0,) if X.ndim == 2 else (0, 2, 3)
    gamma, beta = np.sqrt(X.var(axis=axes) + 1e-5), X.mean(axis=axes)
    Y = batchnorm_train(X, gamma, beta, np.zeros(C), np.ones(C))[0]
    np.testing.assert_allclose(Y, X, rtol=1e-10, atol=1e-10)


def test_without_gamma_beta_every_channel_has_mean_zero_and_unit_variance() -> None:
    X = np.random.default_rng(1).normal([5.0, -3.0, 0.1], [0.1, 10.0, 1.0], size=(100, 3))
    Y = batchnorm_train(X, np.ones(3), np.zeros(3), np.zeros(3), np.ones(3))[0]
    np.testing.assert_allclose(Y.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Y.var(axis=0), X.var(axis=0) / (X.var(axis=0) + 1e-5), rtol=1e-12)


def test_a_following_linear_layer_absorbs_gamma_and_beta() -> None:
    rng = np.random.default_rng(2)
    X = rng.standard_normal((32, 4))
    gamma, beta = rng.uniform(0.5, 2.0, 4), rng.standard_normal(4)
    W, b = rng.standard_normal((3, 4)), rng.standard_normal(3)  # (out, in)
    z = lambda g, bt: batchnorm_train(X, g, bt, np.zeros(4), np.ones(4))[0]  # noqa: E731
    with_affine = z(gamma, beta) @ W.T + b
    absorbed = z(np.ones(4), np.zeros(4)) @ (W * gamma).T + (W @ beta + b)
    np.testing.assert_allclose(with_affine, absorbed, rtol=1e-12, atol=1e-12)

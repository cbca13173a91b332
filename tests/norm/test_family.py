"""snippets.norm.family against nn.GroupNorm / nn.LayerNorm / nn.InstanceNorm2d and autograd in float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.norm.batchnorm import batchnorm_train
from snippets.norm.family import (
    NormCache,
    group_norm,
    group_norm_backward,
    layer_norm,
    layer_norm_backward,
    normalize,
    normalize_backward,
    switchable_norm,
)


def _data(shape: tuple[int, ...], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return 2.0 * rng.standard_normal(shape) + 1.0, rng.standard_normal(shape)


def _set(module: torch.nn.Module, weight: np.ndarray, bias: np.ndarray) -> None:
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(weight))
        module.bias.copy_(torch.from_numpy(bias))


@pytest.mark.parametrize(
    "shape, G", [((3, 6, 4, 5), 1), ((3, 6, 4, 5), 2), ((3, 6, 4, 5), 3), ((2, 6, 1, 7), 6), ((1, 4, 3, 3), 2)]
)
def test_group_norm_forward_and_backward_match_torch(shape: tuple[int, int, int, int], G: int) -> None:
    X, dY = _data(shape)
    C = shape[1]
    rng = np.random.default_rng(1)
    gamma, beta = rng.uniform(0.5, 2.0, C), rng.standard_normal(C)
    m = torch.nn.GroupNorm(G, C, dtype=torch.float64)
    _set(m, gamma, beta)
    Xt = torch.from_numpy(X).requires_grad_()
    Yt = m(Xt)
    Yt.backward(torch.from_numpy(dY))
    Y, cache = group_norm(X, G, gamma, beta)
    dX, dgamma, dbeta = group_norm_backward(dY, cache, gamma)
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(dgamma, m.weight.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dbeta, m.bias.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("shape", [(3, 6, 4, 5), (4, 10), (2, 5, 8)])
def test_layer_norm_forward_and_backward_match_torch(shape: tuple[int, ...]) -> None:
    X, dY = _data(shape)
    rng = np.random.default_rng(2)
    w, b = rng.standard_normal(shape[1:]), rng.standard_normal(shape[1:])
    m = torch.nn.LayerNorm(shape[1:], dtype=torch.float64)
    _set(m, w, b)
    Xt = torch.from_numpy(X).requires_grad_()
    Yt = m(Xt)
    Yt.backward(torch.from_numpy(dY))
    Y, cache = layer_norm(X, w, b)
    dX, dw, db = layer_norm_backward(dY, cache, w)
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(dw, m.weight.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(db, m.bias.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_instance_norm_is_group_norm_with_one_channel_per_group_and_matches_torch() -> None:
    X, dY = _data((3, 4, 5, 6))
    rng = np.random.default_rng(3)
    gamma, beta = rng.uniform(0.5, 2.0, 4), rng.standard_normal(4)
    m = torch.nn.InstanceNorm2d(4, affine=True, dtype=torch.float64)
    _set(m, gamma, beta)
    Xt = torch.from_numpy(X).requires_grad_()
    Yt = m(Xt)
    Yt.backward(torch.from_numpy(dY))
    Y, cache = group_norm(X, 4, gamma, beta)
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(group_norm_backward(dY, cache, gamma)[0], Xt.grad.numpy(), rtol=1e-9, atol=1e-11)


def test_normalize_backward_matches_central_differences() -> None:
    X, dY = _data((2, 3, 2, 2), seed=4)
    axes = (1, 3)

    def loss(X_: np.ndarray) -> float:
        return float((normalize(X_, axes)[0] * dY).sum())

    numeric = np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        E = np.zeros_like(X)
        E[idx] = 1e-6
        numeric[idx] = (loss(X + E) - loss(X - E)) / 2e-6
    np.testing.assert_allclose(normalize_backward(dY, normalize(X, axes)[1]), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("which", [0, 1, 2])
def test_switchable_norm_with_one_hot_weights_is_in_ln_or_bn(which: int) -> None:
    X, _ = _data((4, 6, 3, 3))
    gamma, beta = np.linspace(0.5, 1.5, 6), np.linspace(-1.0, 1.0, 6)
    logits = np.full(3, -60.0)
    logits[which] = 60.0
    expected = [
        group_norm(X, 6, gamma, beta)[0],  # IN
        group_norm(X, 1, gamma, beta)[0],  # LN over (C, H, W) with per-channel affine
        batchnorm_train(X, gamma, beta, np.zeros(6), np.ones(6))[0],  # BN
    ][which]
    np.testing.assert_allclose(switchable_norm(X, logits, logits, gamma, beta), expected, rtol=1e-10, atol=1e-10)


def test_each_group_has_mean_zero_and_unit_variance_hand_case() -> None:
    # one sample, 2 channels of 1x2, one group: values (0, 2, 4, 6) -> mean 3, var 5
    X = np.array([[[[0.0, 2.0]], [[4.0, 6.0]]]])
    Y, _ = group_norm(X, 1, np.ones(2), np.zeros(2), eps=1e-12)
    np.testing.assert_allclose(Y.ravel(), (np.array([0.0, 2.0, 4.0, 6.0]) - 3.0) / np.sqrt(5.0), rtol=1e-10)


def test_bad_inputs_raise_naming_the_argument() -> None:
    X, g, b = np.zeros((2, 6, 3, 3)), np.ones(6), np.zeros(6)
    with pytest.raises(ValueError, match="num_groups"):
        group_norm(X, 4, g, b)
    with pytest.raises(ValueError, match="gamma"):
        group_norm(X, 2, np.ones(5), b)
    with pytest.raises(TypeError, match="X"):
        group_norm(X.astype(int), 2, g, b)
    with pytest.raises(ValueError, match="eps"):
        group_norm(X, 2, g, b, eps=0.0)
    with pytest.raises(ValueError, match="weight"):
        layer_norm(X, np.ones((6, 3)), np.zeros((6, 3, 3)))
    with pytest.raises(ValueError, match="axes"):
        normalize(X, (4,))
    with pytest.raises(TypeError, match="cache"):
        normalize_backward(X, "cache")  # type: ignore[arg-type]
    _, cache = group_norm(np.random.default_rng(0).standard_normal((2, 6, 3, 3)), 2, g, b)
    assert isinstance(cache, NormCache)
    with pytest.raises(ValueError, match="dY"):
        group_norm_backward(np.zeros((2, 6, 3, 2)), cache, g)
    _, lcache = layer_norm(np.ones((2, 3)) * np.arange(3.0), np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="dY"):
        layer_norm_backward(np.zeros((3, 3)), lcache, np.ones(3))
    with pytest.raises(ValueError, match="mean_logits"):
        switchable_norm(X, np.zeros(2), np.zeros(3), g, b)

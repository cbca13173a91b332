"""snippets.data.bilinear: against an outer-product loop, einsum and a PyTorch float64 version."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.data.bilinear import (
    bcnn_feature,
    bcnn_feature_torch,
    bilinear_pool,
    bilinear_pool_loop,
    l2_normalize,
    signed_sqrt,
)


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(1, 3),
    st.integers(1, 5),
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 4),
)
def test_bilinear_pool_matches_loop_and_einsum(seed: int, N: int, C1: int, C2: int, H: int, W: int) -> None:
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(N, C1, H, W)), rng.normal(size=(N, C2, H, W))
    ours = bilinear_pool(A, B)
    np.testing.assert_allclose(ours, bilinear_pool_loop(A, B), atol=1e-12)
    np.testing.assert_allclose(ours, np.einsum("nihw,njhw->nij", A, B).reshape(N, -1), atol=1e-12)
    np.testing.assert_allclose(bilinear_pool(A, B, average=True), ours / (H * W), atol=1e-12)


def test_descriptor_matches_torch_in_float64() -> None:
    rng = np.random.default_rng(0)
    A, B = np.maximum(rng.normal(size=(2, 4, 3, 3)), 0), rng.normal(size=(2, 5, 3, 3))
    ref = bcnn_feature_torch(torch.tensor(A), torch.tensor(B), eps=0.0).numpy()
    np.testing.assert_allclose(bcnn_feature(A, B), ref, atol=1e-12)


def test_sum_and_mean_pooling_give_the_same_descriptor() -> None:
    # sqrt(c x) = sqrt(c) sqrt(x), and L2 normalisation removes sqrt(c)
    rng = np.random.default_rng(1)
    A = rng.normal(size=(3, 4, 5, 5))
    s = l2_normalize(signed_sqrt(bilinear_pool(A, A)))
    m = l2_normalize(signed_sqrt(bilinear_pool(A, A, average=True)))
    np.testing.assert_allclose(s, m, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(s, axis=1), 1.0)


def test_hand_case_co_occurrence_that_average_pooling_misses() -> None:
    together = np.array([[[[1.0, 0.0]], [[1.0, 0.0]]]])  # (1, 2, 1, 2): 两个通道在同一位置激活
    apart = np.array([[[[1.0, 0.0]], [[0.0, 1.0]]]])  # 两个通道在不同位置激活
    np.testing.assert_array_equal(together.mean(axis=(2, 3)), apart.mean(axis=(2, 3)))
    np.testing.assert_array_equal(bilinear_pool(together, together), [[1, 1, 1, 1]])
    np.testing.assert_array_equal(bilinear_pool(apart, apart), [[1, 0, 0, 1]])
    np.testing.assert_allclose(signed_sqrt(np.array([-4.0, 0.0, 9.0])), [-2.0, 0.0, 3.0])


def test_torch_descriptor_has_finite_gradient_at_zero_with_eps() -> None:
    A = torch.zeros(1, 2, 2, 2, dtype=torch.float64, requires_grad=True)
    B = torch.ones(1, 2, 2, 2, dtype=torch.float64)
    bcnn_feature_torch(A, B).sum().backward()
    assert A.grad is not None and torch.isfinite(A.grad).all()


def test_bad_inputs_raise_naming_the_argument() -> None:
    A = np.zeros((1, 2, 3, 3))
    with pytest.raises(ValueError, match="A and B"):
        bilinear_pool(A, np.zeros((1, 2, 2, 3)))
    with pytest.raises(TypeError, match="B"):
        bilinear_pool(A, A.astype(int))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="A"):
        bilinear_pool(np.zeros((2, 3)), A)
    with pytest.raises(ValueError, match="x"):
        signed_sqrt(np.zeros((1, 1, 1)))
    with pytest.raises(TypeError, match="x"):
        l2_normalize([[1.0]])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="A and B"):
        bilinear_pool_loop(A, np.zeros((2, 2, 3, 3)))
    with pytest.raises(ValueError, match="A and B"):
        bcnn_feature(A, np.zeros((2, 2, 3, 3)))
    with pytest.raises(TypeError, match="A and B"):
        bcnn_feature_torch(torch.zeros(2, 3), torch.zeros(2, 3))
    with pytest.raises(ValueError, match="A and B"):
        bcnn_feature_torch(torch.zeros(1, 2, 3, 3), torch.zeros(1, 2, 2, 3))


def test_co_occurrence_example_has_equal_means_and_different_bilinear_features() -> None:
    from snippets.data.bilinear import co_occurrence_maps

    together, apart = co_occurrence_maps()
    np.testing.assert_array_equal(together.mean(axis=(2, 3)), apart.mean(axis=(2, 3)))
    np.testing.assert_allclose(bilinear_pool(together, together, average=True), [[0.125, 0.125, 0.125, 0.125]])
    np.testing.assert_allclose(bilinear_pool(apart, apart, average=True), [[0.125, 0.0, 0.0, 0.125]])

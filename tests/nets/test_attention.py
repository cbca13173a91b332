"""Tests for snippets.nets.attention: against F.scaled_dot_product_attention and nn.MultiheadAttention."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.nets.attention import multi_head_attention, scaled_dot_product_attention, score_variance


@pytest.mark.parametrize(("Lq", "Lk", "d", "dv"), [(3, 5, 4, 2), (7, 7, 16, 16), (1, 9, 8, 3)])
def test_sdpa_matches_torch_in_float64(Lq: int, Lk: int, d: int, dv: int) -> None:
    rng = np.random.default_rng(0)
    Q, K, V = rng.normal(size=(2, 3, Lq, d)), rng.normal(size=(2, 3, Lk, d)), rng.normal(size=(2, 3, Lk, dv))
    out, A = scaled_dot_product_attention(Q, K, V)
    ref = F.scaled_dot_product_attention(*(torch.tensor(a) for a in (Q, K, V)))
    np.testing.assert_allclose(out, ref.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(A.sum(-1), 1.0, rtol=1e-12)


def test_causal_mask_matches_torch() -> None:
    rng = np.random.default_rng(1)
    Q, K, V = (rng.normal(size=(1, 5, 4)) for _ in range(3))
    mask = np.tril(np.ones((5, 5), dtype=bool))
    out, A = scaled_dot_product_attention(Q, K, V, mask)
    ref = F.scaled_dot_product_attention(*(torch.tensor(a) for a in (Q, K, V)), is_causal=True)
    np.testing.assert_allclose(out, ref.numpy(), rtol=1e-10, atol=1e-12)
    assert np.all(A[0][~mask] == 0)


def test_hand_case_equal_keys_average_the_values() -> None:
    Q, K = np.array([[1.0, 0.0]]), np.array([[1.0, 1.0], [1.0, 1.0]])
    V = np.array([[2.0], [4.0]])
    out, A = scaled_dot_product_attention(Q, K, V)
    np.testing.assert_allclose(A, [[0.5, 0.5]])
    np.testing.assert_allclose(out, [[3.0]])


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.sampled_from([1, 2, 4]), st.integers(1, 6))
def test_mha_matches_nn_multiheadattention(N: int, h: int, L: int) -> None:
    torch.manual_seed(N * 100 + h * 10 + L)
    E = 8
    mha = nn.MultiheadAttention(E, h, batch_first=True).double()
    nn.init.normal_(mha.in_proj_bias)
    X = torch.randn(N, L, E, dtype=torch.float64)
    ref = mha(X, X, X, need_weights=False)[0].detach().numpy()
    got = multi_head_attention(X.numpy(), mha.in_proj_weight.detach().numpy(), mha.in_proj_bias.detach().numpy(),
                               mha.out_proj.weight.detach().numpy(), mha.out_proj.bias.detach().numpy(), h)
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-12)


def test_score_variance_grows_with_d_and_scaling_fixes_it() -> None:
    for d in (16, 64, 256):
        raw, scaled = score_variance(d)
        assert abs(raw / d - 1) < 0.05 and abs(scaled - 1) < 0.05


def test_bad_inputs_name_the_argument() -> None:
    Q = np.zeros((2, 3))
    with pytest.raises(TypeError, match="Q"):
        scaled_dot_product_attention(Q.astype(int), Q, Q)
    with pytest.raises(ValueError, match="Q, K, V"):
        scaled_dot_product_attention(Q, np.zeros((2, 4)), Q)
    with pytest.raises(ValueError, match="num_heads"):
        multi_head_attention(np.zeros((1, 2, 6)), np.zeros((18, 6)), np.zeros(18), np.zeros((6, 6)), np.zeros(6), 4)
    with pytest.raises(TypeError, match="X"):
        multi_head_attention(np.zeros((1, 2, 6), dtype=int), np.zeros((18, 6)), np.zeros(18), np.zeros((6, 6)),
                             np.zeros(6), 2)
    with pytest.raises(ValueError, match="d"):
        score_variance(0)

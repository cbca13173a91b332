"""Tests for snippets.basics.clipping: identical to torch.nn.utils.clip_grad_norm_ / clip_grad_value_."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.basics.clipping import clip_grad_norm, clip_grad_value


def torch_params(grads: list[np.ndarray]) -> list[torch.nn.Parameter]:
    params = []
    for g in grads:
        p = torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64))
        p.grad = torch.tensor(g)
        params.append(p)
    return params


@settings(deadline=None, max_examples=60)
@given(st.integers(0, 10_000), st.sampled_from([1.0, 2.0, 3.0, np.inf]), st.floats(0.01, 50.0))
def test_clip_grad_norm_equals_torch(seed: int, norm_type: float, max_norm: float) -> None:
    rng = np.random.default_rng(seed)
    grads = [rng.normal(scale=rng.uniform(0.01, 10), size=s) for s in ((3, 4), (4,), (2, 2, 2))]
    params = torch_params(grads)
    total_t = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
    clipped, total = clip_grad_norm(grads, max_norm, norm_type)
    assert total == pytest.approx(total_t.item(), rel=1e-12)
    for c, p in zip(clipped, params, strict=True):
        np.testing.assert_allclose(c, p.grad.numpy(), rtol=1e-12, atol=1e-15)


@settings(deadline=None, max_examples=60)
@given(st.integers(0, 10_000), st.floats(0.01, 5.0))
def test_clip_grad_value_equals_torch(seed: int, clip_value: float) -> None:
    rng = np.random.default_rng(seed)
    grads = [rng.normal(scale=3, size=s) for s in ((5,), (2, 3))]
    params = torch_params(grads)
    torch.nn.utils.clip_grad_value_(params, clip_value)
    for c, p in zip(clip_grad_value(grads, clip_value), params, strict=True):
        np.testing.assert_allclose(c, p.grad.numpy(), rtol=1e-15, atol=1e-15)


def test_norm_clipping_keeps_the_direction_value_clipping_does_not() -> None:
    g = [np.array([3.0, 4.0]), np.array([0.0])]  # 总范数 5
    clipped, total = clip_grad_norm(g, 1.0)
    assert total == pytest.approx(5.0, abs=1e-15)
    np.testing.assert_allclose(clipped[0], [0.6, 0.8], rtol=1e-6)  # 方向不变, 长度约为 1
    np.testing.assert_allclose(clip_grad_value(g, 1.0)[0], [1.0, 1.0], rtol=0, atol=1e-15)  # 方向变成 45 度


def test_small_gradients_are_left_unchanged() -> None:
    g = [np.array([0.3, -0.4])]
    clipped, total = clip_grad_norm(g, 1.0)
    assert total == pytest.approx(0.5)
    np.testing.assert_allclose(clipped[0], g[0], rtol=0, atol=1e-15)


def test_bad_input_raises_with_argument_name() -> None:
    with pytest.raises(TypeError, match="grads must be a non-empty list"):
        clip_grad_norm([], 1.0)
    with pytest.raises(ValueError, match="max_norm must be > 0"):
        clip_grad_norm([np.ones(2)], 0.0)
    with pytest.raises(TypeError, match="grads must be a non-empty list"):
        clip_grad_value(np.ones(2), 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="clip_value must be > 0"):
        clip_grad_value([np.ones(2)], -1.0)

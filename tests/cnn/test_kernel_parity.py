"""Tests for snippets.cnn.kernel_parity: the same-padded box filter against F.conv1d, the half-pixel shift."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets.cnn.kernel_parity import impulse_response, impulse_shift, same_box_filter


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 6])
def test_same_box_filter_matches_torch_same_padding(k: int) -> None:
    x = np.random.default_rng(0).standard_normal(11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = F.conv1d(torch.from_numpy(x)[None, None], torch.full((1, 1, k), 1.0 / k, dtype=torch.float64),
                       padding="same")[0, 0].numpy()
    np.testing.assert_allclose(same_box_filter(x, k), ref, rtol=1e-12, atol=1e-12)
    if k % 2 == 0:  # 多的一格补在前面就与 PyTorch 不同
        assert not np.allclose(same_box_filter(x, k, extra_after=False), ref)


def test_ramp_hand_case() -> None:
    x = np.arange(8.0)
    np.testing.assert_allclose(same_box_filter(x, 3)[1:-1], x[1:-1], atol=1e-12)
    np.testing.assert_allclose(same_box_filter(x, 2)[:-1], x[:-1] + 0.5, atol=1e-12)


@pytest.mark.parametrize("k", [2, 3, 4, 5])
@pytest.mark.parametrize("L", [1, 2, 3, 4, 5])
def test_centroid_shift_is_minus_half_per_layer_for_even_kernels(k: int, L: int) -> None:
    expected = -L / 2 if k % 2 == 0 else 0.0
    assert impulse_shift(k, L, n=41) == pytest.approx(expected, abs=1e-12)
    assert impulse_shift(k, L, symmetric=True, n=41) == pytest.approx(0.0, abs=1e-12)
    assert impulse_response(k, L, n=41).sum() == pytest.approx(1.0, abs=1e-12)


def test_torch_2x2_same_mean_moves_a_bright_pixel_up_left_by_half() -> None:
    X = torch.zeros(1, 1, 9, 9, dtype=torch.float64)
    X[0, 0, 4, 4] = 1.0
    conv = nn.Conv2d(1, 1, 2, padding="same", bias=False).double()
    nn.init.constant_(conv.weight, 0.25)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Y = conv(X).detach()[0, 0].numpy()
    r = np.arange(9.0)
    shift = impulse_shift(2, 1)  # 一维从零实现的偏移, 二维时行列各一次
    assert (Y.sum(1) @ r / Y.sum(), Y.sum(0) @ r / Y.sum()) == pytest.approx((4 + shift, 4 + shift), abs=1e-12)
    assert shift == pytest.approx(-0.5, abs=1e-12)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="kernel_size"):
        same_box_filter(np.zeros(5), 0)
    with pytest.raises(ValueError, match="n must"):
        impulse_response(3, 10, n=11)
    with pytest.raises(ValueError, match="n_layers"):
        impulse_shift(3, 0)

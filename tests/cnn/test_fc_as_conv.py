"""Tests for snippets.cnn.fc_as_conv: Linear as Conv2d against nn.Linear, the score map against brute-force crops."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

from snippets.cnn.conv import conv2d
from snippets.cnn.fc_as_conv import (
    classifier,
    fully_convolutional,
    init_params,
    linear_to_conv,
    sliding_window_scores,
)


@pytest.mark.parametrize("C, H, W", [(8, 4, 4), (3, 2, 5), (16, 1, 1)])
def test_linear_as_conv_matches_nn_linear_float64(C: int, H: int, W: int) -> None:
    torch.manual_seed(0)
    fc = nn.Linear(C * H * W, 6).double()
    x = torch.randn(3, C, H, W, dtype=torch.float64)
    expected = fc(x.flatten(1)).detach().numpy()
    K = linear_to_conv(fc.weight.detach().numpy(), (C, H, W))
    assert K.shape == (6, C, H, W)
    y = conv2d(x.numpy(), K, fc.bias.detach().numpy())  # (3, 6, 1, 1)
    np.testing.assert_allclose(y[:, :, 0, 0], expected, rtol=1e-12, atol=1e-12)
    conv = nn.Conv2d(C, 6, (H, W)).double()
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(K))
        conv.bias.copy_(fc.bias)
    np.testing.assert_allclose(conv(x).detach().numpy()[:, :, 0, 0], expected, rtol=1e-12, atol=1e-12)


def test_fully_convolutional_equals_classifier_on_its_own_size() -> None:
    rng = np.random.default_rng(0)
    p = init_params(3, 4, 8, 5, rng)
    X = rng.standard_normal((2, 3, 10, 10))
    np.testing.assert_allclose(fully_convolutional(X, p)[:, :, 0, 0], classifier(X, p), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("H, W", [(10, 12), (16, 18), (13, 11), (20, 20)])
def test_score_map_equals_classifier_on_every_crop_at_stride_2(H: int, W: int) -> None:
    rng = np.random.default_rng(1)
    p = init_params(2, 3, 6, 4, rng)
    X = rng.standard_normal((2, 2, H, W))
    np.testing.assert_allclose(fully_convolutional(X, p), sliding_window_scores(X, p, 2), rtol=1e-12, atol=1e-12)


def test_crops_off_the_stride_grid_are_not_in_the_score_map() -> None:
    rng = np.random.default_rng(2)
    p = init_params(2, 3, 6, 4, rng)
    X = rng.standard_normal((1, 2, 16, 16))
    S, dense = fully_convolutional(X, p), sliding_window_scores(X, p, 1)  # (1, 4, 4, 4), (1, 4, 7, 7)
    np.testing.assert_allclose(dense[:, :, ::2, ::2], S, rtol=1e-12, atol=1e-12)
    odd = dense[0, :, 1::2, 1::2].reshape(4, -1).T  # 起点为奇数的窗口
    grid = S[0].reshape(4, -1).T
    assert not any(np.allclose(o, g, atol=1e-8) for o in odd for g in grid)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="in_shape"):
        linear_to_conv(np.zeros((2, 10)), (2, 2, 2))
    with pytest.raises(TypeError, match="W_fc"):
        linear_to_conv(np.zeros((2, 8), dtype=int), (2, 2, 2))
    rng = np.random.default_rng(0)
    p = init_params(1, 2, 3, 2, rng)
    with pytest.raises(ValueError, match="X must"):
        sliding_window_scores(np.zeros((1, 1, 9, 12)), p)
    with pytest.raises(ValueError, match="X must be exactly"):
        classifier(np.zeros((1, 1, 12, 10)), p)
    with pytest.raises(ValueError, match="X must be at least"):
        fully_convolutional(np.zeros((1, 1, 9, 30)), p)
    with pytest.raises(ValueError, match="p is missing"):
        fully_convolutional(np.zeros((1, 1, 10, 10)), {"W1": p["W1"]})
    with pytest.raises(TypeError, match="rng"):
        init_params(1, 2, 3, 2, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="C1"):
        init_params(1, 0, 3, 2, rng)

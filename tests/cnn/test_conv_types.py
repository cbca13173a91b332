"""Tests for snippets.cnn.conv_types: weight counts of each conv type, deformable conv from scratch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.cnn.conv_types import KINDS, bilinear_sample, conv_type_params, deform_conv2d


def _torch_count(kind: str, c_in: int, c_out: int, k: int, g: int) -> int:
    mods = {
        "standard": [nn.Conv2d(c_in, c_out, k, bias=False)],
        "grouped": [nn.Conv2d(c_in, c_out, k, groups=g, bias=False)],
        "depthwise": [nn.Conv2d(c_in, c_out, k, groups=c_in, bias=False)],
        "pointwise": [nn.Conv2d(c_in, c_out, 1, bias=False)],
        "separable": [nn.Conv2d(c_in, c_in, k, groups=c_in, bias=False), nn.Conv2d(c_in, c_out, 1, bias=False)],
        "dilated": [nn.Conv2d(c_in, c_out, k, dilation=2, bias=False)],
        "transposed": [nn.ConvTranspose2d(c_in, c_out, k, stride=2, bias=False)],
        "deformable": [nn.Conv2d(c_in, c_out, k, bias=False), nn.Conv2d(c_in, 2 * k * k, k)],
    }[kind]
    return sum(p.numel() for m in mods for p in m.parameters())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("c_in,c_out,k,g", [(64, 64, 3, 4), (32, 128, 5, 8), (16, 16, 1, 2)])
def test_params_equal_torch_modules(kind: str, c_in: int, c_out: int, k: int, g: int) -> None:
    ours = conv_type_params(kind, c_in, c_out, k, groups=g if kind == "grouped" else 1)
    assert ours == _torch_count(kind, c_in, c_out, k, g)


def test_params_hand_case_64_channels_3x3() -> None:
    got = {kind: conv_type_params(kind, 64, 64, 3, groups=4 if kind == "grouped" else 1) for kind in KINDS}
    assert got == {"standard": 36864, "grouped": 9216, "depthwise": 576, "pointwise": 4096, "separable": 4672,
                   "dilated": 36864, "transposed": 36864, "deformable": 36864 + 9 * 64 * 18 + 18}


@pytest.mark.parametrize("stride,padding,dilation", [(1, 0, 1), (2, 1, 1), (1, 2, 2), ((1, 2), (0, 1), (2, 1))])
def test_zero_offsets_equal_conv2d(stride, padding, dilation) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    X, W = rng.standard_normal((2, 3, 7, 8)), rng.standard_normal((4, 3, 3, 3))
    ref = F.conv2d(torch.from_numpy(X), torch.from_numpy(W), stride=stride, padding=padding, dilation=dilation).numpy()
    offset = np.zeros((2, 18, *ref.shape[2:]))
    np.testing.assert_allclose(deform_conv2d(X, offset, W, stride, padding, dilation), ref, atol=1e-12)


def test_integer_offset_equals_conv_of_shifted_input() -> None:
    # 所有抽头的偏移都是 (dy, dx) = (1, 2): 等于在原图上平移 (1, 2) 后卷积 (超出部分为 0)
    rng = np.random.default_rng(2)
    X, W = rng.standard_normal((1, 2, 9, 9)), rng.standard_normal((3, 2, 3, 3))
    offset = np.zeros((1, 18, 7, 7))
    offset[:, 0::2], offset[:, 1::2] = 1.0, 2.0
    shifted = np.zeros_like(X)
    shifted[:, :, :-1, :-2] = X[:, :, 1:, 2:]
    ref = F.conv2d(torch.from_numpy(shifted), torch.from_numpy(W)).numpy()
    np.testing.assert_allclose(deform_conv2d(X, offset, W), ref, atol=1e-12)


def test_bilinear_sample_hand_case() -> None:
    X = np.array([[[0.0, 1.0], [2.0, 3.0]]])  # (1, 2, 2)
    got = bilinear_sample(X, np.array([0.5, 0.0, -0.5, 1.0]), np.array([0.5, 0.25, 0.0, 1.5]))
    np.testing.assert_allclose(got[0], [1.5, 0.25, 0.0, 1.5])  # 中心均值; 插值; 一半在图外; 一半在图外


def _grid_sample_reference(X: np.ndarray, offset: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Deformable conv (stride 1, no padding) built on torch's grid_sample (zeros padding)."""
    Xt, off, Wt = map(torch.from_numpy, (X, offset, W))
    _, _, H, Wd = X.shape
    _, _, kh, kw = W.shape
    OH, OW = offset.shape[2:]
    out = torch.zeros(X.shape[0], W.shape[0], OH, OW, dtype=torch.float64)
    for t in range(kh * kw):
        i, j = divmod(t, kw)
        y = torch.arange(OH)[:, None] + i + off[:, 2 * t]
        x = torch.arange(OW)[None, :] + j + off[:, 2 * t + 1]
        grid = torch.stack([2 * x / (Wd - 1) - 1, 2 * y / (H - 1) - 1], dim=-1)  # align_corners=True 的坐标
        s = F.grid_sample(Xt, grid, mode="bilinear", padding_mode="zeros", align_corners=True)
        out += torch.einsum("oc,nchw->nohw", Wt[:, :, i, j], s)
    return out.numpy()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.sampled_from([0.3, 1.0, 3.0]))
def test_random_offsets_match_grid_sample_reference(seed: int, scale: float) -> None:
    rng = np.random.default_rng(seed)
    X, W = rng.standard_normal((2, 2, 6, 7)), rng.standard_normal((3, 2, 3, 3))
    offset = scale * rng.standard_normal((2, 18, 4, 5))
    np.testing.assert_allclose(deform_conv2d(X, offset, W), _grid_sample_reference(X, offset, W), atol=1e-12)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="kind"):
        conv_type_params("strided", 1, 1, 1)
    with pytest.raises(ValueError, match="groups"):
        conv_type_params("grouped", 6, 6, 3, groups=4)
    with pytest.raises(ValueError, match="depthwise"):
        conv_type_params("depthwise", 4, 6, 3)
    with pytest.raises(ValueError, match="c_in"):
        conv_type_params("standard", 0, 1, 1)
    X, W = np.zeros((1, 2, 5, 5)), np.zeros((1, 2, 3, 3))
    with pytest.raises(ValueError, match="offset"):
        deform_conv2d(X, np.zeros((1, 18, 2, 2)), W)
    with pytest.raises(ValueError, match="W must have"):
        deform_conv2d(X, np.zeros((1, 18, 3, 3)), np.zeros((1, 3, 3, 3)))
    with pytest.raises(TypeError, match="X"):
        deform_conv2d(X.astype(int), np.zeros((1, 18, 3, 3)), W)
    with pytest.raises(ValueError, match="X"):
        bilinear_sample(np.zeros((2, 2)), np.zeros(1), np.zeros(1))
    with pytest.raises(ValueError, match="same shape"):
        bilinear_sample(np.zeros((1, 2, 2)), np.zeros(2), np.zeros(3))

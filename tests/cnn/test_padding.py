"""Tests for snippets.cnn.padding: F.pad in four modes, nn.Conv2d(padding="same") with even kernels, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets.cnn.conv import conv2d
from snippets.cnn.padding import MODES, conv2d_same, pad2d, same_padding

TORCH_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate", "circular": "circular"}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("pad", [(1, 2, 0, 3), (2, 2, 2, 2), (0, 5, 4, 1), (5, 5, 4, 4)])
def test_pad2d_equals_torch_pad(mode: str, pad: tuple[int, int, int, int]) -> None:
    X = np.random.default_rng(0).standard_normal((2, 3, 5, 6))
    expected = F.pad(torch.from_numpy(X), pad, mode=TORCH_MODE[mode]).numpy()
    np.testing.assert_array_equal(pad2d(X, pad, mode), expected)


def test_pad2d_hand_case_one_row() -> None:
    x = np.array([[[[1.0, 2.0, 3.0, 4.0]]]])
    rows = {m: pad2d(x, (2, 2, 0, 0), m)[0, 0, 0].tolist() for m in MODES}
    assert rows == {"zeros": [0, 0, 1, 2, 3, 4, 0, 0], "reflect": [3, 2, 1, 2, 3, 4, 3, 2],
                    "replicate": [1, 1, 1, 2, 3, 4, 4, 4], "circular": [3, 4, 1, 2, 3, 4, 1, 2]}


@pytest.mark.parametrize("mode, pad", [("reflect", (6, 0, 0, 0)), ("circular", (7, 0, 0, 0))])
def test_too_much_padding_fails_in_torch_and_here(mode: str, pad: tuple[int, int, int, int]) -> None:
    X = np.zeros((1, 1, 5, 6))
    with pytest.raises(RuntimeError):
        F.pad(torch.from_numpy(X), pad, mode=mode)
    with pytest.raises(ValueError, match="pad must"):
        pad2d(X, pad, mode)


def test_same_padding_hand_cases() -> None:
    assert [same_padding(k) for k in (1, 2, 3, 4, 5)] == [(0, 0), (0, 1), (1, 1), (1, 2), (2, 2)]
    assert same_padding(2, dilation=2) == (1, 1)
    assert same_padding(4, dilation=3) == (4, 5)


def _torch_same(X: np.ndarray, W: np.ndarray, dilation: int, mode: str) -> np.ndarray:
    conv = nn.Conv2d(W.shape[1], W.shape[0], W.shape[2:], padding="same", dilation=dilation, bias=False,
                     padding_mode=mode).double()
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(W))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 偶数核时 PyTorch 警告会复制一份补零的输入
        return conv(torch.from_numpy(X)).detach().numpy()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kernel", [(2, 2), (4, 3), (3, 3), (2, 5)])
@pytest.mark.parametrize("dilation", [1, 2])
def test_conv2d_same_matches_torch_same(mode: str, kernel: tuple[int, int], dilation: int) -> None:
    rng = np.random.default_rng(1)
    X, W = rng.standard_normal((2, 3, 7, 8)), rng.standard_normal((4, 3, *kernel))
    Y = _torch_same(X, W, dilation, mode)
    assert Y.shape[2:] == X.shape[2:]
    np.testing.assert_allclose(conv2d_same(X, W, dilation, mode), Y, rtol=1e-12, atol=1e-12)


def test_extra_padding_before_would_not_match_torch() -> None:
    rng = np.random.default_rng(2)
    X, W = rng.standard_normal((1, 2, 6, 6)), rng.standard_normal((3, 2, 2, 2))
    before = conv2d(pad2d(X, (1, 0, 1, 0)), W)
    assert not np.allclose(before, _torch_same(X, W, 1, "zeros"), atol=1e-6)


def test_bad_inputs_name_the_argument() -> None:
    X = np.zeros((1, 1, 4, 4))
    with pytest.raises(ValueError, match="mode must"):
        pad2d(X, (1, 1, 1, 1), "mirror")
    with pytest.raises(ValueError, match="pad must"):
        pad2d(X, (1, 1, 1), "zeros")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pad must"):
        pad2d(X, (1, -1, 1, 1), "zeros")
    with pytest.raises(ValueError, match="kernel_size"):
        same_padding(0)
    with pytest.raises(ValueError, match="mode must"):
        conv2d_same(X, np.zeros((1, 1, 2, 2)), padding_mode="mirror")
    with pytest.raises(ValueError, match="W must"):
        conv2d_same(X, np.zeros((1, 1, 2)))
    with pytest.raises(TypeError, match="X must"):
        conv2d_same(X.astype(int), np.zeros((1, 1, 2, 2)))

"""Tests for snippets.losses.margin_softmax: hand cases, PyTorch float64 reference, monotonicity of psi."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.losses.margin_softmax import arcface_logits, psi, target_logit


def _torch_arcface(x: np.ndarray, W: np.ndarray, y: np.ndarray, s: float, m: float) -> torch.Tensor:
    """The same formula written with torch ops (F.normalize, one-hot mask), float64."""
    cos = F.normalize(torch.from_numpy(x), dim=1) @ F.normalize(torch.from_numpy(W), dim=1).T  # (N, C)
    cos = cos.clamp(-1, 1)
    target = torch.cos(torch.acos(cos) + m)
    mask = F.one_hot(torch.from_numpy(y), W.shape[0]).bool()
    return s * torch.where(mask, target, cos)


def test_arcface_hand_case_margin_brings_target_logit_to_zero() -> None:
    # theta_y = 60 deg, m = 30 deg: s cos(90 deg) = 0; the other class sits at 90 deg: s cos 90 = 0
    x = np.array([[2.0, 0.0]])
    W = np.array([[1.0, math.sqrt(3.0)], [0.0, 3.0]])  # (C, D) = (2, 2)
    y = np.array([0])
    logits = arcface_logits(x, W, y, s=64.0, m=math.pi / 6)
    np.testing.assert_allclose(logits, [[0.0, 0.0]], atol=1e-12)
    loss = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(y)).item()
    assert loss == pytest.approx(math.log(2), rel=1e-12)
    # without the margin the same sample is already "solved": logits (32, 0)
    np.testing.assert_allclose(arcface_logits(x, W, y, s=64.0, m=0.0), [[32.0, 0.0]], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("s, m", [(64.0, 0.5), (30.0, 0.2), (1.0, 0.0)])
def test_arcface_matches_torch_float64(s: float, m: float) -> None:
    rng = np.random.default_rng(0)
    x, W = rng.standard_normal((16, 8)), rng.standard_normal((10, 8))
    y = rng.integers(0, 10, 16)
    np.testing.assert_allclose(arcface_logits(x, W, y, s, m), _torch_arcface(x, W, y, s, m).numpy(),
                               rtol=1e-12, atol=1e-10)


def test_arcface_only_changes_the_target_column_and_ignores_norms() -> None:
    rng = np.random.default_rng(1)
    x, W = rng.standard_normal((6, 4)), rng.standard_normal((5, 4))
    y = rng.integers(0, 5, 6)
    a, b = arcface_logits(x, W, y), arcface_logits(x, W, y, m=0.0)
    mask = np.zeros_like(a, dtype=bool)
    mask[np.arange(6), y] = True
    np.testing.assert_allclose(a[~mask], b[~mask], rtol=0, atol=0)
    theta_y = np.arccos(b[mask] / 64.0)
    assert np.all(theta_y + 0.5 < np.pi)  # away from the non-monotonic end, the margin lowers the logit
    assert np.all(a[mask] < b[mask])
    np.testing.assert_allclose(arcface_logits(3.0 * x, 0.5 * W, y), a, rtol=1e-12, atol=1e-12)


def test_psi_is_continuous_decreasing_and_equals_cos_m_theta_on_the_first_piece() -> None:
    theta = np.linspace(0.0, np.pi, 2001)
    for m in (1, 2, 3, 4):
        v = psi(theta, m)
        assert np.all(np.diff(v) < 1e-12)  # non-increasing
        assert np.max(np.abs(np.diff(v))) < 0.02  # no jumps at k pi / m
        first = theta <= np.pi / m
        np.testing.assert_allclose(v[first], np.cos(m * theta[first]), rtol=0, atol=1e-12)
        assert v[-1] == pytest.approx(1 - 2 * m, abs=1e-12)  # psi(pi) = 1 - 2m
    np.testing.assert_allclose(psi(theta, 1), np.cos(theta), atol=1e-15)


def test_target_logits_of_the_four_methods_on_hand_values() -> None:
    t = np.array([math.pi / 3])
    assert target_logit(t, "softmax", 1, x_norm=2.0, w_norm=3.0)[0] == pytest.approx(3.0)
    # 2 theta / pi = 2/3: k = 0; 4 theta / pi = 4/3: k = 1; both give -3
    assert target_logit(t, "l-softmax", 2, x_norm=2.0, w_norm=3.0)[0] == pytest.approx(6 * math.cos(2 * math.pi / 3))
    assert target_logit(t, "sphereface", 4, x_norm=2.0)[0] == pytest.approx(2 * (-math.cos(4 * math.pi / 3) - 2))
    assert target_logit(t, "cosface", 0.35, s=64.0)[0] == pytest.approx(64 * (0.5 - 0.35))
    assert target_logit(t, "arcface", math.pi / 6, s=64.0)[0] == pytest.approx(0.0, abs=1e-12)


def test_arcface_is_not_monotonic_past_pi_minus_m_but_cosface_is() -> None:
    theta = np.linspace(0.0, np.pi, 1001)
    arc = target_logit(theta, "arcface", 0.5)
    i = int(np.argmin(arc))
    assert theta[i] == pytest.approx(np.pi - 0.5, abs=np.pi / 1000)
    assert arc[-1] > arc[i] + 0.1
    assert np.all(np.diff(target_logit(theta, "cosface", 0.35)) <= 0)


def test_bad_inputs_name_the_argument() -> None:
    t = np.array([0.5])
    with pytest.raises(ValueError, match=r"^theta\b"):
        psi(np.array([4.0]), 2)
    with pytest.raises(ValueError, match=r"^m\b"):
        psi(t, 0)
    with pytest.raises(ValueError, match=r"^method\b"):
        target_logit(t, "adacos", 0.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^m\b"):
        target_logit(t, "sphereface", 0.5)
    with pytest.raises(ValueError, match=r"^s\b"):
        target_logit(t, "arcface", 0.5, s=0.0)
    x, W, y = np.ones((2, 3)), np.ones((4, 3)), np.array([0, 1])
    with pytest.raises(ValueError, match=r"^W\b"):
        arcface_logits(x, np.ones((4, 2)), y)
    with pytest.raises(TypeError, match=r"^y\b"):
        arcface_logits(x, W, y.astype(float))
    with pytest.raises(ValueError, match=r"^y\b"):
        arcface_logits(x, W, np.array([0, 4]))
    with pytest.raises(ValueError, match=r"^x\b"):
        arcface_logits(np.zeros((2, 3)), W, y)
    with pytest.raises(ValueError, match=r"^m\b"):
        arcface_logits(x, W, y, m=4.0)
    with pytest.raises(ValueError, match=r"^s\b"):
        arcface_logits(x, W, y, s=-1.0)

"""Tests for snippets.losses.divergence: scipy and PyTorch references, hand cases, Gibbs and JS bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy as scipy_entropy

from snippets.losses.divergence import (
    bimodal_on_grid,
    cross_entropy_dist,
    entropy,
    fit_gaussian,
    gaussian_on_grid,
    js_divergence,
    kl_divergence,
)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Two distributions on K points, some entries exactly 0."""
    K = draw(st.integers(2, 8))
    w = st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 10.0)), min_size=K, max_size=K)
    a, b = np.array(draw(w)), np.array(draw(w))
    a[0] += 1.0
    b[0] += 1.0
    return a / a.sum(), b / b.sum()


@settings(max_examples=50, deadline=None)
@given(pairs())
def test_match_scipy_and_obey_ce_equals_h_plus_kl(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    np.testing.assert_allclose(entropy(p), scipy_entropy(p), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(kl_divergence(p, q), scipy_entropy(p, q), rtol=1e-10, atol=1e-14)
    # scipy returns the square root of JS (a metric), natural log by default
    np.testing.assert_allclose(js_divergence(p, q), jensenshannon(p, q) ** 2, rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(cross_entropy_dist(p, q), entropy(p) + kl_divergence(p, q), rtol=1e-12, atol=1e-14)
    assert kl_divergence(p, q) >= -1e-15  # Gibbs
    assert -1e-15 <= js_divergence(p, q) <= math.log(2) + 1e-15
    assert js_divergence(p, q) == pytest.approx(js_divergence(q, p), rel=1e-12, abs=1e-15)


def test_hand_case_is_asymmetric() -> None:
    p, q = np.array([0.5, 0.5]), np.array([0.25, 0.75])
    assert kl_divergence(p, q) == pytest.approx(0.5 * math.log(4 / 3), rel=1e-14)
    assert kl_divergence(q, p) == pytest.approx(0.75 * math.log(1.5) - 0.25 * math.log(2), rel=1e-14)
    assert entropy(p) == pytest.approx(math.log(2), rel=1e-15)


def test_support_mismatch_gives_infinite_kl_and_log2_js() -> None:
    p, q = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    assert kl_divergence(p, q) == math.inf and cross_entropy_dist(p, q) == math.inf
    assert js_divergence(p, q) == pytest.approx(math.log(2), rel=1e-15)
    with np.errstate(all="raise"):  # 0 log 0 handled without hiding warnings
        assert entropy(np.array([1.0, 0.0])) == 0.0
        kl_divergence(np.array([0.0, 1.0]), np.array([0.5, 0.5]))


def test_kl_matches_torch_kl_div_batchmean_and_its_traps() -> None:
    rng = np.random.default_rng(0)
    P, Q = rng.dirichlet(np.ones(5), 4), rng.dirichlet(np.ones(5), 4)  # (N, K)
    Pt, Qt = torch.from_numpy(P), torch.from_numpy(Q)
    ours = np.mean([kl_divergence(p, q) for p, q in zip(P, Q, strict=True)])
    torch.testing.assert_close(F.kl_div(Qt.log(), Pt, reduction="batchmean").item(), ours, rtol=1e-12, atol=0)
    torch.testing.assert_close(F.kl_div(Qt.log(), Pt.log(), reduction="batchmean", log_target=True).item(), ours,
                               rtol=1e-12, atol=0)
    with pytest.warns(UserWarning):
        torch.testing.assert_close(F.kl_div(Qt.log(), Pt, reduction="mean").item(), ours / 5, rtol=1e-12, atol=0)
    swapped = np.mean([kl_divergence(q, p) for p, q in zip(P, Q, strict=True)])
    torch.testing.assert_close(F.kl_div(Pt.log(), Qt, reduction="batchmean").item(), swapped, rtol=1e-12, atol=0)


def test_forward_kl_matches_moments_and_reverse_kl_picks_one_mode() -> None:
    x = np.linspace(-12.0, 12.0, 241)
    p = bimodal_on_grid(x)
    mus, sigmas = np.linspace(-5.0, 5.0, 41), np.linspace(0.5, 4.5, 81)
    mu_f, s_f, kl_f = fit_gaussian(p, x, "forward", mus, sigmas)
    mu_r, s_r, kl_r = fit_gaussian(p, x, "reverse", mus, sigmas)
    assert mu_f == pytest.approx(0.0, abs=1e-12)
    assert abs(s_f - math.sqrt(10.0)) <= 0.025 + 1e-9  # moment matching: var = 1 + 3^2, nearest grid value
    assert abs(mu_r) == pytest.approx(3.0, abs=1e-9) and s_r == pytest.approx(1.0, abs=1e-9)
    assert kl_r == pytest.approx(math.log(2), abs=0.01)  # one mode of p holds half its mass
    # brute force: the reported divergences are those of the returned q
    q_f = np.exp(gaussian_on_grid(x, np.array([mu_f]), np.array([s_f]))[0])
    q_r = np.exp(gaussian_on_grid(x, np.array([mu_r]), np.array([s_r]))[0])
    assert kl_divergence(p, q_f / q_f.sum()) == pytest.approx(kl_f, rel=1e-9)
    assert kl_divergence(q_r / q_r.sum(), p) == pytest.approx(kl_r, rel=1e-9)
    # and each is worse in the other direction
    assert kl_divergence(q_f / q_f.sum(), p) > kl_r and kl_divergence(p, q_r / q_r.sum()) > kl_f


def test_bad_inputs_name_the_argument() -> None:
    p = np.array([0.5, 0.5])
    with pytest.raises(ValueError, match=r"^p\b"):
        entropy(np.array([0.5, 0.6]))
    with pytest.raises(TypeError, match=r"^p\b"):
        entropy(np.array([1, 0]))
    with pytest.raises(ValueError, match=r"^q\b"):
        kl_divergence(p, np.array([1.2, -0.2]))
    with pytest.raises(ValueError, match=r"^q\b"):
        js_divergence(p, np.array([0.2, 0.3, 0.5]))
    with pytest.raises(ValueError, match=r"^q\b"):
        cross_entropy_dist(p, np.array([[0.5, 0.5]]))
    x = np.linspace(-1, 1, 2)
    with pytest.raises(ValueError, match=r"^direction\b"):
        fit_gaussian(p, x, "both", np.zeros(1), np.ones(1))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sigmas must"):
        fit_gaussian(p, x, "forward", np.zeros(1), np.zeros(1))
    with pytest.raises(ValueError, match=r"^p\b"):
        fit_gaussian(np.array([1.0, 0.0]), x, "reverse", np.zeros(1), np.ones(1))
    with pytest.raises(ValueError, match=r"^x\b"):
        fit_gaussian(p, np.zeros(3), "forward", np.zeros(1), np.ones(1))
    with pytest.raises(ValueError, match=r"^s\b"):
        bimodal_on_grid(x, s=0.0)

"""Entropy, cross-entropy, KL and JS divergence of discrete distributions, and forward vs reverse KL fits."""

from __future__ import annotations

from typing import Literal

import numpy as np

from snippets._checks import check_float_array


def _check_dist(p: np.ndarray, name: str) -> np.ndarray:
    """A probability vector: finite floats >= 0, shape (K,), summing to 1."""
    check_float_array(p, name, (1,))
    if p.size == 0 or np.any(p < 0) or abs(float(p.sum()) - 1.0) > 1e-9:
        raise ValueError(f"{name} must be a non-empty vector of probabilities >= 0 summing to 1")
    return p


def _check_pair(p: np.ndarray, q: np.ndarray) -> None:
    _check_dist(p, "p")
    _check_dist(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"q must have the shape of p, got p {p.shape}, q {q.shape}")


# --8<-- [start:divergences]
def entropy(p: np.ndarray) -> float:
    """H(p) = -sum_k p_k log p_k in nats, with 0 log 0 = 0.  p: shape (K,)."""
    _check_dist(p, "p")
    # 0 log 0 = 0 (极限): 只对 p_k > 0 的项取 log, 不屏蔽任何浮点警告
    return float(-np.sum(p * np.log(p, out=np.zeros_like(p), where=p > 0)))


def cross_entropy_dist(p: np.ndarray, q: np.ndarray) -> float:
    """H(p, q) = -sum_k p_k log q_k in nats; inf if q puts 0 where p does not.  p, q: shape (K,)."""
    _check_pair(p, q)
    if np.any((q == 0) & (p > 0)):
        return float("inf")
    return float(-np.sum(p * np.log(q, out=np.zeros_like(q), where=p > 0)))


def kl_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """KL(p || q) = sum_k p_k log(p_k / q_k) = H(p, q) - H(p) >= 0.  p, q: shape (K,)."""
    _check_pair(p, q)
    if np.any((q == 0) & (p > 0)):
        return float("inf")
    s = p > 0  # 0 log(0 / q) = 0
    return float(np.sum(p[s] * (np.log(p[s]) - np.log(q[s]))))


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """JS(p, q) = KL(p || m) / 2 + KL(q || m) / 2 with m = (p + q) / 2; symmetric, in [0, log 2]."""
    _check_pair(p, q)
    m = (p + q) / 2  # m_k >= p_k / 2, so neither KL can be infinite
    return 0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m)
# --8<-- [end:divergences]


# --8<-- [start:fit]
def gaussian_on_grid(x: np.ndarray, mu: np.ndarray, s: np.ndarray) -> np.ndarray:
    """log of a Gaussian N(mu, s^2) restricted to the points x and renormalised there.

    Args: x (G,) grid; mu, s (M,) candidate means and standard deviations (s > 0).
    Returns: log q, shape (M, G), each row a log-probability vector on the grid.
    """
    logits = -0.5 * ((x[None, :] - mu[:, None]) / s[:, None]) ** 2  # (M, G)
    m = logits.max(axis=1, keepdims=True)
    return logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))


def fit_gaussian(
    p: np.ndarray, x: np.ndarray, direction: Literal["forward", "reverse"], mus: np.ndarray, sigmas: np.ndarray
) -> tuple[float, float, float]:
    """The (mu, s) on a grid of candidates whose Gaussian q minimises KL(p || q) or KL(q || p).

    Args: p (G,) target distribution on the points x (G,), all p > 0; direction "forward" for
    KL(p || q), "reverse" for KL(q || p); mus, sigmas: the candidate values (searched as a grid).
    Returns: (mu, s, the minimal divergence).
    """
    _check_fit(p, x, direction, mus, sigmas)
    MU, S = (a.ravel() for a in np.meshgrid(mus, sigmas, indexing="ij"))  # (M,), M = len(mus) * len(sigmas)
    log_q = gaussian_on_grid(x, MU, S)  # (M, G)
    log_p = np.log(p)[None, :]  # (1, G)
    if direction == "forward":
        div = np.sum(p * (log_p - log_q), axis=1)  # E_p[log p - log q]: q 在 p 有质量处不能小
    else:
        div = np.sum(np.exp(log_q) * (log_q - log_p), axis=1)  # E_q[log q - log p]: q 不能在 p 小处放质量
    i = int(np.argmin(div))
    return float(MU[i]), float(S[i]), float(div[i])
# --8<-- [end:fit]


def _check_fit(p: np.ndarray, x: np.ndarray, direction: str, mus: np.ndarray, sigmas: np.ndarray) -> None:
    _check_dist(p, "p")
    if np.any(p == 0):
        raise ValueError("p must be > 0 on every grid point (reverse KL needs log p)")
    check_float_array(x, "x", (1,))
    if x.shape != p.shape:
        raise ValueError(f"x must have the shape of p, got x {x.shape}, p {p.shape}")
    if direction not in ("forward", "reverse"):
        raise ValueError(f"direction must be 'forward' or 'reverse', got {direction!r}")
    check_float_array(mus, "mus", (1,))
    check_float_array(sigmas, "sigmas", (1,))
    if mus.size == 0 or sigmas.size == 0 or np.any(sigmas <= 0):
        raise ValueError("mus and sigmas must be non-empty and sigmas must be > 0")


def bimodal_on_grid(x: np.ndarray, centre: float = 3.0, s: float = 1.0) -> np.ndarray:
    """An equal mixture of N(-centre, s^2) and N(centre, s^2) on the points x, normalised there.  x: (G,)."""
    check_float_array(x, "x", (1,))
    if not (np.isfinite(centre) and np.isfinite(s) and s > 0):
        raise ValueError(f"s must be > 0 and centre finite, got centre {centre!r}, s {s!r}")
    d = np.exp(-0.5 * ((x - centre) / s) ** 2) + np.exp(-0.5 * ((x + centre) / s) ** 2)  # (G,)
    return d / d.sum()

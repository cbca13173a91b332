"""Margin and metric-learning losses: hinge (binary and multi-class), contrastive, triplet, InfoNCE."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array
from snippets.losses.softmax import log_softmax


def _check_labels(y: np.ndarray, N: int, values: tuple[int, ...] | None, num_classes: int = 0) -> None:
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must be an integer NumPy array, got {type(y).__name__}")
    if y.shape != (N,):
        raise ValueError(f"y must have shape ({N},), got {y.shape}")
    if values is not None and not np.isin(y, values).all():
        raise ValueError(f"y must hold only {values}")
    if values is None and (np.any(y < 0) or np.any(y >= num_classes)):
        raise ValueError(f"y must lie in [0, {num_classes})")


def _check_margin(margin: float, name: str = "margin") -> None:
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not (np.isfinite(margin) and margin >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {margin!r}")


# --8<-- [start:hinge]
def hinge(z: np.ndarray, y: np.ndarray) -> float:
    """Binary hinge loss mean(max(0, 1 - y z)), the data term of a soft-margin SVM.

    Args: z (N,) scores; y (N,) labels in {-1, +1}.
    """
    check_float_array(z, "z", (1,))
    _check_labels(y, len(z), (-1, 1))
    return float(np.mean(np.maximum(0.0, 1.0 - y * z)))


def multi_margin(Z: np.ndarray, y: np.ndarray, margin: float = 1.0) -> float:
    """Multi-class hinge (Weston-Watkins), as nn.MultiMarginLoss: mean_i sum_{j != y_i} max(0, margin - z_y + z_j) / C.

    Args: Z (N, C) scores; y (N,) class indices.
    """
    check_float_array(Z, "Z", (2,))
    N, C = Z.shape
    _check_labels(y, N, None, C)
    _check_margin(margin)
    z_y = Z[np.arange(N), y][:, None]  # (N, 1)
    terms = np.maximum(0.0, margin - z_y + Z)  # (N, C); the j = y term is max(0, margin), removed below
    terms[np.arange(N), y] = 0.0
    return float(np.mean(terms.sum(axis=1) / C))
# --8<-- [end:hinge]


# --8<-- [start:metric]
def contrastive(d: np.ndarray, y: np.ndarray, margin: float = 1.0) -> float:
    """Contrastive loss (Hadsell et al. 2006): d^2 / 2 for a similar pair (y = 1), max(0, margin - d)^2 / 2 if not.

    Args: d (N,) distances >= 0 between the two embeddings of each pair; y (N,) 1 = same class, 0 = different.
    """
    check_float_array(d, "d", (1,))
    if np.any(d < 0):
        raise ValueError("d must be >= 0 (distances)")
    _check_labels(y, len(d), (0, 1))
    _check_margin(margin)
    return float(np.mean(np.where(y == 1, 0.5 * d**2, 0.5 * np.maximum(0.0, margin - d) ** 2)))


def triplet(a: np.ndarray, p: np.ndarray, n: np.ndarray, margin: float = 1.0, eps: float = 1e-6) -> float:
    """Triplet loss mean(max(0, ||a - p|| - ||a - n|| + margin)), distances as nn.TripletMarginLoss (p = 2).

    Args: a, p, n (N, D) anchor, positive, negative embeddings; eps is added to the difference like
    torch.pairwise_distance does (it keeps the gradient finite when two embeddings coincide).
    """
    for name, v in (("a", a), ("p", p), ("n", n)):
        check_float_array(v, name, (2,))
    if not (a.shape == p.shape == n.shape):
        raise ValueError(f"p and n must have the shape of a, got a {a.shape}, p {p.shape}, n {n.shape}")
    _check_margin(margin)
    d_ap = np.linalg.norm(a - p + eps, axis=1)  # (N,)
    d_an = np.linalg.norm(a - n + eps, axis=1)  # (N,)
    return float(np.mean(np.maximum(0.0, d_ap - d_an + margin)))


def info_nce(q: np.ndarray, k: np.ndarray, temperature: float = 0.1) -> float:
    """InfoNCE with in-batch negatives: row i of q should match row i of k among all N keys.

    Args: q, k (N, D) two views' embeddings (L2-normalised here); temperature tau > 0.
    Returns: mean_i -log softmax(q_i . k_j / tau)_{j = i}, i.e. cross-entropy with labels arange(N).
    """
    check_float_array(q, "q", (2,))
    check_float_array(k, "k", (2,))
    if q.shape != k.shape:
        raise ValueError(f"k must have the shape of q, got q {q.shape}, k {k.shape}")
    _check_margin(temperature, "temperature")
    if temperature == 0:
        raise ValueError("temperature must be > 0")
    q_hat = q / np.linalg.norm(q, axis=1, keepdims=True)
    k_hat = k / np.linalg.norm(k, axis=1, keepdims=True)
    logits = q_hat @ k_hat.T / temperature  # (N, N): cosine similarities / tau; the diagonal holds the positives
    return float(-np.mean(np.diag(log_softmax(logits, axis=1))))
# --8<-- [end:metric]

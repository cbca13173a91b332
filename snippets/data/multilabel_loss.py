"""Multi-label losses: sigmoid + binary cross-entropy per label, softmax + CE for contrast, asymmetric loss."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_binary_matrix, check_float_array


def _check(z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    check_float_array(z, "z", (2,))
    Y = check_binary_matrix(Y, "Y", (2,))
    if Y.shape != z.shape:
        raise ValueError(f"Y must have the shape of z {z.shape}, got {Y.shape}")
    return Y


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray | float:
    if reduction == "mean":
        return float(loss.mean())
    if reduction == "sum":
        return float(loss.sum())
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


# --8<-- [start:bce]
def softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) without overflow: max(x, 0) + log1p(e^{-|x|}). x: float array, shape (N,) or (N, K)."""
    check_float_array(x, "x", (1, 2))
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def sigmoid_bce(
    z: np.ndarray, Y: np.ndarray, pos_weight: np.ndarray | None = None, reduction: str = "mean"
) -> np.ndarray | float:
    """Binary cross-entropy on logits, one independent sigmoid per label (BCEWithLogitsLoss).

    Args:
        z: logits, shape (N, K).
        Y: 0/1 targets, shape (N, K); a row may hold several 1s or none.
        pos_weight: shape (K,), multiplies the positive term of each label (None = 1).
        reduction: 'mean' over all N*K entries (as PyTorch), 'sum' or 'none'.
    Returns:
        the loss; shape (N, K) for 'none'.
    """
    Y = _check(z, Y)
    if pos_weight is not None:
        check_float_array(pos_weight, "pos_weight", (1,))
        if pos_weight.shape != (z.shape[1],) or (pos_weight < 0).any():
            raise ValueError(f"pos_weight must have shape ({z.shape[1]},) and be >= 0, got {pos_weight.shape}")
    w = np.ones(z.shape[1]) if pos_weight is None else pos_weight  # (K,)
    # -log sigma(z) = softplus(-z),  -log(1 - sigma(z)) = softplus(z): never log(0)
    loss = w * Y * softplus(-z) + (1 - Y) * softplus(z)  # (N, K)
    return _reduce(loss, reduction)
# --8<-- [end:bce]


# --8<-- [start:softmax]
def softmax_ce_soft(z: np.ndarray, Y: np.ndarray) -> float:
    """Softmax + cross-entropy against the target spread evenly over a row's labels, Y / |Y|.

    Args:
        z: logits, shape (N, K).
        Y: 0/1 targets, shape (N, K), at least one 1 per row.
    Returns:
        mean over the N rows of -sum_k q_k log softmax(z)_k with q = Y / Y.sum(1).
    """
    Y = _check(z, Y)
    if (Y.sum(axis=1) == 0).any():
        raise ValueError("Y must have at least one positive label per row for a softmax target")
    q = Y / Y.sum(axis=1, keepdims=True)  # (N, K), rows sum to 1
    m = z.max(axis=1, keepdims=True)
    log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))  # (N, K)
    return float(-(q * log_p).sum(axis=1).mean())
# --8<-- [end:softmax]


# --8<-- [start:asl]
def asymmetric_loss(
    z: np.ndarray, Y: np.ndarray, gamma_pos: float = 0.0, gamma_neg: float = 4.0, margin: float = 0.05
) -> float:
    """Asymmetric loss (Ridnik et al., ICCV 2021), summed over labels, mean over samples.

    Positives: -(1 - p)^gamma_pos log p.  Negatives: -p_m^gamma_neg log(1 - p_m), p_m = max(p - margin, 0).
    With gamma_pos = gamma_neg = margin = 0 it is BCE summed over the K labels.

    Args:
        z: logits, shape (N, K).
        Y: 0/1 targets, shape (N, K).
    """
    Y = _check(z, Y)
    for name, v in (("gamma_pos", gamma_pos), ("gamma_neg", gamma_neg), ("margin", margin)):
        if not np.isfinite(v) or v < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {v!r}")
    if margin >= 1:
        raise ValueError(f"margin must be < 1, got {margin!r}")
    p = 1.0 / (1.0 + np.exp(-z))  # (N, K)
    p_m = np.maximum(p - margin, 0.0)  # easy negatives (p <= margin) are dropped entirely
    pos = (1.0 - p) ** gamma_pos * softplus(-z)  # -log p, computed from the logit
    neg = p_m**gamma_neg * -np.log1p(-p_m) if margin > 0 else p**gamma_neg * softplus(z)
    return float((Y * pos + (1 - Y) * neg).sum(axis=1).mean())
# --8<-- [end:asl]

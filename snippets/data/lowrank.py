"""Low-rank factorisation of a linear layer by truncated SVD (optimal by Eckart-Young)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_float_array, check_int


# --8<-- [start:svd]
def low_rank_factors(W: np.ndarray, r: int) -> tuple[np.ndarray, np.ndarray]:
    """A (out, r) and B (r, in) with A @ B the best rank-r approximation of W (out, in).

    Linear(in, out) with weight W becomes Linear(in, r, bias=False) with weight B, then
    Linear(r, out) with weight A and the old bias: r (in + out) weights instead of in * out.
    """
    check_float_array(W, "W", (2,))
    check_int(r, "r", 1)
    if r > min(W.shape):
        raise ValueError(f"r must be <= min(W.shape) = {min(W.shape)}, got {r}")
    U, S, Vt = np.linalg.svd(W, full_matrices=False)  # U (out, m), S (m,), Vt (m, in)
    return U[:, :r] * S[:r], Vt[:r]  # 奇异值并进 A; 也可以每边各乘 sqrt(S)


def low_rank_params(n_in: int, n_out: int, r: int) -> int:
    """Weights of the factorised layer, r (n_in + n_out); it saves only while r < n_in n_out / (n_in + n_out)."""
    for name, v in (("n_in", n_in), ("n_out", n_out), ("r", r)):
        check_int(v, name, 1)
    return r * (n_in + n_out)
# --8<-- [end:svd]

"""snippets.norm.lrn against nn.LocalResponseNorm (alpha * n) and autograd in float64; a hand case."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.norm.lrn import lrn_alexnet, lrn_backward


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 9])
@pytest.mark.parametrize("alpha, beta, k", [(1e-4, 0.75, 2.0), (1e-2, 0.5, 1.0), (0.3, 1.0, 0.5)])
def test_lrn_forward_and_backward_match_torch_with_alpha_times_n(n: int, alpha: float, beta: float, k: float) -> None:
    rng = np.random.default_rng(n)
    X, dY = 5.0 * rng.standard_normal((2, 7, 3, 4)), rng.standard_normal((2, 7, 3, 4))
    Xt = torch.from_numpy(X).requires_grad_()
    Yt = torch.nn.LocalResponseNorm(n, alpha=alpha * n, beta=beta, k=k)(Xt)
    Yt.backward(torch.from_numpy(dY))
    Y, D = lrn_alexnet(X, n=n, alpha=alpha, beta=beta, k=k)
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=1e-11, atol=1e-13)
    dX = lrn_backward(dY, X, D, n=n, alpha=alpha, beta=beta)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_passing_alexnets_alpha_unchanged_to_torch_gives_a_different_result() -> None:
    X = 20.0 * np.random.default_rng(0).standard_normal((1, 8, 2, 2))
    ours = lrn_alexnet(X)[0]
    torch_same_alpha = torch.nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)(torch.from_numpy(X)).numpy()
    assert not np.allclose(ours, torch_same_alpha, rtol=1e-3)


def test_hand_case_single_channel() -> None:
    # 一个通道, n = 1: b = a / (k + alpha a^2)^beta; a = 2, k = 1, alpha = 0.75, beta = 0.5: 2 / sqrt(4) = 1
    X = np.full((1, 1, 1, 1), 2.0)
    np.testing.assert_allclose(lrn_alexnet(X, n=1, alpha=0.75, beta=0.5, k=1.0)[0].ravel(), [1.0], rtol=1e-15)


def test_bad_inputs_raise_naming_the_argument() -> None:
    X = np.ones((1, 3, 2, 2))
    with pytest.raises(ValueError, match="n must"):
        lrn_alexnet(X, n=0)
    with pytest.raises(ValueError, match="alpha"):
        lrn_alexnet(X, alpha=-1.0)
    with pytest.raises(ValueError, match="X"):
        lrn_alexnet(np.ones((3, 2, 2)))
    Y, D = lrn_alexnet(X)
    with pytest.raises(ValueError, match="dY"):
        lrn_backward(np.ones((1, 3, 2, 1)), X, D)

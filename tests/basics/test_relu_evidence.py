"""Tests for snippets.basics.relu_evidence: per-layer gradients at init against autograd, and the page's claims."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.basics.activations import sigmoid, softplus
from snippets.basics.backprop import init_mlp
from snippets.basics.deep_grads import make_regression
from snippets.basics.relu_evidence import ACTS, depth_profile


@pytest.mark.parametrize("act", ACTS)
def test_depth_profile_matches_torch_autograd(act: str) -> None:
    depth, width, seed = 6, 8, 3
    norms, zeros = depth_profile(act, seed, depth, width)  # type: ignore[arg-type]
    rng = np.random.default_rng(seed)  # 与 depth_profile 相同的抽样顺序
    X, y = make_regression(128, 16, rng)
    params = init_mlp([16] + [width] * (depth - 1) + [1], rng, "he" if act == "relu" else "xavier")
    fn = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[act]
    tp = [(torch.tensor(W, requires_grad=True), torch.tensor(b)) for W, b in params]
    A, outs = torch.from_numpy(X), []
    for W, b in tp[:-1]:
        A = fn(A @ W.T + b)
        outs.append(A)
    loss = 0.5 * ((A @ tp[-1][0].T + tp[-1][1] - torch.from_numpy(y)) ** 2).mean()
    loss.backward()
    expected = np.array([W.grad.norm().item() for W, _ in tp])
    np.testing.assert_allclose(norms, expected, rtol=1e-10)
    np.testing.assert_allclose(zeros, [(o == 0).double().mean().item() for o in outs], atol=1e-12)


def test_page_claims_hold_for_seeds_0_to_4() -> None:
    for act in ACTS:
        for seed in range(5):
            norms, zeros = depth_profile(act, seed)
            orders = np.log10(norms[-1] / norms[0])
            if act == "sigmoid":
                assert orders > 10
            else:
                assert abs(orders) < 1
            if act == "relu":
                assert np.all((zeros > 0.25) & (zeros < 0.75))
            else:
                assert np.all(zeros == 0)


def test_stepped_sigmoid_sum_approximates_softplus() -> None:
    x = np.linspace(-6.0, 6.0, 1201)
    err59 = np.abs(sum(sigmoid(x - i + 0.5) for i in range(1, 60)) - softplus(x)).max()
    err200 = np.abs(sum(sigmoid(x - i + 0.5) for i in range(1, 201)) - softplus(x)).max()
    assert err59 < 0.02
    assert err200 == pytest.approx(err59, rel=1e-6)  # 远处的副本在 [-6, 6] 上已是 0: 误差来自近似本身


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"act": "gelu"}, "act"), ({"seed": -1}, "seed"), ({"depth": 1}, "depth"), ({"width": 0}, "width")],
)
def test_depth_profile_rejects_bad_input(kwargs: dict, name: str) -> None:
    args = {"act": "relu", "seed": 0, **kwargs}
    with pytest.raises(ValueError, match=name):
        depth_profile(**args)

"""snippets.norm.weight_penalty: prox of |w|, max-norm vs torch.renorm, L2 vs weight decay in torch, the sweep."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.norm.weight_penalty import (
    digits_subset,
    max_norm,
    soft_threshold,
    train_softmax_regression,
    zero_share_sweep,
)


def test_soft_threshold_hand_case() -> None:
    w = np.array([-3.0, -0.5, 0.0, 0.2, 1.0, 2.5])
    np.testing.assert_allclose(soft_threshold(w, 1.0), [-2.0, 0.0, 0.0, 0.0, 0.0, 1.5])


@settings(max_examples=200, deadline=None)
@given(w=st.floats(-10, 10), t=st.floats(0, 5))
def test_soft_threshold_minimizes_the_l1_proximal_objective(w: float, t: float) -> None:
    v = soft_threshold(np.array([w]), t)[0]
    grid = np.linspace(-12, 12, 24001)
    objective = lambda u: 0.5 * (u - w) ** 2 + t * np.abs(u)  # noqa: E731
    assert objective(v) <= objective(grid).min() + 1e-9


def test_max_norm_matches_torch_renorm() -> None:
    W = np.random.default_rng(0).standard_normal((6, 5)) * np.array([[0.1], [1], [3], [0.5], [2], [10]])
    expected = torch.renorm(torch.from_numpy(W), p=2, dim=0, maxnorm=1.5).numpy()
    np.testing.assert_allclose(max_norm(W, 1.5), expected, rtol=1e-6)  # torch.renorm 对范数加了 1e-7
    assert np.all(np.linalg.norm(max_norm(W, 1.5), axis=1) <= 1.5 + 1e-12)


@pytest.mark.parametrize("opt_name", ["SGD", "Adam"])
def test_weight_decay_equals_l2_for_sgd_and_for_torchs_adam_but_adamw_differs(opt_name: str) -> None:
    torch.manual_seed(0)
    X, y, lam = torch.randn(32, 5, dtype=torch.float64), torch.randn(32, dtype=torch.float64), 0.1
    w0 = torch.randn(5, dtype=torch.float64)

    def run(weight_decay: float, l2: float, cls: type[torch.optim.Optimizer]) -> torch.Tensor:
        w = w0.clone().requires_grad_()
        opt = cls([w], lr=0.05, weight_decay=weight_decay)
        for _ in range(50):
            loss = ((X @ w - y) ** 2).mean() + 0.5 * l2 * (w**2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        return w.detach()

    cls = getattr(torch.optim, opt_name)
    # PyTorch 的 SGD 与 Adam 的 weight_decay 都是把 lam * w 加到梯度上, 即 L2 正则
    torch.testing.assert_close(run(lam, 0.0, cls), run(0.0, lam, cls), rtol=1e-12, atol=1e-12)
    if opt_name == "Adam":  # AdamW 是解耦的权重衰减: 不经过 1/sqrt(v) 的缩放
        assert not torch.allclose(run(lam, 0.0, torch.optim.AdamW), run(0.0, lam, cls), rtol=1e-3)


def test_l2_and_subgradient_l1_give_no_exact_zeros_but_proximal_l1_does() -> None:
    X, y = digits_subset(0, n=300)
    for penalty in ("none", "l2", "l1-subgradient"):
        assert np.mean(train_softmax_regression(X, y, 0.01, penalty, 0, steps=100) == 0) == 0
    assert np.mean(train_softmax_regression(X, y, 0.01, "l1", 0, steps=100) == 0) > 0.5


@pytest.mark.experiment
def test_zero_share_grows_with_lambda_for_l1_on_every_seed_and_stays_zero_for_l2() -> None:
    runs = zero_share_sweep()
    lams = sorted({lam for _, lam in runs})
    shares = np.array([[s for s, _ in runs["l1", lam]] for lam in lams])  # (lams, seeds)
    assert np.all(np.diff(shares, axis=0) > 0)
    assert np.all(shares[0] > 0.25) and np.all(shares[-1] > 0.9)
    assert all(s == 0 for lam in lams for pen in ("l2", "l1-subgradient") for s, _ in runs[pen, lam])


def test_bad_inputs_raise_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="t must"):
        soft_threshold(np.ones(3), -1.0)
    with pytest.raises(ValueError, match="c must"):
        max_norm(np.ones((2, 2)), 0.0)
    with pytest.raises(ValueError, match="W"):
        max_norm(np.ones(3), 1.0)
    X, y = np.ones((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="penalty"):
        train_softmax_regression(X, y, 0.1, "l3", 0)
    with pytest.raises(ValueError, match="lam"):
        train_softmax_regression(X, y, -0.1, "l2", 0)
    with pytest.raises(ValueError, match="seed"):
        digits_subset(-1)

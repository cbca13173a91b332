"""Tests for snippets.data.multilabel_loss: PyTorch in float64, BCELoss's clamp, softmax competition, ASL."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.data.multilabel_loss import asymmetric_loss, sigmoid_bce, softmax_ce_soft, softplus


def _batch(N: int, K: int, seed: int = 0, scale: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return scale * rng.standard_normal((N, K)), rng.integers(0, 2, size=(N, K))


@pytest.mark.parametrize("N, K", [(1, 1), (4, 3), (16, 20)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_sigmoid_bce_matches_bce_with_logits_float64(N: int, K: int, reduction: str) -> None:
    z, Y = _batch(N, K)
    pw = np.linspace(0.5, 4.0, K)
    for w in (None, pw):
        expected = F.binary_cross_entropy_with_logits(
            torch.from_numpy(z), torch.from_numpy(Y).double(), reduction=reduction,
            pos_weight=None if w is None else torch.from_numpy(w),
        ).numpy()
        np.testing.assert_allclose(sigmoid_bce(z, Y, w, reduction), expected, rtol=1e-12, atol=1e-14)


def test_pos_weight_multiplies_only_the_positive_term() -> None:
    z, Y = _batch(8, 5, seed=1)
    base = np.asarray(sigmoid_bce(z, Y, reduction="none"))
    weighted = np.asarray(sigmoid_bce(z, Y, np.full(5, 3.0), reduction="none"))
    np.testing.assert_allclose(weighted[Y == 1], 3.0 * base[Y == 1], rtol=1e-12)
    np.testing.assert_allclose(weighted[Y == 0], base[Y == 0], rtol=1e-12)


def test_bceloss_on_sigmoid_is_clamped_at_100_where_logits_version_is_exact_float64() -> None:
    # negative with z = 40: sigmoid rounds to 1, log(1 - 1) is clamped to -100; positive with z = -800: sigmoid = 0
    z = torch.tensor([[40.0, -800.0]], dtype=torch.float64, requires_grad=True)
    Y = torch.tensor([[0.0, 1.0]], dtype=torch.float64)
    naive = F.binary_cross_entropy(torch.sigmoid(z), Y, reduction="none")
    np.testing.assert_allclose(naive.detach().numpy(), [[100.0, 100.0]])
    naive.sum().backward()
    assert np.all(z.grad.numpy() == 0)  # no gradient for the two worst mistakes
    exact = sigmoid_bce(z.detach().numpy(), np.array([[0, 1]]), reduction="none")
    np.testing.assert_allclose(exact, [[40.0, 800.0]], rtol=1e-12)
    torch_exact = F.binary_cross_entropy_with_logits(z.detach(), Y, reduction="none").numpy()
    np.testing.assert_allclose(torch_exact, [[40.0, 800.0]], rtol=1e-12)


def test_softplus_has_no_overflow_and_matches_log1p_exp() -> None:
    x = np.array([-800.0, -3.0, 0.0, 2.5, 800.0])
    np.testing.assert_allclose(softplus(x), [0.0, np.log1p(np.exp(-3.0)), np.log(2.0), np.log1p(np.exp(2.5)), 800.0])


def test_softmax_target_caps_each_of_three_labels_at_one_third() -> None:
    # minimise the softmax CE over z by gradient descent: the optimum is p = Y / |Y|, so no label passes 0.5
    Y = np.array([[1, 1, 1, 0, 0]])
    z = torch.zeros((1, 5), dtype=torch.float64, requires_grad=True)
    q = torch.from_numpy(Y / 3.0)
    opt = torch.optim.SGD([z], lr=4.0)
    for _ in range(60):
        opt.zero_grad()
        (-(q * torch.log_softmax(z, dim=1)).sum()).backward()
        opt.step()
    p = torch.softmax(z, dim=1).detach().numpy()
    np.testing.assert_allclose(p[0, :3], 1 / 3, atol=5e-3)  # the negatives only approach 0
    assert (p < 0.5).all()
    np.testing.assert_allclose(softmax_ce_soft(z.detach().numpy(), Y),
                               F.cross_entropy(z.detach(), q).item(), rtol=1e-12)


def test_softmax_ce_soft_matches_torch_soft_target_cross_entropy() -> None:
    z, Y = _batch(10, 6, seed=2)
    Y[:, 0] = 1
    q = torch.from_numpy(Y / Y.sum(axis=1, keepdims=True))
    np.testing.assert_allclose(softmax_ce_soft(z, Y), F.cross_entropy(torch.from_numpy(z), q).item(), rtol=1e-12)


def test_asymmetric_loss_reduces_to_bce_summed_over_labels() -> None:
    z, Y = _batch(7, 4, seed=3)
    bce = np.asarray(sigmoid_bce(z, Y, reduction="none")).sum(axis=1).mean()
    np.testing.assert_allclose(asymmetric_loss(z, Y, 0.0, 0.0, 0.0), bce, rtol=1e-12)


def test_asymmetric_loss_hand_case_and_easy_negatives_dropped() -> None:
    # one positive with p = 0.8 (gamma_pos = 1): -(0.2) log 0.8; one negative with p = 0.7, m = 0.2, gamma_neg = 2:
    # p_m = 0.5 -> -(0.25) log 0.5; a negative with p = 0.1 < m contributes 0
    z = np.log(np.array([[0.8 / 0.2, 0.7 / 0.3, 0.1 / 0.9]]))
    Y = np.array([[1, 0, 0]])
    expected = -0.2 * np.log(0.8) - 0.25 * np.log(0.5)
    np.testing.assert_allclose(asymmetric_loss(z, Y, 1.0, 2.0, 0.2), expected, rtol=1e-12)


def test_asymmetric_loss_value_matches_the_formula_written_in_torch() -> None:
    z, Y = _batch(5, 3, seed=4, scale=2.0)
    zt = torch.tensor(z, requires_grad=True)
    p = torch.sigmoid(zt)
    pm = torch.clamp(p - 0.05, min=0.0)
    Yt = torch.from_numpy(Y).double()
    ref = (-(Yt * (1 - p) ** 1.0 * torch.log(p)) - (1 - Yt) * pm**4 * torch.log(1 - pm)).sum(1).mean()
    np.testing.assert_allclose(asymmetric_loss(z, Y, 1.0, 4.0, 0.05), ref.item(), rtol=1e-12)


def test_bad_inputs_name_the_argument() -> None:
    z, Y = _batch(3, 2)
    with pytest.raises(TypeError, match="z"):
        sigmoid_bce(z.tolist(), Y)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Y"):
        sigmoid_bce(z, Y[:, :1])
    with pytest.raises(ValueError, match="Y"):
        sigmoid_bce(z, Y + 1)
    with pytest.raises(ValueError, match="reduction"):
        sigmoid_bce(z, Y, reduction="avg")
    with pytest.raises(ValueError, match="pos_weight"):
        sigmoid_bce(z, Y, np.ones(3))
    with pytest.raises(ValueError, match="pos_weight"):
        sigmoid_bce(z, Y, np.array([1.0, -2.0]))
    with pytest.raises(TypeError, match="x"):
        softplus([0.0, 1.0])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Y"):
        softmax_ce_soft(z, np.zeros_like(Y))
    with pytest.raises(ValueError, match="gamma_neg"):
        asymmetric_loss(z, Y, gamma_neg=-1.0)
    with pytest.raises(ValueError, match="margin"):
        asymmetric_loss(z, Y, margin=1.0)


def test_pos_weight_moves_the_optimal_probability_to_w_pi_over_w_pi_plus_1_minus_pi() -> None:
    # expected loss of one logit when the label is 1 with probability pi: minimise over a grid of z
    pi, w = 0.2, 4.0
    z = np.linspace(-5, 5, 100001)[:, None]
    expected = pi * np.asarray(sigmoid_bce(z, np.ones_like(z, dtype=np.int64), np.array([w]), "none")) + (
        1 - pi) * np.asarray(sigmoid_bce(z, np.zeros_like(z, dtype=np.int64), np.array([w]), "none"))
    p_best = 1 / (1 + np.exp(-z[np.argmin(expected), 0]))
    assert p_best == pytest.approx(w * pi / (w * pi + 1 - pi), abs=1e-4)


@pytest.mark.parametrize(("dtype", "z_ok", "z_clamped"), [(torch.float64, 36.5, 36.9), (torch.float32, 16.4, 16.8)])
def test_bceloss_on_sigmoid_hits_the_clamp_where_the_page_says(
    dtype: torch.dtype, z_ok: float, z_clamped: float
) -> None:
    # the page: sigmoid(z) rounds to 1 near z = 36.7 in float64 and z = 16.6 in float32 (1 + e^{-z} == 1)
    z = torch.tensor([z_ok, z_clamped], dtype=dtype)
    loss = F.binary_cross_entropy(torch.sigmoid(z), torch.zeros(2, dtype=dtype), reduction="none")
    assert z_ok - 1.0 < loss[0].item() < z_ok + 1.0  # not clamped yet (already inexact near the rounding point)
    assert loss[1].item() == 100.0
    # positive side, float64: sigmoid(z) underflows to 0 just below z = -709.78 (e^{-z} overflows)
    assert torch.sigmoid(torch.tensor([-709.5, -710.0], dtype=torch.float64)).tolist()[1] == 0.0
    assert torch.sigmoid(torch.tensor(-709.5, dtype=torch.float64)).item() > 0.0

"""Tests for distillation, quantization, pruning and low rank (snippets/data): PyTorch references, hand cases."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.ao.quantization import MinMaxObserver, PerChannelMinMaxObserver
from torch.nn.utils import prune

from snippets.data.distill import distillation_loss, soft_target_grad, soft_target_loss
from snippets.data.lowrank import low_rank_factors, low_rank_params
from snippets.data.prune import shrink_hidden, structured_mask, unstructured_mask
from snippets.data.quantize import fake_quantize, qparams, quantization_mse

RNG = np.random.default_rng(0)
ZS, ZT = RNG.standard_normal((4, 10)), 3 * RNG.standard_normal((4, 10))
Y = np.array([0, 3, 9, 2])


# ---------- distillation ----------
def _torch_soft(zs: np.ndarray, zt: np.ndarray, tau: float) -> tuple[float, np.ndarray]:
    z = torch.tensor(zs, requires_grad=True)
    q = torch.softmax(torch.tensor(zt) / tau, 1)
    loss = -(q * torch.log_softmax(z / tau, 1)).sum(1).mean()
    loss.backward()
    assert z.grad is not None
    return loss.item(), z.grad.numpy()


@pytest.mark.parametrize("tau", [0.5, 1.0, 2.0, 4.0, 20.0])
def test_soft_target_loss_and_grad_match_autograd_float64(tau: float) -> None:
    loss, grad = _torch_soft(ZS, ZT, tau)
    assert soft_target_loss(ZS, ZT, tau) == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(soft_target_grad(ZS, ZT, tau), grad, rtol=1e-10, atol=1e-15)


def test_soft_target_grad_times_tau_squared_tends_to_centred_logit_gap() -> None:
    # Hinton et al. (2015) 式 (3)-(4): tau 大时 grad ~ ((z_s - mean) - (z_t - mean)) / (K N tau^2)
    N, K = ZS.shape
    limit = ((ZS - ZS.mean(1, keepdims=True)) - (ZT - ZT.mean(1, keepdims=True))) / (K * N)
    errors = [np.abs(tau**2 * _torch_soft(ZS, ZT, tau)[1] - limit).max() for tau in (5.0, 20.0, 100.0, 1000.0)]
    assert all(b < a for a, b in zip(errors, errors[1:], strict=False))
    assert errors[-1] < 5e-3 * np.abs(limit).max()
    assert errors[2] / errors[3] == pytest.approx(10.0, rel=0.05)  # 余项是 O(1 / tau): tau 乘 10, 余项除以 10
    # 不乘 tau^2 时梯度本身按 1 / tau^2 衰减: tau 从 100 到 1000, 范数约缩小 100 倍
    g100, g1000 = (np.linalg.norm(_torch_soft(ZS, ZT, t)[1]) for t in (100.0, 1000.0))
    assert g100 / g1000 == pytest.approx(100.0, rel=0.02)


def test_distillation_loss_matches_torch_kl_form_up_to_teacher_entropy() -> None:
    tau, alpha = 4.0, 0.7
    zs, zt = torch.tensor(ZS), torch.tensor(ZT)
    kl = torch.nn.functional.kl_div(torch.log_softmax(zs / tau, 1), torch.softmax(zt / tau, 1),
                                    reduction="batchmean")
    q = torch.softmax(zt / tau, 1)
    entropy = -(q * torch.log(q)).sum(1).mean()  # CE = KL + H(q): 常数, 梯度相同
    ce = torch.nn.functional.cross_entropy(zs, torch.tensor(Y))
    expected = alpha * tau**2 * (kl + entropy) + (1 - alpha) * ce
    assert distillation_loss(ZS, ZT, Y, tau, alpha) == pytest.approx(expected.item(), rel=1e-12)


def test_distillation_hand_case_equal_logits_gives_log_k() -> None:
    z = np.zeros((1, 4))
    assert soft_target_loss(z, z, 3.0) == pytest.approx(np.log(4))
    np.testing.assert_allclose(soft_target_grad(z, z, 3.0), 0.0)


def test_distillation_bad_input_names_the_argument() -> None:
    with pytest.raises(ValueError, match="temperature"):
        soft_target_loss(ZS, ZT, 0.0)
    with pytest.raises(ValueError, match="z_t"):
        soft_target_grad(ZS, ZT[:, :3], 1.0)
    with pytest.raises(TypeError, match="z_s"):
        soft_target_loss(ZS.astype(int), ZT, 1.0)
    with pytest.raises(ValueError, match="alpha"):
        distillation_loss(ZS, ZT, Y, 2.0, 1.5)
    with pytest.raises(ValueError, match="y"):
        distillation_loss(ZS, ZT, Y[:2], 2.0, 0.5)


# ---------- quantization ----------
CASES = [
    (torch.quint8, torch.per_tensor_affine, 0, 255, False),
    (torch.qint8, torch.per_tensor_affine, -128, 127, False),
    (torch.qint8, torch.per_tensor_symmetric, -128, 127, True),
    (torch.quint8, torch.per_tensor_symmetric, 0, 255, True),
]


@pytest.mark.parametrize("dtype, scheme, qmin, qmax, symmetric", CASES)
@pytest.mark.parametrize("shift", [0.3, 2.0, -1.5])
def test_qparams_match_minmax_observer(dtype: torch.dtype, scheme: torch.qscheme, qmin: int, qmax: int,
                                       symmetric: bool, shift: float) -> None:
    x = (np.random.default_rng(1).standard_normal((16, 32)) + shift).astype(np.float32)
    obs = MinMaxObserver(dtype=dtype, qscheme=scheme)
    obs(torch.from_numpy(x))
    s_ref, z_ref = obs.calculate_qparams()
    s, z = qparams(x.min(), x.max(), qmin, qmax, symmetric)
    assert float(s) == pytest.approx(s_ref.item(), rel=1e-6)  # PyTorch 在 float32 里算 scale
    assert int(z) == z_ref.item()
    np.testing.assert_array_equal(
        fake_quantize(x, float(s_ref), int(z_ref), qmin, qmax),
        torch.fake_quantize_per_tensor_affine(torch.from_numpy(x), s_ref.item(), z_ref.item(), qmin, qmax).numpy())


@pytest.mark.parametrize("symmetric, scheme", [(True, torch.per_channel_symmetric), (False, torch.per_channel_affine)])
def test_per_channel_matches_observer_and_fake_quantize_per_channel(symmetric: bool, scheme: torch.qscheme) -> None:
    x = (np.random.default_rng(2).standard_normal((8, 20)) * np.arange(1, 9)[:, None]).astype(np.float32)
    obs = PerChannelMinMaxObserver(ch_axis=0, dtype=torch.qint8, qscheme=scheme)
    obs(torch.from_numpy(x))
    s_ref, z_ref = obs.calculate_qparams()
    s, z = qparams(x.min(1), x.max(1), -128, 127, symmetric)
    np.testing.assert_allclose(s, s_ref.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(z, z_ref.numpy())
    ref = torch.fake_quantize_per_channel_affine(torch.from_numpy(x), s_ref, z_ref.int(), 0, -128, 127)
    np.testing.assert_array_equal(fake_quantize(x, s_ref.numpy(), z_ref.numpy(), axis=0), ref.numpy())


def test_quantization_hand_case_uint8() -> None:
    # [-1, 3] 映射到 [0, 255]: s = 4 / 255, z = 0 - round(-1 / s) = round(63.75) = 64
    s, z = qparams(-1.0, 3.0, 0, 255)
    assert float(s) == pytest.approx(4 / 255) and int(z) == 64
    x = np.array([0.0, -1.0, 3.0, 10.0], dtype=np.float64)
    out = fake_quantize(x, float(s), int(z), 0, 255)
    assert out[0] == 0.0  # 0 精确可表示
    assert out[3] == pytest.approx((255 - 64) * 4 / 255)  # 超出范围的值被截断


def test_per_channel_error_is_at_most_per_tensor_error() -> None:
    W = (np.random.default_rng(3).standard_normal((16, 32)) * np.geomspace(0.01, 1, 16)[:, None]).astype(np.float32)
    assert quantization_mse(W, per_channel=True) < 0.2 * quantization_mse(W, per_channel=False)


def test_quantization_bad_input_names_the_argument() -> None:
    with pytest.raises(ValueError, match="qmin"):
        qparams(-1.0, 1.0, 5, 5)
    with pytest.raises(ValueError, match="x_min"):
        qparams(2.0, np.nan)
    with pytest.raises(TypeError, match="x"):
        fake_quantize(np.arange(3), 1.0, 0)
    with pytest.raises(TypeError, match="W"):
        quantization_mse([[1.0]], True)  # type: ignore[arg-type]


# ---------- pruning ----------
@pytest.mark.parametrize("amount", [0.0, 0.25, 0.5, 0.77, 1.0])
def test_masks_match_torch_prune(amount: float) -> None:
    W = np.random.default_rng(4).standard_normal((12, 7))
    lin = torch.nn.Linear(7, 12).double()
    lin.weight.data = torch.tensor(W)
    prune.l1_unstructured(lin, "weight", amount=amount)
    np.testing.assert_array_equal(unstructured_mask(W, amount), lin.weight_mask.numpy())
    for n in (1, 2):
        lin = torch.nn.Linear(7, 12).double()
        lin.weight.data = torch.tensor(W)
        prune.ln_structured(lin, "weight", amount=amount, n=n, dim=0)
        np.testing.assert_array_equal(structured_mask(W, amount, n=n), lin.weight_mask.numpy())


def test_pruning_hand_case() -> None:
    W = np.array([[0.1, -3.0], [2.0, 0.2]])
    np.testing.assert_array_equal(unstructured_mask(W, 0.5), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(structured_mask(np.array([[0.1, 0.1], [1.0, 0.0]]), 0.5), [[0, 0], [1, 1]])


def test_shrink_hidden_gives_the_same_output_as_the_masked_net() -> None:
    rng = np.random.default_rng(5)
    W1, b1 = rng.standard_normal((10, 6)), rng.standard_normal(10)
    W2, X = rng.standard_normal((3, 10)), rng.standard_normal((4, 6))
    m = structured_mask(W1, 0.4)
    masked = np.maximum(X @ (W1 * m).T + b1 * m[:, 0], 0) @ W2.T
    V1, c1, V2 = shrink_hidden(W1, b1, W2, m[:, 0] > 0)
    assert V1.shape == (6, 6) and V2.shape == (3, 6)
    np.testing.assert_allclose(np.maximum(X @ V1.T + c1, 0) @ V2.T, masked, rtol=1e-12)


def test_pruning_bad_input_names_the_argument() -> None:
    W = np.ones((3, 2))
    with pytest.raises(ValueError, match="amount"):
        unstructured_mask(W, 1.5)
    with pytest.raises(ValueError, match="n"):
        structured_mask(W, 0.5, n=0)
    with pytest.raises(ValueError, match="keep"):
        shrink_hidden(W, np.ones(3), np.ones((2, 3)), np.array([1, 0, 1]))


# ---------- low rank ----------
def test_truncated_svd_error_is_the_tail_and_beats_random_rank_r() -> None:
    rng = np.random.default_rng(6)
    W = rng.standard_normal((20, 12))
    S = np.linalg.svd(W, compute_uv=False)
    for r in (1, 3, 6, 12):
        A, B = low_rank_factors(W, r)
        assert A.shape == (20, r) and B.shape == (r, 12)
        err = np.linalg.norm(W - A @ B) ** 2
        assert err == pytest.approx(np.sum(S[r:] ** 2), abs=1e-9)  # Eckart-Young: 误差 = 尾部奇异值平方和
        for _ in range(20):
            P, Q = rng.standard_normal((20, r)), rng.standard_normal((r, 12))
            Q = np.linalg.lstsq(P, W, rcond=None)[0]  # 给定 P 的最优 Q, 仍不优于截断 SVD
            assert np.linalg.norm(W - P @ Q) ** 2 >= err - 1e-9


def test_low_rank_factorised_linear_matches_torch_layers() -> None:
    rng = np.random.default_rng(7)
    W, b, X = rng.standard_normal((16, 8)), rng.standard_normal(16), rng.standard_normal((5, 8))
    A, B = low_rank_factors(W, 8)  # 满秩: 与原层相同
    two = torch.nn.Sequential(torch.nn.Linear(8, 8, bias=False), torch.nn.Linear(8, 16)).double()
    with torch.no_grad():
        two[0].weight.copy_(torch.tensor(B))
        two[1].weight.copy_(torch.tensor(A))
        two[1].bias.copy_(torch.tensor(b))
    np.testing.assert_allclose(two(torch.tensor(X)).detach().numpy(), X @ W.T + b, rtol=1e-10)
    assert low_rank_params(64, 128, 8) == 8 * 192 and low_rank_params(64, 128, 43) > 64 * 128


def test_low_rank_bad_input_names_the_argument() -> None:
    with pytest.raises(ValueError, match="r"):
        low_rank_factors(np.ones((3, 2)), 3)
    with pytest.raises(ValueError, match="n_in"):
        low_rank_params(0, 3, 1)

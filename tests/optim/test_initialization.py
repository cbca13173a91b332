"""Tests for snippets.optim.initialization: torch.nn.init formulas and statistics, symmetry, depth."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from snippets.optim.initialization import (
    chain_singular_values,
    forward_moments,
    gain,
    hidden_unit_spread,
    init_weight,
    kaiming_std,
    orthogonal_weight,
    preactivation_stds,
    xavier_std,
)

FANS = [(300, 400), (64, 64), (1000, 100)]
SEEDS = tuple(range(10))


def _stds(std: float, act: str) -> np.ndarray:
    """std of z per layer for seeds 0..9, shape (10, 20)."""
    return np.array([preactivation_stds(std, act, seed=k) for k in SEEDS])  # type: ignore[arg-type]


@pytest.mark.parametrize("act", ["linear", "sigmoid", "tanh", "relu"])
def test_gain_equals_torch_calculate_gain(act: str) -> None:
    assert gain(act) == pytest.approx(torch.nn.init.calculate_gain(act), rel=1e-15)  # type: ignore[arg-type]


@pytest.mark.parametrize("fan_in, fan_out", FANS)
@pytest.mark.parametrize("g", [1.0, 5 / 3])
def test_xavier_std_matches_torch_xavier_normal_and_uniform(fan_in: int, fan_out: int, g: float) -> None:
    torch.manual_seed(0)
    w = torch.empty(fan_out, fan_in, dtype=torch.float64)  # W 是 (out, in), 与 nn.Linear 相同
    std = xavier_std(fan_in, fan_out, g)
    torch.nn.init.xavier_normal_(w, gain=g)
    assert float(w.std()) == pytest.approx(std, rel=0.02)
    torch.nn.init.xavier_uniform_(w, gain=g)
    bound = math.sqrt(3) * std  # 均匀分布 U(-a, a) 的 std 是 a / sqrt(3)
    assert float(w.abs().max()) <= bound and float(w.abs().max()) > 0.99 * bound
    assert float(w.std()) == pytest.approx(std, rel=0.02)


@pytest.mark.parametrize("fan_in, fan_out", FANS)
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_kaiming_std_matches_torch_kaiming_normal_and_uniform(fan_in: int, fan_out: int, mode: str) -> None:
    torch.manual_seed(0)
    w = torch.empty(fan_out, fan_in, dtype=torch.float64)
    std = kaiming_std(fan_in, fan_out, gain("relu"), mode=mode)
    torch.nn.init.kaiming_normal_(w, mode=mode, nonlinearity="relu")  # type: ignore[arg-type]
    assert float(w.std()) == pytest.approx(std, rel=0.02)
    torch.nn.init.kaiming_uniform_(w, mode=mode, nonlinearity="relu")  # type: ignore[arg-type]
    bound = math.sqrt(3) * std
    assert float(w.abs().max()) <= bound and float(w.abs().max()) > 0.99 * bound
    assert float(w.std()) == pytest.approx(std, rel=0.02)


def test_nn_linear_default_init_is_uniform_with_std_one_over_sqrt_3_fan_in() -> None:
    torch.manual_seed(0)
    w = torch.nn.Linear(500, 400, dtype=torch.float64).weight.detach()
    assert float(w.abs().max()) <= 1 / math.sqrt(500)
    assert float(w.std()) == pytest.approx(1 / math.sqrt(3 * 500), rel=0.02)


def test_init_weight_has_shape_out_in_and_requested_std() -> None:
    rng = np.random.default_rng(0)
    for uniform in (False, True):
        W = init_weight(300, 200, 0.05, rng, uniform=uniform)
        assert W.shape == (200, 300)
        assert W.std() == pytest.approx(0.05, rel=0.02)


@pytest.mark.parametrize("value", [0.0, 0.3])
def test_constant_init_never_breaks_symmetry(value: float) -> None:
    assert hidden_unit_spread(np.full((8, 2), value), np.full(8, value)) == 0.0


@pytest.mark.experiment
def test_random_init_gives_different_hidden_units_on_ten_seeds() -> None:
    spread = []
    for k in SEEDS:
        rng = np.random.default_rng(k)
        spread.append(hidden_unit_spread(rng.standard_normal((8, 2)), 0.5 * rng.standard_normal(8), seed=k))
    assert min(spread) > 1.3  # 页面: 10 个种子上都在 1.33 以上


def test_forward_moments_by_hand_for_one_linear_layer() -> None:
    # 一层、线性激活: E[z^2] 就是 mean((x W^T)^2), a = z
    z2, a2 = forward_moments(0.5, "linear", depth=1, width=3, n=4, seed=0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3))
    W = init_weight(3, 3, 0.5, rng)
    np.testing.assert_allclose(z2, [np.mean((x @ W.T) ** 2)], rtol=1e-12)
    np.testing.assert_allclose(a2, z2, rtol=1e-15)
    np.testing.assert_allclose(preactivation_stds(0.5, "linear", depth=1, width=3, n=4, seed=0), np.sqrt(z2),
                               rtol=1e-15)


@pytest.mark.experiment
def test_he_init_keeps_relu_output_second_moment_1_and_preactivation_second_moment_2() -> None:
    runs = [forward_moments(kaiming_std(128, 128), "relu", seed=k) for k in range(100)]
    z2 = np.array([r[0] for r in runs]).mean(axis=0)  # 100 个种子的平均, (20,)
    a2 = np.array([r[1] for r in runs]).mean(axis=0)
    np.testing.assert_allclose(z2, 2.0, rtol=0.07)  # Var(z) = 2: 第 1 层的输入方差为 1, 不是 ReLU 的输出
    np.testing.assert_allclose(a2, 1.0, rtol=0.06)  # ReLU 之后减半为 1, 下一层又乘回 2
    assert abs(np.sqrt(z2[0]) - np.sqrt(2)) < 0.005  # 第 1 层预激活的标准差是 sqrt(2) = 1.41, 不是 1


@pytest.mark.experiment
def test_he_std_is_sqrt_2_at_layer_1_and_spreads_with_depth_over_ten_seeds() -> None:
    he = _stds(kaiming_std(128, 128), "relu")
    assert np.all(np.abs(he[:, 0] - np.sqrt(2)) < 0.03)
    assert 0.8 < he[:, 19].min() < 0.9 and 2.0 < he[:, 19].max() < 2.2  # 页面: 第 20 层 0.85 到 2.1


@pytest.mark.experiment
def test_xavier_gain_1_halves_relu_variance_per_layer_on_ten_seeds() -> None:
    xav = _stds(xavier_std(128, 128), "relu")
    # Var 每层乘 fan_in * Var(W) / 2 = 1/2: 20 层后 std 约为 2^{-19/2} 倍 (有限宽度带来不到 2 倍的起伏)
    assert np.all(np.abs(np.log2(xav[:, 19] / xav[:, 0]) - (-19 / 2)) < 1)


@pytest.mark.experiment
def test_small_init_vanishes_and_large_init_saturates_tanh_on_ten_seeds() -> None:
    assert _stds(0.01, "tanh")[:, 19].max() < 1e-18  # 第 20 层约 1e-19
    assert _stds(1.0, "tanh").min() > 10  # |z| 大约 10 以上: tanh 几乎全部饱和在 +-1
    tanh_ok = _stds(xavier_std(128, 128, gain("tanh")), "tanh")
    assert np.all((1.0 < tanh_ok[:, 9:]) & (tanh_ok[:, 9:] < 1.2))  # 第 10 层起约 1.1
    assert np.all((1.05 < tanh_ok[:, [9, 19]]) & (tanh_ok[:, [9, 19]] < 1.15))  # 页面打印的第 10、20 层: 1.1


@pytest.mark.parametrize("fan_in, fan_out", FANS)
def test_orthogonal_weight_equals_torch_orthogonal_construction_on_the_same_gaussian(fan_in: int, fan_out: int) -> None:
    W = orthogonal_weight(fan_in, fan_out, np.random.default_rng(3), g=2.0)
    assert W.shape == (fan_out, fan_in)
    # torch.nn.init.orthogonal_ 的步骤: (rows, cols) 的高斯阵, rows < cols 时转置, QR, 乘 sign(diag R), 再转回
    A = torch.from_numpy(np.random.default_rng(3).standard_normal((max(fan_in, fan_out), min(fan_in, fan_out))))
    Q, R = torch.linalg.qr(A)
    Q = Q * torch.sign(torch.diagonal(R))
    ref = 2.0 * (Q.T if fan_out < fan_in else Q)
    np.testing.assert_allclose(W, ref.numpy(), atol=1e-10)
    small = min(fan_in, fan_out)
    gram = W @ W.T if fan_out <= fan_in else W.T @ W
    np.testing.assert_allclose(gram, 4.0 * np.eye(small), atol=1e-10)
    t = torch.nn.init.orthogonal_(torch.empty(fan_out, fan_in, dtype=torch.float64), gain=2.0)
    gram_t = t @ t.T if fan_out <= fan_in else t.T @ t
    np.testing.assert_allclose(gram_t.numpy(), 4.0 * np.eye(small), atol=1e-10)  # torch 的结果有同样的性质


class _TorchDraw:
    """A stand-in for np.random.Generator whose standard_normal returns the Gaussian torch.nn.init.orthogonal_ draws.

    orthogonal_ fills a (rows, cols) = (fan_out, fan_in) matrix from N(0, 1) and transposes it when rows < cols, so
    the matrix it factors is always (max, min): the shape orthogonal_weight asks for.
    """

    def __init__(self, fan_in: int, fan_out: int, seed: int) -> None:
        g = torch.Generator().manual_seed(seed)
        draw = torch.empty(fan_out, fan_in, dtype=torch.float64).normal_(0, 1, generator=g)
        self.A = (draw.T if fan_out < fan_in else draw).numpy()

    def standard_normal(self, shape: tuple[int, int]) -> np.ndarray:
        assert tuple(shape) == self.A.shape, (shape, self.A.shape)
        return self.A.copy()


@pytest.mark.parametrize("fan_in, fan_out", [(300, 400), (64, 64), (1000, 100), (7, 3), (3, 7), (1, 5), (5, 1)])
@pytest.mark.parametrize("seed", [0, 1])
def test_orthogonal_weight_fed_torchs_gaussian_equals_torch_nn_init_orthogonal(fan_in: int, fan_out: int,
                                                                             seed: int) -> None:
    # 同一个生成器状态: torch 的 orthogonal_ 自己抽高斯阵, 我们把它抽到的同一个阵喂给 orthogonal_weight
    theirs = torch.nn.init.orthogonal_(torch.empty(fan_out, fan_in, dtype=torch.float64), gain=2.0,
                                       generator=torch.Generator().manual_seed(seed))
    ours = orthogonal_weight(fan_in, fan_out, _TorchDraw(fan_in, fan_out, seed), g=2.0)  # type: ignore[arg-type]
    assert ours.shape == tuple(theirs.shape) == (fan_out, fan_in)
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=0, atol=1e-12)


@pytest.mark.experiment
def test_orthogonal_chain_is_an_isometry_and_gaussian_chain_spreads_its_singular_values() -> None:
    orth = np.array([chain_singular_values("orthogonal", seed=k) for k in SEEDS])
    np.testing.assert_allclose(orth, 1.0, atol=1e-12)
    gauss = np.array([chain_singular_values("gaussian", seed=k) for k in SEEDS])
    assert gauss.max(axis=1).min() > 5.75  # 页面: 最大奇异值 5.8 到 10
    share = (gauss < 0.1).mean(axis=1)
    assert 0.73 < share.min() and share.max() < 0.78  # 约四分之三的方向被压到 0.1 以下


def test_chain_singular_values_of_one_layer_are_those_of_the_drawn_matrix() -> None:
    W = init_weight(5, 5, 1 / np.sqrt(5), np.random.default_rng(4))
    np.testing.assert_allclose(chain_singular_values("gaussian", depth=1, width=5, seed=4),
                               np.linalg.svd(W, compute_uv=False), rtol=1e-12)


def test_initialization_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="activation"):
        gain("gelu")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fan_in"):
        xavier_std(0, 3)
    with pytest.raises(ValueError, match="mode"):
        kaiming_std(3, 3, mode="avg")
    with pytest.raises(ValueError, match="std"):
        init_weight(3, 3, -1.0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="depth"):
        preactivation_stds(0.1, "relu", depth=0)
    with pytest.raises(ValueError, match="depth"):
        forward_moments(0.1, "relu", depth=0)
    with pytest.raises(ValueError, match="fan_out"):
        orthogonal_weight(3, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="init"):
        chain_singular_values("uniform")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="W1_init"):
        hidden_unit_spread(np.zeros((3, 3)), np.zeros(3))


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: forward_moments(0.1, "gelu"), ValueError, "activation"),  # type: ignore[arg-type]
        (lambda: preactivation_stds(0.1, "Relu"), ValueError, "activation"),  # type: ignore[arg-type]
        (lambda: xavier_std(3, 3, g=0.0), ValueError, "g must be > 0"),
        (lambda: xavier_std(3, 3, g=-1.0), ValueError, "g must be"),
        (lambda: xavier_std(3, 3, g=float("nan")), ValueError, "g must be"),
        (lambda: kaiming_std(3, 3, g=0.0), ValueError, "g must be > 0"),
        (lambda: kaiming_std(3, 3, g=float("inf")), ValueError, "g must be"),
        (lambda: kaiming_std(3, 3, g="relu"), TypeError, "g must be a real number"),  # type: ignore[arg-type]
        (lambda: orthogonal_weight(3, 3, np.random.default_rng(0), g=-2.0), ValueError, "g must be"),
        (lambda: hidden_unit_spread(np.ones((2, 2)), np.ones(2), steps=-3), ValueError, "steps"),
        (lambda: hidden_unit_spread(np.ones((2, 2)), np.ones(2), steps=2.5), ValueError, "steps"),  # type: ignore[arg-type]
        (lambda: hidden_unit_spread(np.ones((2, 2)), np.ones(2), lr=-1.0), ValueError, "lr"),
        (lambda: hidden_unit_spread(np.ones((2, 2)), np.ones(2), lr=0.0), ValueError, "lr must be > 0"),
    ],
    ids=["forward_moments-activation", "preactivation_stds-activation", "xavier-g-zero", "xavier-g-negative",
         "xavier-g-nan", "kaiming-g-zero", "kaiming-g-inf", "kaiming-g-str", "orthogonal-g-negative",
         "spread-steps-negative", "spread-steps-float", "spread-lr-negative", "spread-lr-zero"],
)
def test_initialization_functions_name_the_bad_argument(call, error, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=match):
        call()

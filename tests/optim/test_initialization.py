"""Tests for snippets.optim.initialization: torch.nn.init formulas and statistics, symmetry, depth."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from snippets.optim.initialization import (
    gain,
    hidden_unit_spread,
    init_weight,
    kaiming_std,
    preactivation_stds,
    xavier_std,
)

FANS = [(300, 400), (64, 64), (1000, 100)]


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


def test_random_init_gives_different_hidden_units() -> None:
    rng = np.random.default_rng(1)
    assert hidden_unit_spread(rng.standard_normal((8, 2)), 0.5 * rng.standard_normal(8)) > 0.5


def test_he_keeps_relu_scale_over_20_layers_and_xavier_gain_1_halves_variance_per_layer() -> None:
    n = 128
    he = preactivation_stds(kaiming_std(n, n), "relu")
    xav = preactivation_stds(xavier_std(n, n), "relu")
    assert 0.5 < he.min() and he.max() < 2.0
    # Var 每层乘 fan_in * Var(W) / 2 = 1/2: 20 层后 std 约为 2^{-19/2} 倍 (有限宽度带来几倍的起伏)
    assert abs(np.log2(xav[-1] / xav[0]) - (-19 / 2)) < 2


def test_small_init_vanishes_and_large_init_saturates_tanh() -> None:
    assert preactivation_stds(0.01, "tanh")[-1] < 1e-10
    large = preactivation_stds(1.0, "tanh")
    assert large.min() > 10  # |z| 大约 10 以上: tanh 几乎全部饱和在 +-1
    tanh_ok = preactivation_stds(xavier_std(128, 128, gain("tanh")), "tanh")
    assert 0.8 < tanh_ok[-1] < 1.5


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
    with pytest.raises(ValueError, match="W1_init"):
        hidden_unit_spread(np.zeros((3, 3)), np.zeros(3))

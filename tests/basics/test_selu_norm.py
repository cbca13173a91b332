"""Tests for snippets.basics.selu_norm and the ReLU-family table: PyTorch modules, SELU constants, AlphaDropout."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import integrate

from snippets.basics.activations import SELU_ALPHA, SELU_SCALE, leaky_relu, selu
from snippets.basics.activations_modern import ZOO
from snippets.basics.selu_norm import alpha_dropout, selu_layer_stats

MODULES = [
    (torch.nn.ReLU(), ZOO["relu"][0]),
    (torch.nn.LeakyReLU(), ZOO["leaky_relu"][0]),
    (torch.nn.PReLU(), lambda z: leaky_relu(z, 0.25)),
    (torch.nn.ELU(), ZOO["elu"][0]),
    (torch.nn.SELU(), ZOO["selu"][0]),
    (torch.nn.GELU(), ZOO["gelu"][0]),
    (torch.nn.GELU(approximate="tanh"), ZOO["gelu_tanh"][0]),
    (torch.nn.SiLU(), ZOO["silu"][0]),
    (torch.nn.Mish(), ZOO["mish"][0]),
]


@pytest.mark.parametrize(("module", "ours"), MODULES)
def test_family_matches_torch_modules(module: torch.nn.Module, ours) -> None:
    z = np.concatenate([np.linspace(-8.0, 8.0, 1601), [-30.0, 30.0]])
    with torch.no_grad():
        out = module.double()(torch.from_numpy(z)).numpy()
    np.testing.assert_allclose(ours(z), out, rtol=1e-12, atol=1e-12)


def test_module_defaults_are_the_table_values() -> None:
    assert torch.nn.LeakyReLU().negative_slope == 0.01
    assert torch.nn.PReLU().weight.item() == pytest.approx(0.25)
    assert torch.nn.ELU().alpha == 1.0
    assert torch.nn.GELU().approximate == "none"


def test_selu_constants_are_published_values_and_a_fixed_point() -> None:
    assert SELU_SCALE == pytest.approx(1.0507, abs=5e-5) and SELU_ALPHA == pytest.approx(1.6733, abs=5e-5)
    z = torch.linspace(-3, 3, 7, dtype=torch.float64)
    np.testing.assert_allclose(torch.nn.functional.selu(z).numpy(), selu(z.numpy()), rtol=1e-15)
    pdf = lambda t: np.exp(-t * t / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    mean = integrate.quad(lambda t: float(selu(np.float64(t))) * pdf(t), -40, 40, points=[0.0])[0]
    second = integrate.quad(lambda t: float(selu(np.float64(t))) ** 2 * pdf(t), -40, 40, points=[0.0])[0]
    assert abs(mean) < 1e-6 and abs(second - mean**2 - 1) < 1e-6  # N(0, 1) 输入 -> 均值 0, 方差 1


def test_alpha_dropout_matches_torch_elementwise() -> None:
    torch.manual_seed(0)
    x = torch.randn(4000, dtype=torch.float64)
    p = 0.2
    out = torch.nn.AlphaDropout(p).train()(x).numpy()
    alpha_p = -SELU_SCALE * SELU_ALPHA
    a = ((1 - p) * (1 + p * alpha_p**2)) ** -0.5
    dropped_value = a * alpha_p - a * alpha_p * p
    keep = ~np.isclose(out, dropped_value, rtol=0, atol=1e-12)
    assert 0.7 < keep.mean() < 0.9
    np.testing.assert_allclose(alpha_dropout(x.numpy(), p, keep), out, rtol=1e-12, atol=1e-12)


def test_alpha_dropout_keeps_mean_zero_and_variance_one() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal(1_000_000)
    y = alpha_dropout(x, 0.1, rng.random(x.shape) >= 0.1)
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1) < 0.01


def test_selu_conditions_over_five_seeds() -> None:
    for seed in range(5):
        assert 0.8 < selu_layer_stats("lecun", seed)[1][-1] < 1.2
        assert selu_layer_stats("he", seed)[1][-1] > 20
        assert selu_layer_stats("lecun", seed, p_drop=0.1, dropout="plain")[1][-1] > 1.3


def test_bad_input() -> None:
    x = np.zeros(3)
    with pytest.raises(ValueError, match="p"):
        alpha_dropout(x, 1.0, np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="keep"):
        alpha_dropout(x, 0.5, np.ones(2, dtype=bool))
    with pytest.raises(ValueError, match="keep"):
        alpha_dropout(x, 0.5, np.ones(3))
    with pytest.raises(ValueError, match="init"):
        selu_layer_stats("xavier", 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="dropout"):
        selu_layer_stats("lecun", 0, p_drop=0.1, dropout="gaussian")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed"):
        selu_layer_stats("lecun", -1)

"""Tests for snippets.optim.ema: closed form, bias correction, window, and BatchNorm's running mean."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.optim.ema import effective_window, ema, ema_weights


def test_ema_equals_its_closed_form_weighted_sum() -> None:
    x = np.random.default_rng(0).standard_normal(40)
    beta = 0.8
    s = ema(x, beta)
    for t in (0, 5, 39):
        # s_t = sum_k (1 - beta) beta^k x_{t-k}
        np.testing.assert_allclose(s[t], ema_weights(beta, t + 1) @ x[t::-1], rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.0, 0.999), st.floats(-100, 100))
def test_bias_corrected_ema_of_a_constant_is_that_constant_at_every_step(beta: float, c: float) -> None:
    x = np.full(25, c)
    np.testing.assert_allclose(ema(x, beta, bias_correction=True), x, rtol=1e-9, atol=1e-9)


def test_uncorrected_ema_of_a_constant_is_one_minus_beta_to_the_t_times_it() -> None:
    t = np.arange(1, 11)
    np.testing.assert_allclose(ema(np.ones(10), 0.9), 1 - 0.9**t, rtol=1e-14)


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.99])
def test_weights_sum_to_one_and_mean_age_is_beta_over_one_minus_beta(beta: float) -> None:
    w = ema_weights(beta, 20000)
    np.testing.assert_allclose(w.sum(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(w @ np.arange(20000), beta / (1 - beta), rtol=1e-9)
    np.testing.assert_allclose(effective_window(beta), 1 / (1 - beta), rtol=1e-15)
    # 年龄为 1/(1-beta) 的样本, 权重是最新样本的 beta^{1/(1-beta)}: beta -> 1 时从下方趋于 1/e
    assert 0.25 <= beta ** (1 / (1 - beta)) < np.exp(-1)


def test_batchnorm_running_mean_is_an_ema_with_beta_equal_one_minus_momentum() -> None:
    rng = np.random.default_rng(0)
    batches = rng.standard_normal((15, 32, 3)) + np.array([1.0, -2.0, 5.0])
    bn = torch.nn.BatchNorm1d(3, momentum=0.1, dtype=torch.float64)
    for xb in batches:
        bn(torch.from_numpy(xb))
    expected = ema(batches.mean(axis=1), beta=0.9)[-1]  # 运行均值从 0 开始, 不做偏差修正
    np.testing.assert_allclose(bn.running_mean.numpy(), expected, rtol=1e-12)


def test_ema_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="beta"):
        ema(np.ones(3), 1.0)
    with pytest.raises(TypeError, match="x"):
        ema(np.ones(3, dtype=int), 0.5)
    with pytest.raises(ValueError, match="T"):
        ema_weights(0.5, 0)
    with pytest.raises(ValueError, match="beta"):
        effective_window(-0.1)


def test_uncorrected_adam_step_ratio_is_sqrt10_at_first_peaks_at_step_12_and_is_3_2_at_step_100() -> None:
    # 不修正 / 修正 的 Adam 步长之比 = (1 - beta1^t) / sqrt(1 - beta2^t), 与梯度无关
    g = np.ones(1000)
    ratio = ema(g, 0.9) / np.sqrt(ema(g**2, 0.999))
    t = np.arange(1, 1001)
    np.testing.assert_allclose(ratio, (1 - 0.9**t) / np.sqrt(1 - 0.999**t), rtol=1e-12)
    assert ratio[0] == pytest.approx(np.sqrt(10), rel=1e-12)
    assert int(np.argmax(ratio)) + 1 == 12 and 6.5 < ratio.max() < 6.6
    assert 3.2 < ratio[99] < 3.3 and 1.2 < ratio[999] < 1.3

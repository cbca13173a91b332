"""Tests for snippets.losses.regression_losses: PyTorch modules in float64, Huber = beta * Smooth L1, gradients."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

from snippets.losses.regression_losses import grad_wrt_residual, huber, mae, mse, smooth_l1


def _pair(seed: int = 0, shape: tuple[int, ...] = (12,)) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return 3 * rng.standard_normal(shape), rng.standard_normal(shape)


@pytest.mark.parametrize("shape", [(12,), (4, 3)])
@pytest.mark.parametrize("delta", [0.1, 0.5, 1.0, 2.0])
def test_match_torch_modules_float64(shape: tuple[int, ...], delta: float) -> None:
    y_hat, y = _pair(1, shape)
    a, b = torch.from_numpy(y_hat), torch.from_numpy(y)
    np.testing.assert_allclose(mse(y_hat, y), nn.MSELoss()(a, b).item(), rtol=1e-12)
    np.testing.assert_allclose(mae(y_hat, y), nn.L1Loss()(a, b).item(), rtol=1e-12)
    np.testing.assert_allclose(huber(y_hat, y, delta), nn.HuberLoss(delta=delta)(a, b).item(), rtol=1e-12)
    np.testing.assert_allclose(smooth_l1(y_hat, y, delta), nn.SmoothL1Loss(beta=delta)(a, b).item(), rtol=1e-12)
    # Smooth L1 with beta is Huber with delta = beta, divided by beta
    np.testing.assert_allclose(smooth_l1(y_hat, y, delta), huber(y_hat, y, delta) / delta, rtol=1e-12)


def test_hand_cases() -> None:
    y_hat, y = np.array([0.5, 3.0]), np.zeros(2)
    assert mse(y_hat, y) == pytest.approx((0.25 + 9.0) / 2)
    assert mae(y_hat, y) == pytest.approx(1.75)
    assert huber(y_hat, y, 1.0) == pytest.approx((0.125 + 2.5) / 2)  # 0.5 * 0.25 and 1 * (3 - 0.5)
    assert smooth_l1(y_hat, y, 2.0) == pytest.approx((0.0625 + 2.0) / 2)  # 0.25 / 4 and 3 - 1


@pytest.mark.parametrize("loss, module", [("mse", nn.MSELoss(reduction="sum")), ("mae", nn.L1Loss(reduction="sum")),
                                          ("huber", nn.HuberLoss(reduction="sum", delta=0.7)),
                                          ("smooth_l1", nn.SmoothL1Loss(reduction="sum", beta=0.7))])
def test_grad_wrt_residual_matches_autograd(loss: str, module: nn.Module) -> None:
    r = np.array([-2.5, -0.7 - 1e-3, -0.3, 0.2, 0.69, 1.4, 3.0])  # avoids the kinks, where one-sided slopes differ
    t = torch.tensor(r, requires_grad=True)
    module(t, torch.zeros_like(t)).backward()
    np.testing.assert_allclose(grad_wrt_residual(r, loss, 0.7), t.grad.numpy(), rtol=1e-12, atol=1e-15)  # type: ignore[arg-type]


def test_mae_gradient_at_zero_is_zero_like_torch() -> None:
    t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    nn.L1Loss()(t, torch.zeros(1, dtype=torch.float64)).backward()
    assert grad_wrt_residual(np.zeros(1), "mae")[0] == t.grad.item() == 0.0


def test_robustness_ordering_on_an_outlier() -> None:
    # fitting a constant c: MSE -> mean, MAE -> median, Huber in between and close to the median
    data = np.array([1.0, 2.0, 4.0, 8.0, 100.0])
    cs = np.linspace(0.0, 30.0, 3001)
    best = {name: cs[np.argmin([f(np.full(5, c), data) for c in cs])]
            for name, f in (("mse", mse), ("mae", mae), ("huber", huber))}
    assert best["mse"] == pytest.approx(data.mean(), abs=5e-3)
    assert best["mae"] == pytest.approx(np.median(data), abs=5e-3)
    assert np.median(data) <= best["huber"] < data.mean() / 3


def test_bad_inputs_name_the_argument() -> None:
    y_hat, y = _pair()
    with pytest.raises(ValueError, match=r"^y\b"):
        mse(y_hat, y[:3])
    with pytest.raises(TypeError, match=r"^y_hat\b"):
        mae(np.arange(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"^delta\b"):
        huber(y_hat, y, 0.0)
    with pytest.raises(ValueError, match=r"^beta\b"):
        smooth_l1(y_hat, y, -1.0)
    with pytest.raises(ValueError, match=r"^loss\b"):
        grad_wrt_residual(y, "log_cosh")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^r\b"):
        grad_wrt_residual(np.array([np.nan]), "mse")

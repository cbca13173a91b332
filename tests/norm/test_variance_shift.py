"""snippets.norm.variance_shift: the closed form against nn.Dropout -> nn.BatchNorm1d runs, hand cases."""

from __future__ import annotations

import math

import pytest

from snippets.norm.variance_shift import eval_std_after_bn, simulate_eval_std


def test_hand_cases() -> None:
    assert eval_std_after_bn(0.0, 3.0, 2.0) == pytest.approx(1.0, rel=1e-12)  # 没有 dropout: 没有偏移
    assert eval_std_after_bn(0.5, 0.0, 1.0) == pytest.approx(1 / math.sqrt(2), rel=1e-12)  # 零均值: sqrt(1 - p)
    # mu = 1, sigma = 1, p = 0.5: Var_train = 2 / 0.5 - 1 = 3
    assert eval_std_after_bn(0.5, 1.0, 1.0) == pytest.approx(1 / math.sqrt(3), rel=1e-12)


@pytest.mark.experiment
@pytest.mark.parametrize("p", [0.1, 0.5])
@pytest.mark.parametrize("mu", [0.0, 1.0])
def test_torch_dropout_then_batchnorm_matches_the_closed_form_for_every_seed(p: float, mu: float) -> None:
    expected = eval_std_after_bn(p, mu, 1.0)
    for seed in range(5):
        assert abs(simulate_eval_std(p, mu, 1.0, seed) - expected) < 0.03


def test_bad_inputs_raise_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="p must"):
        eval_std_after_bn(1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="sigma"):
        eval_std_after_bn(0.5, 0.0, 0.0)
    with pytest.raises(ValueError, match="mu"):
        eval_std_after_bn(0.5, float("nan"), 1.0)
    with pytest.raises(ValueError, match="seed"):
        simulate_eval_std(0.5, 0.0, 1.0, -1)

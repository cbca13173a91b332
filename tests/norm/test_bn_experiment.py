"""snippets.norm.bn_experiment: the BN vs no-BN learning-rate sweep and its pieces."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.norm.bn_experiment import Run, bn_lr_sweep, digits_split, make_mlp, train_digits


def test_digits_split_is_standardized_with_training_statistics() -> None:
    X_tr, y_tr, X_va, y_va = digits_split()
    assert X_tr.shape == (1297, 64) and X_va.shape == (500, 64) and len(y_tr) + len(y_va) == 1797
    np.testing.assert_allclose(X_tr.mean(0).numpy(), 0.0, atol=1e-5)


def test_mlp_with_bn_has_no_linear_bias_and_one_bn_per_hidden_layer() -> None:
    with_bn, without = make_mlp(True), make_mlp(False)
    assert sum(isinstance(m, torch.nn.BatchNorm1d) for m in with_bn) == 4
    assert all(m.bias is None for m in with_bn if isinstance(m, torch.nn.Linear) and m.out_features == 64)
    assert not any(isinstance(m, torch.nn.BatchNorm1d) for m in without)
    assert with_bn(torch.zeros(2, 64)).shape == (2, 10)


@pytest.fixture(scope="module")
def sweep() -> dict[tuple[bool, float], list[Run]]:
    return bn_lr_sweep()


@pytest.mark.experiment
def test_bn_reaches_low_training_loss_over_a_wide_range_of_learning_rates(
    sweep: dict[tuple[bool, float], list[Run]],
) -> None:
    for lr in (0.1, 0.3, 1.0):
        assert max(r.train_loss[-1] for r in sweep[True, lr]) < 0.5
    assert min(r.train_loss[-1] for (bn, _), runs in sweep.items() if not bn for r in runs) > 0.6


@pytest.mark.experiment
def test_bn_beats_no_bn_for_every_seed_at_every_learning_rate(sweep: dict[tuple[bool, float], list[Run]]) -> None:
    lrs = sorted({lr for _, lr in sweep})
    for lr in lrs:
        for with_bn, without in zip(sweep[True, lr], sweep[False, lr], strict=True):
            assert with_bn.train_loss[-1] < without.train_loss[-1]


def test_bad_inputs_raise_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="lr"):
        train_digits(True, 0.0, 0)
    with pytest.raises(ValueError, match="seed"):
        train_digits(True, 0.1, -1)
    with pytest.raises(ValueError, match="epochs"):
        train_digits(True, 0.1, 0, epochs=0)
    with pytest.raises(ValueError, match="seed"):
        digits_split(-2)


def test_make_mlp_rejects_bad_inputs_naming_the_argument() -> None:
    with pytest.raises(TypeError, match="bn"):
        make_mlp(1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="width"):
        make_mlp(True, width=0)
    with pytest.raises(ValueError, match="depth"):
        make_mlp(False, depth=0)

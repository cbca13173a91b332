"""Tests for snippets.nets.degradation: the nets' depth, and what the runs show over 5 seeds."""

from __future__ import annotations

import numpy as np
import pytest
import torch.nn as nn

from snippets.nets.degradation import (
    degradation_experiment,
    digits,
    grad_norm_runs,
    grad_norms,
    make_net,
    train_error,
)


@pytest.mark.parametrize("depth", [2, 4, 22])
def test_depth_counts_weighted_layers(depth: int) -> None:
    for res in (False, True):
        assert sum(isinstance(m, nn.Linear) for m in make_net(depth, res).modules()) == depth


def test_digits_is_the_bundled_set() -> None:
    X, y = digits()
    assert tuple(X.shape) == (1797, 64) and float(X.max()) == 1.0 and int(y.max()) == 9


@pytest.mark.experiment
def test_deep_plain_net_trains_worse_than_residual_over_five_seeds() -> None:
    runs = degradation_experiment()
    plain, res = runs[("plain", 22)], runs[("residual", 22)]
    assert np.all(plain > res)  # 每个种子
    assert np.median(plain) > 0.2 and np.median(res) < 0.05  # 页面与图注里的量级
    assert np.median(runs[("plain", 4)]) < 0.02 and np.median(runs[("plain", 10)]) < 0.15
    assert np.median(runs[("plain", 22)]) > np.median(runs[("plain", 10)]) > np.median(runs[("plain", 4)])


@pytest.mark.experiment
def test_plain_gradients_grow_toward_the_input_much_more_than_residual() -> None:
    runs = grad_norm_runs(22)
    for p, r in zip(runs["plain"], runs["residual"], strict=True):
        assert p[0] / p[-2] > 20 and r[0] / r[-2] < 15  # 第 1 层与最后一个隐藏层之比
    assert runs["plain"].shape == (5, 22)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="depth"):
        make_net(5, True)
    with pytest.raises(ValueError, match="depth"):
        make_net(0, True)
    with pytest.raises(ValueError, match="lr"):
        train_error(4, True, 0, lr=-1.0)
    with pytest.raises(ValueError, match="seed"):
        grad_norms(4, True, -1)
    with pytest.raises(ValueError, match="seeds"):
        grad_norm_runs(22, ())
    with pytest.raises(ValueError, match="depths"):
        degradation_experiment(depths=())

"""snippets.norm.bn_why: the noisy BN layer, and a tiny version of the per-step BN vs no-BN run."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.norm.bn_why import NoisyBatchNorm1d, bn_step_runs, make_net, step_losses


def test_noisy_bn_is_plain_bn_in_eval_and_shifts_the_distribution_in_training() -> None:
    torch.manual_seed(0)
    x = torch.randn(256, 8) * 3 + 1
    noisy, plain = NoisyBatchNorm1d(8), torch.nn.BatchNorm1d(8)
    y_plain = plain(x)
    y_noisy = noisy(x)  # 训练模式: BN 之后的均值与方差每步都被随机改变
    torch.testing.assert_close(noisy.running_mean, plain.running_mean)  # 运行统计量照常更新
    assert (y_noisy.mean(dim=0) - y_plain.mean(dim=0)).abs().max() > 0.2
    assert ((y_noisy.std(dim=0) / y_plain.std(dim=0)) - 1).abs().max() > 0.2
    noisy.eval()
    plain.eval()
    torch.testing.assert_close(noisy(x), plain(x))  # 推理时没有噪声


def test_nets_have_the_stated_layers() -> None:
    kinds = {k: [type(m).__name__ for m in make_net(k)] for k in ("plain", "bn", "bn+noise")}
    assert kinds["plain"].count("BatchNorm1d") == 0 and kinds["bn"].count("BatchNorm1d") == 4
    assert kinds["bn+noise"].count("NoisyBatchNorm1d") == 4
    assert all(m.bias is None for m in make_net("bn") if isinstance(m, torch.nn.Linear) and m.out_features == 64)


@pytest.mark.experiment
def test_tiny_run_bn_trains_at_a_large_lr_where_plain_does_not() -> None:
    for seed in (0, 1):
        bn, plain = step_losses("bn", 2.0, seed, steps=60), step_losses("plain", 2.0, seed, steps=60)
        assert bn[-10:].mean() < 0.6
        assert not np.isfinite(plain[-1]) or plain[-10:].mean() > 1.5


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="kind"):
        make_net("ln")
    with pytest.raises(ValueError, match="lr"):
        step_losses("bn", 0.0, 0)
    with pytest.raises(ValueError, match="steps"):
        step_losses("bn", 0.1, 0, steps=0)
    with pytest.raises(ValueError, match="seed"):
        bn_step_runs(seeds=(-1,), steps=1)

"""Tests for snippets.optim.layer_speed: the backward pass against autograd, the step-size choice, and
what the runs show over ten seeds (the page quotes these ranges)."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import torch

from snippets.optim.layer_speed import (
    LayerSpeed,
    first_below,
    layer_speed,
    loss_and_grads,
    settle_step,
    stable_run,
)

SEEDS = tuple(range(10))
GRID = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
STABLE_LR = {("sigmoid", False): 0.5, ("relu", False): 0.05, ("sigmoid", True): 0.02, ("relu", True): 1.0}


@functools.cache
def _stable(act: str, norm: bool) -> tuple[float, LayerSpeed, dict[float, int]]:
    return stable_run(act, norm, GRID, SEEDS)  # type: ignore[arg-type]


def _torch_loss(Ws: list[torch.Tensor], X: torch.Tensor, y: torch.Tensor, act: str, norm: bool) -> torch.Tensor:
    a = X
    for W in Ws[:-1]:
        z = a @ W.transpose(-1, -2)
        if norm:
            z = (z - z.mean(1, keepdim=True)) / torch.sqrt(z.var(1, unbiased=False, keepdim=True) + 1e-5)
        a = torch.sigmoid(z) if act == "sigmoid" else torch.relu(z)
    logit = (a @ Ws[-1].transpose(-1, -2))[..., 0]
    return torch.nn.functional.binary_cross_entropy_with_logits(logit, y, reduction="none").mean(1)


@pytest.mark.parametrize("act", ["sigmoid", "relu"])
@pytest.mark.parametrize("norm", [False, True])
def test_loss_and_grads_match_torch_autograd_for_three_networks_at_once(act: str, norm: bool) -> None:
    rng = np.random.default_rng(0)
    S = 3
    shapes = [(S, 6, 5), (S, 7, 6), (S, 4, 7), (S, 1, 4)]
    Ws = [rng.standard_normal(s) for s in shapes]
    X, y = rng.standard_normal((S, 20, 5)), rng.integers(0, 2, (S, 20)).astype(float)
    loss, grads = loss_and_grads(Ws, X, y, act, norm)  # type: ignore[arg-type]
    Wt = [torch.tensor(W, requires_grad=True) for W in Ws]
    lt = _torch_loss(Wt, torch.from_numpy(X), torch.from_numpy(y), act, norm)
    lt.sum().backward()  # 各网络的损失相加: 每个网络的梯度互不干扰
    np.testing.assert_allclose(loss, lt.detach().numpy(), rtol=1e-12)
    for g, W in zip(grads, Wt, strict=True):
        np.testing.assert_allclose(g, W.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_batched_run_equals_the_runs_of_single_seeds() -> None:
    both = layer_speed("relu", True, 0.5, (3, 7), steps=20)
    for i, s in enumerate((3, 7)):
        one = layer_speed("relu", True, 0.5, (s,), steps=20)
        np.testing.assert_allclose(both.rel_change[i], one.rel_change[0], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(both.loss[i], one.loss[0], rtol=1e-10)


def test_first_rise_marks_the_step_at_which_a_loss_went_up_and_stop_at_rise_cuts_the_run() -> None:
    full = layer_speed("relu", False, 0.5, (0, 1), steps=30)
    assert full.first_rise is not None and full.loss.shape == (2, 31)
    t = full.first_rise
    assert np.all(np.diff(full.loss[:, :t], axis=1) <= 1e-9)
    assert np.any(full.loss[:, t] > full.loss[:, t - 1] + 1e-9)
    cut = layer_speed("relu", False, 0.5, (0, 1), steps=30, stop_at_rise=True)
    assert cut.first_rise == t and cut.loss.shape == (2, t + 1) and cut.rel_change.shape == (2, t + 1, 6)
    np.testing.assert_allclose(cut.loss, full.loss[:, :t + 1], rtol=1e-12)


@pytest.mark.experiment
@pytest.mark.parametrize("variant", list(STABLE_LR))
def test_each_variant_gets_the_largest_grid_lr_whose_loss_never_rises_on_ten_seeds(variant: tuple[str, bool]) -> None:
    lr, run, rejected = _stable(*variant)
    assert GRID.index(lr) == GRID.index(STABLE_LR[variant])  # 比较网格中的下标, 不直接比较浮点数
    assert run.first_rise is None and run.loss.shape == (10, 201)
    assert np.all(np.diff(run.loss, axis=1) < -1e-7)  # 每步至少降 1e-7: 离 1e-9 的舍入容差很远
    assert sorted(rejected) == [g for g in GRID if g > lr]  # 更大的每一个步长都在 200 步内让某个种子的损失回升


@pytest.mark.experiment
def test_sigmoid_net_lower_layers_move_tens_to_hundreds_of_times_less_at_the_first_step() -> None:
    _, run, _ = _stable("sigmoid", False)
    ratio = run.rel_change[:, 1, 4] / run.rel_change[:, 1, 0]
    assert 26 < ratio.min() < 26.2 and 953 < ratio.max() < 955 and 338 < np.median(ratio) < 340
    # |grad W(l+1)| / |grad W(l)|, l = 1..4, 第一步, 10 个种子合在一起: 1.1 到 14 倍, 中位数约 4.3
    shrink = run.grad_norm[:, 0, 1:5] / run.grad_norm[:, 0, :4]
    assert 1.1 < shrink.min() < 1.2 and 13.5 < shrink.max() < 13.6 and 4.2 < np.median(shrink) < 4.4
    # 200 步后仍在 log 2 的平台上, 第 10 步以后每层的梯度范数都 < 1e-3
    assert np.all(np.abs(run.loss[:, -1] - np.log(2)) < 3e-4)
    assert run.grad_norm[:, 10:].max() < 1e-3
    assert run.rel_change[:, -1, :5].max() < 0.05  # 隐藏层 200 步只动了不到 5%


@pytest.mark.experiment
@pytest.mark.parametrize("variant", [("relu", False), ("sigmoid", True), ("relu", True)])
def test_with_relu_he_or_normalization_hidden_layers_move_within_a_factor_of_about_two(
        variant: tuple[str, bool]) -> None:
    _, run, _ = _stable(*variant)
    hidden = run.rel_change[:, -1, :5]
    spread = hidden.max(axis=1) / hidden.min(axis=1)
    assert spread.max() < 2.1
    assert np.all(run.rel_change[:, -1, 5] > hidden.max(axis=1))  # 输出层 (1, 32) 的相对变化最大
    first = run.rel_change[:, 1, 4] / run.rel_change[:, 1, 0]
    assert first.max() < 11  # 第一步的差距最多一个数量级 (sigmoid 无归一化时到 954 倍)


@pytest.mark.experiment
def test_only_the_normalized_relu_net_settles_within_200_steps_and_it_settles_bottom_up() -> None:
    t90 = settle_step(_stable("relu", True)[1].rel_change)
    assert np.all(t90[:, :3].max(axis=1) < t90[:, 3:].min(axis=1))  # 10 个种子都是前三层先走完 90%
    np.testing.assert_allclose(np.median(t90, axis=0), [36.5, 38, 45.5, 60, 82, 105])
    for variant in (("relu", False), ("sigmoid", True)):  # 这两种到第 200 步每层都还在动
        assert settle_step(_stable(*variant)[1].rel_change).min() > 110


@pytest.mark.experiment
def test_relu_without_norm_settles_bottom_up_when_run_for_1000_steps() -> None:
    run = layer_speed("relu", False, 0.05, SEEDS, steps=1000)
    t90 = settle_step(run.rel_change)
    assert np.all(t90[:, :3].max(axis=1) < t90[:, 3:].min(axis=1))
    # 同一步长跑到 1000 步不再处处单调: 一个种子在第 591 步左右回升了不到 1e-5
    assert run.first_rise is not None and 550 < run.first_rise < 650
    rises = np.diff(run.loss, axis=1)
    assert rises.max() < 1e-5 and np.sum(np.any(rises > 1e-9, axis=1)) == 1  # 只有一个种子回升过


@pytest.mark.experiment
def test_sigmoid_plateau_ends_between_steps_1100_and_2300() -> None:
    run = layer_speed("sigmoid", False, 0.5, SEEDS, steps=2300)
    leave = first_below(run.loss, 0.6)
    assert np.all(leave > 0)  # 10 个种子都离开了平台
    # 页面写 "约 1200 到 2300 步之间, 中位数约 1800": 四舍五入到百位
    assert [round(float(v), -2) for v in (leave.min(), leave.max(), np.median(leave))] == [1200, 2300, 1800]
    # 离开平台后, 这个在前 200 步单调的步长让损失开始回升 ("第 1600 多步起")
    assert run.first_rise is not None and 1600 < run.first_rise < 1700


def test_settle_step_by_hand() -> None:
    rel = np.array([[0.0, 0.0], [0.5, 0.95], [0.95, 1.0], [1.0, 1.0]])
    np.testing.assert_array_equal(settle_step(rel, 0.9), [2, 1])
    np.testing.assert_array_equal(settle_step(np.stack([rel, rel[:, ::-1]]), 0.9), [[2, 1], [1, 2]])


def test_first_below_by_hand() -> None:
    loss = np.array([[0.7, 0.65, 0.55, 0.5], [0.7, 0.7, 0.7, 0.7]])
    np.testing.assert_array_equal(first_below(loss, 0.6), [2, -1])


def test_layer_speed_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="act"):
        layer_speed("tanh", False, 0.1, (0,))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lr"):
        layer_speed("relu", False, -0.1, (0,))
    with pytest.raises(ValueError, match="seeds"):
        layer_speed("relu", False, 0.1, ())
    with pytest.raises(ValueError, match="depth"):
        layer_speed("relu", False, 0.1, (0,), depth=1)
    with pytest.raises(ValueError, match="Ws"):
        loss_and_grads([np.zeros((1, 3, 2))], np.zeros((1, 4, 2)), np.zeros((1, 4)), "relu", False)
    with pytest.raises(ValueError, match="Ws"):
        loss_and_grads([np.zeros((1, 3, 2)), np.zeros((1, 1, 4))], np.zeros((1, 4, 2)), np.zeros((1, 4)), "relu",
                       False)
    with pytest.raises(ValueError, match="y must"):
        loss_and_grads([np.zeros((1, 3, 2)), np.zeros((1, 1, 3))], np.zeros((1, 4, 2)), np.zeros((1, 5)), "relu",
                       False)
    with pytest.raises(ValueError, match="grid"):
        stable_run("relu", False, (2.0,), (0,), steps=5)
    with pytest.raises(ValueError, match="rel_change"):
        settle_step(np.zeros(5))
    with pytest.raises(ValueError, match="frac"):
        settle_step(np.zeros((3, 2)), frac=1.5)
    with pytest.raises(ValueError, match="loss"):
        first_below(np.zeros(3), 0.5)
    with pytest.raises(ValueError, match="level"):
        first_below(np.zeros((2, 3)), -1.0)

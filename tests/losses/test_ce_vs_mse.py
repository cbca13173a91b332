"""Tests for snippets.losses.ce_vs_mse: gradients vs autograd, floating-point safety, the experiment."""

from __future__ import annotations

import inspect
import math
from pathlib import Path

import numpy as np
import pytest
import torch

import snippets.losses
from snippets.losses.ce_vs_mse import (
    CONFIGS,
    bce_grad_wrt_logit,
    ce_vs_mse_experiment,
    first_step_reaching,
    make_blobs,
    mse_grad_wrt_logit,
    sigmoid,
    train_logistic,
)
from snippets.losses.seeds import summarize_seeds

Z = np.concatenate([np.linspace(-12.0, 12.0, 49), [-1e3, 1e3]])


def test_sigmoid_and_grads_raise_no_floating_point_error_for_moderate_logits() -> None:
    # all="raise": 任何上溢、下溢、除零、无效运算都会抛 FloatingPointError; |z| <= 30 时一个也不该有
    z = np.linspace(-30.0, 30.0, 601)
    with np.errstate(all="raise"):
        s = sigmoid(z)
        grads = [bce_grad_wrt_logit(z, y) for y in (0.0, 1.0)] + [mse_grad_wrt_logit(z, y) for y in (0.0, 1.0)]
    np.testing.assert_allclose(s, torch.sigmoid(torch.from_numpy(z)).numpy(), rtol=1e-15, atol=0)
    assert all(np.all(np.isfinite(g)) for g in grads)


@pytest.mark.parametrize("z", [710.0, 745.0, 1000.0])
def test_sigmoid_and_grads_do_not_overflow_at_huge_logits(z: float) -> None:
    # e^{710} 已超出 float64; 只对非正数求 exp 的 sigmoid 不会上溢, 也不产生下溢 (errstate 下不抛错).
    # 这里有意精确比较 (==): 页面说的正是 "恰为 0 / 恰为 1", 容差 (哪怕 atol=1e-300) 区分不了 0 和次正规数 4.5e-309
    zz = np.array([-z, z])
    with np.errstate(all="raise"):
        s = sigmoid(zz)
        ce = bce_grad_wrt_logit(zz, np.array([1.0, 0.0]))
        mse = mse_grad_wrt_logit(zz, np.array([1.0, 0.0]))
    assert s[1] == 1.0  # 正的一侧: 1 就是离真值最近的浮点数
    # 负的一侧: 真值 sigma(-z) ~ e^{-z} 不为 0 (z = 710, 745 时是次正规数), sigmoid 按设计在次正规区返回 0
    assert s[0] == 0.0
    if z < 746:
        assert 0.0 < math.exp(-z) < np.finfo(np.float64).tiny
    # torch.sigmoid 在这些点上给出同样的 0 和 1
    t = torch.sigmoid(torch.from_numpy(zz)).numpy()
    assert t[0] == 0.0 and t[1] == 1.0
    np.testing.assert_allclose(ce, [-1.0, 1.0], rtol=0, atol=1e-15)  # 判错到极点: CE 的梯度是满的 1
    np.testing.assert_allclose(mse, [0.0, 0.0], rtol=0, atol=1e-300)  # MSE 的梯度是 0 (s 或 1 - s 恰为 0)


def test_sigmoid_returns_zero_only_below_the_smallest_normal() -> None:
    # docstring 的约定: sigma(x) 是正规数处误差约一个 ulp; 真值落到次正规区才返回 0
    tiny = np.finfo(np.float64).tiny
    x = np.array([-700.0, -708.0])
    np.testing.assert_allclose(sigmoid(x), np.exp(x), rtol=1e-15, atol=0)
    assert np.all(np.exp(x) > tiny)
    assert sigmoid(np.array([-709.0]))[0] == 0.0  # e^{-709} ~ 1.2e-308 < tiny: 有意精确比较, 见上


def test_no_function_of_the_chapter_silences_floating_point_errors() -> None:
    # 页面声称这些函数不靠 np.errstate / np.seterr 把上溢、除零藏起来; sigmoid 来自 basics 章, 也算在内
    sources = {p.name: p.read_text() for p in Path(snippets.losses.__file__).parent.glob("*.py")}
    sources["sigmoid"] = inspect.getsource(sigmoid)
    offenders = [name for name, src in sources.items() if "errstate" in src or "seterr" in src]
    assert offenders == []


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_grads_wrt_logit_match_torch_autograd(y: float) -> None:
    zt = torch.from_numpy(Z[:-2]).requires_grad_(True)
    s = torch.sigmoid(zt)
    (0.5 * (s - y) ** 2).sum().backward()
    assert zt.grad is not None
    np.testing.assert_allclose(mse_grad_wrt_logit(Z[:-2], y), zt.grad.numpy(), rtol=1e-12, atol=1e-18)
    zt.grad = None
    target = torch.full_like(zt, y)
    torch.nn.functional.binary_cross_entropy_with_logits(zt, target, reduction="sum").backward()
    np.testing.assert_allclose(bce_grad_wrt_logit(Z[:-2], y), zt.grad.numpy(), rtol=1e-12, atol=1e-18)


def test_grads_at_zero_logit_by_hand() -> None:
    # s = 1/2: CE 梯度 s - y = -1/2; MSE 再乘 s (1 - s) = 1/4, 得 -1/8
    assert bce_grad_wrt_logit(0.0, 1.0) == pytest.approx(-0.5, abs=1e-16)
    assert mse_grad_wrt_logit(0.0, 1.0) == pytest.approx(-0.125, abs=1e-16)


def test_mse_gradient_vanishes_when_confidently_wrong_while_ce_does_not() -> None:
    # 目标 y = 1, 预测 z = -10 (sigmoid ~ 4.5e-5): 错得离谱, MSE 的梯度却几乎为 0
    assert abs(mse_grad_wrt_logit(-10.0, 1.0)) < 5e-5
    assert abs(bce_grad_wrt_logit(-10.0, 1.0)) > 0.9999


@pytest.mark.parametrize("loss", ["ce", "mse"])
def test_one_training_step_matches_torch_gradient_descent(loss: str) -> None:
    X, y = make_blobs(20, np.random.default_rng(5))
    w0, b0, lr = np.array([0.3, -0.2]), 0.1, 0.5
    h = train_logistic(X, y, loss, lr, 1, w0, b0)
    wt = torch.tensor(w0, requires_grad=True)
    bt = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
    s = torch.sigmoid(torch.from_numpy(X) @ wt + bt)
    yt = torch.from_numpy(y).double()
    L = -(yt * torch.log(s) + (1 - yt) * torch.log(1 - s)) if loss == "ce" else 0.5 * (s - yt) ** 2
    L.mean().backward()
    assert wt.grad is not None and bt.grad is not None
    np.testing.assert_allclose(h.w, w0 - lr * wt.grad.numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(h.b, b0 - lr * bt.grad.item(), rtol=1e-12, atol=1e-15)


def test_history_records_bce_objective_and_accuracy_after_every_step() -> None:
    X, y = make_blobs(30, np.random.default_rng(0))
    for loss in ("ce", "mse"):
        h = train_logistic(X, y, loss, 1.0, 7, np.zeros(2), 0.0)
        assert h.loss.shape == h.objective.shape == h.accuracy.shape == (7,) and h.w.shape == (2,)
        z = X @ h.w + h.b
        s = sigmoid(z)
        bce = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
        mse = np.mean(0.5 * (s - y) ** 2)
        np.testing.assert_allclose(h.loss[-1], bce, rtol=1e-12, atol=0)
        np.testing.assert_allclose(h.objective[-1], bce if loss == "ce" else mse, rtol=1e-12, atol=0)
        assert round(h.accuracy[-1] * 30) == int(np.sum((z > 0) == (y == 1)))


def test_make_blobs_is_balanced_and_deterministic() -> None:
    X, y = make_blobs(201, np.random.default_rng(0))
    assert X.shape == (201, 2) and y.shape == (201,)
    assert (y == 0).sum() == 100 and (y == 1).sum() == 101
    X2, _ = make_blobs(201, np.random.default_rng(0))
    np.testing.assert_array_equal(X, X2)  # 有意精确比较: 同一种子必须逐位复现同一份数据


@pytest.fixture(scope="module")
def experiment_runs() -> dict:
    return ce_vs_mse_experiment()  # 页面上的实验: 11 个种子, 5 组 (loss, lr), 1000 步


@pytest.mark.experiment
def test_at_a_shared_lr_ce_needs_a_few_steps_and_mse_hundreds_on_every_seed(experiment_runs: dict) -> None:
    ce = [first_step_reaching(h.accuracy, 0.9) for h in experiment_runs[("ce", 2.0)]]
    mse = [first_step_reaching(h.accuracy, 0.9) for h in experiment_runs[("mse", 2.0)]]
    assert len(ce) == len(mse) == 11
    assert max(ce) <= 5  # 实测每个种子都是第 3 步
    assert min(mse) >= 300 and max(mse) <= 1000  # 实测 373-854, 中位数 544
    # 初始时类 1 几乎全被判错: 第 1 步后准确率仍约 0.5 以下, BCE 约 10
    assert all(h.accuracy[0] <= 0.55 and h.loss[0] > 8.0 for h in experiment_runs[("mse", 2.0)])


@pytest.mark.experiment
def test_a_larger_lr_closes_most_of_the_mse_gap_but_ce_stays_faster(experiment_runs: dict) -> None:
    med = {c: summarize_seeds([first_step_reaching(h.accuracy, 0.9) for h in runs]).median
           for c, runs in experiment_runs.items()}
    # 平台长度约与 1/lr 成正比 (实测中位数 544 -> 142 -> 40)
    assert med[("mse", 2.0)] / med[("mse", 8.0)] >= 3.2 and med[("mse", 8.0)] / med[("mse", 32.0)] >= 3.2
    assert med[("mse", 8.0)] <= 200 and med[("mse", 32.0)] <= 60
    assert (med[("mse", 32.0)] - med[("ce", 2.0)]) < 0.15 * (med[("mse", 2.0)] - med[("ce", 2.0)])
    assert med[("ce", 32.0)] < med[("mse", 32.0)] and med[("ce", 2.0)] < med[("mse", 2.0)]


@pytest.mark.experiment
def test_every_run_is_stable_and_ends_above_95_percent(experiment_runs: dict) -> None:
    assert set(experiment_runs) == set(CONFIGS)
    for runs in experiment_runs.values():
        for h in runs:
            assert np.all(np.diff(h.objective) <= 1e-12)  # 目标逐步下降: 步长在稳定范围内, 没有振荡
            assert h.accuracy[-1] >= 0.95


def test_first_step_reaching_counts_from_one_and_reports_never() -> None:
    acc = np.array([0.1, 0.5, 0.92, 0.85, 0.95])
    assert first_step_reaching(acc, 0.9) == 3
    assert first_step_reaching(acc, 0.1) == 1
    assert first_step_reaching(acc, 0.99) == 6  # 从未达到: steps + 1


@pytest.mark.parametrize(
    "fn, args, error, match",
    [
        pytest.param(sigmoid, (np.array([1, 2]),), TypeError, "x must be a floating array, got int64", id="sigmoid"),
        pytest.param(
            mse_grad_wrt_logit, (np.array([0.0]), np.array([2.0])), ValueError, r"y must be a numeric target",
            id="mse_grad_wrt_logit",
        ),
        pytest.param(bce_grad_wrt_logit, (np.array([np.inf]), 1.0), ValueError, "z must be finite", id="bce_grad"),
        pytest.param(bce_grad_wrt_logit, (np.array([0.0, np.nan]), 1.0), ValueError, "z must be finite", id="bce_nan"),
        pytest.param(
            mse_grad_wrt_logit, (np.zeros(3), np.zeros(2)), ValueError, "y must be broadcastable", id="mse_shape"
        ),
        pytest.param(
            train_logistic, (np.zeros((4, 2)), np.array([0, 1, 0]), "ce", 1.0, 5, np.zeros(2), 0.0),
            ValueError, r"y must have shape \(N,\)", id="train_shape",
        ),
        pytest.param(
            train_logistic, (np.zeros((4, 2)), np.array([0, 1, 0, 1]), "mse", -1.0, 5, np.zeros(2), 0.0),
            ValueError, "lr must be a positive number", id="train_logistic",
        ),
        pytest.param(make_blobs, (1, np.random.default_rng(0)), ValueError, "n must be an int >= 2", id="make_blobs"),
        pytest.param(
            ce_vs_mse_experiment, ((("ce", 2.0),), (0,), 200, 0), ValueError, "steps must be an int >= 1",
            id="ce_vs_mse_experiment",
        ),
        pytest.param(
            ce_vs_mse_experiment, ((("hinge", 2.0),),), ValueError, "configs must be", id="experiment_configs"
        ),
        pytest.param(
            ce_vs_mse_experiment, (CONFIGS, ()), ValueError, "seeds must be a non-empty", id="experiment_seeds"
        ),
        pytest.param(
            first_step_reaching, (np.zeros((2, 2)), 0.9), ValueError, "accuracy must have shape", id="first_step"
        ),
        pytest.param(
            first_step_reaching, (np.zeros(3), 1.5), ValueError, r"level must lie in \(0, 1\]", id="first_level"
        ),
    ],
)
def test_bad_input_raises_with_argument_name(fn, args, error, match) -> None:
    with pytest.raises(error, match=match):
        fn(*args)


def test_train_logistic_rejects_unknown_loss_name() -> None:
    with pytest.raises(ValueError, match="loss must be 'ce' or 'mse'"):
        train_logistic(np.zeros((4, 2)), np.array([0, 1, 0, 1]), "hinge", 0.1, 5, np.zeros(2), 0.0)


def test_mse_to_ce_gradient_ratio_is_s_times_1_minus_s_at_most_a_quarter() -> None:
    z = np.linspace(-30.0, 30.0, 2001)
    for y in (0.0, 1.0):
        ce, mse = bce_grad_wrt_logit(z, y), mse_grad_wrt_logit(z, y)
        s = sigmoid(z)
        np.testing.assert_allclose(mse, ce * s * (1 - s), rtol=1e-12, atol=0)
        keep = ce != 0
        assert np.all(mse[keep] / ce[keep] <= 0.25 + 1e-15)
    ratio_at_zero = mse_grad_wrt_logit(np.array([0.0]), 1.0)[0] / bce_grad_wrt_logit(np.array([0.0]), 1.0)[0]
    np.testing.assert_allclose(ratio_at_zero, 0.25, rtol=1e-15, atol=0)


def test_sigmoid_mse_is_concave_in_the_logit_exactly_where_z_is_below_minus_ln2() -> None:
    # d^2/dz^2 0.5 (s - 1)^2 = -s (1 - s)^2 (1 - 3 s): negative for s < 1/3, i.e. z < -ln 2
    z = torch.linspace(-10, 10, 2001, dtype=torch.float64)
    second = torch.func.vmap(torch.func.grad(torch.func.grad(lambda t: 0.5 * (torch.sigmoid(t) - 1) ** 2)))(z)
    s = torch.sigmoid(z)
    torch.testing.assert_close(second, -s * (1 - s) ** 2 * (1 - 3 * s), rtol=1e-10, atol=1e-14)
    away = (z + np.log(2)).abs() > 1e-3
    assert torch.equal((second < 0)[away], (z < -np.log(2))[away])
    # 在 z = 0 处 MSE 的曲率是 1/16, 交叉熵的 s (1 - s) 是 1/4: 不饱和时 MSE 能承受约 4 倍的学习率
    zero = torch.zeros((), dtype=torch.float64)
    for target in (0.0, 1.0):
        mse2 = torch.func.grad(torch.func.grad(lambda t, y=target: 0.5 * (torch.sigmoid(t) - y) ** 2))(zero)
        ce2 = torch.func.grad(torch.func.grad(
            lambda t, y=target: torch.nn.functional.binary_cross_entropy_with_logits(t, torch.tensor(y).double())
        ))(zero)
        torch.testing.assert_close(mse2, torch.tensor(1 / 16, dtype=torch.float64), rtol=1e-14, atol=0)
        torch.testing.assert_close(ce2, torch.tensor(1 / 4, dtype=torch.float64), rtol=1e-14, atol=0)

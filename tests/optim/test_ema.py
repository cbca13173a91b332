"""Tests for snippets.optim.ema: closed form, bias correction, window, and BatchNorm's running mean."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.optim.ema import (
    effective_window,
    ema,
    ema_weights,
    initial_weight,
    mean_teacher_decay,
    weight_ema,
    yolov5_decay,
)


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


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.99])
def test_ema_impulse_response_gives_the_page_numbers_for_the_window(beta: float) -> None:
    # 把一个单位脉冲喂给 ema: 第 k 步之后它在 s_t 里的权重就是 ema 自己给年龄 k 的权重;
    # 页面的两个说法都由 ema 的输出来检查 (递推写错时这里会失败, 不只是 beta 的算术)
    n = int(round(effective_window(beta)))
    T = 40 * n
    x = np.zeros(T)
    x[0] = 1.0
    w = ema(x, beta)  # w[k] = x_1 在 s_{k+1} 中的权重 = (1 - beta) beta^k
    np.testing.assert_allclose(w, ema_weights(beta, T), rtol=1e-12)
    # 年龄为 1/(1-beta) 的观测, 权重是最新观测的 beta^{1/(1-beta)}: 在 [1/4, 1/e) 内, beta -> 1 时趋于 1/e
    assert 0.25 <= w[n] / w[0] < np.exp(-1)
    # 最近 1/(1-beta) 步占全部权重的 63% 到 75% (beta -> 1 时趋于 1 - 1/e)
    assert 1 - np.exp(-1) <= w[:n].sum() / w.sum() <= 0.75


def test_batchnorm_running_mean_is_an_ema_with_beta_equal_one_minus_momentum() -> None:
    rng = np.random.default_rng(0)
    batches = rng.standard_normal((15, 32, 3)) + np.array([1.0, -2.0, 5.0])
    bn = torch.nn.BatchNorm1d(3, momentum=0.1, dtype=torch.float64)
    for xb in batches:
        bn(torch.from_numpy(xb))
    expected = ema(batches.mean(axis=1), beta=0.9)[-1]  # 运行均值从 0 开始, 不做偏差修正
    np.testing.assert_allclose(bn.running_mean.numpy(), expected, rtol=1e-12)


def _averaged_model_run(thetas: np.ndarray, avg_fn=None, multi_avg_fn=None) -> np.ndarray:  # type: ignore[no-untyped-def]
    """torch.optim.swa_utils.AveragedModel fed theta_0..theta_T; its parameter after each update."""
    model = torch.nn.Linear(thetas.shape[1], 1, bias=False, dtype=torch.float64)
    avg = torch.optim.swa_utils.AveragedModel(model, avg_fn=avg_fn, multi_avg_fn=multi_avg_fn)
    out = []
    for th in thetas:
        with torch.no_grad():
            model.weight.copy_(torch.from_numpy(th)[None])
        avg.update_parameters(model)  # 第一次调用直接复制参数 (s_0 = theta_0), 之后按 avg_fn 平均
        out.append(avg.module.weight.detach().numpy()[0].copy())
    return np.array(out)


def test_weight_ema_with_constant_decay_matches_torch_averaged_model() -> None:
    thetas = np.random.default_rng(0).standard_normal((30, 4))
    theirs = _averaged_model_run(thetas, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.9))
    np.testing.assert_allclose(weight_ema(thetas, np.full(29, 0.9)), theirs, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["yolov5", "mean_teacher"])
def test_warmed_up_weight_ema_matches_torch_averaged_model_with_the_same_decay(name: str) -> None:
    # AveragedModel 把已平均的次数 n 传给 avg_fn; 第 t 次平均时 n = t, 正好是两种预热公式里的 t
    decay_of = {"yolov5": lambda t: yolov5_decay(t, 0.999, t0=5.0),
                "mean_teacher": lambda t: mean_teacher_decay(t, 0.9)}[name]

    def avg_fn(s: torch.Tensor, p: torch.Tensor, n: torch.Tensor) -> torch.Tensor:
        d = decay_of(int(n))
        return d * s + (1 - d) * p

    thetas = np.random.default_rng(1).standard_normal((40, 3))
    ours = weight_ema(thetas, np.array([decay_of(t) for t in range(1, 40)]))
    np.testing.assert_allclose(ours, _averaged_model_run(thetas, avg_fn=avg_fn), rtol=1e-12, atol=1e-14)


def test_mean_teacher_warm_up_is_the_plain_average_of_all_weights_so_far() -> None:
    # d_t = 1 - 1/(t + 1) 时 s_t = (theta_0 + ... + theta_t) / (t + 1); alpha = 0.95 在 t + 1 = 20 之后才接管
    thetas = np.random.default_rng(2).standard_normal((60, 5))
    s = weight_ema(thetas, np.array([mean_teacher_decay(t, 0.95) for t in range(1, 60)]))
    running_mean = np.cumsum(thetas, axis=0) / np.arange(1, 61)[:, None]
    np.testing.assert_allclose(s[:20], running_mean[:20], rtol=1e-12, atol=1e-14)
    assert np.abs(s[40:] - running_mean[40:]).max() > 1e-2  # 之后是 alpha = 0.95 的 EMA, 不再是全程平均


def test_yolov5_decay_by_hand_and_the_weight_left_on_the_initial_weights() -> None:
    np.testing.assert_allclose(yolov5_decay(2000), 0.9999 * (1 - np.exp(-1)), rtol=1e-14)
    np.testing.assert_allclose(yolov5_decay(1), 0.9999 * (1 - np.exp(-1 / 2000)), rtol=1e-14)
    assert yolov5_decay(10_000) < yolov5_decay(20_000) < 0.9999
    # initial_weight 就是 theta_0 在 s_t 里的系数: 把 theta_0 = 1, 其余为 0 喂给 weight_ema 得到同一个数
    d = np.array([yolov5_decay(t, 0.99, t0=3.0) for t in range(1, 21)])
    impulse = np.zeros(21)
    impulse[0] = 1.0
    np.testing.assert_allclose(weight_ema(impulse, d)[1:], initial_weight(d), rtol=1e-12)
    np.testing.assert_allclose(initial_weight(np.full(5, 0.9999)), 0.9999 ** np.arange(1, 6), rtol=1e-14)


def test_constant_decay_leaves_more_than_half_the_weight_on_the_initial_weights_for_6931_steps() -> None:
    # beta^t > 1/2 <=> t < ln 2 / (-ln beta) = 6931.1 (beta = 0.9999): 页面上的 6931 步
    w = initial_weight(np.full(10_000, 0.9999))
    assert int(np.sum(w > 0.5)) == 6931 and w[6930] > 0.5 > w[6931]  # 下标 t - 1
    assert 0.36 < w[-1] < 0.38  # 1 万步时仍约 37%


def test_mean_teacher_code_with_its_own_teacher_init_averages_s0_and_the_student_updates() -> None:
    # 作者代码 (CuriousAI/mean-teacher, pytorch/main.py) 的做法: 教师网络单独初始化; 每次优化器 step 后
    # global_step += 1, 再 update_ema_variables: alpha = min(1 - 1/(global_step + 1), alpha),
    # ema = alpha * ema + (1 - alpha) * param
    torch.manual_seed(0)
    student = torch.nn.Linear(4, 1, bias=False, dtype=torch.float64)
    teacher = torch.nn.Linear(4, 1, bias=False, dtype=torch.float64)  # 单独初始化, 不是学生的拷贝
    s0 = teacher.weight.detach().numpy()[0].copy()
    theta0 = student.weight.detach().numpy()[0].copy()
    assert np.abs(s0 - theta0).max() > 1e-3
    thetas = np.random.default_rng(5).standard_normal((30, 4))  # 学生第 1..30 次更新后的权重
    alpha, teacher_path = 0.95, []
    for global_step, th in enumerate(thetas, start=1):
        with torch.no_grad():
            student.weight.copy_(torch.from_numpy(th)[None])
            a = min(1 - 1 / (global_step + 1), alpha)
            for ema_param, param in zip(teacher.parameters(), student.parameters(), strict=True):
                ema_param.mul_(a).add_(param, alpha=1 - a)
        teacher_path.append(teacher.weight.detach().numpy()[0].copy())
    ours = weight_ema(np.vstack([s0, thetas]), np.array([mean_teacher_decay(t, alpha) for t in range(1, 31)]))
    np.testing.assert_allclose(ours[1:], np.array(teacher_path), rtol=1e-12, atol=1e-14)
    # 预热阶段 (t/(t+1) <= alpha, 即 t <= 19): s_t = (s_0 + theta_1 + ... + theta_t) / (t + 1), theta_0 不在其中
    plain = (s0 + np.cumsum(thetas, axis=0)) / np.arange(2, 32)[:, None]
    np.testing.assert_allclose(ours[1:20], plain[:19], rtol=1e-12, atol=1e-14)
    with_theta0 = (theta0 + np.cumsum(thetas, axis=0)) / np.arange(2, 32)[:, None]
    # 教师不是学生 theta_0 的拷贝时, s_t 不是 theta_0..theta_t 的平均
    assert np.abs(ours[1:20] - with_theta0[:19]).max() > 1e-3


def test_warmup_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="t must"):
        yolov5_decay(0)
    with pytest.raises(ValueError, match="t0"):
        yolov5_decay(5, t0=0.0)
    with pytest.raises(ValueError, match="alpha"):
        mean_teacher_decay(5, alpha=1.0)
    with pytest.raises(ValueError, match="decays"):
        weight_ema(np.zeros((4, 2)), np.full(4, 0.5))
    with pytest.raises(ValueError, match="decays"):
        initial_weight(np.array([0.5, 1.0]))


def test_ema_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="beta"):
        ema(np.ones(3), 1.0)
    with pytest.raises(TypeError, match="x"):
        ema(np.ones(3, dtype=int), 0.5)
    with pytest.raises(ValueError, match="T"):
        ema_weights(0.5, 0)
    with pytest.raises(ValueError, match="T"):
        ema_weights(0.5, True)  # bool 不是步数
    # NumPy 整数 (如 np.arange 的元素) 与 int 一样可用
    np.testing.assert_allclose(ema_weights(0.5, np.int64(3)), ema_weights(0.5, 3), rtol=1e-15)
    with pytest.raises(ValueError, match="beta"):
        effective_window(-0.1)


@pytest.mark.experiment
def test_uncorrected_adam_step_ratio_is_sqrt10_at_first_peaks_at_step_12_and_is_3_2_at_step_100() -> None:
    # 不修正 / 修正 的 Adam 步长之比 = (1 - beta1^t) / sqrt(1 - beta2^t), 与梯度无关
    g = np.ones(1000)
    ratio = ema(g, 0.9) / np.sqrt(ema(g**2, 0.999))
    t = np.arange(1, 1001)
    np.testing.assert_allclose(ratio, (1 - 0.9**t) / np.sqrt(1 - 0.999**t), rtol=1e-12)
    assert ratio[0] == pytest.approx(np.sqrt(10), rel=1e-12)
    assert int(np.argmax(ratio)) + 1 == 12 and 6.5 < ratio.max() < 6.6
    assert 3.2 < ratio[99] < 3.3 and 1.2 < ratio[999] < 1.3

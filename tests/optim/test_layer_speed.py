"""Tests for snippets.optim.layer_speed: the backward pass against autograd, and what the runs show."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import torch

from snippets.optim.layer_speed import layer_speed, loss_and_grads, settle_step

SEEDS = (0, 1, 2, 3)
_run = functools.cache(layer_speed)  # 同一组 (变体, 种子) 在几个测试间只跑一次


def _torch_loss(Ws: list[torch.Tensor], X: torch.Tensor, y: torch.Tensor, act: str, norm: bool) -> torch.Tensor:
    a = X
    for W in Ws[:-1]:
        z = a @ W.T
        if norm:
            z = (z - z.mean(0)) / torch.sqrt(z.var(0, unbiased=False) + 1e-5)
        a = torch.sigmoid(z) if act == "sigmoid" else torch.relu(z)
    return torch.nn.functional.binary_cross_entropy_with_logits((a @ Ws[-1].T)[:, 0], y)


@pytest.mark.parametrize("act", ["sigmoid", "relu"])
@pytest.mark.parametrize("norm", [False, True])
def test_loss_and_grads_match_torch_autograd(act: str, norm: bool) -> None:
    rng = np.random.default_rng(0)
    shapes = [(6, 5), (7, 6), (4, 7), (1, 4)]
    Ws = [rng.standard_normal(s) for s in shapes]
    X, y = rng.standard_normal((20, 5)), rng.integers(0, 2, 20).astype(float)
    loss, grads = loss_and_grads(Ws, X, y, act, norm)  # type: ignore[arg-type]
    Wt = [torch.tensor(W, requires_grad=True) for W in Ws]
    lt = _torch_loss(Wt, torch.from_numpy(X), torch.from_numpy(y), act, norm)
    lt.backward()
    assert loss == pytest.approx(lt.item(), rel=1e-12)
    for g, W in zip(grads, Wt, strict=True):
        np.testing.assert_allclose(g, W.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_sigmoid_net_first_layer_moves_orders_of_magnitude_slower_at_the_start() -> None:
    run = _run("sigmoid", False)
    first, last_hidden = run.rel_change[1, 0], run.rel_change[1, 4]
    assert last_hidden / first > 100
    assert run.grad_norm[0, 4] / run.grad_norm[0, 0] > 100
    assert run.loss[-1] > 0.69  # 200 步后仍停在 log 2 附近的平台上
    assert run.grad_norm[10:].max() < 1e-3  # 平台上每层的梯度都只有 1e-4 量级


def test_relu_he_and_normalized_nets_move_hidden_layers_at_similar_relative_speeds() -> None:
    for act, norm in (("relu", False), ("relu", True), ("sigmoid", True)):
        run = _run(act, norm)
        hidden = run.rel_change[-1, :5]
        assert hidden.max() / hidden.min() < 3
        assert run.loss[-1] < 0.2
        assert run.rel_change[-1, 5] > hidden.max()  # 输出层 (1, 32) 的相对变化最大


def test_layer_speed_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="act"):
        layer_speed("tanh", False)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Ws"):
        loss_and_grads([np.zeros((3, 2))], np.zeros((4, 2)), np.zeros(4), "relu", False)
    with pytest.raises(ValueError, match="y must"):
        loss_and_grads([np.zeros((3, 2)), np.zeros((1, 3))], np.zeros((4, 2)), np.zeros(5), "relu", False)


def test_settle_step_by_hand() -> None:
    rel = np.array([[0.0, 0.0], [0.5, 0.95], [0.95, 1.0], [1.0, 1.0]])
    np.testing.assert_array_equal(settle_step(rel, 0.9), [2, 1])


def test_relu_nets_settle_bottom_up() -> None:
    for norm in (False, True):
        settle = settle_step(_run("relu", norm).rel_change)
        assert settle[:3].max() < settle[3:].min(), settle  # 靠近输入的三层先走完 90% 的位移


def test_settle_step_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="rel_change"):
        settle_step(np.zeros(5))
    with pytest.raises(ValueError, match="frac"):
        settle_step(np.zeros((3, 2)), frac=1.5)


@pytest.mark.parametrize("seed", SEEDS)
def test_qualitative_findings_hold_for_each_of_four_seeds(seed: int) -> None:
    sig = _run("sigmoid", False, seed=seed)
    assert sig.rel_change[1, 4] / sig.rel_change[1, 0] > 10  # 第一步第 5 层比第 1 层动得多
    assert sig.loss[-1] > 0.69 and sig.grad_norm[10:].max() < 1e-3  # 停在 log 2 的平台上
    for act, norm in (("relu", False), ("relu", True), ("sigmoid", True)):
        run = _run(act, norm, seed=seed)
        hidden = run.rel_change[-1, :5]
        assert run.loss[-1] < 0.2 and hidden.max() / hidden.min() < 3
        assert run.rel_change[-1, 5] > hidden.max()
    assert np.argmax(_run("sigmoid", True, seed=seed).rel_change[-1, :5]) == 0  # 加归一化的 sigmoid: 第 1 层变得最多
    settle = settle_step(_run("relu", True, seed=seed).rel_change)
    assert settle[:3].max() < settle[3:].min(), settle


def test_ranges_over_four_seeds_quoted_on_the_page() -> None:
    sig = [_run("sigmoid", False, seed=s) for s in SEEDS]
    first_step = [r.rel_change[1, 4] / r.rel_change[1, 0] for r in sig]
    assert 20 < min(first_step) < 22 and 290 < max(first_step) < 300  # 第 5 层 / 第 1 层: 21 到 294 倍
    # 梯度每往下传一层缩小的倍数 |grad W_{l+1}| / |grad W_l| (l = 1..4, 第一步)
    shrink = np.array([r.grad_norm[0, 1:5] / r.grad_norm[0, :4] for r in sig])
    assert 3.7 < shrink[0].min() and shrink[0].max() < 4.9  # 种子 0: 3.7 到 4.9 倍
    assert 1.2 < shrink.min() < 1.3 and shrink.max() < 4.9  # 4 个种子: 1.3 到 4.9 倍
    relu = [_run("relu", False, seed=s) for s in SEEDS]
    spread = [r.grad_norm[0].max() / r.grad_norm[0].min() for r in relu]  # 6 层梯度范数的最大/最小
    assert spread[0] < 4.1 and 3.9 < min(spread) and max(spread) < 7.5
    hidden0 = relu[0].rel_change[-1, :5]
    assert 0.196 < hidden0.min() < 0.197 and 0.269 < hidden0.max() < 0.27


def test_relu_without_norm_does_not_settle_bottom_up_for_seed_2() -> None:
    orders = {s: settle_step(_run("relu", False, seed=s).rel_change) for s in SEEDS}
    for s in (0, 1, 3):
        assert orders[s][:3].max() < orders[s][3:].min(), orders[s]
    np.testing.assert_array_equal(orders[2], [44, 2, 2, 2, 2, 2])  # 第 2 到 6 层在前两步就走完了

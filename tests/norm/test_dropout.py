"""snippets.norm.dropout: statistics against F.dropout / nn.Dropout2d, backward against autograd, the ensemble view."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.losses.softmax import softmax
from snippets.norm.dropout import channel_dropout, drop_path, dropconnect_linear, dropout, dropout_backward


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_statistics_match_torch(p: float) -> None:
    X = np.ones((200, 500))
    Y, keep = dropout(X, p, np.random.default_rng(0))
    torch.manual_seed(0)
    Yt = F.dropout(torch.from_numpy(X), p=p, training=True).numpy()
    for out in (Y, Yt):
        assert abs(np.mean(out == 0) - p) < 0.01  # 1e5 个独立伯努利: 标准差 < 0.0016
        np.testing.assert_allclose(np.unique(out[out != 0]), [1 / (1 - p)], rtol=1e-12)
        assert abs(out.mean() - 1.0) < 0.02  # E[Y] = X
    assert np.array_equal(keep, Y != 0)


def test_evaluation_mode_is_the_identity_like_torch() -> None:
    X = np.random.default_rng(1).standard_normal((4, 5))
    Y, keep = dropout(X, 0.5, np.random.default_rng(0), training=False)
    assert Y is X and keep.all()
    np.testing.assert_array_equal(F.dropout(torch.from_numpy(X), 0.5, training=False).numpy(), X)


def test_backward_matches_torch_autograd_with_torchs_own_mask() -> None:
    p = 0.3
    X = np.random.default_rng(2).uniform(1.0, 2.0, (6, 7))  # 非零, 所以 Y != 0 就是保留掩码
    dY = np.random.default_rng(3).standard_normal((6, 7))
    torch.manual_seed(1)
    Xt = torch.from_numpy(X).requires_grad_()
    Yt = F.dropout(Xt, p=p, training=True)
    Yt.backward(torch.from_numpy(dY))
    keep = Yt.detach().numpy() != 0
    np.testing.assert_allclose(X * keep / (1 - p), Yt.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(dropout_backward(dY, keep, p), Xt.grad.numpy(), rtol=1e-12)


def test_channel_dropout_zeroes_whole_channels_like_dropout2d() -> None:
    X = np.ones((50, 40, 3, 3))
    Y = channel_dropout(X, 0.25, np.random.default_rng(0))
    torch.manual_seed(0)
    Yt = torch.nn.Dropout2d(0.25).train()(torch.from_numpy(X)).numpy()
    for out in (Y, Yt):
        per_channel = out.reshape(50, 40, 9)
        assert np.all(per_channel.min(axis=2) == per_channel.max(axis=2))  # 整个通道同时保留或丢弃
        assert abs(np.mean(per_channel[:, :, 0] == 0) - 0.25) < 0.03


def test_drop_path_drops_whole_samples_and_keeps_the_mean() -> None:
    X = np.ones((20000, 3, 2))
    Y = drop_path(X, 0.2, np.random.default_rng(0))
    flat = Y.reshape(20000, -1)
    assert np.all(flat.min(axis=1) == flat.max(axis=1))
    assert abs(Y.mean() - 1.0) < 0.02


def test_dropconnect_mean_equals_the_plain_linear_layer() -> None:
    rng = np.random.default_rng(4)
    x, W = rng.standard_normal((1, 5)), rng.standard_normal((3, 5))
    samples = dropconnect_linear(np.repeat(x, 40000, axis=0), W, 0.5, rng)
    np.testing.assert_allclose(samples.mean(axis=0), (x @ W.T)[0], atol=0.05)


def test_single_softmax_layer_eval_output_is_the_normalized_geometric_mean_over_all_masks() -> None:
    # 对一层 softmax, 推理时的输出恰好等于 2^n 个子网络预测的 (按掩码概率加权) 几何平均再归一化
    rng = np.random.default_rng(5)
    n, K, p = 8, 4, 0.3
    x, W, b = rng.standard_normal(n), rng.standard_normal((K, n)), rng.standard_normal(K)
    log_mean = np.zeros(K)
    for mask in itertools.product([0, 1], repeat=n):
        m = np.array(mask, dtype=float)
        prob = np.prod(np.where(m == 1, 1 - p, p))
        log_mean += prob * np.log(softmax(W @ (x * m / (1 - p)) + b))
    geo = np.exp(log_mean) / np.exp(log_mean).sum()
    np.testing.assert_allclose(geo, softmax(W @ x + b), rtol=1e-10)


def test_dropped_units_weights_change_anyway_under_momentum() -> None:
    # 本步被丢弃的单元, 入边权重的梯度为 0; 纯 SGD 下不变, 带动量的 SGD 仍按上一步的速度移动
    torch.manual_seed(0)
    lin = torch.nn.Linear(4, 6)
    x = torch.randn(1, 4)
    for momentum in (0.0, 0.9):
        layer = torch.nn.Linear(4, 6)
        layer.load_state_dict(lin.state_dict())
        opt = torch.optim.SGD(layer.parameters(), lr=0.1, momentum=momentum)
        layer(x).sum().backward()  # 第一步: 所有单元都在
        opt.step()
        opt.zero_grad()
        keep = torch.tensor([1.0, 0, 1, 0, 1, 1])
        before = layer.weight.detach().clone()
        (layer(x) * keep).sum().backward()  # 第二步: 单元 1 和 3 被丢弃
        assert torch.all(layer.weight.grad[1] == 0) and torch.all(layer.weight.grad[3] == 0)
        opt.step()
        moved = not torch.allclose(layer.weight[1], before[1])
        assert moved == (momentum > 0)


def test_bad_inputs_raise_naming_the_argument() -> None:
    rng = np.random.default_rng(0)
    X = np.ones((2, 3))
    with pytest.raises(ValueError, match="p must"):
        dropout(X, 1.0, rng)
    with pytest.raises(TypeError, match="rng"):
        dropout(X, 0.5, 0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="X"):
        dropout(np.ones((2, 3), dtype=int), 0.5, rng)
    with pytest.raises(ValueError, match="keep"):
        dropout_backward(X, np.ones((2, 2), dtype=bool), 0.5)
    with pytest.raises(ValueError, match="X"):
        channel_dropout(X, 0.5, rng)
    with pytest.raises(ValueError, match="p must"):
        drop_path(np.ones((2, 3, 4)), -0.1, rng)
    with pytest.raises(ValueError, match="features"):
        dropconnect_linear(X, np.ones((4, 2)), 0.5, rng)

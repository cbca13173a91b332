"""snippets.norm.mixup: hand cases of mixed images and labels, the loss identity against CrossEntropyLoss."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.norm.mixup import (
    cutmix,
    cutmix_box,
    mixed_cross_entropy,
    mixup,
    mixup_batch_torch,
    sample_lambda,
    soft_targets,
)


def test_mixup_hand_case() -> None:
    X = np.array([[0.0, 10.0], [4.0, 2.0]])
    y = np.array([1, 0])
    Xm, y_a, y_b = mixup(X, y, 0.75, np.array([1, 0]))
    np.testing.assert_allclose(Xm, [[1.0, 8.0], [3.0, 4.0]], rtol=1e-12)  # 0.75 x_0 + 0.25 x_1; 0.75 x_1 + 0.25 x_0
    np.testing.assert_allclose(soft_targets(y_a, y_b, 0.75, 3), [[0.25, 0.75, 0], [0.75, 0.25, 0]], rtol=1e-12)


def test_cutmix_hand_case_labels_follow_the_pasted_area() -> None:
    X = np.stack([np.zeros((1, 4, 4)), np.ones((1, 4, 4))])  # 图 0 全 0, 图 1 全 1
    y = np.array([3, 7])
    out, y_a, y_b, lam = cutmix(X, y, (1, 3, 0, 3), np.array([1, 0]))  # 2 x 3 的框: 6 / 16
    assert out[0].sum() == 6.0 and out[1].sum() == 10.0
    assert math.isclose(lam, 1 - 6 / 16, rel_tol=1e-12)
    q = soft_targets(y_a, y_b, lam, 10)
    assert math.isclose(q[0, 3], 10 / 16) and math.isclose(q[0, 7], 6 / 16)  # 面积比例
    # 每张混合图中来自另一张图的像素占比恰好是 1 - lam
    assert math.isclose(out[0].mean(), 1 - lam, rel_tol=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 12), st.integers(2, 12), st.floats(0.0, 1.0), st.integers(0, 10_000))
def test_cutmix_lambda_correction_matches_the_pixel_share(H: int, W: int, lam0: float, seed: int) -> None:
    box = cutmix_box(H, W, lam0, np.random.default_rng(seed))
    X = np.stack([np.zeros((1, H, W)), np.ones((1, H, W))])
    out, _, _, lam = cutmix(X, np.array([0, 1]), box, np.array([1, 0]))
    assert math.isclose(out[0].mean(), 1 - lam, abs_tol=1e-12)  # 修正后的 lam 等于真实面积比
    assert lam >= lam0 - 1e-12  # 取整和裁剪只会让框变小, lam 变大


@pytest.mark.parametrize("lam", [0.0, 0.3, 0.5, 0.9, 1.0])
def test_mixed_loss_equals_cross_entropy_with_probability_targets(lam: float) -> None:
    rng = np.random.default_rng(0)
    z = rng.standard_normal((6, 5)) * 3
    y_a, y_b = rng.integers(0, 5, 6), rng.integers(0, 5, 6)
    q = soft_targets(y_a, y_b, lam, 5)
    ref = torch.nn.CrossEntropyLoss()(torch.from_numpy(z), torch.from_numpy(q)).item()  # 概率目标
    assert math.isclose(mixed_cross_entropy(z, y_a, y_b, lam), ref, rel_tol=1e-12)
    ce = torch.nn.functional.cross_entropy
    za, ta, tb = torch.from_numpy(z), torch.from_numpy(y_a), torch.from_numpy(y_b)
    split = lam * ce(za, ta) + (1 - lam) * ce(za, tb)
    assert math.isclose(split.item(), ref, rel_tol=1e-12)


def test_sample_lambda_moments_of_beta() -> None:
    rng = np.random.default_rng(1)
    for alpha in (0.2, 1.0, 4.0):
        lam = np.array([sample_lambda(alpha, rng) for _ in range(20000)])
        var = 1 / (4 * (2 * alpha + 1))  # Beta(a, a) 的方差
        assert abs(lam.mean() - 0.5) < 5 * math.sqrt(var / 20000)
        assert abs(lam.var() - var) < 0.1 * var


def test_torch_mixup_batch_targets_are_distributions_and_consistent() -> None:
    torch.manual_seed(0)
    x = torch.eye(4, dtype=torch.float64)  # 第 i 个样本是 e_i, 混合后能读出 lam 和 perm
    y = torch.tensor([0, 1, 2, 3])
    xm, q = mixup_batch_torch(x, y, 1.0, 4)
    torch.testing.assert_close(q.sum(dim=1), torch.ones(4, dtype=torch.float64))
    torch.testing.assert_close(xm, q)  # 标签混合与输入混合用同一个 lam 和 perm


def test_bad_inputs_name_the_argument() -> None:
    X, y, rng = np.ones((2, 1, 4, 4)), np.array([0, 1]), np.random.default_rng(0)
    with pytest.raises(ValueError, match="lam"):
        mixup(X, y, 1.5, np.array([1, 0]))
    with pytest.raises(ValueError, match="perm"):
        mixup(X, y, 0.5, np.array([0, 0]))
    with pytest.raises(TypeError, match="y"):
        mixup(X, y.astype(float), 0.5, np.array([1, 0]))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="box"):
        cutmix(X, y, (0, 5, 0, 2), np.array([1, 0]))
    with pytest.raises(ValueError, match="H"):
        cutmix_box(0, 4, 0.5, rng)
    with pytest.raises(TypeError, match="rng"):
        cutmix_box(4, 4, 0.5, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alpha"):
        sample_lambda(0.0, rng)
    with pytest.raises(ValueError, match="y_b"):
        mixed_cross_entropy(np.zeros((2, 3)), y, np.array([0, 3]), 0.5)
    with pytest.raises(ValueError, match="K"):
        soft_targets(y, y, 0.5, 1)
    with pytest.raises(ValueError, match="alpha"):
        mixup_batch_torch(torch.ones(2, 3), torch.tensor([0, 1]), -1.0, 3)
    with pytest.raises(TypeError, match="x"):
        mixup_batch_torch(torch.ones(2, 3, dtype=torch.long), torch.tensor([0, 1]), 1.0, 3)

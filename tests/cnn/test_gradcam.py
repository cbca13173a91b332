"""Tests for snippets.cnn.gradcam: hooked gradients vs finite differences, Grad-CAM vs CAM, occlusion."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

from snippets.cnn.gradcam import (
    TARGET_LAYER,
    cam,
    digits_split,
    grad_cam,
    gradcam_occlusion_runs,
    occlusion_map,
    pearson,
    small_cnn,
    train_digits_cnn,
    upsample,
)


def _image(seed: int = 0) -> torch.Tensor:
    return digits_split(0)[2][seed : seed + 1].double()  # (1, 1, 8, 8)


def _score_with_bump(model: nn.Sequential, x: torch.Tensor, target: int, idx: tuple[int, ...], eps: float) -> float:
    """y_c when A[idx] (the hooked layer's output) is moved by eps: a forward hook edits the output."""

    def bump(module: nn.Module, inputs: tuple[torch.Tensor, ...], out: torch.Tensor) -> torch.Tensor:
        out = out.clone()
        out[(0, *idx)] += eps
        return out

    h = model[TARGET_LAYER].register_forward_hook(bump)
    try:
        with torch.no_grad():
            return float(model(x)[0, target])
    finally:
        h.remove()


@pytest.mark.parametrize("seed,target", [(0, 3), (1, 7)])
def test_hooked_gradients_equal_central_differences_float64(seed: int, target: int) -> None:
    model = small_cnn(seed).double()
    x = _image(seed)
    _, A, dA = grad_cam(model, TARGET_LAYER, x, target)
    rng = np.random.default_rng(seed)
    eps = 1e-6
    for _ in range(24):
        idx = tuple(int(rng.integers(n)) for n in A.shape)
        fd = (_score_with_bump(model, x, target, idx, eps) - _score_with_bump(model, x, target, idx, -eps)) / (2 * eps)
        assert abs(fd - float(dA[idx])) < 1e-8


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradcam_equals_cam_over_hw_for_gap_linear(seed: int) -> None:
    # y_c = sum_k w_ck * mean_ij A_k(i, j) + b_c  =>  dy_c/dA_k(i, j) = w_ck / (h w)  =>  alpha_k = w_ck / (h w)
    model = small_cnn(seed).double()
    x = _image(seed)
    for c in range(10):
        g, A, dA = grad_cam(model, TARGET_LAYER, x, c)
        m = cam(model, TARGET_LAYER, x, c)
        hw = A.shape[1] * A.shape[2]
        w_c = model[-1].weight[c].detach().numpy()[:, None, None]  # (K, 1, 1)
        np.testing.assert_allclose(dA.numpy(), np.broadcast_to(w_c / hw, A.shape), atol=1e-15)
        np.testing.assert_allclose((g * hw).numpy(), torch.relu(m).numpy(), atol=1e-12)


def test_occlusion_of_a_linear_model_is_the_patch_sum_of_w_times_x() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 10)).double()
    x = torch.rand(1, 1, 8, 8, dtype=torch.float64)
    wx = (model[1].weight[4].reshape(8, 8) * x[0, 0]).detach()
    occ = occlusion_map(model, x, target=4, size=3)
    pad = torch.nn.functional.pad(wx, (1, 1, 1, 1))
    hand = torch.stack([torch.stack([pad[i : i + 3, j : j + 3].sum() for j in range(8)]) for i in range(8)])
    np.testing.assert_allclose(occ.numpy(), hand.numpy(), atol=1e-12)


def test_occlusion_with_even_patch_and_fill() -> None:
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 1, bias=False)).double()
    with torch.no_grad():
        model[1].weight.fill_(1.0)
    x = torch.zeros(1, 1, 4, 4, dtype=torch.float64)
    occ = occlusion_map(model, x, 0, size=2, fill=1.0)  # 偶数大小: 块覆盖行 i-1..i、列 j-1..j (边界截断)
    np.testing.assert_allclose(occ.numpy(), -np.array([[1, 2, 2, 2]] + [[2, 4, 4, 4]] * 3), atol=0)


def test_upsample_and_pearson_hand_cases() -> None:
    m = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert upsample(m, 4).shape == (4, 4) and float(upsample(m, 4).mean()) == pytest.approx(2.5)
    assert pearson(m, 2 * m + 1) == pytest.approx(1.0)
    assert pearson(m, -m) == pytest.approx(-1.0)
    assert np.isnan(pearson(m, torch.ones(2, 2)))


@pytest.mark.experiment
def test_training_reaches_accuracy_and_maps_have_input_shape() -> None:
    model, acc = train_digits_cnn(0, steps=120)
    assert acc > 0.75  # 10 类, 随机猜 0.1
    runs = gradcam_occlusion_runs(seeds=(0,), n_images=10, n_examples=2)
    assert runs[0].examples.shape == (2, 3, 8, 8) and -1 <= runs[0].corr_median <= 1
    assert (runs[0].labels[:, 1] >= 0).all()


def test_bad_inputs_name_the_argument() -> None:
    model = small_cnn(0)
    with pytest.raises(ValueError, match="size"):
        occlusion_map(model, torch.zeros(1, 1, 8, 8), 0, size=0)
    with pytest.raises(ValueError, match="seed"):
        small_cnn(-1)
    with pytest.raises(ValueError, match="seed"):
        digits_split(-1)
    with pytest.raises(ValueError, match="m must"):
        upsample(torch.zeros(1, 2, 2), 8)
    with pytest.raises(ValueError, match="size"):
        upsample(torch.zeros(2, 2), 0)
    with pytest.raises(ValueError, match="a and b"):
        pearson(torch.zeros(4), torch.zeros(5))
    with pytest.raises(ValueError, match="lr"):
        train_digits_cnn(0, steps=1, lr=0.0)
    with pytest.raises(ValueError, match="steps"):
        train_digits_cnn(0, steps=0)
    with pytest.raises(ValueError, match="n_images"):
        gradcam_occlusion_runs(seeds=(0,), n_images=0)
    with pytest.raises(TypeError, match="layer"):
        grad_cam(model, "4", torch.zeros(1, 1, 8, 8), 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="target"):
        grad_cam(model, TARGET_LAYER, torch.zeros(1, 1, 8, 8), 10)
    with pytest.raises(ValueError, match="x"):
        grad_cam(model, TARGET_LAYER, torch.zeros(2, 1, 8, 8), 0)
    with pytest.raises(TypeError, match="model"):
        cam(model[:5], 4, torch.zeros(1, 1, 8, 8), 0)  # 不以线性层结尾: 没有 CAM
    with pytest.raises(ValueError, match="x"):
        occlusion_map(model, torch.zeros(1, 8, 8), 0)

"""Tests for snippets.detection.roi: torchvision's C++ loops transcribed as a brute force, hand cases,
PyTorch's grid_sample (forward and autograd gradient) and central differences for RoI Align."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.detection.roi import roi_align, roi_align_backward, roi_align_matrix, roi_pool


def roi_align_brute(X: np.ndarray, rois: np.ndarray, P: int, scale: float, sr: int, aligned: bool) -> np.ndarray:
    """Scalar transcription of torchvision's CPU roi_align forward (one value at a time)."""
    N, C, H, W = X.shape
    out = np.zeros((len(rois), C, P, P))

    def bil(f: np.ndarray, y: float, x: float) -> float:
        if y < -1.0 or y > H or x < -1.0 or x > W:
            return 0.0
        y, x = max(y, 0.0), max(x, 0.0)
        yl, xl = int(y), int(x)
        yh, xh = yl + 1, xl + 1
        if yl >= H - 1:
            yh = yl = H - 1
            y = float(yl)
        if xl >= W - 1:
            xh = xl = W - 1
            x = float(xl)
        ly, lx = y - yl, x - xl
        return ((1 - ly) * (1 - lx) * f[yl, xl] + (1 - ly) * lx * f[yl, xh]
                + ly * (1 - lx) * f[yh, xl] + ly * lx * f[yh, xh])

    for k, (b, x1, y1, x2, y2) in enumerate(rois):
        off = 0.5 if aligned else 0.0
        sw, sh, ew, eh = x1 * scale - off, y1 * scale - off, x2 * scale - off, y2 * scale - off
        rw, rh = ew - sw, eh - sh
        if not aligned:
            rw, rh = max(rw, 1.0), max(rh, 1.0)
        gh = sr if sr > 0 else math.ceil(rh / P)
        gw = sr if sr > 0 else math.ceil(rw / P)
        for c in range(C):
            for ph in range(P):
                for pw in range(P):
                    acc = 0.0
                    for iy in range(gh):
                        for ix in range(gw):
                            y = sh + ph * rh / P + (iy + 0.5) * rh / P / gh
                            x = sw + pw * rw / P + (ix + 0.5) * rw / P / gw
                            acc += bil(X[int(b), c], y, x)
                    out[k, c, ph, pw] = acc / max(gh * gw, 1)
    return out


def random_rois(K: int, N: int, size: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-2, size - 2, (K, 2))
    wh = rng.uniform(0.3, size / 2, (K, 2))
    return np.concatenate([rng.integers(0, N, (K, 1)).astype(float), xy, xy + wh], axis=1)


@pytest.mark.parametrize("aligned", [True, False])
@pytest.mark.parametrize("sr", [-1, 1, 2, 3])
@pytest.mark.parametrize("scale", [1.0, 0.5])
def test_roi_align_matches_brute_force(aligned: bool, sr: int, scale: float) -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 3, 7, 9))
    rois = random_rois(5, 2, 14.0, seed=sr + 10)
    np.testing.assert_allclose(roi_align(X, rois, 3, scale, sr, aligned),
                               roi_align_brute(X, rois, 3, scale, sr, aligned), rtol=1e-12, atol=1e-12)


def test_roi_align_hand_case_on_a_linear_ramp() -> None:
    # f(i, j) = j: 双线性插值对线性函数是精确的, 输出 = 采样点 x 坐标的平均 = bin 中心的 x - 0.5 (aligned)
    X = np.tile(np.arange(8.0), (1, 1, 8, 1))  # (1, 1, 8, 8)
    rois = np.array([[0.0, 1.0, 1.0, 7.0, 5.0]])  # x in [1, 7], 宽 6 -> 每个 bin 宽 3
    out = roi_align(X, rois, 2, sampling_ratio=2, aligned=True)
    np.testing.assert_allclose(out[0, 0], [[2.5 - 0.5, 5.5 - 0.5]] * 2, rtol=1e-15)
    out = roi_align(X, rois, 2, sampling_ratio=2, aligned=False)  # 不减半个像素
    np.testing.assert_allclose(out[0, 0], [[2.5, 5.5]] * 2, rtol=1e-15)


def test_roi_pool_hand_case_with_both_quantisations() -> None:
    X = np.arange(36.0).reshape(1, 1, 6, 6)  # X[i, j] = 6 i + j
    # x1 = 0.6 -> round 1, x2 = 4.4 -> round 4: 列 1..4 (宽 4); y 0.2 -> 0, 2.6 -> 3: 行 0..3 (高 4)
    rois = np.array([[0.0, 0.6, 0.2, 4.4, 2.6]])
    out = roi_pool(X, rois, 2)
    # bins: 行 {0,1}, {2,3}; 列 {1,2}, {3,4}; 每个 bin 取右下角的最大值
    np.testing.assert_allclose(out[0, 0], [[6 + 2, 6 + 4], [18 + 2, 18 + 4]])
    # 宽 5 分成 2 个 bin: floor/ceil 让中间一列被两个 bin 共用
    out = roi_pool(X, np.array([[0.0, 0.0, 0.0, 4.0, 0.0]]), 2)  # 列 0..4, 行 0
    np.testing.assert_allclose(out[0, 0], [[2, 4], [2, 4]])  # 列 {0,1,2}, {2,3,4}; 行 bin 都是 {0}


def roi_pool_brute(X: np.ndarray, rois: np.ndarray, P: int, scale: float) -> np.ndarray:
    """torchvision's CPU roi_pool, transcribed with C-style loops over every bin element."""
    N, C, H, W = X.shape
    out = np.zeros((len(rois), C, P, P))
    for k, (b, x1, y1, x2, y2) in enumerate(rois):
        xs, ys = int(math.floor(x1 * scale + 0.5)), int(math.floor(y1 * scale + 0.5))
        xe, ye = int(math.floor(x2 * scale + 0.5)), int(math.floor(y2 * scale + 0.5))
        rw, rh = max(xe - xs + 1, 1), max(ye - ys + 1, 1)
        for ph in range(P):
            for pw in range(P):
                hs = min(max(int(math.floor(ph * (rh / P))) + ys, 0), H)
                he = min(max(int(math.ceil((ph + 1) * (rh / P))) + ys, 0), H)
                ws = min(max(int(math.floor(pw * (rw / P))) + xs, 0), W)
                we = min(max(int(math.ceil((pw + 1) * (rw / P))) + xs, 0), W)
                for c in range(C):
                    m = -math.inf if (he > hs and we > ws) else 0.0
                    for i in range(hs, he):
                        for j in range(ws, we):
                            m = max(m, X[int(b), c, i, j])
                    out[k, c, ph, pw] = m
    return out


@pytest.mark.parametrize("scale", [1.0, 0.25])
@pytest.mark.parametrize("P", [1, 2, 3])
def test_roi_pool_matches_brute_force(scale: float, P: int) -> None:
    X = np.random.default_rng(1).standard_normal((2, 2, 6, 7))
    rois = random_rois(6, 2, 10.0 / scale, seed=P)
    np.testing.assert_allclose(roi_pool(X, rois, P, scale), roi_pool_brute(X, rois, P, scale), rtol=0, atol=0)


def _grid_sample_roi_align(Xt: torch.Tensor, rois: np.ndarray, P: int, sr: int) -> torch.Tensor:
    """RoI Align (aligned=True, fixed sampling_ratio) built from torch's grid_sample at the same sample points."""
    N, C, H, W = Xt.shape
    outs = []
    for b, x1, y1, x2, y2 in rois:
        x1, y1, x2, y2 = x1 - 0.5, y1 - 0.5, x2 - 0.5, y2 - 0.5
        frac = (np.arange(P * sr) + 0.5) / (P * sr)  # 采样点在 RoI 内的相对位置
        xs, ys = x1 + frac * (x2 - x1), y1 + frac * (y2 - y1)
        gy, gx = np.meshgrid(ys, xs, indexing="ij")
        # align_corners=True: 归一化坐标 -1 和 1 对应像素下标 0 和 W-1
        grid = np.stack([2 * gx / (W - 1) - 1, 2 * gy / (H - 1) - 1], axis=-1)[None]
        s = F.grid_sample(Xt[int(b)][None], torch.from_numpy(grid), mode="bilinear", align_corners=True)
        outs.append(F.avg_pool2d(s, sr)[0])  # 每个 bin 的 sr x sr 个采样点取平均
    return torch.stack(outs)


@pytest.mark.parametrize("sr", [1, 2])
def test_roi_align_forward_and_gradient_match_grid_sample_autograd(sr: int) -> None:
    rng = np.random.default_rng(3)
    X = rng.standard_normal((2, 3, 10, 12))
    rois = np.array([[0.0, 2.0, 1.7, 9.3, 8.1], [1.0, 3.2, 2.5, 7.9, 6.0], [1.0, 1.5, 1.5, 11.0, 9.0]])
    Xt = torch.from_numpy(X).requires_grad_(True)
    ref = _grid_sample_roi_align(Xt, rois, 3, sr)
    np.testing.assert_allclose(roi_align(X, rois, 3, sampling_ratio=sr), ref.detach().numpy(), rtol=1e-12, atol=1e-12)
    dY = rng.standard_normal(ref.shape)
    (ref * torch.from_numpy(dY)).sum().backward()
    assert Xt.grad is not None
    np.testing.assert_allclose(roi_align_backward(dY, rois, X.shape, sampling_ratio=sr), Xt.grad.numpy(),
                               rtol=1e-12, atol=1e-12)


def test_roi_align_backward_matches_central_differences_with_border_clamping() -> None:
    rng = np.random.default_rng(4)
    X = rng.standard_normal((1, 2, 5, 6))
    rois = np.array([[0.0, -0.8, -0.4, 6.5, 5.2], [0.0, 0.2, 1.1, 3.3, 2.0]])  # 伸出边界的 RoI
    dY = rng.standard_normal((2, 2, 2, 2))
    g = roi_align_backward(dY, rois, X.shape, sampling_ratio=-1, aligned=False)
    num = np.zeros_like(X)
    h = 1e-6
    for idx in np.ndindex(X.shape):
        E = np.zeros_like(X)
        E[idx] = h
        diff = roi_align(X + E, rois, 2, aligned=False) - roi_align(X - E, rois, 2, aligned=False)
        num[idx] = (diff * dY).sum() / (2 * h)
    np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-8)


def test_roi_align_weights_of_each_bin_sum_to_one_inside_the_map() -> None:
    M = roi_align_matrix(np.array([0.0, 1.0, 1.0, 5.0, 4.0]), 6, 6, 2, sampling_ratio=2)
    np.testing.assert_allclose(M.sum(axis=1), 1.0, rtol=1e-14)


def test_bad_input_names_the_argument() -> None:
    X = np.zeros((1, 1, 4, 4))
    good = np.array([[0.0, 0.0, 0.0, 2.0, 2.0]])
    with pytest.raises(ValueError, match="X must be"):
        roi_pool(X[0], good, 2)
    with pytest.raises(ValueError, match="rois must be"):
        roi_align(X, good[:, 1:], 2)
    with pytest.raises(ValueError, match=r"rois\[:, 0\]"):
        roi_align(X, np.array([[1.0, 0.0, 0.0, 2.0, 2.0]]), 2)
    with pytest.raises(ValueError, match="output_size"):
        roi_align(X, good, 0)
    with pytest.raises(ValueError, match="spatial_scale"):
        roi_pool(X, good, 2, spatial_scale=0.0)
    with pytest.raises(ValueError, match="sampling_ratio"):
        roi_align_matrix(good[0], 4, 4, 2, sampling_ratio=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="roi must be"):
        roi_align_matrix(good, 4, 4, 2)
    with pytest.raises(ValueError, match="dY must have"):
        roi_align_backward(np.zeros((1, 2, 2, 2)), good, (1, 1, 4, 4))
    with pytest.raises(ValueError, match="input_shape"):
        roi_align_backward(np.zeros((1, 1, 2, 2)), good, (1, 4, 4))  # type: ignore[arg-type]

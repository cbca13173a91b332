"""Tests for snippets.cnn.sobel: the seed's formula, torch conv2d, edges on synthetic images, the photo."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import matplotlib.cbook as cbook
import matplotlib.image as mpimg
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.cnn.figures import grace_hopper_gray
from snippets.cnn.sobel import SOBEL_X, SOBEL_Y, rgb_to_gray, sobel


def test_gx_gy_on_one_3x3_patch_follow_the_written_formula() -> None:
    a, b, c, d, e, f, g, h, i = np.random.default_rng(0).standard_normal(9)
    patch = np.array([[a, b, c], [d, e, f], [g, h, i]])
    Gx, Gy, _, _ = sobel(patch)
    np.testing.assert_allclose(Gx[1, 1], (c + 2 * f + i) - (a + 2 * d + g), rtol=1e-12)
    np.testing.assert_allclose(Gy[1, 1], (g + 2 * h + i) - (a + 2 * b + c), rtol=1e-12)


def test_sobel_matches_torch_conv2d_with_replicate_padding() -> None:
    img = np.random.default_rng(1).uniform(size=(20, 17))
    x = F.pad(torch.from_numpy(img)[None, None], (1, 1, 1, 1), mode="replicate")
    w = torch.from_numpy(np.stack([SOBEL_X, SOBEL_Y])[:, None])
    expected = F.conv2d(x, w)[0].numpy()
    Gx, Gy, mag, theta = sobel(img)
    np.testing.assert_allclose(np.stack([Gx, Gy]), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mag, np.sqrt(expected[0] ** 2 + expected[1] ** 2), rtol=1e-12)
    np.testing.assert_allclose(theta, np.arctan2(expected[1], expected[0]), rtol=1e-12, atol=1e-12)


def test_vertical_edge_lights_up_gx_not_gy_and_ramp_gives_8_times_slope() -> None:
    step = np.zeros((8, 8))
    step[:, 4:] = 1.0  # 竖直的边缘: 左暗右亮
    Gx, Gy, _, theta = sobel(step)
    assert np.abs(Gy).max() == 0.0 and Gx[:, 3:5].min() == 4.0
    np.testing.assert_allclose(theta[:, 3:5], 0.0)  # 梯度方向指向右 (变亮的方向), 与边缘垂直
    ramp = np.tile(0.5 * np.arange(8.0), (8, 1))
    np.testing.assert_allclose(sobel(ramp)[0][:, 1:-1], 8 * 0.5)  # Sobel 的 Gx 是 8 倍的水平斜率


def test_horizontal_edge_lights_up_gy_with_direction_down() -> None:
    Gx, Gy, _, theta = sobel(np.repeat((np.arange(8) >= 4).astype(float)[:, None], 8, axis=1))
    assert np.abs(Gx).max() == 0.0 and Gy[3:5].min() == 4.0
    np.testing.assert_allclose(theta[3:5], np.pi / 2)


def test_photo_is_found_offline_and_gray_conversion_matches_bt601() -> None:
    gray = grace_hopper_gray()
    assert gray.shape == (600, 512) and 0.0 <= gray.min() and gray.max() <= 1.0
    np.testing.assert_allclose(rgb_to_gray(np.ones((2, 2, 3))), 1.0, rtol=1e-12)
    _, _, mag, _ = sobel(gray)
    assert mag.shape == gray.shape


def test_bad_input_raises_with_argument_name() -> None:
    with pytest.raises(ValueError, match="gray must have 2"):
        sobel(np.zeros((3, 3, 3)))
    with pytest.raises(ValueError, match="img must have 3 colour"):
        rgb_to_gray(np.zeros((3, 3, 4)))


def test_sobel_kernels_are_smoothing_times_central_difference() -> None:
    np.testing.assert_array_equal(SOBEL_X, np.outer([1.0, 2.0, 1.0], [-1.0, 0.0, 1.0]))
    np.testing.assert_array_equal(SOBEL_Y, np.outer([-1.0, 0.0, 1.0], [1.0, 2.0, 1.0]))


def test_true_convolution_flips_both_gx_and_gy_so_magnitude_stays_and_direction_turns_by_pi() -> None:
    from snippets.cnn.conv import conv2d

    img = np.random.default_rng(2).uniform(size=(1, 1, 9, 9))
    gx, gy = (conv2d(img, K[None, None]) for K in (SOBEL_X, SOBEL_Y))
    gx_conv, gy_conv = (conv2d(img, K[::-1, ::-1][None, None].copy()) for K in (SOBEL_X, SOBEL_Y))
    np.testing.assert_allclose(gx_conv, -gx, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gy_conv, -gy, rtol=1e-12, atol=1e-12)  # 两个都变号, 方向才差 pi
    np.testing.assert_allclose(np.hypot(gx_conv, gy_conv), np.hypot(gx, gy), rtol=1e-12)
    turn = np.mod(np.arctan2(gy_conv, gx_conv) - np.arctan2(gy, gx), 2 * np.pi)
    np.testing.assert_allclose(turn, np.pi, rtol=1e-9)


def test_photo_decodes_to_the_same_pixels_without_libjpeg_simd() -> None:
    code = ("import hashlib, matplotlib.cbook as c, matplotlib.image as m; "
            "print(hashlib.sha256(m.imread(c.get_sample_data('grace_hopper.jpg', asfileobj=False)).tobytes())"
            ".hexdigest())")
    plain = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "JSIMD_FORCENONE": "1"}).stdout.strip()
    here = mpimg.imread(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
    assert plain == hashlib.sha256(here.tobytes()).hexdigest()


@pytest.mark.experiment
def test_photo_statistics_printed_on_the_page_sit_far_from_rounding_boundaries() -> None:
    # 页面打印的四个数: 与舍入边界 (末位的 .5) 至少差末位的 5%, 换一套数值内核不会改变打印出的数字
    Gx, Gy, mag, _ = sobel(grace_hopper_gray())
    printed = [(np.abs(Gx).mean(), 2), (np.abs(Gy).mean(), 2), (mag.max(), 2), (100 * (mag > 0.5).mean(), 1)]
    assert [f"{v:.{d}f}" for v, d in printed] == ["0.16", "0.15", "4.06", "10.6"]
    for v, d in printed:
        scaled = v * 10**d
        assert abs(scaled - np.floor(scaled) - 0.5) > 0.05, (v, d)
    assert np.abs(mag - 0.5).min() > 1e-6  # 没有像素贴着阈值: 计数不取决于最后几位

"""Tests for snippets.segmentation.upsampling: overlap counts against F.conv_transpose2d on ones (2-D = outer
product), source coordinates and nearest indices against F.interpolate, hand cases, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.segmentation.upsampling import nearest_indices, overlap_counts, source_coords


@pytest.mark.parametrize(("n", "k", "s", "p"), [(6, 3, 2, 1), (6, 4, 2, 1), (5, 2, 2, 0), (4, 3, 1, 0), (7, 5, 3, 2),
                                                (3, 64, 32, 16)])
def test_overlap_counts_equal_transposed_conv_of_ones(n: int, k: int, s: int, p: int) -> None:
    ones = torch.ones(1, 1, n, n, dtype=torch.float64)
    ref = F.conv_transpose2d(ones, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s, padding=p)[0, 0]
    c = overlap_counts(n, k, s, p)
    np.testing.assert_array_equal(np.outer(c, c), ref.numpy())


def test_overlap_hand_cases() -> None:
    assert overlap_counts(3, 3, 2).tolist() == [1, 1, 2, 1, 2, 1, 1]
    assert set(overlap_counts(6, 4, 2, 1)[1:-1].tolist()) == {2}  # k 被 s 整除: 内部均匀
    assert set(overlap_counts(5, 2, 2).tolist()) == {1}  # k = s: 不重叠
    assert set(overlap_counts(3, 64, 32, 16)[16:-16].tolist()) == {2}  # FCN-32s 的 k=64, s=32: 内部均匀


@pytest.mark.parametrize("align_corners", [True, False])
@pytest.mark.parametrize(("n", "m"), [(33, 513), (32, 512), (5, 3), (4, 9), (1, 4)])
def test_source_coords_equal_interpolate_of_a_ramp(n: int, m: int, align_corners: bool) -> None:
    ramp = torch.arange(n, dtype=torch.float64)[None, None, None, :]  # 值 = 坐标, 双线性插值读出的就是源坐标
    ref = F.interpolate(ramp, size=(1, m), mode="bilinear", align_corners=align_corners)[0, 0, 0]
    np.testing.assert_allclose(source_coords(n, m, align_corners), ref.numpy(), atol=1e-12)


def test_deeplab_513_grid_by_hand() -> None:
    c = source_coords(33, 513, True)
    assert c[16 * 7] == 7.0 and c[512] == 32.0  # 特征 j 恰好落在像素 16j
    d = source_coords(32, 512, False)
    assert d[8] == 0.03125 and d[24] == 1.03125  # 特征 j 的中心在像素 16j + 7.5


@pytest.mark.parametrize(("n", "m"), [(7, 3), (3, 7), (8, 16), (5, 5)])
def test_nearest_indices_equal_interpolate_nearest(n: int, m: int) -> None:
    x = torch.arange(n, dtype=torch.float64)[None, None, :]
    ref = F.interpolate(x, size=m, mode="nearest")[0, 0]
    np.testing.assert_array_equal(nearest_indices(n, m), ref.numpy().astype(int))


def test_upsampling_bad_input() -> None:
    with pytest.raises(ValueError, match="stride"):
        overlap_counts(3, 3, 0)
    with pytest.raises(ValueError, match="padding"):
        overlap_counts(1, 2, 2, 1)
    with pytest.raises(ValueError, match="n_out"):
        source_coords(3, 0, True)
    with pytest.raises(ValueError, match="n_in"):
        nearest_indices(0, 3)


def test_bilinear_resize_of_labels_invents_a_class_nearest_does_not() -> None:
    labels = np.array([0.0, 0.0, 2.0, 2.0])
    bilinear = np.round(np.interp(source_coords(4, 16, False), np.arange(4), labels))
    assert 1 in bilinear.tolist()
    assert set(labels[nearest_indices(4, 16)].tolist()) == {0.0, 2.0}

"""Tests for snippets.nets.alexnet: the two variants' shapes and counts, LRN's alpha convention."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

from snippets.cnn.output_size import conv_output_size
from snippets.nets.alexnet import alexnet
from snippets.nets.layer_table import count_params, layer_table


def _conv_pool_shapes(paper: bool, side: int) -> list[tuple[int, ...]]:
    with torch.device("meta"):
        rows = layer_table(alexnet(paper=paper), (3, side, side))
    return [r.out_shape for r in rows if r.kind in ("Conv2d", "MaxPool2d")]


def test_paper_variant_at_227_gives_the_papers_feature_maps() -> None:
    assert _conv_pool_shapes(True, 227) == [(96, 55, 55), (96, 27, 27), (256, 27, 27), (256, 13, 13),
                                           (384, 13, 13), (384, 13, 13), (256, 13, 13), (256, 6, 6)]


def test_torchvision_variant_at_224_with_padding_2_also_gives_55() -> None:
    assert _conv_pool_shapes(False, 224)[:2] == [(64, 55, 55), (64, 27, 27)]
    assert conv_output_size(224, 11, 4, 0) == 54  # 224 不补零: (224 - 11) / 4 + 1 = 54.25 -> 54
    assert conv_output_size(227, 11, 4, 0) == 55


def test_paper_count_by_hand_two_gpu_groups() -> None:
    convs = [11 * 11 * 3 * 96 + 96, 5 * 5 * 48 * 256 + 256, 3 * 3 * 256 * 384 + 384,
             3 * 3 * 192 * 384 + 384, 3 * 3 * 192 * 256 + 256]
    fcs = [9216 * 4096 + 4096, 4096 * 4096 + 4096, 4096 * 1000 + 1000]
    assert count_params(alexnet(paper=True)) == sum(convs) + sum(fcs) == 60_965_224


def test_forward_pass_small_batch() -> None:
    torch.manual_seed(0)
    for paper, side in ((False, 224), (True, 227)):
        model = alexnet(num_classes=10, paper=paper).eval()
        assert model(torch.randn(2, 3, side, side)).shape == (2, 10)


def test_lrn_alpha_is_divided_by_size_in_pytorch() -> None:
    # 论文: b_i = a_i / (k + alpha * sum_{j in window(i)} a_j^2)^beta, n = 5, k = 2, alpha = 1e-4, beta = 0.75
    rng = np.random.default_rng(0)
    a = rng.normal(size=(1, 8, 3, 3)) * 10
    C = a.shape[1]
    expected = np.empty_like(a)
    for i in range(C):
        lo, hi = max(0, i - 2), min(C, i + 3)
        expected[:, i] = a[:, i] / (2.0 + 1e-4 * (a[:, lo:hi] ** 2).sum(axis=1)) ** 0.75
    lrn = next(m for m in alexnet(paper=True) if isinstance(m, nn.LocalResponseNorm))
    np.testing.assert_allclose(lrn(torch.tensor(a)).numpy(), expected, rtol=1e-12)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match="num_classes"):
        alexnet(num_classes=0)
    with pytest.raises(TypeError, match="paper"):
        alexnet(paper=1)  # type: ignore[arg-type]


def test_paper_net_without_groups_would_have_62_378_344_params() -> None:
    groups_undone = (5 * 5 * 48 * 256, 3 * 3 * 192 * 384, 3 * 3 * 192 * 256)  # 每层分组省掉的权重
    assert count_params(alexnet(paper=True)) + sum(groups_undone) == 62_378_344

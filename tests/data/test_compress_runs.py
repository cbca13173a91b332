"""The compression experiments on load_digits (snippets/data/compress_runs.py, digits_mlp.py): claims on the page."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.data.compress_runs import compression_curves, distill_experiment, teacher
from snippets.data.digits_mlp import digits_split, make_mlp, one_thread, train
from snippets.data.quantize import quantization_mse


@pytest.mark.experiment
def test_distilled_students_are_not_worse_and_gain_less_than_the_seed_spread() -> None:
    acc = distill_experiment()  # (5, 3): teacher, labels only, distilled
    gain = acc[:, 2] - acc[:, 1]
    assert np.all(gain >= 0) and np.median(gain) > 0  # 图注: 5 个种子都不低于
    assert np.median(gain) < 0.01 and gain.max() < 0.02  # 中位数不到 1 个百分点, 最大不到 2 个
    assert 0.05 < np.ptp(acc[:, 1]) < 0.07  # 只用标签的学生在种子间相差约 6 个百分点
    assert np.all(acc[:, 0] > acc[:, 2]) and np.all(acc[:, 0] > acc[:, 1])  # 都低于教师


@pytest.mark.experiment
def test_compression_curves_support_the_caption() -> None:
    c = compression_curves()
    dense = np.median(c.dense)
    half = list(c.amounts).index(0.5)
    assert abs(np.median(c.unstructured[:, half]) - dense) < 0.01
    assert np.median(c.structured[:, half]) < np.median(c.unstructured[:, half]) - 0.03
    r = list(c.ranks)
    assert abs(np.median(c.low_rank[:, r.index(12)]) - dense) < 0.01
    np.testing.assert_allclose(c.low_rank[:, r.index(64)], c.dense, atol=2 / 1497)  # 满秩 = 原网络
    assert np.median(c.low_rank[:, r.index(1)]) < 0.5
    assert np.all(np.diff(np.median(c.low_rank[:, : r.index(8) + 1], 0)) > 0)  # r = 1..8 迅速上升


@pytest.mark.experiment
def test_per_channel_quantization_error_ratio_on_trained_first_layers() -> None:
    ratios = []
    for seed in range(5):
        W1 = teacher(seed)[0][0].weight.detach().numpy()
        ratios.append(quantization_mse(W1, per_channel=True) / quantization_mse(W1, per_channel=False))
    assert all(0.25 < r < 0.55 for r in ratios)
    assert min(ratios) < 0.35 and max(ratios) > 0.45  # 页面: 约 0.3 到 0.5 倍


def test_digits_split_is_stratified_and_scaled() -> None:
    s = digits_split(0, 300)
    assert s.X_train.shape == (300, 64) and s.X_test.shape == (1497, 64)
    assert s.X_train.dtype == np.float32 and 0.0 <= s.X_train.min() and s.X_train.max() <= 1.0
    assert np.all(np.bincount(s.y_train, minlength=10) >= 29)  # 分层: 每类约 30 张


def test_one_thread_runs_on_one_thread_and_restores_the_count() -> None:
    before = torch.get_num_threads()
    assert one_thread(torch.get_num_threads)() == 1
    assert torch.get_num_threads() == before
    with pytest.raises(TypeError, match="fn"):
        one_thread(3)  # type: ignore[arg-type]


def test_experiment_helpers_bad_input_names_the_argument() -> None:
    with pytest.raises(ValueError, match="seed"):
        digits_split(-1)
    with pytest.raises(ValueError, match="n_train"):
        digits_split(0, 1600)
    with pytest.raises(ValueError, match="hidden"):
        make_mlp(0, 0)
    s = digits_split(0, 100)
    with pytest.raises(ValueError, match="teacher_logits"):
        train(make_mlp(4, 0), s.X_train, s.y_train, alpha=0.5)
    with pytest.raises(ValueError, match="alpha"):
        train(make_mlp(4, 0), s.X_train, s.y_train, alpha=2.0)
    with pytest.raises(ValueError, match="seeds"):
        distill_experiment(seeds=())
    with pytest.raises(ValueError, match="seeds"):
        compression_curves(seeds=(-1,))

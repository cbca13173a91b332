"""Tests for snippets.losses.seeds: the median-and-range summary every experiment on the pages uses."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.losses.seeds import SeedSummary, summarize_seeds


def _assert_summary(got: SeedSummary, median: float, low: float, high: float, n: int) -> None:
    # 浮点字段用容差比较, 种子数 n 是整数, 精确比较
    assert (got.median, got.low, got.high) == pytest.approx((median, low, high), abs=1e-15)
    assert got.n == n


def test_summary_of_an_odd_and_an_even_number_of_seeds_by_hand() -> None:
    _assert_summary(summarize_seeds([3, 1, 2]), median=2.0, low=1.0, high=3.0, n=3)
    # 偶数个种子: 中位数是中间两个的平均, 可以不是任何一个种子的值
    _assert_summary(summarize_seeds(np.array([40, 10, 20, 30])), median=25.0, low=10.0, high=40.0, n=4)


def test_summary_is_order_free_and_keeps_n() -> None:
    v = np.random.default_rng(0).normal(size=11)
    s1, s2 = summarize_seeds(v), summarize_seeds(v[::-1])
    _assert_summary(s2, median=s1.median, low=s1.low, high=s1.high, n=11)
    assert s1.n == 11 and s1.low <= s1.median <= s1.high


@pytest.mark.parametrize("values", [[], [[1.0, 2.0]], [1.0, np.nan], [np.inf]])
def test_bad_input_raises_with_argument_name(values: list) -> None:
    with pytest.raises(ValueError, match="values must be a non-empty 1-D array of finite numbers"):
        summarize_seeds(values)

"""snippets.data.augment and augment_experiment: hand cases, brute force, RandomResizedCrop's ranges."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.data.augment import cutout, hflip, random_crop, random_resized_crop_box, random_shift
from snippets.data.augment_experiment import AugRun, shift_aug_claims, train_with_shifts


def test_hflip_hand_case_and_involution() -> None:
    X = np.arange(6, dtype=float).reshape(1, 1, 2, 3)  # [[0 1 2], [3 4 5]]
    np.testing.assert_array_equal(hflip(X)[0, 0], [[2, 1, 0], [5, 4, 3]])
    np.testing.assert_array_equal(hflip(hflip(X)), X)


def test_random_shift_matches_a_brute_force_move_per_image() -> None:
    X = np.random.default_rng(0).random((20, 2, 5, 6))
    out = random_shift(X, 2, np.random.default_rng(1))
    dy, dx = np.random.default_rng(1).integers(-2, 3, size=(2, 20))  # 同一个种子, 同样的抽样顺序
    for n in range(20):
        ref = np.zeros((2, 5, 6))
        for i in range(5):
            for j in range(6):
                if 0 <= i - dy[n] < 5 and 0 <= j - dx[n] < 6:
                    ref[:, i, j] = X[n, :, i - dy[n], j - dx[n]]  # 像素 (i - dy, j - dx) 移到 (i, j)
        np.testing.assert_array_equal(out[n], ref)
    np.testing.assert_array_equal(random_shift(X, 0, np.random.default_rng(1)), X)


def test_random_crop_windows_come_from_the_padded_image() -> None:
    X = np.random.default_rng(2).random((30, 1, 6, 6)) + 1.0  # 非零, 所以 0 只来自填充
    out = random_crop(X, 6, 2, np.random.default_rng(3))
    assert out.shape == (30, 1, 6, 6)
    P = np.pad(X, ((0, 0), (0, 0), (2, 2), (2, 2)))
    for n in range(30):
        assert any(np.array_equal(out[n], P[n, :, t : t + 6, c : c + 6]) for t in range(5) for c in range(5))


def test_cutout_zeroes_a_clipped_square() -> None:
    X = np.ones((400, 3, 8, 8))
    out = cutout(X, 4, np.random.default_rng(4))
    zeros = (out[:, 0] == 0).reshape(400, -1).sum(axis=1)
    assert zeros.max() == 16 and zeros.min() >= 4  # 完整的方块 16 个像素; 在角上被裁到 2 x 2
    assert (out[:, 0] == out[:, 2]).all()  # 所有通道同一个方块
    rows = (out[:, 0] == 0).any(axis=2)  # (N, H): 被挖掉的行是连续的
    for r in rows:
        idx = np.flatnonzero(r)
        assert len(idx) > 0 and idx[-1] - idx[0] + 1 == len(idx)


@settings(max_examples=50, deadline=None)
@given(st.integers(32, 300), st.integers(32, 300), st.integers(0, 10_000))
def test_random_resized_crop_box_stays_inside_and_within_scale_and_ratio(H: int, W: int, seed: int) -> None:
    top, left, h, w = random_resized_crop_box(H, W, np.random.default_rng(seed))
    assert 0 <= top and top + h <= H and 0 <= left and left + w <= W and h > 0 and w > 0
    if (h, w) != (H, W):  # 不是退回的整图时, 面积与宽高比在默认范围内 (取整最多差半个像素)
        slack = 1 + 1.5 / min(h, w)
        assert 3 / 4 / slack <= w / h <= 4 / 3 * slack
        assert 0.08 / slack**2 <= h * w / (H * W) <= 1.0


def test_random_resized_crop_box_fallback_is_a_centre_crop() -> None:
    # scale 超过 1: 10 次都放不下, 退回中心裁剪; 宽高比 2 被夹到 4/3
    assert random_resized_crop_box(100, 200, np.random.default_rng(0), scale=(2.0, 3.0)) == (0, 33, 100, 133)
    assert random_resized_crop_box(100, 100, np.random.default_rng(0), scale=(2.0, 3.0)) == (0, 0, 100, 100)
    # 面积占比的均值不是 U(0.08, 1) 的 0.54: 大面积配上极端宽高比放不下, 被拒绝后重抽。
    # 参照: 连续情形下 (不取整) 被接受的 (s, r) 中 s 的均值, 用 10^6 次抽样估计
    g = np.random.default_rng(6)
    s_ref, r_ref = g.uniform(0.08, 1.0, 10**6), np.exp(g.uniform(math.log(3 / 4), math.log(4 / 3), 10**6))
    ok = (s_ref * r_ref <= 1) & (s_ref / r_ref <= 1)
    rng = np.random.default_rng(5)
    share = [h * w / 224**2 for _, _, h, w in (random_resized_crop_box(224, 224, rng) for _ in range(4000))]
    assert abs(np.mean(share) - s_ref[ok].mean()) < 0.02  # 4000 次: 标准误约 0.004
    assert s_ref[ok].mean() < 0.5


@pytest.mark.experiment
def test_tiny_run_shifts_do_not_stop_fitting_and_claims_evaluate() -> None:
    off, on = train_with_shifts(0, False, steps=80), train_with_shifts(0, True, steps=80)
    assert off.train_acc >= 0.95 and on.train_acc >= 0.9
    assert 0.7 < off.val_acc < 1.0 and 0.7 < on.val_acc < 1.0


def test_shift_aug_claims_on_hand_made_runs() -> None:
    # 5 个种子的验证准确率: 不增强 0.82..0.87, 增强 0.866..0.876 (与图中的运行同一形状)
    off = [AugRun(1.0, v) for v in (0.823, 0.873, 0.862, 0.857, 0.849)]
    on = [AugRun(1.0, v) for v in (0.872, 0.870, 0.868, 0.876, 0.871)]
    claims = shift_aug_claims({False: off, True: on})
    assert all(claims.values()), claims
    # 两个种子下降: "至少 4 个提高" 与 "没有种子下降超过 1 个百分点" 都不再成立
    bad = shift_aug_claims({False: off, True: [on[0], AugRun(1.0, 0.86), on[2], AugRun(1.0, 0.84), on[4]]})
    assert not bad["at least 4 of 5 seeds gain"] and not bad["no seed loses more than 1 point"]
    assert not shift_aug_claims({False: off, True: [AugRun(0.98, v.val_acc) for v in on]})[
        "training accuracy >= 0.99 for every run"
    ]


def test_bad_inputs_name_the_argument() -> None:
    X, rng = np.ones((2, 1, 4, 4)), np.random.default_rng(0)
    with pytest.raises(TypeError, match="X"):
        hflip(np.ones((2, 4, 4), dtype=int))
    with pytest.raises(ValueError, match="max_shift"):
        random_shift(X, 4, rng)
    with pytest.raises(TypeError, match="rng"):
        random_shift(X, 1, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="size"):
        random_crop(X, 9, 2, rng)
    with pytest.raises(ValueError, match="padding"):
        random_crop(X, 4, -1, rng)
    with pytest.raises(ValueError, match="size"):
        cutout(X, 0, rng)
    with pytest.raises(ValueError, match="scale"):
        random_resized_crop_box(8, 8, rng, scale=(0.5, 0.1))
    with pytest.raises(ValueError, match="ratio"):
        random_resized_crop_box(8, 8, rng, ratio=(0.0, 1.0))
    with pytest.raises(ValueError, match="H"):
        random_resized_crop_box(0, 8, rng)
    with pytest.raises(TypeError, match="augment"):
        train_with_shifts(0, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed"):
        train_with_shifts(-1, True)

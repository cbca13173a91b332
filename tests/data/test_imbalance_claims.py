"""The check of imbalance.md's 5-seed claims (run when the figure renders) and the cached run's copy."""

from __future__ import annotations

import numpy as np
import pytest

import snippets.data.imbalance_experiment as ie
from snippets.data.imbalance_experiment import ALL, MINORITY, K, imbalance_claims

# 每种方法：少数类召回率、多数类召回率（中位数附近的手写值，与 5 个种子的实测同序）
HAND = {"balanced data": (0.95, 0.97), "CE": (0.47, 0.98), "undersample": (0.78, 0.88),
        "oversample": (0.69, 0.97), "class-balanced sampler": (0.68, 0.97), "inverse-frequency weights": (0.65, 0.97),
        "effective-number weights": (0.64, 0.97), "focal loss": (0.46, 0.98), "logit-adjusted loss": (0.78, 0.97),
        "threshold moving": (0.78, 0.97), "classifier re-training": (0.66, 0.97), "tau-normalisation": (0.52, 0.98)}


def hand_runs(hand: dict[str, tuple[float, float]]) -> dict[str, np.ndarray]:
    out = {}
    for name, (mino, rest) in hand.items():
        r = np.full(K, rest)
        r[list(MINORITY)] = mino
        out[name] = np.stack([r - 0.02, r, r + 0.02])  # (seeds, K)
    return out


def test_hand_runs_satisfy_every_claim_and_each_break_is_caught() -> None:
    assert all(imbalance_claims(hand_runs(HAND)).values())
    broken = {**HAND, "oversample": (0.80, 0.97)}  # 过采样超过 logit 调整：“前二”不再成立
    failed = [c for c, ok in imbalance_claims(hand_runs(broken)).items() if not ok]
    assert "logit-adjusted loss and threshold moving: top two balanced accuracies" in failed
    broken = {**HAND, "CE": (0.47, 0.94)}  # 多数类也变差：按先验加权的准确率不再与全部数据持平
    assert "prior-weighted accuracy: CE within 0.01 of all data" in [
        c for c, ok in imbalance_claims(hand_runs(broken)).items() if not ok]
    broken = {**HAND, "focal loss": (0.62, 0.98)}  # focal loss 提升 0.15：“几乎没有帮助”不再成立
    failed = [c for c, ok in imbalance_claims(hand_runs(broken)).items() if not ok]
    assert failed == ["focal loss and tau-norm: minority recall less than 0.1 above CE, balanced accuracy within 0.03"]


def test_imbalance_runs_stacks_each_method_seed_by_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ie, "run_imbalance", lambda s: {"CE": np.full(K, s / 10), "focal loss": np.full(K, s)})
    monkeypatch.delenv("DLH_RUN_CACHE", raising=False)  # patched code: keep its result out of the session's shared runs
    runs = ie.imbalance_runs((1, 2))
    assert list(runs) == ["CE", "focal loss"]
    np.testing.assert_array_equal(runs["CE"], np.stack([np.full(K, 0.1), np.full(K, 0.2)]))
    np.testing.assert_array_equal(runs["focal loss"], np.stack([np.full(K, 1.0), np.full(K, 2.0)]))


def test_method_names_are_the_ones_the_claims_use() -> None:
    assert set(HAND) == set(ALL)

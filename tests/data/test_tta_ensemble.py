"""snippets.data.tta_ensemble: shifts against np.roll, TTA and soft voting, and the page's 5-seed claims."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.data.tta_ensemble import (
    SHIFTS,
    ensemble_probs,
    run_tta_ensemble,
    shift_images,
    train_digit_mlp,
    tta_ensemble_runs,
    tta_probs,
)


@pytest.mark.parametrize("dy,dx", [*SHIFTS, (2, -3), (-4, 4)])
def test_shift_equals_roll_with_the_wrapped_pixels_zeroed(dy: int, dx: int) -> None:
    X = np.random.default_rng(0).random((3, 8, 8))
    expected = np.roll(X, (dy, dx), axis=(1, 2))
    if dy > 0:
        expected[:, :dy] = 0
    elif dy < 0:
        expected[:, dy:] = 0
    if dx > 0:
        expected[:, :, :dx] = 0
    elif dx < 0:
        expected[:, :, dx:] = 0
    np.testing.assert_array_equal(shift_images(X, dy, dx), expected)


def test_shift_hand_case() -> None:
    X = np.arange(9.0).reshape(1, 3, 3)
    np.testing.assert_array_equal(shift_images(X, 1, 0)[0], [[0, 0, 0], [0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(shift_images(X, 0, -1)[0], [[1, 2, 0], [4, 5, 0], [7, 8, 0]])


def test_tta_averages_predictions_over_the_shifts_and_ensemble_averages_members() -> None:
    X = np.random.default_rng(1).random((4, 8, 8))

    def predict(images: np.ndarray) -> np.ndarray:  # (N, 2): mass of the left half vs the right half
        left, right = images[:, :, :4].sum((1, 2)), images[:, :, 4:].sum((1, 2))
        return np.stack([left, right], 1) / (left + right)[:, None]

    expected = np.mean([predict(shift_images(X, dy, dx)) for dy, dx in SHIFTS], axis=0)
    np.testing.assert_allclose(tta_probs(predict, X), expected)
    np.testing.assert_allclose(tta_probs(predict, X, ((0, 0),)), predict(X))
    a, b = np.array([[0.6, 0.4]]), np.array([[0.1, 0.9]])
    np.testing.assert_allclose(ensemble_probs([a, b]), [[0.35, 0.65]])


@pytest.mark.experiment
def test_short_training_learns_digits() -> None:
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X = X.reshape(-1, 8, 8) / 16.0
    predict = train_digit_mlp(X[:1200], y[:1200], 0, steps=150)
    assert (predict(X[1200:]).argmax(1) == y[1200:]).mean() > 0.85


@pytest.mark.experiment
def test_page_claims_over_five_seeds() -> None:
    runs = tta_ensemble_runs()
    single = runs["single"]
    assert len(single) == 5 and np.median(single) > 0.9
    for name in ("single + TTA", "2-model ensemble", "ensemble + TTA"):
        gain = runs[name] - single
        assert gain.min() > -0.01 and gain.max() < 0.04, name  # 页面：每个种子的变化在 -1 到 +4 个百分点之间
    assert 0.01 < np.median(runs["single + TTA"] - single) < 0.03
    assert 0.0 <= np.median(runs["2-model ensemble"] - single) < 0.01
    assert np.median(runs["ensemble + TTA"]) == max(np.median(v) for v in runs.values())
    assert np.median(runs["ensemble + TTA"] - single) > 0.005


def test_bad_inputs_raise_naming_the_argument() -> None:
    X = np.zeros((2, 8, 8))
    with pytest.raises(ValueError, match="dy and dx"):
        shift_images(X, 8, 0)
    with pytest.raises(ValueError, match="X"):
        shift_images(np.zeros((8, 8)), 1, 0)
    with pytest.raises(TypeError, match="predict"):
        tta_probs(None, X)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="shifts"):
        tta_probs(lambda a: a, X, ())
    with pytest.raises(ValueError, match="probs"):
        ensemble_probs([np.zeros((1, 2)), np.zeros((2, 2))])
    with pytest.raises(ValueError, match="steps"):
        train_digit_mlp(X, np.zeros(2, dtype=np.int64), 0, steps=0)
    with pytest.raises(ValueError, match="seed"):
        run_tta_ensemble(-1)

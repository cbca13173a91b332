"""Tests for snippets.basics.mlp: linear collapse, XOR, and the MLP that solves it."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from snippets.basics.backprop import forward, init_mlp
from snippets.basics.mlp import (
    XOR_X,
    XOR_Y,
    best_linear_fit,
    collapse_linear,
    make_xor,
    predict,
    train_classifier,
    xor_two_tanh_units,
)

CORNERS = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])


def test_collapsed_stack_equals_torch_sequential_of_linear_layers() -> None:
    rng = np.random.default_rng(0)
    params = [(rng.normal(size=(o, i)), rng.normal(size=o)) for i, o in ((4, 7), (7, 5), (5, 3))]
    X = rng.normal(size=(10, 4))
    net = torch.nn.Sequential(*[torch.nn.Linear(W.shape[1], W.shape[0]).double() for W, _ in params])
    with torch.no_grad():
        for layer, (W, b) in zip(net, params, strict=True):
            layer.weight.copy_(torch.from_numpy(W))
            layer.bias.copy_(torch.from_numpy(b))
        expected = net(torch.from_numpy(X)).numpy()
    W, b = collapse_linear(params)
    assert W.shape == (3, 4) and b.shape == (3,)
    np.testing.assert_allclose(X @ W.T + b, expected, rtol=1e-12, atol=1e-12)


def test_collapsed_rank_is_at_most_the_narrowest_layer() -> None:
    params = init_mlp([6, 2, 6], np.random.default_rng(0))
    W, _ = collapse_linear(params)
    assert np.linalg.matrix_rank(W) == 2


def test_best_least_squares_linear_fit_of_xor_is_the_constant_one_half() -> None:
    w, b = best_linear_fit(XOR_X, XOR_Y)
    np.testing.assert_allclose(w, [0.0, 0.0], atol=1e-12)
    assert b == pytest.approx(0.5, abs=1e-12)


@given(st.floats(-10, 10), st.floats(-10, 10), st.floats(-10, 10))
def test_no_line_classifies_all_four_xor_points(w1: float, w2: float, b: float) -> None:
    pred = (XOR_X @ np.array([w1, w2]) + b) > 0
    assert np.sum(pred == (XOR_Y == 1)) <= 3


def test_xor_by_hand_with_two_relu_units() -> None:
    # h1 = relu(x1 + x2), h2 = relu(x1 + x2 - 1), y = h1 - 2 h2: 恰好是 XOR
    params = [(np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0])), (np.array([[1.0, -2.0]]), np.array([0.0]))]
    out, _ = forward(params, XOR_X, ["relu", "identity"])
    np.testing.assert_allclose(out[:, 0], XOR_Y, rtol=0, atol=1e-15)


@pytest.mark.experiment
def test_mlp_separates_noisy_xor_while_logistic_regression_cannot() -> None:
    X, y = make_xor(200, np.random.default_rng(0))
    for seed in range(5):
        linear = np.mean(predict(train_classifier(X, y, 0, seed), X) == y)
        mlp = np.mean(predict(train_classifier(X, y, 4, seed), X) == y)
        assert linear <= 0.6 and mlp >= 0.98


@pytest.mark.experiment
def test_two_tanh_units_reach_the_construction_from_most_initialisations_but_not_all() -> None:
    # 页面: 10 个初始化种子里 3 个停在 73%-74% (一整个角判错), 其余 7 个到 95% 以上
    X, y = make_xor(200, np.random.default_rng(0))
    acc = np.array([np.mean(predict(train_classifier(X, y, 2, seed), X) == y) for seed in range(10)])
    assert int(np.sum(acc < 0.8)) == 3
    assert np.all(acc[acc >= 0.8] >= 0.95)
    assert np.all((acc[acc < 0.8] > 0.7) & (acc[acc < 0.8] < 0.76))


@pytest.mark.parametrize("k", [1.0, 2.0, 5.0, 20.0])
def test_two_tanh_units_by_hand_classify_the_corners_and_the_noisy_data(k: float) -> None:
    params = xor_two_tanh_units(k)
    np.testing.assert_array_equal(predict(params, CORNERS), [0.0, 1.0, 1.0, 0.0])
    X, y = make_xor(200, np.random.default_rng(0))
    assert np.mean(predict(params, X) == y) >= 0.95
    # 与训练的模型同一形式: 2 -> 2 (tanh) -> 1 (logit)
    assert [W.shape for W, _ in params] == [(2, 2), (1, 2)]


def test_make_xor_labels_are_the_sign_disagreement_of_the_corners() -> None:
    X, y = make_xor(203, np.random.default_rng(1), noise=0.0)
    assert X.shape == (203, 2) and y.shape == (203,)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(float))


def test_bad_input_raises_with_argument_name() -> None:
    with pytest.raises(ValueError, match="params must be a non-empty list"):
        collapse_linear([])
    with pytest.raises(ValueError, match="params: layer widths do not chain"):
        collapse_linear([(np.ones((3, 2)), np.ones(3)), (np.ones((1, 4)), np.ones(1))])
    with pytest.raises(ValueError, match=r"y must have shape \(N,\)"):
        best_linear_fit(XOR_X, np.ones(3))
    with pytest.raises(ValueError, match="n must be an int >= 4"):
        make_xor(2, np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        make_xor(8, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="hidden must be an int >= 0"):
        train_classifier(XOR_X, XOR_Y, -1, 0)
    with pytest.raises(ValueError, match="k must be a finite number > 0.55"):
        xor_two_tanh_units(0.5)


@pytest.mark.parametrize("k", [True, float("inf"), float("nan"), "5"])
def test_xor_two_tanh_units_rejects_bool_and_non_finite_k(k: object) -> None:
    with pytest.raises(ValueError, match=r"^k must be a finite number > 0.55"):
        xor_two_tanh_units(k)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr": -1.0}, r"^lr must be a positive finite number"),
        ({"lr": 0.0}, r"^lr must be a positive finite number"),
        ({"lr": float("nan")}, r"^lr must be a positive finite number"),
        ({"lr": float("inf")}, r"^lr must be a positive finite number"),
        ({"steps": -5}, r"^steps must be an int >= 1"),
        ({"steps": 0}, r"^steps must be an int >= 1"),
        ({"steps": 2.0}, r"^steps must be an int >= 1"),
        ({"seed": -1}, r"^seed must be an int >= 0"),
        ({"seed": True}, r"^seed must be an int >= 0"),
    ],
)
def test_train_classifier_rejects_bad_hyperparameters(kwargs: dict, message: str) -> None:
    args = {"hidden": 2, "seed": 0} | kwargs
    with pytest.raises(ValueError, match=message):
        train_classifier(XOR_X, XOR_Y, **args)


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (XOR_X.tolist(), XOR_Y, r"^X must be a numeric numpy array"),
        (XOR_X, XOR_Y.tolist(), r"^y must be a numeric numpy array"),
        (XOR_X.astype(str), XOR_Y, r"^X must be a numeric numpy array"),
    ],
)
def test_best_linear_fit_and_train_classifier_reject_non_arrays(X: object, y: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        best_linear_fit(X, y)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=message):
        train_classifier(X, y, 2, 0)  # type: ignore[arg-type]


def test_predict_and_train_reject_bad_shapes() -> None:
    with pytest.raises(ValueError, match="params must be a non-empty list"):
        predict([], XOR_X)
    with pytest.raises(ValueError, match=r"y must have shape \(N,\)"):
        train_classifier(XOR_X, XOR_Y[:3], 2, 0)

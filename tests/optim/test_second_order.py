"""Tests for snippets.optim.second_order: the logistic-regression derivatives, Newton's method, L-BFGS in torch."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import torch
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

from snippets.optim.second_order import (
    LOGREG_LAM,
    digits_binary,
    gradient_descent,
    lbfgs_torch,
    logreg_loss_grad_hess,
    newton,
)


@functools.cache
def _data() -> tuple[np.ndarray, np.ndarray]:
    return digits_binary()


def test_loss_grad_hess_match_torch_autograd() -> None:
    rng = np.random.default_rng(0)
    X, y, w = rng.standard_normal((20, 4)), rng.integers(0, 2, 20).astype(float), rng.standard_normal(4)
    L, g, H = logreg_loss_grad_hess(w, X, y, 0.3)

    def f(wt: torch.Tensor) -> torch.Tensor:
        z = torch.from_numpy(X) @ wt
        return torch.nn.functional.binary_cross_entropy_with_logits(z, torch.from_numpy(y)) + 0.15 * wt @ wt

    wt = torch.tensor(w, requires_grad=True)
    f(wt).backward()
    np.testing.assert_allclose(L, f(torch.tensor(w)).item(), rtol=1e-13)
    np.testing.assert_allclose(g, wt.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(H, torch.autograd.functional.hessian(f, torch.tensor(w)).numpy(), rtol=1e-12, atol=1e-14)


def test_newton_hand_cases() -> None:
    # 一个样本 x = 1, y = 1, lambda = 1/4, 从 w = 0: g = -1/2, H = 1/4 + 1/4, 一步到 w = 1
    X, y = np.array([[1.0]]), np.array([1.0])
    ws = newton(lambda w: logreg_loss_grad_hess(w, X, y, 0.25)[1:], np.zeros(1), 1)
    np.testing.assert_allclose(ws[1], [1.0])
    # 二次函数 1/2 w^T A w - c^T w: 一步就到 A^{-1} c, 从哪里出发都一样
    A, c = np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([1.0, -1.0])
    ws = newton(lambda w: (A @ w - c, A), np.array([10.0, -7.0]), 1)
    np.testing.assert_allclose(ws[1], [0.6, -0.8], rtol=1e-14)
    # 鞍点 x^2 - y^2: 牛顿法一步跳到鞍点 (0, 0), 而不是远离它
    ws = newton(lambda w: (np.array([2 * w[0], -2 * w[1]]), np.diag([2.0, -2.0])), np.array([0.5, 0.3]), 1)
    np.testing.assert_allclose(ws[1], [0.0, 0.0], atol=1e-15)


@pytest.mark.experiment
def test_newton_converges_quadratically_and_matches_sklearn_and_scipy() -> None:
    X, y = _data()
    assert X.shape == (357, 65)
    ws = newton(lambda w: logreg_loss_grad_hess(w, X, y, LOGREG_LAM)[1:], np.zeros(65), 10)
    gn = np.array([np.linalg.norm(logreg_loss_grad_hess(w, X, y, LOGREG_LAM)[1]) for w in ws])
    assert np.all(gn[:8] > 1e-12) and gn[8] < 1e-12  # 第 8 步梯度范数到 1e-12 以下
    assert gn[7] < gn[6] ** 2 * 100  # 二次收敛: 新误差 ~ 旧误差的平方
    gap = np.array([logreg_loss_grad_hess(w, X, y, LOGREG_LAM)[0] for w in ws]) - \
        logreg_loss_grad_hess(ws[-1], X, y, LOGREG_LAM)[0]
    for t, (lo, hi) in {5: (2e-5, 4e-5), 6: (2e-8, 4e-8), 7: (0, 1e-13)}.items():  # 页面与图注的数量级
        assert lo <= gap[t] < hi, (t, gap[t])
    C = 1 / (len(y) * LOGREG_LAM)  # sklearn: C * sum(loss) + |w|^2 / 2, 与 mean(loss) + lam/2 |w|^2 同解
    sk = LogisticRegression(C=C, fit_intercept=False, tol=1e-12, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(sk.coef_[0], ws[-1], atol=1e-5)
    sp = minimize(lambda w: logreg_loss_grad_hess(w, X, y, LOGREG_LAM)[:2], np.zeros(65), jac=True, method="L-BFGS-B",
                  options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 2000})
    np.testing.assert_allclose(sp.x, ws[-1], atol=1e-5)


@pytest.mark.experiment
def test_lbfgs_torch_reaches_newtons_loss_and_gd_does_not() -> None:
    X, y = _data()
    ws = newton(lambda w: logreg_loss_grad_hess(w, X, y, LOGREG_LAM)[1:], np.zeros(65), 10)
    best = logreg_loss_grad_hess(ws[-1], X, y, LOGREG_LAM)[0]
    gap = lbfgs_torch(X, y, LOGREG_LAM, 30) - best
    assert gap[30] < 1e-9 and 1e-4 < gap[10] < 1e-3 and gap[20] < 1e-8  # 页面与图注里的数量级
    # max_iter = 1 而 max_eval 用默认值 (= 1): 线搜索只有一次试探, 被拒后步长为 0, 此后停在原地 (页面追问)
    stuck = lbfgs_torch(X, y, LOGREG_LAM, 30, max_eval=None) - best
    assert stuck[25] == stuck[30] and 1e-5 < stuck[30] < 1e-4
    L_smooth = np.linalg.eigvalsh(X.T @ X / len(y)).max() / 4 + LOGREG_LAM
    wg = gradient_descent(lambda w: logreg_loss_grad_hess(w, X, y, LOGREG_LAM)[1], np.zeros(65), 1 / L_smooth, 200)
    assert 0.02 < logreg_loss_grad_hess(wg[-1], X, y, LOGREG_LAM)[0] - best < 0.05  # 200 步 GD 还差 0.02 以上


def test_second_order_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="a and b"):
        digits_binary(3, 3)
    with pytest.raises(ValueError, match="lam"):
        logreg_loss_grad_hess(np.zeros(2), np.zeros((3, 2)), np.zeros(3), -1.0)
    with pytest.raises(ValueError, match="w must be"):
        logreg_loss_grad_hess(np.zeros(3), np.zeros((3, 2)), np.zeros(3), 0.1)
    with pytest.raises(ValueError, match="iters"):
        newton(lambda w: (w, np.eye(1)), np.zeros(1), -1)
    with pytest.raises(ValueError, match="lr"):
        gradient_descent(lambda w: w, np.zeros(1), -0.1, 3)
    with pytest.raises(ValueError, match="lam"):
        lbfgs_torch(np.zeros((3, 2)), np.zeros(3), -1.0, 3)
    with pytest.raises(ValueError, match="max_eval"):
        lbfgs_torch(np.zeros((3, 2)), np.zeros(3), 0.1, 3, max_eval=0)

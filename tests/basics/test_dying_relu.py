"""Tests for snippets.basics.dying_relu: the hand-written SGD step, the dead-unit count, the page's claims."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.basics.dying_relu import DeadRun, dead_claims, dead_share, digits_split, sgd_step, train_digits_mlp


def _small_net(rng: np.random.Generator, S: int = 2, bias: float = 0.0) -> tuple[list, list]:
    sizes = [64, 16, 16, 10]
    Ws = [rng.normal(0.0, np.sqrt(2 / i), (S, o, i)) for i, o in zip(sizes, sizes[1:], strict=False)]
    bs = [np.full((S, 16), bias), np.full((S, 16), bias), rng.normal(size=(S, 10))]
    return Ws, bs


@pytest.mark.parametrize("slope", [0.0, 0.1])
def test_sgd_step_matches_torch_sgd(slope: float) -> None:
    rng = np.random.default_rng(0)
    Ws, bs = _small_net(rng)
    X_tr, y_tr, _, _ = digits_split()
    idx = rng.integers(0, len(y_tr), (2, 8))
    X, Y = X_tr[idx], np.eye(10)[y_tr[idx]]
    new_W, new_b = sgd_step(Ws, bs, X, Y, 0.3, slope)
    for s in range(2):  # 每个种子是一个独立的网络
        params = [torch.tensor(a[s], requires_grad=True) for pair in zip(Ws, bs, strict=True) for a in pair]
        opt = torch.optim.SGD(params, lr=0.3)
        A = torch.from_numpy(X[s])
        for k in range(3):
            A = A @ params[2 * k].T + params[2 * k + 1]
            if k < 2:
                A = torch.nn.functional.leaky_relu(A, slope) if slope else torch.relu(A)
        loss = torch.nn.functional.cross_entropy(A, torch.from_numpy(Y[s].argmax(axis=1)))
        loss.backward()
        opt.step()
        for k in range(3):
            np.testing.assert_allclose(new_W[k][s], params[2 * k].detach().numpy(), rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(new_b[k][s], params[2 * k + 1].detach().numpy(), rtol=1e-10, atol=1e-12)


def test_dead_share_hand_case_and_naive_loop() -> None:
    Z = np.array([[[-1.0, 0.0, 2.0], [-3.0, 0.0, -1.0]]])  # (S=1, N=2, H=3): 单元 0、1 死亡, 单元 2 活着
    assert dead_share([Z])[0] == pytest.approx(2 / 3)
    rng = np.random.default_rng(1)
    Zs = [rng.normal(-1.0, 1.0, (3, 5, 7)), rng.normal(-1.5, 1.0, (3, 5, 4))]
    naive = [np.mean([all(Z[s, n, j] <= 0 for n in range(5)) for Z in Zs for j in range(Z.shape[2])]) for s in range(3)]
    np.testing.assert_allclose(dead_share(Zs), naive)


def test_dead_first_layer_units_never_change() -> None:
    rng = np.random.default_rng(2)
    Ws, bs = _small_net(rng, bias=-2.0)
    X_tr, y_tr, _, _ = digits_split()
    Z1 = X_tr @ Ws[0].transpose(0, 2, 1) + bs[0][:, None, :]  # (S, 1300, 16), 整个训练集
    dead = (Z1 <= 0).all(axis=1)  # (S, 16)
    assert dead.any()
    for _ in range(20):
        idx = rng.integers(0, len(y_tr), (2, 32))
        new_W, new_b = sgd_step(Ws, bs, X_tr[idx], np.eye(10)[y_tr[idx]], 0.1, 0.0)
        assert np.array_equal(new_W[0][dead], Ws[0][dead]) and np.array_equal(new_b[0][dead], bs[0][dead])
        Ws, bs = new_W, new_b


def test_unit_at_exactly_zero_gets_no_gradient() -> None:
    # 预激活恰为 0 的单元算死亡 (dead_share 用 <= 0), 与 PyTorch 一样在 0 处取导数 0: 参数不变
    rng = np.random.default_rng(3)
    Ws, bs = _small_net(rng)
    Ws[0][:, 0, :], bs[0][:, 0] = 0.0, 0.0  # 第一隐藏层的单元 0: z = 0 对所有样本
    X_tr, y_tr, _, _ = digits_split()
    idx = rng.integers(0, len(y_tr), (2, 16))
    new_W, new_b = sgd_step(Ws, bs, X_tr[idx], np.eye(10)[y_tr[idx]], 0.5, 0.0)
    assert np.all(new_W[0][:, 0, :] == 0.0) and np.all(new_b[0][:, 0] == 0.0)
    assert not np.array_equal(new_W[0][:, 1, :], Ws[0][:, 1, :])  # 其他单元照常更新


@pytest.mark.experiment
def test_page_claims_over_five_seeds() -> None:
    # b0 = -1.5 (ReLU 对 Leaky ReLU) 的中位数和范围由页面代码块的输出逐字检查; 其余数字由生成图时的 dead_claims 检查
    base = train_digits_mlp(0.1)
    assert np.all(base.dead_final == 0) and np.all(base.accuracy > 0.9)
    stable = train_digits_mlp(1.0)
    assert np.all(stable.dead_final < 0.05) and np.all(stable.accuracy > 0.9)
    frozen = train_digits_mlp(0.1, 0.0, -2.0)
    np.testing.assert_array_equal(frozen.dead_final, frozen.dead_init)
    big = train_digits_mlp(2.0)
    assert np.all(big.dead_final > 0.3) and np.all(big.finite)
    assert not train_digits_mlp(2.0, 0.1).finite.any()  # Leaky ReLU 在同样的学习率下溢出


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"lr": 0.0}, "lr"), ({"lr": float("inf")}, "lr"), ({"slope": 1.0}, "slope"), ({"slope": -0.1}, "slope"),
     ({"bias": float("nan")}, "bias"), ({"steps": -1}, "steps"), ({"seeds": []}, "seeds"), ({"width": 0}, "width"),
     ({"batch": 0}, "batch")],
)
def test_train_digits_mlp_rejects_bad_input(kwargs: dict, name: str) -> None:
    args = {"lr": 0.1, **kwargs}
    with pytest.raises(ValueError, match=name):
        train_digits_mlp(**args)


def test_dead_claims_read_the_grid() -> None:
    run = DeadRun(np.zeros(5), np.zeros(5), np.full(5, 0.95), np.ones(5, dtype=bool))
    grid = {"relu_bias": [run] * 5, "leaky_bias": [run] * 5, "relu_lr": [run] * 5}
    claims = dead_claims(grid)
    assert claims["ReLU b0 0 and -0.5: no dead unit after training"]
    assert not claims["ReLU b0 -1.5: dead 34%-40% at init, 30%-40% after, accuracy 9%-18%"]
    unstable = ("lr 1.5, 2.0: dead about a third to a half (30%-55%) on every seed; lr 1.5 accuracy < 60% on every "
                "seed, lowest at chance; lr 2.0 median accuracy at chance (about 10%)")
    assert not claims[unstable]
    stable = [run] * 3  # 学习率 0.1、0.3、1.0
    dead15, acc15 = np.array([0.3, 0.35, 0.4, 0.45, 0.55]), np.array([0.1, 0.2, 0.44, 0.52, 0.59])
    acc20 = np.array([0.1, 0.1, 0.3, 0.1, 0.1])

    def holds(dead: np.ndarray = dead15, acc: np.ndarray = acc15, acc2: np.ndarray = acc20) -> bool:
        lr15 = DeadRun(np.full(5, 0.4), dead, acc, np.ones(5, dtype=bool))
        lr20 = DeadRun(np.full(5, 0.4), np.full(5, 0.45), acc2, np.ones(5, dtype=bool))
        return dead_claims({**grid, "relu_lr": [*stable, lr15, lr20]})[unstable]

    assert holds()
    assert not holds(dead=dead15 - np.array([0.01, 0, 0, 0, 0]))            # 一个种子死单元 29%
    assert not holds(dead=dead15 + np.array([0, 0, 0, 0, 0.01]))            # 一个种子 56%
    assert not holds(acc=acc15 + np.array([0, 0, 0, 0, 0.02]))              # 最高的种子 61%
    assert not holds(acc=acc15 + np.array([0.02, 0, 0, 0, 0]))              # 最低的 12%: 不在随机水平
    assert not holds(acc2=acc20 - 0.02)                                     # 学习率 2.0 的中位数 8%
    assert not holds(acc2=acc20 + 0.03)                                     # 13%
    with pytest.raises(ValueError, match="grid"):
        dead_claims({"relu_bias": []})


def test_dead_share_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="Zs"):
        dead_share([])
    with pytest.raises(ValueError, match="Zs"):
        dead_share([np.zeros((2, 3))])

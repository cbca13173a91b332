# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 动手：基础与反向传播
#
# 这个 Notebook 把[本章](../../basics/)的代码串起来运行。页面上的输出是构建网站时真实执行得到的；
# 也可以[下载 `.ipynb`](../basics.ipynb) 在本地或 Colab 单独运行：它的第一格会从本书的代码仓库（页首的「源代码与勘误」）安装本书的 `snippets` 包（只装它本身，环境里需已有 NumPy、PyTorch、Matplotlib）。
#
# 记号：第 $l$ 层 $Z^{(l)} = A^{(l-1)} W^{(l)\top} + b^{(l)}$，$A^{(l)} = f(Z^{(l)})$，
# $W^{(l)}$ 的形状是（输出维，输入维）。

# %%
import numpy as np
import torch
import torch.nn.functional as F

from snippets.basics.activations_modern import ZOO
from snippets.basics.backprop import backward, forward, init_mlp, train_sse
from snippets.basics.clipping import clip_grad_norm
from snippets.basics.deep_grads import KINDS, grad_norms_per_layer
from snippets.basics.mlp import XOR_X, XOR_Y, best_linear_fit, collapse_linear

# %% [markdown]
# ## 1. 没有激活函数，多层等于一层
#
# 三个线性层乘出来就是一个 $(W, b)$；XOR 上最好的仿射函数是常数 $0.5$。

# %%
params = init_mlp([2, 16, 16, 1], np.random.default_rng(0))
W, b = collapse_linear(params)
X = np.random.default_rng(1).normal(size=(4, 2))
deep, _ = forward(params, X, ["identity"] * 3)
print("collapsed W shape:", W.shape, " same outputs:", bool(np.allclose(deep, X @ W.T + b, rtol=1e-12, atol=1e-12)))
w, b0 = best_linear_fit(XOR_X, XOR_Y)
print("least squares on XOR: w =", np.abs(w.round(12)), " b =", round(b0, 12))

# %% [markdown]
# ## 2. 激活函数在折点处的导数
#
# 我们的实现与 PyTorch autograd（torch 2.13.0）在 $z = 0$ 和 $z = \pm 3$ 处返回相同的值。
# 这些值是实现的约定：换一个版本、或把 ReLU 写成 `clamp(min=0)`、`torch.maximum`，
# 折点处的值都可能不同（见激活函数一页）。

# %%
z = np.array([-3.0, 0.0, 3.0])
for name in ("relu", "leaky_relu", "selu", "hardsigmoid", "hardswish"):
    zt = torch.tensor(z, requires_grad=True)
    fn = {"relu": F.relu, "leaky_relu": F.leaky_relu, "selu": F.selu,
          "hardsigmoid": F.hardsigmoid, "hardswish": F.hardswish}[name]
    (g,) = torch.autograd.grad(fn(zt).sum(), zt)
    print(f"{name:12s} ours {ZOO[name][1](z).round(4)}  torch {g.numpy().round(4)}")

# %% [markdown]
# ## 3. 手写反向传播 vs autograd
#
# 一个三层网络（tanh 隐藏层、sigmoid 输出层），损失为误差平方和。

# %%
rng = np.random.default_rng(0)
acts = ["tanh", "sigmoid"]
params = init_mlp([3, 4, 2], rng)
X, Y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
Y_hat, cache = forward(params, X, acts)
grads = backward(params, cache, 2 * (Y_hat - Y), acts)

tp = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
A1 = torch.tanh(torch.from_numpy(X) @ tp[0][0].T + tp[0][1])
((torch.sigmoid(A1 @ tp[1][0].T + tp[1][1]) - torch.from_numpy(Y)) ** 2).sum().backward()
for i, ((dW, db), (Wt, bt)) in enumerate(zip(grads, tp, strict=True), start=1):
    diff = max(np.abs(dW - Wt.grad.numpy()).max(), np.abs(db - bt.grad.numpy()).max())
    print(f"layer {i}: max |ours - autograd| < 1e-12: {diff < 1e-12}")

# %% [markdown]
# ## 4. 训练到 SSE 趋于 0
#
# 2-4-1 的 sigmoid 网络在 XOR 上做全批量梯度下降，5 个初始化种子，打印中位数与范围。可以改学习率或种子再运行。

# %%
runs, outputs = [], []
for seed in range(5):
    params = init_mlp([2, 4, 1], np.random.default_rng(seed))
    trained, sse = train_sse(XOR_X, XOR_Y[:, None], params, ["sigmoid", "sigmoid"], lr=2.0, epochs=2000)
    runs.append(sse)
    outputs.append(forward(trained, XOR_X, ["sigmoid", "sigmoid"])[0][:, 0])
runs = np.array(runs)  # (5 seeds, 2000 epochs)
for epoch in (1, 100, 2000):
    col = runs[:, epoch - 1]
    print(f"epoch {epoch:4d}: SSE median {np.median(col):.1e}, range {col.min():.1e} to {col.max():.1e}")
print("4 points classified correctly on all 5 seeds:", all(np.array_equal(o > 0.5, XOR_Y == 1) for o in outputs))

# %% [markdown]
# ## 5. 逐层梯度范数：sigmoid、ReLU + He、残差
#
# 20 层、宽 32 的网络在初始化时第 1 层和第 20 层权重梯度的范数（5 个种子的中位数，括号里是范围）。

# %%
for kind in KINDS:
    at_init = np.array([grad_norms_per_layer(kind, seed=seed, steps=1)[0] for seed in range(5)])  # (5, 20)
    first, last = at_init[:, 0], at_init[:, -1]
    print(f"{kind:8s} layer 1: {np.median(first):.1e} ({first.min():.1e} to {first.max():.1e})   "
          f"layer 20: {np.median(last):.1e} ({last.min():.1e} to {last.max():.1e})")

# %% [markdown]
# ## 6. 按范数裁剪梯度
#
# 与 `torch.nn.utils.clip_grad_norm_` 比较：返回裁剪前的总范数，裁剪后方向不变。

# %%
g = [np.array([3.0, 4.0]), np.array([12.0])]
p = [torch.nn.Parameter(torch.zeros(x.shape, dtype=torch.float64)) for x in g]
for pi, gi in zip(p, g, strict=True):
    pi.grad = torch.tensor(gi)
total = torch.nn.utils.clip_grad_norm_(p, max_norm=1.0)
ours, ours_total = clip_grad_norm(g, max_norm=1.0)
print("total norm:", total.item(), ours_total)
print("ours :", [x.round(4).tolist() for x in ours])
print("torch:", [pi.grad.numpy().round(4).tolist() for pi in p])

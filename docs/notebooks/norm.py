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
# # 动手：归一化与正则化
#
# 这个 Notebook 把[本章](../../norm/)的代码串起来运行。页面上的输出是构建网站时真实执行得到的；
# 也可以[下载 `.ipynb`](../norm.ipynb) 在本地或 Colab 单独运行：它的第一格会从本书的代码仓库（页首的「源代码与勘误」）安装本书的 `snippets` 包（只装它本身，环境里需已有 NumPy、PyTorch、Matplotlib）。
#
# 记号：输入 $X$ 的形状是 $(N, C, H, W)$；$\gamma, \beta$ 是逐通道的缩放和平移。

# %%
import numpy as np
import torch

from snippets.norm.batchnorm import batchnorm_backward, batchnorm_eval, batchnorm_train
from snippets.norm.bn_experiment import bn_lr_sweep
from snippets.norm.dropout import dropout
from snippets.norm.family import group_norm, layer_norm
from snippets.norm.lrn import lrn_alexnet
from snippets.norm.small_batch import gap_vs_batch_size

# %% [markdown]
# ## 1. 从零实现的 BN：前向、反向和运行统计量
#
# 用同一批数据，把手写的训练模式前向、反向（对 $X, \gamma, \beta$ 的梯度）和 `nn.BatchNorm2d` + autograd 在 float64 下比较；
# 再看一步之后的运行统计量：PyTorch 的 `momentum=0.1` 是**新**批统计量的权重，
# 运行方差用的是无偏估计（除以 $NHW - 1$），而归一化本身用的是有偏估计。

# %%
rng = np.random.default_rng(0)
N, C, H, W = 4, 3, 5, 5
X = rng.normal(2.0, 3.0, size=(N, C, H, W))
gamma, beta = rng.normal(size=C), rng.normal(size=C)
dY = rng.normal(size=X.shape)

Y, cache, run_mean, run_var = batchnorm_train(X, gamma, beta, np.zeros(C), np.ones(C), momentum=0.1)
dX, dgamma, dbeta = batchnorm_backward(dY, cache)

bn = torch.nn.BatchNorm2d(C, momentum=0.1).double()
with torch.no_grad():
    bn.weight.copy_(torch.tensor(gamma))
    bn.bias.copy_(torch.tensor(beta))
Xt = torch.tensor(X, requires_grad=True)
Yt = bn(Xt)
Yt.backward(torch.tensor(dY))


def same(a, b) -> bool:
    return bool(np.allclose(a, b, rtol=1e-10, atol=1e-12))


print("forward:", same(Y, Yt.detach().numpy()))
print("dX, dgamma, dbeta:", same(dX, Xt.grad.numpy()), same(dgamma, bn.weight.grad.numpy()),
      same(dbeta, bn.bias.grad.numpy()))
print("running mean, running var:", same(run_mean, bn.running_mean.numpy()), same(run_var, bn.running_var.numpy()))

# %% [markdown]
# 推理时用运行统计量；一步之后它们离真实的批统计量还很远，所以刚开始训练就切到 `eval()` 的输出和训练模式差别很大：

# %%
bn.eval()
with torch.no_grad():
    Y_eval = bn(torch.tensor(X)).numpy()
print("eval output equals ours:", same(Y_eval, batchnorm_eval(X, gamma, beta, run_mean, run_var)))
print(f"mean |train - eval| output: {np.abs(Y - Y_eval).mean():.2f}")

# %% [markdown]
# ## 2. 归一化的维度：LayerNorm 与 GroupNorm
#
# GroupNorm 在每个样本内把 $C$ 个通道分成 $G$ 组；$G = 1$ 时统计量与 LayerNorm（对 $C, H, W$）相同，
# $G = C$ 时就是 InstanceNorm。三者都与 PyTorch 的模块对照。

# %%
X = rng.normal(size=(2, 6, 4, 4))
ones, zeros = np.ones(6), np.zeros(6)
Xt = torch.tensor(X)
for G in (1, 3, 6):
    ours, _ = group_norm(X, G, ones, zeros)
    print(f"GroupNorm G = {G}: matches nn.GroupNorm:", same(ours, torch.nn.GroupNorm(G, 6).double()(Xt).detach().numpy()))
ln, _ = layer_norm(X, np.ones(X.shape[1:]), np.zeros(X.shape[1:]))
print("LayerNorm over (C, H, W) matches nn.LayerNorm:", same(ln, torch.nn.LayerNorm(X.shape[1:]).double()(Xt).detach().numpy()))
print("GroupNorm G = 6 matches nn.InstanceNorm2d:", same(group_norm(X, 6, ones, zeros)[0],
                                                      torch.nn.InstanceNorm2d(6).double()(Xt).numpy()))

# %% [markdown]
# ## 3. AlexNet 的 LRN 与 PyTorch 的 α 约定
#
# `nn.LocalResponseNorm` 把 $\alpha$ 除以窗口大小 $n$：要得到 AlexNet 的 $\alpha = 10^{-4}$，传入 $\alpha n$。

# %%
X = rng.normal(size=(1, 8, 3, 3)) * 20
Y, _ = lrn_alexnet(X)
for alpha in (1e-4 * 5, 1e-4):
    theirs = torch.nn.LocalResponseNorm(5, alpha=alpha, beta=0.75, k=2.0)(torch.tensor(X)).numpy()
    print(f"nn.LocalResponseNorm(alpha={alpha:g}) equals AlexNet's LRN:", same(Y, theirs))

# %% [markdown]
# ## 4. BN 与学习率：同一组运行的逐轮损失
#
# 与[BN 一页](../../norm/batchnorm/)的图是同一组运行：digits 数据上的小 MLP，SGD 训练 3 轮，有无 BN 各 5 个种子。
# 下面按学习率列出每一轮训练损失的中位数（5 个种子），可以看到 BN 在哪些学习率下让损失降得更快。
# 具体数值与 CPU 的数值内核有关，稳定的是页面上列出的比较。

# %%
runs = bn_lr_sweep()  # {(bn, lr): [Run per seed]}
for lr in sorted({lr for _, lr in runs}):
    for use_bn in (False, True):
        losses = np.array([r.train_loss for r in runs[use_bn, lr]])  # (seeds, epochs)
        curve = " ".join(f"{v:6.2f}" for v in np.median(losses, axis=0))
        print(f"lr {lr:>4}  {'BN   ' if use_bn else 'no BN'}  median loss per epoch: {curve}")

# %% [markdown]
# ## 5. 小批量下 BN 的训练/推理差距
#
# 每批只有 $B$ 个样本时，批统计量是运行统计量的噪声估计，训练输出和推理输出的差距约按 $1/\sqrt{B}$ 缩小（5 个种子的中位数）。

# %%
for B, gaps in gap_vs_batch_size().items():
    print(f"B = {B:>2}: median gap {np.median(gaps):.3f}, times sqrt(B) {np.median(gaps) * np.sqrt(B):.2f}")

# %% [markdown]
# ## 6. Dropout 为什么要除以 1 − p
#
# 训练时保留的单元乘以 $1/(1-p)$，输出的期望和推理时（不丢弃、不缩放）相同。对一个常数输入取 10000 次丢弃的平均：

# %%
x = np.ones(10_000)
for p in (0.2, 0.5, 0.8):
    y, _ = dropout(x, p, np.random.default_rng(1))
    print(f"p = {p}: training-mode mean {y.mean():.2f}, evaluation-mode mean {dropout(x, p, np.random.default_rng(1), training=False)[0].mean():.2f}")

# %% [markdown]
# 可以改动种子、批大小或学习率再运行（例如 `bn_lr_sweep(lrs=(0.1,), seeds=tuple(range(10)))`），看结论是否仍然成立。

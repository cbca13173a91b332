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
# # 动手：优化与训练
#
# 这个 Notebook 把[本章](../../optim/)的代码串起来运行。页面上的输出是构建网站时真实执行得到的；
# 也可以[下载 `.ipynb`](../optim.ipynb) 在本地或 Colab 单独运行：它的第一格会从本书的代码仓库（页首的「源代码与勘误」）安装本书的 `snippets` 包（只装它本身，环境里需已有 NumPy、PyTorch、Matplotlib）。
#
# 记号：$\theta$ 为参数，$g_t$ 为第 $t$ 步的梯度，$\eta$ 为学习率。

# %%
import numpy as np
import torch

from snippets.optim.adaptive import Adam, AdamW
from snippets.optim.batch_size import train_mlp
from snippets.optim.initialization import forward_moments, kaiming_std, preactivation_stds, xavier_std
from snippets.optim.quadratic import bowl, trajectory
from snippets.optim.sgd import SGD

# %% [markdown]
# ## 1. 从零实现的 Adam 与 torch.optim.Adam 逐步相同
#
# 在 $f(\theta) = \sum_i (\theta_i^2 / 2 + \cos\theta_i)$ 上并排跑 200 步（float64）。


# %%
def grad_f(theta):
    return theta - np.sin(theta)


theta = np.array([2.0, -1.0, 0.5])
ours = Adam(lr=0.05, weight_decay=0.01)
p = torch.nn.Parameter(torch.tensor(theta))
opt = torch.optim.Adam([p], lr=0.05, weight_decay=0.01)
for _ in range(200):
    theta = ours.step(theta, grad_f(theta))
    p.grad = torch.from_numpy(grad_f(p.detach().numpy()))
    opt.step()
print("ours :", theta.round(6))
print("torch:", p.detach().numpy().round(6))
print("max |difference| < 1e-12:", float(np.abs(theta - p.detach().numpy()).max()) < 1e-12)

# %% [markdown]
# ## 2. 病态二次函数上的轨迹
#
# $f(x, y) = x^2/20 + y^2$，从 $(-7, 2)$ 出发 30 步。可以改学习率，看 SGD 什么时候开始发散（提示：$\eta > 1$）。

# %%
for name, o in {"SGD 0.95": SGD(0.95), "Momentum 0.1": SGD(0.1, momentum=0.9), "Adam 0.3": Adam(0.3),
                "AdamW 0.3": AdamW(0.3)}.items():
    path = trajectory(o, steps=30)
    print(f"{name:12s} f after 30 steps: {bowl(path)[-1]:.4f}")

# %% [markdown]
# ## 3. 批大小：固定学习率、线性缩放与平方根缩放
#
# 12 维高斯、400 个训练和 100 个测试样本，5 个 epoch，10 个种子；每格是测试正确率的中位数（括号里是最小到最大）。
# 可以换一条 $\eta(B)$ 规则试试：最终正确率主要看 $\eta \times$ 更新次数够不够。

# %%
seeds = tuple(range(10))
for name, lr_of in {"fixed 0.01": lambda B: 0.01, "0.01 * B": lambda B: 0.01 * B,
                    "0.2 * sqrt(B)": lambda B: 0.2 * np.sqrt(B)}.items():
    cells = []
    for B in (1, 16, 400):
        acc = train_mlp(B, float(lr_of(B)), epochs=5, seeds=seeds).accuracy
        cells.append(f"B={B}: {np.median(acc):.3f} ({acc.min():.2f}-{acc.max():.2f})")
    print(f"{name:14s}", "  ".join(cells))

# %% [markdown]
# ## 4. 初始化：20 层 ReLU 网络的逐层标准差
#
# Xavier（增益 1）每层把方差减半；He 初始化保持 ReLU 输出的二阶矩 $\mathbb{E}[a^2] = 1$，
# 所以预激活的标准差在 $\sqrt2 \approx 1.41$ 附近。
# 10 个种子：第 1、10、20 层的中位数（括号里是最小到最大），以及 He 网络在 10 个种子上平均的 $\mathbb{E}[a^2]$。

# %%
n = 128
for name, std in (("Xavier", xavier_std(n, n)), ("He", kaiming_std(n, n))):
    s = np.array([preactivation_stds(std, "relu", seed=k) for k in range(10)])  # (10, 20)
    cells = [f"{np.median(s[:, j]):.2g} ({s[:, j].min():.2g}-{s[:, j].max():.2g})" for j in (0, 9, 19)]
    print(f"{name:6s}", "  ".join(cells))
a2 = np.array([forward_moments(kaiming_std(n, n), "relu", seed=k)[1] for k in range(10)])
print("He E[a^2], mean of 10 seeds, layers 1, 10, 20:", np.round(a2.mean(axis=0)[[0, 9, 19]], 1))

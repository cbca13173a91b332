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
# # 动手：损失函数与输出层
#
# 这个 Notebook 把[本章](../../losses/)的代码串起来运行。页面上的输出是构建网站时真实执行得到的；
# 也可以[下载 `.ipynb`](../losses.ipynb) 在本地或 Colab 单独运行：它的第一格会从本书的代码仓库（页首的「源代码与勘误」）安装本书的 `snippets` 包（只装它本身，环境里需已有 NumPy、PyTorch、Matplotlib）。
#
# 记号：$z$ 为 logits，$p = \operatorname{softmax}(z)$，$\mathbf{y}$ 为独热标签。

# %%
import numpy as np
import torch
import torch.nn.functional as F

from snippets.losses.ce_vs_mse import ce_vs_mse_experiment, first_step_reaching
from snippets.losses.cross_entropy import cross_entropy, cross_entropy_grad
from snippets.losses.seeds import summarize_seeds
from snippets.losses.softmax import log_softmax, softmax, softmax_naive

# %% [markdown]
# ## 1. 减去最大值的 softmax
#
# 直接计算 $e^{z_k} / \sum_j e^{z_j}$ 在 $z_k > 709.78$ 时上溢（float64），NumPy 会报 `overflow` 警告；
# 这里用 `np.errstate` 显式地关掉警告，只看结果。利用平移不变性
# $\operatorname{softmax}(z) = \operatorname{softmax}(z - \max_j z_j)$ 可以避免上溢。

# %%
z = np.array([1000.0, 999.0, 0.0])
with np.errstate(over="ignore", invalid="ignore"):
    print("naive :", softmax_naive(z))
print("stable:", softmax(z).round(6))
print("torch :", torch.softmax(torch.tensor(z), dim=-1).numpy().round(6))

# %% [markdown]
# ## 2. 交叉熵对 logits 的梯度：(P − Y) / N
#
# 在一个随机批次上，把手写的梯度 $\frac{1}{N}(P - Y)$ 和 PyTorch 的 autograd 比较。

# %%
rng = np.random.default_rng(0)
N, K = 8, 5
Z = rng.normal(size=(N, K)) * 3
y = rng.integers(0, K, size=N)

Zt = torch.tensor(Z, requires_grad=True)
loss = F.cross_entropy(Zt, torch.tensor(y))
loss.backward()
print("loss  ours / torch:", round(cross_entropy(Z, y), 10), round(loss.item(), 10))
print("max |grad difference| < 1e-12:", float(np.abs(cross_entropy_grad(Z, y) - Zt.grad.numpy()).max()) < 1e-12)

# %% [markdown]
# 同一个数也可以写成 $-\frac1N \sum_i \log p_{i, y_i}$，即类别模型的负对数似然：

# %%
print(round(float(-log_softmax(Z)[np.arange(N), y].mean()), 10))

# %% [markdown]
# ## 3. 交叉熵 vs 均方误差：从判错的初始化出发
#
# 同一个 logistic 回归，只换损失和学习率 $\eta$；11 个数据种子，
# 每组报告“训练准确率第一次达到 90% 的步数”的中位数和范围。
# 均方误差的梯度多了因子 $s(1-s)$，在饱和区几乎为 0：同一个 $\eta$ 下它要多走几百步；
# 在这个二维 logistic 回归实验里（11 个种子），调大 $\eta$ 能追回大半，这一点没有在深层网络上验证过。

# %%
runs = ce_vs_mse_experiment()
for (name, lr), histories in runs.items():
    s90 = summarize_seeds([first_step_reaching(h.accuracy, 0.9) for h in histories])
    print(f"{name:3} lr {lr:2g}: accuracy >= 0.9 at step {s90.median:g} (range {s90.low:g}-{s90.high:g}, n = {s90.n})")

# %% [markdown]
# 可以改动 `configs`、`steps` 或 `seeds` 再运行（例如 `ce_vs_mse_experiment(seeds=range(20))`），看结论是否仍然成立。

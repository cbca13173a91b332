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
# 也可以[下载 `.ipynb`](../optim.ipynb) 在本地运行（需要克隆仓库并 `pip install -e .`，以便导入 `snippets`）。
#
# 记号：$\theta$ 为参数，$g_t$ 为第 $t$ 步的梯度，$\eta$ 为学习率。

# %%
import numpy as np
import torch

from snippets.optim.adaptive import Adam, AdamW
from snippets.optim.batch_size import train_mlp
from snippets.optim.initialization import kaiming_std, preactivation_stds, xavier_std
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
# ## 3. 批大小：固定学习率与按批大小缩放
#
# 面经 004#43 的设定（12 维高斯，400 个训练、100 个测试样本），5 个 epoch，这里只用 3 个种子以便快速运行。

# %%
for B in (1, 16, 400):
    fixed = train_mlp(B, 0.01, epochs=5, seeds=(0, 1, 2)).accuracy.mean()
    scaled = train_mlp(B, 0.01 * B, epochs=5, seeds=(0, 1, 2)).accuracy.mean()
    print(f"B = {B:3d}: fixed lr {fixed:.3f}, scaled lr {scaled:.3f}")

# %% [markdown]
# ## 4. 初始化：20 层 ReLU 网络的逐层标准差
#
# Xavier（增益 1）每层把方差减半，He 初始化保持不变。

# %%
n = 128
print("Xavier:", preactivation_stds(xavier_std(n, n), "relu")[[0, 9, 19]].round(4))
print("He    :", preactivation_stds(kaiming_std(n, n), "relu")[[0, 9, 19]].round(4))

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
# # 动手：卷积神经网络
#
# 这个 Notebook 把[本章](../../cnn/)的代码串起来运行。页面上的输出是构建网站时真实执行得到的；
# 也可以[下载 `.ipynb`](../cnn.ipynb) 在本地或 Colab 单独运行：它的第一格会从本书的代码仓库（页首的「源代码与勘误」）安装本书的 `snippets` 包（只装它本身，环境里需已有 NumPy、PyTorch、Matplotlib）。
#
# 记号：输入 $X$ 为 $(B, C, H, W)$（$B$ 为批大小；代码的形状注释按 PyTorch 的习惯写作 `(N, C, H, W)`），
# 卷积核（权重）$w$ 为 $(C_{\text{out}}, C, k, k)$，与 PyTorch 相同，$k$ 是核大小；
# 代码里权重沿用 PyTorch 的习惯叫 `W`。

# %%
import numpy as np
import torch
import torch.nn.functional as F

from snippets.cnn.conv import conv2d
from snippets.cnn.conv_backward import conv2d_backward
from snippets.cnn.output_size import conv_output_size
from snippets.cnn.params_flops import count_layers, vgg16_layers
from snippets.cnn.receptive_field import Layer, receptive_field

# %% [markdown]
# ## 1. 卷积层其实是互相关
#
# 同一个 $3 \times 3$ 输入和 $2 \times 2$ 核：不翻转核（PyTorch 的 `conv2d`）与先把核转 180 度（数学上的卷积）结果不同。

# %%
X = np.arange(9.0).reshape(1, 1, 3, 3)
W = np.arange(4.0).reshape(1, 1, 2, 2)
print("ours, cross-correlation:", conv2d(X, W)[0, 0].tolist())
print("torch F.conv2d         :", F.conv2d(torch.tensor(X), torch.tensor(W))[0, 0].tolist())
print("true convolution       :", conv2d(X, W[..., ::-1, ::-1])[0, 0].tolist())

# %% [markdown]
# ## 2. 反向传播与 autograd 对照
#
# 步幅 2、填充 1 的卷积，手写的梯度与 PyTorch autograd 比较。

# %%
rng = np.random.default_rng(0)
X, W = rng.standard_normal((2, 3, 9, 9)), rng.standard_normal((4, 3, 3, 3))
dY = rng.standard_normal(conv2d(X, W, stride=2, padding=1).shape)
dX, dW, db = conv2d_backward(dY, X, W, stride=2, padding=1)
Xt, Wt = torch.tensor(X, requires_grad=True), torch.tensor(W, requires_grad=True)
F.conv2d(Xt, Wt, stride=2, padding=1).backward(torch.tensor(dY))
print("dX matches:", np.allclose(dX, Xt.grad.numpy()), " dW matches:", np.allclose(dW, Wt.grad.numpy()))

# %% [markdown]
# ## 3. 输出尺寸、感受野、参数量
#
# 改动下面的层，看三个量怎么变。

# %%
layers = [Layer(7, 2, 3), Layer(3, 2, 1), Layer(3, 1, 1), Layer(3, 1, 1)]
size = 224
for L, rf in zip(layers, receptive_field(layers), strict=True):
    size = conv_output_size(size, L.kernel_size, L.stride, L.padding, L.dilation)
    print(f"k={L.kernel_size} s={L.stride}: output {size:3d}, receptive field {rf.r:2d}, jump {rf.j}")

rows = count_layers(vgg16_layers(), (3, 224, 224))
print(f"VGG-16: {sum(r.params for r in rows):,} parameters, {sum(r.macs for r in rows) / 1e9:.2f} GMACs")

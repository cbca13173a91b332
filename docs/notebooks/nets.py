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
# # 动手：经典网络
#
# 这个 Notebook 把[本章](../../nets/)的代码串起来运行。页面上的输出是构建网站时真实执行得到的；
# 也可以[下载 `.ipynb`](../nets.ipynb) 在本地运行（需要克隆仓库并 `pip install -e .`，以便导入 `snippets`）。
#
# 记号：特征图 $C \times H \times W$；MACs 是一张图前向的乘加次数（FLOPs 常按 2 × MACs 计）。

# %%
import numpy as np
import torch
import torch.nn.functional as F

from snippets.nets.alexnet import alexnet
from snippets.nets.attention import scaled_dot_product_attention
from snippets.nets.catalogue import NETS, all_totals
from snippets.nets.degradation import degradation_experiment
from snippets.nets.layer_table import layer_table
from snippets.nets.mobilenet import separable_cost_ratio

# %% [markdown]
# ## 1. 逐层表：在 `meta` 设备上数参数和 MACs
#
# `meta` 设备上的张量只有形状和 dtype，前向不分配内存也不计算，所以全尺寸网络的逐层表几乎不花时间。
# 下面是论文版 AlexNet（输入 227）的卷积和全连接层。

# %%
with torch.device("meta"):
    rows = layer_table(alexnet(paper=True), (3, 227, 227))
for r in rows:
    if r.kind in ("Conv2d", "Linear"):
        print(f"{r.kind:<7}{'x'.join(map(str, r.out_shape)):>12}{r.params:>12,}{r.macs / 1e6:>8.1f} M")

# %% [markdown]
# ## 2. 本章所有网络的参数与 torchvision 文档对照

# %%
for name, t in all_totals().items():
    ok = t["params"] == NETS[name].published
    print(f"{name:<13} depth {t['depth']:>3}  params {t['params']:>12,}  GMACs {t['macs'] / 1e9:6.2f}  "
          f"matches docs: {ok}")

# %% [markdown]
# ## 3. 退化问题：普通网络 vs 残差网络
#
# 与 ResNet 一页的图是同一组运行（scikit-learn 的 digits，SGD 120 步，5 个种子）。
# 普通网络的训练过程对舍入很敏感，具体的错误率在不同 CPU 上会有差别；稳定的是“22 层时每个种子都是普通网络更差”。

# %%
runs = degradation_experiment()
for (name, depth), errs in runs.items():
    print(f"{name:<8} depth {depth:2d}: training error median {np.median(errs):.1%} "
          f"(range {errs.min():.1%} to {errs.max():.1%}, n = {len(errs)})")
print("plain worse than residual at depth 22 for every seed:",
      bool(np.all(runs[("plain", 22)] > runs[("residual", 22)])))

# %% [markdown]
# ## 4. 深度可分离卷积省多少
#
# 相对标准 $k \times k$ 卷积的计算量比为 $1/o + 1/k^2$：

# %%
for o in (32, 64, 256, 1024):
    r = separable_cost_ratio(o, 3)
    print(f"o = {o:4d}: ratio {r:.3f} ({1 / r:.1f}x fewer MACs)")

# %% [markdown]
# ## 5. 从零写的注意力与 PyTorch 对照

# %%
rng = np.random.default_rng(0)
Q, K, V = (rng.standard_normal((2, 4, 10, 16)) for _ in range(3))
out, A = scaled_dot_product_attention(Q, K, V)
ref = F.scaled_dot_product_attention(*(torch.tensor(a) for a in (Q, K, V))).numpy()
print("max |difference| < 1e-12:", bool(np.abs(out - ref).max() < 1e-12),
      "| rows of A sum to 1:", np.allclose(A.sum(-1), 1.0))

# %% [markdown]
# 可以改动深度、种子或步数再运行（例如 `degradation_experiment(depths=(4, 16, 28))`），看结论是否仍然成立。

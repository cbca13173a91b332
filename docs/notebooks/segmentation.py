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
# # 动手：图像分割
#
# 这个 Notebook 把[本章](../../segmentation/)的代码串起来运行。页面上的输出是构建网站时真实执行得到的；
# 也可以[下载 `.ipynb`](../segmentation.ipynb) 在本地或 Colab 单独运行：它的第一格会从本书的代码仓库（页首的「源代码与勘误」）安装本书的 `snippets` 包（只装它本身，环境里需已有 NumPy、PyTorch、Matplotlib、scikit-learn）。
#
# 记号：特征图的形状是 $(N, C, H, W)$，标签图是 $(N, H, W)$，取值在 $[0, K)$，255 表示忽略；
# 混淆矩阵 $C_{ij}$ 是真值为 $i$、预测为 $j$ 的像素数。

# %%
import numpy as np
import torch
import torch.nn.functional as F
from sklearn import metrics

from snippets.segmentation.instance import assemble_masks
from snippets.segmentation.metrics import confusion_matrix, seg_scores
from snippets.segmentation.modules import (
    ASPP,
    PyramidPooling,
    UNetLevel,
    aspp_params,
    double_conv,
    psp_params,
    shape_table,
    unet_level_params,
    unet_sizes,
)
from snippets.segmentation.panoptic import panoptic_quality
from snippets.segmentation.seg_losses import object_gradients, soft_dice_grad, soft_dice_loss
from snippets.segmentation.tiny_seg import experiment_claims, experiment_scores
from snippets.segmentation.upsampling import overlap_counts, source_coords

# %% [markdown]
# ## 1. ASPP、金字塔池化和 U-Net 一级：形状与参数量
#
# 三个模块都在 meta 设备上运行：只推形状，不做算术，所以一张 2048 通道的特征图也瞬间出结果。
# 看每个分支输出的通道数怎样拼接、再被 1×1 卷积融合回去；最后一行核对参数量与手写公式是否相等。

# %%
with torch.device("meta"):
    aspp = ASPP(2048, 256, rates=(6, 12, 18))
    psp = PyramidPooling(2048, bins=(1, 2, 3, 6))
    level = UNetLevel(64, 128, inner=double_conv(128, 256, padding=0))
tables = {}
for name, m, shape in [("ASPP", aspp, (1, 2048, 33, 33)), ("PSP", psp, (1, 2048, 60, 60)),
                       ("U-Net level", level, (1, 64, 140, 140))]:
    tables[name] = shape_table(m, shape)
    print(f"{name}, input {shape}")
    for part, out, n in tables[name]:
        print(f"  {part:<12} {str(out):<20} {n:>10,}")
inner = sum(p.numel() for p in level.inner.parameters())
print("parameter counts equal the formulas:",
      tables["ASPP"][-1][2] == aspp_params(2048, 256, 3),
      tables["PSP"][-1][2] == psp_params(2048, 4),
      tables["U-Net level"][-1][2] - inner == unet_level_params(64, 128))

# %% [markdown]
# 原版 U-Net 用不补零的卷积，每个 3×3 卷积少 2 个像素，所以 572 的输入只输出 388，跳连要居中裁剪：

# %%
print("U-Net sizes, 572 input, 4 levels:", unet_sizes(572, 4))

# %% [markdown]
# ## 2. 上采样的两个坑：棋盘伪影与 `align_corners`
#
# 转置卷积在核大小不能被步长整除时（$k = 3, s = 2$），输出像素被输入覆盖的次数不均匀，二维里就是棋盘格；
# $k = 4$ 或 $k = 2$ 时均匀。第二段把 `F.interpolate` 读取的输入坐标与两种约定的公式对照：
# `align_corners=True` 对齐两端像素的中心，`False` 对齐像素方块的边，两者在中间位置读的是不同的特征。

# %%
for k, p in ((3, 1), (4, 1), (2, 0)):
    print(f"k={k}, s=2 overlap counts:", overlap_counts(6, kernel_size=k, stride=2, padding=p).tolist())
ones = torch.ones(1, 1, 6, 6, dtype=torch.float64)
ref = F.conv_transpose2d(ones, torch.ones(1, 1, 3, 3, dtype=torch.float64), stride=2, padding=1)[0, 0].numpy()
c3 = overlap_counts(6, kernel_size=3, stride=2, padding=1)
print("2-D counts are the outer product (checked against F.conv_transpose2d):", bool((ref == np.outer(c3, c3)).all()))

for ac in (True, False):
    ramp = torch.arange(8, dtype=torch.float64)[None, None, None, :]
    read = F.interpolate(ramp, size=(1, 32), mode="bilinear", align_corners=ac)[0, 0, 0].numpy()
    ours = source_coords(8, 32, ac)
    print(f"align_corners={ac!s:<5}: formula matches F.interpolate {np.abs(ours - read).max() < 1e-12}, "
          f"outputs 0, 8, 16, 31 read input {ours[[0, 8, 16, 31]].round(4).tolist()}")

# %% [markdown]
# ## 3. 从混淆矩阵算 mIoU 与 Dice，并与 scikit-learn 对照
#
# 一次 `bincount` 得到 $K \times K$ 混淆矩阵；IoU $= \mathrm{TP}/(\mathrm{TP}+\mathrm{FP}+\mathrm{FN})$，
# Dice $= 2\mathrm{TP}/(2\mathrm{TP}+\mathrm{FP}+\mathrm{FN})$。标为 255 的像素不计入。
# 与 scikit-learn 的 `confusion_matrix`、`jaccard_score`、`f1_score`（逐类）在保留的像素上比较：

# %%
rng = np.random.default_rng(0)
K = 4
y_true = rng.integers(0, K, size=(2, 32, 32))
y_pred = np.where(rng.random(y_true.shape) < 0.7, y_true, rng.integers(0, K, size=y_true.shape))
y_true[:, :2] = 255  # the top two rows of each image: ignored
cm = confusion_matrix(y_true, y_pred, K)
s = seg_scores(cm)
keep = y_true != 255
t, p = y_true[keep], y_pred[keep]
print("confusion matrix equal:", np.array_equal(cm, metrics.confusion_matrix(t, p, labels=range(K))))
print("IoU equal:", np.allclose(s.iou, metrics.jaccard_score(t, p, average=None, labels=range(K))),
      " Dice equal:", np.allclose(s.dice, metrics.f1_score(t, p, average=None, labels=range(K))))
print("IoU", s.iou.round(4), "mIoU", round(s.miou, 4))
print("Dice", s.dice.round(4), "Dice = 2 IoU / (1 + IoU):", np.allclose(s.dice, 2 * s.iou / (1 + s.iou)))

# %% [markdown]
# ## 4. 软 Dice 损失的梯度，和交叉熵比
#
# 先用 autograd（float64）检验手推的 $\partial L / \partial p$。然后看两类问题里一个目标像素收到的梯度：
# 交叉熵按全图像素数平均，小目标的每个像素梯度很小；Dice 按这一类自己的大小归一，小目标的像素梯度大得多，
# 这就是它能缓解前景过小的原因，也是它在极小目标上梯度不稳的原因。

# %%
rng = np.random.default_rng(1)
z = rng.normal(size=(2, 3, 8, 8))  # (N, K, H, W) logits
Y = np.eye(3)[rng.integers(0, 3, size=(2, 8, 8))].transpose(0, 3, 1, 2)  # (N, K, H, W) one-hot
P = torch.softmax(torch.tensor(z), dim=1).detach().requires_grad_(True)
Yt = torch.tensor(Y)
inter, total = (P * Yt).sum((0, 2, 3)), P.sum((0, 2, 3)) + Yt.sum((0, 2, 3)) + 1.0
loss = 1 - ((2 * inter + 1.0) / total).mean()
loss.backward()
print("loss equal:", np.isclose(loss.item(), soft_dice_loss(P.detach().numpy(), Y)),
      " dL/dP equal:", np.allclose(P.grad.numpy(), soft_dice_grad(P.detach().numpy(), Y), rtol=1e-10, atol=1e-14))
for size in (1, 16, 256):
    ce, dice = object_gradients(size)
    print(f"object of {size:3d} px in 32x32: Dice / CE gradient per object pixel = {dice / ce:.1f}")

# %% [markdown]
# ## 5. 全景质量 PQ：一个手算得出的例子
#
# 真值有两个物体 A、B，预测有 a、b、c 三个段。IoU > 0.5 才算匹配（因此匹配唯一）：
# a 与 A 的 IoU 为 6/8 = 0.75，b 与 B 的 IoU 为 2/6，不够；于是物体类 TP = 1，FP = 2（b、c），FN = 1（B），
# $\mathrm{SQ} = 0.75$，$\mathrm{RQ} = 1/(1 + 0.5 \cdot 2 + 0.5 \cdot 1) = 0.4$，$\mathrm{PQ} = 0.3$。
# 背景类（stuff）是一个段，与预测的背景 IoU = 16/24 = 2/3，也参加平均，所以总的 PQ 是两类的平均 $(2/3 + 0.3)/2$。

# %%
gt_sem, gt_inst = np.zeros((4, 8), int), np.zeros((4, 8), int)
gt_sem[:, 0:2], gt_inst[:, 0:2] = 1, 1        # A
gt_sem[0:2, 4:6], gt_inst[0:2, 4:6] = 1, 2    # B
pr_sem, pr_inst = np.zeros((4, 8), int), np.zeros((4, 8), int)
pr_sem[1:4, 0:2], pr_inst[1:4, 0:2] = 1, 1    # a
pr_sem[:, 5], pr_inst[:, 5] = 1, 2            # b
pr_sem[0:2, 7], pr_inst[0:2, 7] = 1, 3        # c
r = panoptic_quality(gt_sem, gt_inst, pr_sem, pr_inst, num_classes=2)
print("per class (stuff, thing): TP", r.tp.tolist(), "FP", r.fp.tolist(), "FN", r.fn.tolist(),
      "IoU sums", r.iou_sum.round(4).tolist())
thing_pq = r.iou_sum[1] / (r.tp[1] + 0.5 * r.fp[1] + 0.5 * r.fn[1])
print(f"thing class PQ {thing_pq:.4f};  averaged over both classes: PQ {r.pq:.4f}  SQ {r.sq:.4f}  RQ {r.rq:.4f}")

# %% [markdown]
# ## 6. YOLACT 式的掩码组装：原型 × 系数，再按框裁剪
#
# 整张图共用 $P$ 个原型掩码，每个检测只预测 $P$ 个系数；掩码是系数与原型的线性组合过 sigmoid，框外置 0，
# 再以 0.5 为阈值。两个原型（左半边、上半边）就能组合出不同物体的掩码：

# %%
protos = np.zeros((2, 4, 6))       # (P, h, w)
protos[0, :, :3] = 1.0             # prototype 0: left half
protos[1, :2, :] = 1.0             # prototype 1: top half
coefs = np.array([[2.0, -1.0],     # object A: 2 * left - top
                  [-1.0, 2.0]])    # object B: 2 * top - left
boxes = np.array([[0.0, 0.0, 6.0, 4.0],    # A's box: the whole map
                  [3.0, 0.0, 6.0, 4.0]])   # B's box: the right half
masks = assemble_masks(protos, coefs, boxes)  # (2, h, w) bool
for name, m in zip("AB", masks, strict=True):
    print(f"mask {name}:\n{m.astype(int)}")

# %% [markdown]
# ## 7. 合成形状上的小分割网络：5 个种子的结论
#
# 与[实验一页](../../segmentation/experiment/)的两张图是同一组运行
# （U-Net 与 FCN，交叉熵、Dice、CE + Dice，各 5 个种子），构建网站时只训练一次，这里直接复用。IoU 的第二位小数会随 CPU 的数值内核变化，
# 所以这里只打印页面上的每条结论在这组运行上是否成立；具体数值见那一页的图。

# %%
scores = experiment_scores(5)  # (arch, loss) -> (5 seeds, [IoU, Dice], K classes)
for claim, holds in experiment_claims(scores).items():
    print(f"{holds!s:<5} {claim}")

# %% [markdown]
# 可以改动 ASPP 的空洞率、转置卷积的核大小或 Dice 的平滑项 eps 再运行，看哪些结论仍然成立。

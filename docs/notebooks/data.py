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
# # 动手：数据、训练与评估
#
# 这个 Notebook 把[本章](../../data/)的代码串起来运行。页面上的输出是构建网站时真实执行得到的；
# 也可以[下载 `.ipynb`](../data.ipynb) 在本地或 Colab 单独运行：它的第一格会从本书的代码仓库（页首的「源代码与勘误」）安装本书的 `snippets` 包（只装它本身，环境里需已有 NumPy、PyTorch、Matplotlib、scikit-learn）。
#
# 记号：$y$ 是标签，$s$ 是分数，$z$ 是 logits，形状 $(N, K)$；多标签的标签矩阵 $Y$ 形状 $(N, K)$，取值 0/1。
# 第 1、4、6 节的实验与本章各页的图是同一组运行（`load_digits` 上 5 个种子），构建网站时只训练一次，这里直接复用。

# %%
import numpy as np
import torch
from sklearn import metrics
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA

from snippets.data.calibration import expected_calibration_error, reliability_bins
from snippets.data.calibration_experiment import calibration_experiment
from snippets.data.distill import soft_target_grad
from snippets.data.imbalance import class_weights
from snippets.data.imbalance_experiment import MINORITY, imbalance_claims, imbalance_runs
from snippets.data.lowrank import low_rank_factors, low_rank_params
from snippets.data.multilabel_metrics import hamming_loss, mean_average_precision, multilabel_prf, subset_accuracy
from snippets.data.pca import pca_fit, pca_transform
from snippets.data.quantize import fake_quantize, qparams
from snippets.data.ranking import auc_pairwise, average_precision, roc_curve, trapezoid
from snippets.data.tta_ensemble import ensemble_probs, shift_images, tta_claims, tta_ensemble_runs

# %% [markdown]
# ## 1. 类别不平衡：各种补救办法在同一实验里的比较
#
# 训练集里 3、5、8 三类只保留 6%（每类约 5 张），测试集是平衡的。先看两种类别权重：有效样本数 $(1-\beta^n)/(1-\beta)$
# 给少数类的权重比逆频率温和。然后是[类别不平衡一页](../../data/imbalance/)的每条结论在这组 5 个种子的运行上是否成立；
# 召回率的第二位小数随 CPU 的数值内核变化，所以只打印结论的真假。

# %%
counts = np.array([89, 91, 88, 5, 90, 5, 90, 89, 5, 90])
for kind in ("inverse", "effective"):
    w = class_weights(counts, kind, beta=0.99)
    print(f"{kind:9s} weights: minority / majority {w[3] / w[4]:.1f}")

runs = imbalance_runs()  # method -> (5 seeds, 10 classes) test recall
for claim, holds in imbalance_claims(runs).items():
    print(f"{holds!s:<5} {claim}")
print("minority classes:", MINORITY)

# %% [markdown]
# ## 2. ROC-AUC 与 AP：从零实现，与 scikit-learn 对照
#
# AUC 等于随机取一个正样本和一个负样本、正样本分数更高的概率（并列算一半），也等于 ROC 折线下的梯形面积。
# AP 是每一步召回率的增量乘以这一点的精确率，不做插值，与 `average_precision_score` 相同。分数取两位小数，故意造出并列：

# %%
rng = np.random.default_rng(0)
y = (rng.random(300) < 0.2).astype(np.int64)
s = np.round(rng.normal(size=300) + 1.2 * y, 1)  # rounded: many ties
fpr, tpr, _ = roc_curve(y, s)
print("AUC: pairwise == trapezoid == sklearn:",
      np.isclose(auc_pairwise(y, s), trapezoid(fpr, tpr)), np.isclose(auc_pairwise(y, s), metrics.roc_auc_score(y, s)))
print("AP == sklearn:", np.isclose(average_precision(y, s), metrics.average_precision_score(y, s)))
print(f"AUC {auc_pairwise(y, s):.3f}, AP {average_precision(y, s):.3f}, positive rate {y.mean():.2f}")

# %% [markdown]
# ## 3. 多标签评估：子集准确率、汉明损失、三种平均的 F1 与 mAP
#
# 同一组预测，子集准确率要求整行全对，最严；汉明损失逐格计数；`samples`、`micro`、`macro` 三种平均给出不同的 F1。
# 每个都与 scikit-learn 的同名函数比较：

# %%
rng = np.random.default_rng(1)
Y = (rng.random((200, 5)) < np.array([0.5, 0.3, 0.2, 0.1, 0.05])).astype(np.int64)  # (N, K)
S = 1 / (1 + np.exp(-(rng.normal(size=Y.shape) + 2.0 * Y - 1.0)))  # (N, K) scores
Y_hat = (S >= 0.5).astype(np.int64)
print("subset accuracy", subset_accuracy(Y, Y_hat),
      np.isclose(subset_accuracy(Y, Y_hat), metrics.accuracy_score(Y, Y_hat)))
print("Hamming loss   ", hamming_loss(Y, Y_hat), np.isclose(hamming_loss(Y, Y_hat), metrics.hamming_loss(Y, Y_hat)))
for average in ("samples", "micro", "macro"):
    f1 = multilabel_prf(Y, Y_hat, average)[2]
    print(f"F1 ({average:<7}) {f1:.4f}", np.isclose(f1, metrics.f1_score(Y, Y_hat, average=average, zero_division=0)))
m = mean_average_precision(Y, S)
print(f"mAP {m:.4f}", np.isclose(m, metrics.average_precision_score(Y, S, average="macro")))

# %% [markdown]
# ## 4. 校准：ECE 与温度缩放
#
# 先用一个手算的例子看 ECE（10 个等宽区间）：置信度 0.85 的 4 个样本对 3 个，置信度 0.65 的 2 个样本对 2 个，
# ECE $= \tfrac{4}{6}|0.75 - 0.85| + \tfrac{2}{6}|1 - 0.65| = 0.1833$。再看[校准一页](../../data/calibration/)的实验：
# 验证集上拟合的 $T$、缩放前后的准确率、NLL 与 ECE。

# %%
conf = np.array([0.85, 0.85, 0.85, 0.85, 0.65, 0.65])
ok = np.array([1, 1, 1, 0, 1, 1])
print("ECE, 10 bins:", round(expected_calibration_error(conf, ok, n_bins=10), 4),
      " samples per bin:", reliability_bins(conf, ok, 10)[0].tolist())

cal = calibration_experiment()  # 5 seeds, fitted on each seed's 500 validation digits
T = np.array([r.T for r in cal])
ece = np.array([[r.ece_before, r.ece_after] for r in cal])  # (5 seeds, [T = 1, fitted T])
print("fitted T > 1 on every seed (over-confident):", bool((T > 1).all()),
      " all within 1.4-1.85:", bool(((T > 1.4) & (T < 1.85)).all()))
print("accuracy unchanged on every seed:", all(r.acc_before == r.acc_after for r in cal))
print("test NLL lower on every seed:", all(r.nll_after < r.nll_before for r in cal))
print("median ECE lower:", bool(np.median(ece[:, 1]) < np.median(ece[:, 0])),
      " seeds with lower ECE:", int((ece[:, 1] < ece[:, 0]).sum()), "of", len(cal))

# %% [markdown]
# ## 5. PCA 从零实现，与 scikit-learn 对照
#
# 中心化后做 SVD，右奇异向量就是主方向，奇异值的平方除以 $N - 1$ 是各方向的方差。主方向的符号不唯一，先对齐符号再比较：

# %%
X, _ = load_digits(return_X_y=True)  # (1797, 64)
ours, ref = pca_fit(X, 16), PCA(n_components=16).fit(X)
signs = np.sign((ours.components * ref.components_).sum(axis=1))
print("components, variance ratios, coordinates equal:",
      np.allclose(ours.components * signs[:, None], ref.components_),
      np.allclose(ours.explained_variance_ratio, ref.explained_variance_ratio_),
      np.allclose(pca_transform(X, ours) * signs, ref.transform(X)))
print("rows orthonormal:", np.allclose(ours.components @ ours.components.T, np.eye(16)))
cumulative = np.cumsum(ours.explained_variance_ratio)
print("variance kept by k = 2, 4, 8, 16:", cumulative[[1, 3, 7, 15]].round(3))

# %% [markdown]
# ## 6. 平移增强、测试时增强（TTA）与集成
#
# `shift_images` 把图像平移一个像素、移入的像素补 0；TTA 对原图和 4 个平移的预测概率取平均，集成对两个模型的概率取平均。
# 实验与[提高准确率一页](../../data/improve_accuracy/)的图是同一组运行，只打印结论是否成立：

# %%
img = np.arange(9.0).reshape(1, 3, 3)
print("shift down by 1:\n", shift_images(img, 1, 0)[0])
print("average of two models:", ensemble_probs([np.array([[0.6, 0.4]]), np.array([[0.1, 0.9]])]))
for claim, holds in tta_claims(tta_ensemble_runs()).items():
    print(f"{holds!s:<5} {claim}")

# %% [markdown]
# ## 7. 压缩的三件小事：蒸馏的温度平方、量化的 scale 与 zero-point、低秩分解
#
# 软目标交叉熵对学生 logits 的梯度是 $(p - q)/(\tau N)$，与 autograd 对照；$\tau$ 变大时梯度按 $1/\tau^2$ 变小，
# 所以损失要乘 $\tau^2$。量化把 $[x_{\min}, x_{\max}]$（扩到含 0）映射到整数区间，0 被精确表示；
# 截断 SVD 的误差等于舍去的奇异值的平方和（Eckart–Young）。

# %%
rng = np.random.default_rng(0)
z_s, z_t = rng.standard_normal((4, 10)), 3 * rng.standard_normal((4, 10))
for tau in (1.0, 4.0, 16.0):
    z = torch.tensor(z_s, requires_grad=True)
    q = torch.softmax(torch.tensor(z_t) / tau, dim=1)
    (-(q * torch.log_softmax(z / tau, dim=1)).sum(1).mean()).backward()
    g = soft_target_grad(z_s, z_t, tau)
    print(f"tau={tau:>4}: equals autograd {np.allclose(g, z.grad.numpy(), rtol=1e-10)}, "
          f"tau^2 * |grad| {tau**2 * np.linalg.norm(g):.3f}")

x = np.array([-1.0, 0.0, 0.5, 3.0], dtype=np.float32)
scale, zero = qparams(x.min(), x.max(), 0, 255)
print("uint8 scale", round(float(scale), 6), "zero-point", int(zero),
      "stored as", fake_quantize(x, float(scale), int(zero), 0, 255).round(4))

W = rng.standard_normal((64, 32)) @ np.diag(np.geomspace(1, 0.01, 32)) @ rng.standard_normal((32, 32))
sv = np.linalg.svd(W, compute_uv=False)
for r in (4, 8):
    A, B = low_rank_factors(W, r)
    print(f"rank {r}: {low_rank_params(32, 64, r)} weights instead of {64 * 32}, "
          f"error = tail sum of squares: {np.isclose(np.linalg.norm(W - A @ B) ** 2, (sv[r:] ** 2).sum())}")

# %% [markdown]
# 可以改动第 1 节的类别权重 $\beta$、第 4 节的区间数或第 7 节的温度再运行，看哪些比较仍然成立。

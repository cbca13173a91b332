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
# # 动手：目标检测
#
# 这个 Notebook 把[本章](../../detection/)的代码串起来运行。页面上的输出是构建网站时真实执行得到的；
# 也可以[下载 `.ipynb`](../detection.ipynb) 在本地或 Colab 单独运行：它的第一格会从本书的代码仓库（页首的「源代码与勘误」）安装本书的 `snippets` 包（只装它本身，环境里需已有 NumPy、PyTorch、Matplotlib）。
#
# 记号：框写成 $(x_1, y_1, x_2, y_2)$（左上、右下角，像素坐标）；锚框写成中心和宽高 $(p_x, p_y, p_w, p_h)$。

# %%
import numpy as np

from snippets.detection.ap import mean_ap
from snippets.detection.box_coder import decode, encode
from snippets.detection.boxes import box_iou, complete_box_iou, distance_box_iou, generalized_box_iou
from snippets.detection.nms import nms, soft_nms
from snippets.detection.roi import roi_align, roi_pool
from snippets.detection.scenes import box_shapes, crowd_scene
from snippets.detection.tiny_detector import tiny_detector_run
from snippets.detection.yolo import kmeans_anchors

# %% [markdown]
# ## 1. IoU 家族：不相交时谁还有梯度信号
#
# 两个同样大小的框，从重叠到分开：IoU 一旦为 0 就不再区分“差一点”和“差很远”，GIoU、DIoU、CIoU 仍然随距离变小。

# %%
a = np.array([[0.0, 0.0, 10.0, 10.0]])
for dx in (0, 5, 10, 15, 30):
    b = a + np.array([dx, 0, dx, 0])
    print(f"shift {dx:>2}: IoU {box_iou(a, b)[0, 0]:.3f}  GIoU {generalized_box_iou(a, b)[0, 0]:+.3f}  "
          f"DIoU {distance_box_iou(a, b)[0, 0]:+.3f}  CIoU {complete_box_iou(a, b)[0, 0]:+.3f}")

# %% [markdown]
# ## 2. 拥挤场景里的 NMS 与 Soft-NMS
#
# 两个物体的真实框 IoU 为 0.65，每个物体周围有 6 个候选框。阈值 0.5 的贪心 NMS 会把后一个物体的候选全部删掉；
# Soft-NMS 只降低它们的分数。评估时一个检测框只能匹配一个真实框，所以只留下一个框就意味着漏掉一个物体。

# %%
gt, boxes, scores = crowd_scene(seed=0)
keep = nms(boxes, scores, 0.5)
print("greedy NMS keeps", len(keep), "box(es)")
kept, new_scores = soft_nms(boxes, scores, method="gaussian", sigma=0.5)
top = kept[np.argsort(-new_scores)][:2]
print("Soft-NMS, IoU of its two top boxes (columns) with the two objects (rows):")
print(box_iou(gt, boxes[top]).round(2))

# %% [markdown]
# ## 3. 边框回归的编码与解码互为逆运算
#
# $t_x = (g_x - p_x)/p_w$，$t_w = \log(g_w / p_w)$；解码把它们变回框。随机的锚框和真实框往返一次：

# %%
rng = np.random.default_rng(0)
xy = rng.uniform(0, 100, size=(50, 2))
anchors = np.hstack([xy, xy + rng.uniform(5, 60, size=(50, 2))])
xy = rng.uniform(0, 100, size=(50, 2))
targets = np.hstack([xy, xy + rng.uniform(5, 60, size=(50, 2))])
t = encode(anchors, targets, weights=(10.0, 10.0, 5.0, 5.0))
print("round trip within 1e-9 px:", np.abs(decode(anchors, t, weights=(10.0, 10.0, 5.0, 5.0)) - targets).max() < 1e-9)

# %% [markdown]
# ## 4. RoI Pooling 的两次取整 vs RoI Align
#
# 一张值等于列号的特征图：RoI Align 在每个格子里双线性采样，`aligned=True` 把第 $i$ 列像素的中心放在 $x = i + 0.5$，
# 所以输出是格子中心的 $x$ 减 0.5；RoI Pooling 把 RoI 和格子边界取整后取最大值，结果偏到格子的右边缘。

# %%
H = W = 16
X = np.tile(np.arange(W, dtype=float), (H, 1))[None, None]  # (1, 1, H, W), value = column index
roi = np.array([[0, 2.3, 1.7, 9.6, 8.2]])  # (batch index, x1, y1, x2, y2)
print("RoI Align row 0:", roi_align(X, roi, 2, sampling_ratio=2, aligned=True)[0, 0, 0].round(3))
print("RoI Pool  row 0:", roi_pool(X, roi, 2)[0, 0, 0])

# %% [markdown]
# ## 5. YOLOv2 的锚框聚类：IoU 距离 vs 欧氏距离
#
# 在合成的框尺寸上做 k-means（k = 5）：IoU 距离下的平均 IoU 高于欧氏距离（大框不会主导聚类）。

# %%
wh = box_shapes(seed=0)
for distance in ("iou", "euclidean"):
    centroids, mean_iou = kmeans_anchors(wh, 5, np.random.default_rng(0), distance=distance)
    sizes = ", ".join(f"{w:.0f}x{h:.0f}" for w, h in sorted(centroids.tolist()))
    print(f"{distance:>9}: mean IoU {mean_iou:.3f}; anchors {sizes}")

# %% [markdown]
# ## 6. 合成数据上的小检测器：5 个种子的 mAP
#
# 与[实验一页](../../detection/experiment/)是同一组运行。mAP 的第二位小数会随 CPU 的数值内核变化，
# 页面只打印在各套内核上都成立的比较；这里打印的是构建网站那台机器上的中位数和范围。

# %%
T = tuple(np.linspace(0.5, 0.95, 10))
rows = []
for seed in range(5):
    raw, nmsed, _ = tiny_detector_run(seed)
    rows.append([mean_ap(raw, (0.5,)), mean_ap(nmsed, (0.5,)), mean_ap(nmsed, T)])
r = np.array(rows)  # (5 seeds, 3)
for j, name in enumerate(("mAP@0.5 before NMS", "mAP@0.5 after NMS", "mAP@[.5:.95] after NMS")):
    print(f"{name:<24} median {np.median(r[:, j]):.2f}  range {r[:, j].min():.2f}-{r[:, j].max():.2f}  (n = 5)")

# %% [markdown]
# 可以改动 NMS 阈值、Soft-NMS 的 $\sigma$ 或训练步数再运行，看哪些比较仍然成立。

"""mixup (Zhang et al., 2018) and CutMix (Yun et al., 2019) from scratch: mixed inputs and soft targets."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from snippets._checks import check_float_array, check_int


def _check_lam(lam: float) -> None:
    if isinstance(lam, bool) or not isinstance(lam, (int, float)) or not 0.0 <= lam <= 1.0:
        raise ValueError(f"lam must be a float in [0, 1], got {lam!r}")


def _check_labels(y: object, name: str, N: int, K: int) -> np.ndarray:
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{name} must be an integer NumPy array, got {type(y).__name__}")
    if y.shape != (N,) or (y < 0).any() or (y >= K).any():
        raise ValueError(f"{name} must have shape ({N},) with values in [0, {K})")
    return y


def _check_perm(perm: object, N: int) -> np.ndarray:
    if not isinstance(perm, np.ndarray) or perm.shape != (N,) or sorted(perm.tolist()) != list(range(N)):
        raise ValueError(f"perm must be a permutation of range({N})")
    return perm


def sample_lambda(alpha: float, rng: np.random.Generator) -> float:
    """lam ~ Beta(alpha, alpha); alpha = 1 is the uniform distribution on [0, 1]."""
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not alpha > 0:
        raise ValueError(f"alpha must be a float > 0, got {alpha!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    return float(rng.beta(alpha, alpha))


def soft_targets(y_a: np.ndarray, y_b: np.ndarray, lam: float, K: int) -> np.ndarray:
    """lam * onehot(y_a) + (1 - lam) * onehot(y_b), shape (N, K)."""
    check_int(K, "K", 2)
    N = len(y_a) if isinstance(y_a, np.ndarray) else -1
    _check_labels(y_a, "y_a", N, K)
    _check_labels(y_b, "y_b", N, K)
    _check_lam(lam)
    eye = np.eye(K)
    return lam * eye[y_a] + (1.0 - lam) * eye[y_b]


# --8<-- [start:mixup]
def mixup(X: np.ndarray, y: np.ndarray, lam: float, perm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mix each sample with sample perm[i] of the same batch: x = lam x_a + (1 - lam) x_b.

    Returns the mixed inputs (X's shape) and the two label vectors y_a = y, y_b = y[perm];
    the target is lam * onehot(y_a) + (1 - lam) * onehot(y_b).
    """
    # --8<-- [end:mixup]
    check_float_array(X, "X", (2, 3, 4))
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer) or y.shape != (X.shape[0],):
        raise TypeError(f"y must be an integer NumPy array of shape ({X.shape[0]},)")
    _check_lam(lam)
    _check_perm(perm, X.shape[0])
    # --8<-- [start:mixup_body]
    return lam * X + (1.0 - lam) * X[perm], y, y[perm]
    # --8<-- [end:mixup_body]


# --8<-- [start:cutmix]
def cutmix_box(H: int, W: int, lam: float, rng: np.random.Generator) -> tuple[int, int, int, int]:
    """A box of area about (1 - lam) H W at a uniform random centre, clipped to the image.

    Returns (y1, y2, x1, x2): rows y1..y2-1 and columns x1..x2-1 come from the other image.
    """
    # --8<-- [end:cutmix]
    check_int(H, "H", 1)
    check_int(W, "W", 1)
    _check_lam(lam)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    # --8<-- [start:cutmix_box]
    r = math.sqrt(1.0 - lam)  # 边长按 sqrt(1 - lam) 缩放, 面积比是 1 - lam
    h, w = int(H * r), int(W * r)
    cy, cx = int(rng.integers(H)), int(rng.integers(W))  # 中心均匀分布, 框可以越界
    y1, y2 = max(cy - h // 2, 0), min(cy + h - h // 2, H)  # 裁到图内: 面积可能变小
    x1, x2 = max(cx - w // 2, 0), min(cx + w - w // 2, W)
    return y1, y2, x1, x2
    # --8<-- [end:cutmix_box]


# --8<-- [start:cutmix_apply]
def cutmix(
    X: np.ndarray, y: np.ndarray, box: tuple[int, int, int, int], perm: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Paste box of sample perm[i] into sample i (X: (N, C, H, W)); lam is recomputed from the box.

    Returns the mixed images, y_a = y, y_b = y[perm] and lam = 1 - box area / (H W).
    """
    # --8<-- [end:cutmix_apply]
    check_float_array(X, "X", (4,))
    if not isinstance(y, np.ndarray) or not np.issubdtype(y.dtype, np.integer) or y.shape != (X.shape[0],):
        raise TypeError(f"y must be an integer NumPy array of shape ({X.shape[0]},)")
    _check_perm(perm, X.shape[0])
    N, C, H, W = X.shape
    if len(box) != 4 or not (0 <= box[0] <= box[1] <= H and 0 <= box[2] <= box[3] <= W):
        raise ValueError(f"box must be (y1, y2, x1, x2) inside a {H} x {W} image, got {box!r}")
    # --8<-- [start:cutmix_body]
    y1, y2, x1, x2 = box
    out = X.copy()
    out[:, :, y1:y2, x1:x2] = X[perm][:, :, y1:y2, x1:x2]
    lam = 1.0 - (y2 - y1) * (x2 - x1) / (H * W)  # 按裁剪后的真实面积修正
    return out, y, y[perm], lam
    # --8<-- [end:cutmix_body]


# --8<-- [start:loss]
def mixed_cross_entropy(z: np.ndarray, y_a: np.ndarray, y_b: np.ndarray, lam: float) -> float:
    """lam * CE(z, y_a) + (1 - lam) * CE(z, y_b), averaged over the batch; z: (N, K) logits."""
    # --8<-- [end:loss]
    check_float_array(z, "z", (2,))
    N, K = z.shape
    _check_labels(y_a, "y_a", N, K)
    _check_labels(y_b, "y_b", N, K)
    _check_lam(lam)
    # --8<-- [start:loss_body]
    log_p = z - z.max(axis=1, keepdims=True)
    log_p = log_p - np.log(np.exp(log_p).sum(axis=1, keepdims=True))  # (N, K) log softmax
    rows = np.arange(N)
    return float(np.mean(-lam * log_p[rows, y_a] - (1.0 - lam) * log_p[rows, y_b]))
    # --8<-- [end:loss_body]


# --8<-- [start:torch]
def mixup_batch_torch(
    x: torch.Tensor, y: torch.Tensor, alpha: float, num_classes: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """mixup in a PyTorch training step: the mixed batch and its probability targets (N, K).

    Feed both to F.cross_entropy(logits, targets): with class-probability targets it computes
    -sum_k q_k log p_k, the same number as lam * CE(y_a) + (1 - lam) * CE(y_b).
    """
    # --8<-- [end:torch]
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        raise TypeError(f"x must be a floating torch.Tensor, got {type(x).__name__}")
    if not isinstance(y, torch.Tensor) or y.shape != (x.shape[0],):
        raise TypeError(f"y must be a torch.Tensor of shape ({x.shape[0]},)")
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not alpha > 0:
        raise ValueError(f"alpha must be a float > 0, got {alpha!r}")
    check_int(num_classes, "num_classes", 2)
    # --8<-- [start:torch_body]
    lam = float(torch.distributions.Beta(alpha, alpha).sample())
    perm = torch.randperm(x.shape[0])
    q = F.one_hot(y, num_classes).to(x.dtype)
    return lam * x + (1 - lam) * x[perm], lam * q + (1 - lam) * q[perm]
    # --8<-- [end:torch_body]

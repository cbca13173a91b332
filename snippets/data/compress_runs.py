"""The compression experiments on load_digits: distillation, pruning and low rank over seeds."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from snippets._checks import check_int
from snippets.data.digits_mlp import Split, accuracy, digits_split, logits, make_mlp, one_thread, train
from snippets.data.lowrank import low_rank_factors
from snippets.data.prune import structured_mask, unstructured_mask

N_TRAIN, TEACHER_HIDDEN, STUDENT_HIDDEN = 300, 128, 8


def _check_seeds(seeds: Sequence[int]) -> tuple[int, ...]:
    if len(seeds) == 0:
        raise ValueError("seeds must not be empty")
    return tuple(check_int(s, "seeds", 0) for s in seeds)


@functools.cache  # 蒸馏和压缩曲线用同一批教师, 每个种子只训练一次
@one_thread
def teacher(seed: int) -> tuple[torch.nn.Sequential, Split]:
    """The MLP 64-128-10 trained for 150 full-batch Adam steps on 300 digits of split ``seed``."""
    split = digits_split(seed, N_TRAIN)
    model = make_mlp(TEACHER_HIDDEN, seed)
    train(model, split.X_train, split.y_train)
    return model, split


def linear_weights(model: torch.nn.Sequential, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Weight (out, in) and bias (out,) of the i-th module of ``model``, which must be a Linear."""
    layer = model[i]
    if not isinstance(layer, torch.nn.Linear):
        raise TypeError(f"model[{i}] must be torch.nn.Linear, got {type(layer).__name__}")
    return layer.weight.detach().numpy(), layer.bias.detach().numpy()


@one_thread
# --8<-- [start:distill]
def distill_experiment(
    seeds: Sequence[int] = (0, 1, 2, 3, 4), temperature: float = 4.0, alpha: float = 0.9
) -> np.ndarray:
    """Test accuracy per seed of (teacher 64-128-10, student 64-8-10 on labels, same student distilled).

    Returns:
        (len(seeds), 3) array; both students start from the same initial weights.
    """
    rows = []
    for seed in _check_seeds(seeds):
        big, s = teacher(seed)
        z_t = logits(big, s.X_train).astype(np.float32)  # 教师在训练集上的 logits
        plain = train(make_mlp(STUDENT_HIDDEN, seed + 100), s.X_train, s.y_train)
        distilled = train(make_mlp(STUDENT_HIDDEN, seed + 100), s.X_train, s.y_train,
                          teacher_logits=z_t, temperature=temperature, alpha=alpha)
        rows.append([accuracy(m, s.X_test, s.y_test) for m in (big, plain, distilled)])
    return np.array(rows)
# --8<-- [end:distill]


@dataclass(frozen=True)
class CompressionCurves:
    """Test accuracy of the trained teachers after compressing their first layer W1 (128, 64).

    Attributes:
        amounts: (A,) fractions pruned.  ranks: (R,) ranks kept.
        unstructured, structured: (n_seeds, A) accuracy after pruning W1 without retraining.
        low_rank: (n_seeds, R) accuracy with W1 replaced by its rank-r truncated SVD.
        dense: (n_seeds,) accuracy of the uncompressed teacher.
    """

    amounts: np.ndarray
    ranks: np.ndarray
    unstructured: np.ndarray
    structured: np.ndarray
    low_rank: np.ndarray
    dense: np.ndarray


def _accuracy_with_w1(model: torch.nn.Sequential, W1: np.ndarray, b1: np.ndarray, X: np.ndarray,
                      y: np.ndarray) -> float:
    # 前向传播用 NumPy 写: 只换第一层, 比每次复制一个 torch 模型快得多
    W2, b2 = linear_weights(model, 2)
    z = np.maximum(X @ W1.T + b1, 0.0) @ W2.T + b2  # (N, 10)
    return float((z.argmax(1) == y).mean())


def compression_curves(
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    amounts: Sequence[float] = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95),
    ranks: Sequence[int] = (1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64),
) -> CompressionCurves:
    """Prune (unstructured / whole hidden units) or factorise W1 of each seed's teacher; no fine-tuning."""
    unstr, struct, lowr, dense = [], [], [], []
    for seed in _check_seeds(seeds):
        model, s = teacher(seed)
        W1, b1 = linear_weights(model, 0)  # (128, 64), (128,)

        def acc(W: np.ndarray, b: np.ndarray, model: torch.nn.Sequential = model, s: Split = s) -> float:
            return _accuracy_with_w1(model, W, b, s.X_test, s.y_test)
        dense.append(accuracy(model, s.X_test, s.y_test))
        unstr.append([acc(W1 * unstructured_mask(W1, a), b1) for a in amounts])
        row = []
        for a in amounts:  # 剪掉一个隐藏单元 = W1 的一整行和它的偏置
            m = structured_mask(W1, a)
            row.append(acc(W1 * m, b1 * m[:, 0]))
        struct.append(row)
        A, B = low_rank_factors(W1.astype(np.float64), min(W1.shape))  # 一次 SVD; 秩 r 的最优近似取前 r 项
        lowr.append([acc(A[:, :r] @ B[:r], b1) for r in ranks])
    return CompressionCurves(np.array(amounts), np.array(ranks), np.array(unstr), np.array(struct),
                             np.array(lowr), np.array(dense))

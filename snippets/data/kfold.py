"""k-fold and stratified k-fold cross-validation indices, from scratch (the same folds as scikit-learn)."""

from __future__ import annotations

import numpy as np

from snippets._checks import check_int


# --8<-- [start:kfold]
def kfold_indices(n: int, k: int, seed: int | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index pairs of k folds over n samples; the first n % k folds hold one more sample.

    seed None keeps the order (KFold(k)); an int shuffles first (KFold(k, shuffle=True, random_state=seed)).
    """
    check_int(k, "k", 2)
    check_int(n, "n", k)
    idx = np.arange(n)
    if seed is not None:
        np.random.RandomState(check_int(seed, "seed", 0)).shuffle(idx)  # 与 sklearn 用同一个随机源
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    folds = []
    for i in range(k):
        test = np.sort(idx[bounds[i]: bounds[i + 1]])  # 折内按下标排序, 与 sklearn 的输出一致
        folds.append((np.setdiff1d(np.arange(n), test), test))
    return folds


def stratified_fold_ids(y: np.ndarray, k: int) -> np.ndarray:
    """Fold id (0..k-1) of each sample so that every fold has each class in nearly equal numbers.

    The labels sorted by class are dealt round-robin to the k folds; that fixes how many of each
    class each fold receives. Within a class, samples keep their order (StratifiedKFold(k)).
    """
    y = np.asarray(y)
    check_int(k, "k", 2)
    if y.ndim != 1 or len(y) < k:
        raise ValueError(f"y must be a 1-D label array with at least k = {k} entries, got shape {y.shape}")
    _, first, inverse = np.unique(y, return_index=True, return_inverse=True)
    code = np.argsort(np.argsort(first))[inverse]  # 类别按首次出现的顺序编号 (sklearn 的约定)
    C = len(first)
    if np.bincount(code).max() < k:
        raise ValueError(f"y must have a class with at least k = {k} members")
    dealt = np.sort(code)
    per_fold = np.array([np.bincount(dealt[i::k], minlength=C) for i in range(k)])  # (k, C)
    fold = np.empty(len(y), dtype=np.int64)
    for c in range(C):
        fold[code == c] = np.repeat(np.arange(k), per_fold[:, c])
    return fold
# --8<-- [end:kfold]

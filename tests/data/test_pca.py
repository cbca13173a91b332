"""snippets.data.pca and dimred_experiment: PCA against scikit-learn, the projection, the synthetic failure."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression

from snippets.data.dimred_experiment import dimred_runs, run_dimred, train_mlp
from snippets.data.pca import gaussian_projection, low_variance_signal, pca_fit, pca_transform


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 40), st.integers(2, 8))
def test_pca_matches_sklearn_up_to_sign(seed: int, N: int, D: int) -> None:
    X = np.random.default_rng(seed).normal(size=(N, D)) * np.arange(1, D + 1)  # distinct variances
    k = min(N, D) - 1 or 1
    ours, ref = pca_fit(X, k), PCA(n_components=k, svd_solver="full").fit(X)
    signs = np.sign(np.sum(ours.components * ref.components_, axis=1))  # (k,)
    np.testing.assert_allclose(ours.components * signs[:, None], ref.components_, atol=1e-8)
    np.testing.assert_allclose(ours.explained_variance_ratio, ref.explained_variance_ratio_, atol=1e-10)
    np.testing.assert_allclose(pca_transform(X, ours) * signs, ref.transform(X), atol=1e-8)


def test_pca_hand_case_points_on_a_line() -> None:
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    p = pca_fit(X, 1)
    np.testing.assert_allclose(np.abs(p.components[0]), [2**-0.5, 2**-0.5])
    np.testing.assert_allclose(p.explained_variance_ratio, [1.0])
    np.testing.assert_allclose(np.abs(pca_transform(X, p)[:, 0]), [2**0.5, 0.0, 2**0.5], atol=1e-12)


def test_gaussian_projection_preserves_squared_norm_on_average() -> None:
    x = np.ones(64)
    norms = [np.sum((gaussian_projection(64, 16, np.random.default_rng(s)) @ x) ** 2) for s in range(400)]
    assert np.mean(norms) == pytest.approx(64.0, rel=0.05)


def test_pca_to_one_component_discards_the_low_variance_label() -> None:
    rng = np.random.default_rng(0)
    X, y = low_variance_signal(400, rng)
    X_te, y_te = low_variance_signal(400, rng)
    p = pca_fit(X, 1)
    assert p.explained_variance_ratio[0] > 0.98
    raw = LogisticRegression().fit(X, y).score(X_te, y_te)
    one = LogisticRegression().fit(pca_transform(X, p), y).score(pca_transform(X_te, p), y_te)
    assert raw > 0.98 and one < 0.6


@pytest.mark.experiment
def test_short_run_pca_keeps_more_than_random_projection_at_k_8() -> None:
    r = run_dimred(0, ks=(8,), steps=100)
    assert r["pca", 8].accuracy > r["random", 8].accuracy + 0.05


@pytest.mark.experiment
def test_page_claims_over_five_seeds() -> None:
    runs = dimred_runs()
    med = {key: float(np.median([r.accuracy for r in v])) for key, v in runs.items()}
    lo = {key: min(r.accuracy for r in v) for key, v in runs.items()}
    assert all(len(v) == 5 for v in runs.values())
    assert med["none", 64] > 0.95
    for k in (2, 4, 8):  # 小 k：PCA 明显低于不降维，随机投影更低
        assert med["pca", k] < med["none", 64] - 0.03 and med["random", k] < med["pca", k] - 0.05
    assert abs(med["pca", 16] - med["none", 64]) < 0.02 and abs(med["pca", 32] - med["none", 64]) < 0.02
    assert med["random", 16] < med["pca", 16]
    assert lo["pca", 16] > 0.94


def test_bad_inputs_raise_naming_the_argument() -> None:
    X = np.zeros((5, 3))
    with pytest.raises(ValueError, match="k"):
        pca_fit(X, 4)
    with pytest.raises(TypeError, match="X"):
        pca_fit(X.astype(int), 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="columns"):
        pca_transform(np.zeros((2, 2)), pca_fit(X + np.arange(15.0).reshape(5, 3) ** 2, 1))
    with pytest.raises(ValueError, match="D"):
        gaussian_projection(0, 1, np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng"):
        gaussian_projection(3, 1, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="N"):
        low_variance_signal(1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="spread"):
        low_variance_signal(5, np.random.default_rng(0), spread=0.0)
    with pytest.raises(ValueError, match="seed"):
        run_dimred(-1)
    with pytest.raises(ValueError, match="steps"):
        train_mlp(X, np.zeros(5, dtype=np.int64), X, np.zeros(5, dtype=np.int64), 0, steps=0)


def test_uncentred_svd_points_at_the_mean_on_digits() -> None:
    from sklearn.datasets import load_digits

    X, _ = load_digits(return_X_y=True)
    v = np.linalg.svd(X, full_matrices=False)[2][0]  # 不中心化的第一右奇异向量
    mu = X.mean(axis=0)
    assert abs(v @ mu) / np.linalg.norm(mu) > 0.9
    assert abs(v @ pca_fit(X, 1).components[0]) < 0.5

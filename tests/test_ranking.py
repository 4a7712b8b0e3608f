"""Rankings stable to last-bit noise: what another CPU's arithmetic does to scores must not change an order.

"Another CPU" is simulated by multiplying every score by ``1 + u`` with ``|u|`` a few units in the last place
of float64 (what another BLAS kernel or SIMD loop does), and checked against scikit-learn where a method has
a library twin (neighbour search, local outlier factor).
"""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.neighbors import LocalOutlierFactor, NearestNeighbors

from shopai_lab.anomaly.detectors import LOFDetector
from shopai_lab.anomaly.evaluate import local_outlier_factors
from shopai_lab.ranking import descending_order, nearest_neighbors, quantize, top_k_rows
from shopai_lab.recommend.similarity import knn_prune


def other_cpu(values, seed, ulps=4):
    """``values`` as another machine might compute them: each off by up to ``ulps`` units in the last place."""
    rng = np.random.default_rng(seed)
    values = np.asarray(values, dtype=float)
    return values + rng.integers(-ulps, ulps + 1, values.shape) * np.spacing(values)


def tied_scores(rows=200, columns=300, seed=0):
    """Scores with many exact ties (as popularity counts, identical products or identical baskets give)."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 12, (rows, columns)) / 7.0


def test_quantize_makes_last_bit_noise_vanish():
    x = tied_scores(50, 400)
    same = np.mean([np.array_equal(quantize(x, axis=1), quantize(other_cpu(x, s), axis=1)) for s in range(20)])
    assert same == 1.0


def test_quantize_keeps_order_of_values_that_differ_meaningfully():
    x = np.array([1.0, 1.0 + 1e-8, 0.5, -3.0, np.inf, -np.inf, np.nan])
    q = quantize(x)
    assert q[1] > q[0] > q[2] > q[3]
    assert np.isposinf(q[4]) and np.isneginf(q[5]) and np.isnan(q[6])
    assert np.all(np.abs(q[:4] - x[:4]) <= 2.0**-32 * 4)  # the grid: 2**-32 of the largest magnitude (3 < 4)


def test_quantize_leaves_the_input_alone_and_checks_bits():
    x = np.array([0.1, 0.2])
    before = x.copy()
    quantize(x)
    assert np.array_equal(x, before)
    with pytest.raises(ValueError, match="bits"):
        quantize(x, bits=60)
    with pytest.raises(ValueError, match="scale"):
        quantize(x, scale=np.nan)


def test_top_k_rows_is_the_same_on_another_cpu_and_breaks_ties_by_index():
    scores = tied_scores()
    items, _ = top_k_rows(scores, 10)
    for seed in range(10):
        assert np.array_equal(top_k_rows(other_cpu(scores, seed), 10)[0], items)
    # the rule: score descending, then lower column index
    expected = np.lexsort((np.broadcast_to(np.arange(scores.shape[1]), scores.shape), -scores), axis=1)[:, :10]
    assert np.array_equal(items, expected)


def test_top_k_rows_never_picks_excluded_columns():
    scores = np.array([[1.0, -np.inf, 0.5, -np.inf], [-np.inf, -np.inf, 2.0, 0.0]])
    items, top = top_k_rows(scores, 2)
    assert items.tolist() == [[0, 2], [2, 3]]
    assert np.isfinite(top).all()


def test_descending_order_is_stable_to_noise():
    scores = tied_scores(1, 2000)[0]
    order = descending_order(scores)
    assert np.array_equal(order, np.lexsort((np.arange(scores.size), -scores)))
    for seed in range(5):
        assert np.array_equal(descending_order(other_cpu(scores, seed)), order)


def test_knn_prune_keeps_lower_columns_among_ties_whatever_the_noise():
    rng = np.random.default_rng(1)
    dense = np.where(rng.random((60, 80)) < 0.5, tied_scores(60, 80, seed=2), 0.0)
    pruned = knn_prune(sp.csr_matrix(dense), 5).toarray()
    for seed in range(5):
        noisy = np.where(dense != 0, other_cpu(dense, seed), 0.0)
        assert np.array_equal(knn_prune(sp.csr_matrix(noisy), 5).toarray() != 0, pruned != 0)
    row = dense[0]
    expected = np.lexsort((np.arange(row.size), -row))[: min(5, int((row != 0).sum()))]
    assert set(np.flatnonzero(pruned[0])) == set(expected[row[expected] != 0])


def test_knn_prune_does_not_touch_the_callers_matrix():
    S = sp.csr_matrix((np.array([0.2, 0.9, 0.5]), np.array([2, 0, 1]), np.array([0, 3])), shape=(1, 3))
    indices = S.indices.copy()
    knn_prune(S, 2)
    assert np.array_equal(S.indices, indices)


def test_nearest_neighbors_equals_scikit_learn_without_ties():
    rng = np.random.default_rng(3)
    R, Q = rng.standard_normal((300, 5)), rng.standard_normal((40, 5))
    d, i = nearest_neighbors(R, 7)
    d_ref, i_ref = NearestNeighbors(n_neighbors=7, algorithm="kd_tree").fit(R).kneighbors()
    assert np.array_equal(i, i_ref)
    np.testing.assert_allclose(d, d_ref, rtol=1e-12)
    dq, iq = nearest_neighbors(R, 7, query=Q)
    dq_ref, iq_ref = NearestNeighbors(n_neighbors=7, algorithm="kd_tree").fit(R).kneighbors(Q)
    assert np.array_equal(iq, iq_ref)
    np.testing.assert_allclose(dq, dq_ref, rtol=1e-12)


def test_nearest_neighbors_with_many_identical_rows_takes_the_lowest_indices():
    # 30 copies of one point (more than n_neighbors + margin): ties reach past the fast search's candidates
    R = np.vstack([np.zeros((30, 3)), np.random.default_rng(4).standard_normal((50, 3)) + 5])
    d, i = nearest_neighbors(R, 10)
    assert i[0].tolist() == list(range(1, 11))  # row 0 is not its own neighbour
    assert i[29].tolist() == list(range(10))
    assert (d[:30] == 0).all()
    noisy = R + np.random.default_rng(5).integers(-2, 3, R.shape) * np.spacing(np.maximum(np.abs(R), 1e-300))
    assert np.array_equal(nearest_neighbors(noisy, 10)[1], i)


def test_nearest_neighbors_refuses_bad_input():
    with pytest.raises(ValueError, match="n_neighbors"):
        nearest_neighbors(np.zeros((5, 2)), 5)
    with pytest.raises(ValueError, match="finite"):
        nearest_neighbors(np.array([[0.0, np.nan], [1.0, 1.0]]), 1)
    with pytest.raises(ValueError, match="same columns"):
        nearest_neighbors(np.zeros((5, 2)), 2, query=np.zeros((3, 3)))


def test_lof_equals_scikit_learn_in_sample_and_on_new_rows():
    import pandas as pd

    rng = np.random.default_rng(6)
    X = pd.DataFrame(rng.standard_normal((400, 4)), columns=list("abcd"))
    new = pd.DataFrame(rng.standard_normal((50, 4)) * 2, columns=list("abcd"))
    ours = LOFDetector(n_neighbors=20).fit(X)
    from sklearn.preprocessing import RobustScaler

    scaler = RobustScaler().fit(X)
    ref = LocalOutlierFactor(n_neighbors=20, novelty=True, algorithm="kd_tree").fit(scaler.transform(X))
    np.testing.assert_allclose(ours.training_scores_, -ref.negative_outlier_factor_, rtol=1e-9)
    np.testing.assert_allclose(ours.anomaly_score(new), -ref.score_samples(scaler.transform(new)), rtol=1e-9)
    np.testing.assert_allclose(ours.score_samples(new), ref.score_samples(scaler.transform(new)), rtol=1e-9)
    several = local_outlier_factors(X, [10, 20])
    np.testing.assert_allclose(several[20].to_numpy(), ours.training_scores_, rtol=1e-12)
    ref10 = LocalOutlierFactor(n_neighbors=10, algorithm="kd_tree").fit(scaler.transform(X))
    np.testing.assert_allclose(several[10].to_numpy(), -ref10.negative_outlier_factor_, rtol=1e-9)


def test_lof_scores_do_not_move_with_last_bit_noise_in_duplicated_data():
    import pandas as pd

    rng = np.random.default_rng(7)
    base = np.round(rng.standard_normal((150, 3)), 1)
    X = np.vstack([base, base[:60], base[:30]])  # many identical invoices
    # model_matrix quantises features; the same features give the same factors, whatever the noise before
    scores = LOFDetector(n_neighbors=15).fit_score(pd.DataFrame(quantize(X, axis=0), columns=list("xyz")))
    noisy = pd.DataFrame(quantize(other_cpu(X, 8), axis=0), columns=list("xyz"))
    assert np.array_equal(LOFDetector(n_neighbors=15).fit_score(noisy), scores)


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: quantize(["a", "b"]), TypeError, "values must be numbers"),
        (lambda: top_k_rows(np.ones(5), 2), ValueError, "2-D"),
        (lambda: top_k_rows(np.ones((2, 3)), 4), ValueError, "k must be an integer between 1 and"),
        (lambda: top_k_rows(np.ones((2, 3)), 1.5), ValueError, "k must be an integer"),
        (lambda: top_k_rows([["x"]], 1), TypeError, "scores must be numbers"),
        (lambda: descending_order(["x"]), TypeError, "scores must be numbers"),
    ],
)
def test_bad_input_is_named(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()

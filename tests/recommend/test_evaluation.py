import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import ndcg_score

from shopai_lab.recommend import coverage, intra_list_diversity, novelty, ranking_metrics


def test_hand_computed_metrics():
    recommended = np.array([[3, 1, 2, 7], [5, 6, 7, 8]])
    truth = [[1, 2, 9], [0]]
    m = ranking_metrics(recommended, truth, k=4)
    assert m["hits"].tolist() == [2, 0]
    assert m["precision"].tolist() == [0.5, 0.0]
    assert m["recall"].tolist() == pytest.approx([2 / 3, 0.0])
    dcg = 1 / np.log2(3) + 1 / np.log2(4)
    idcg = 1 + 1 / np.log2(3) + 1 / np.log2(4)
    assert m.loc[0, "ndcg"] == pytest.approx(dcg / idcg)
    assert m.loc[0, "ap"] == pytest.approx((1 / 2 + 2 / 3) / 3)
    assert m["hit"].tolist() == [1, 0]


def test_map_is_normalised_by_min_truth_k():
    # Five relevant items, k = 2, both slots hits: AP = (1 + 1) / min(5, 2) = 1.
    m = ranking_metrics(np.array([[0, 1]]), [[0, 1, 2, 3, 4]], k=2)
    assert m.loc[0, "ap"] == 1.0 and m.loc[0, "ndcg"] == 1.0


def test_ndcg_agrees_with_sklearn_when_the_truth_is_among_the_candidates():
    rng = np.random.default_rng(0)
    for _ in range(20):
        n_items = 30
        scores = rng.random(n_items)
        relevant = rng.choice(n_items, size=rng.integers(1, 6), replace=False)
        y_true = np.zeros(n_items)
        y_true[relevant] = 1
        ranking = np.argsort(-scores)[None, :10]
        ours = ranking_metrics(ranking, [relevant], k=10).loc[0, "ndcg"]
        assert ours == pytest.approx(ndcg_score(y_true[None, :], scores[None, :], k=10))


def test_padding_never_hits_and_every_user_counts():
    m = ranking_metrics(np.array([[-1, -1], [2, -1]]), [[0], [2]])
    assert m["hits"].tolist() == [0, 1]
    assert len(m) == 2


def test_truth_as_sparse_rows():
    truth = sp.csr_matrix(np.array([[0, 1, 1], [1, 0, 0]]))
    m = ranking_metrics(np.array([[1, 0], [0, 2]]), truth)
    assert m["hits"].tolist() == [1, 1]


def test_metric_errors():
    with pytest.raises(ValueError, match="at least one relevant item"):
        ranking_metrics(np.array([[1, 2]]), [[]])
    with pytest.raises(ValueError, match="k must be between 1 and 2"):
        ranking_metrics(np.array([[1, 2]]), [[1]], k=3)
    with pytest.raises(ValueError, match="truth has 2 users"):
        ranking_metrics(np.array([[1, 2]]), [[1], [2]])


def test_coverage_diversity_novelty_known_answers():
    X = sp.csr_matrix(np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]], dtype=float))
    recommended = np.array([[0, 1], [2, 3]])
    assert coverage(recommended, 4) == 1.0
    assert coverage(np.array([[0, -1]]), 4) == 0.25
    # cos(item0, item1) = 2 / (sqrt(3) sqrt(2)); items 2 and 3 share no buyer: cos 0.
    expected = ((1 - 2 / np.sqrt(6)) + 1.0) / 2
    assert intra_list_diversity(recommended, X) == pytest.approx(expected)
    bits, popularity = novelty(np.array([[0, 2]]), X)
    assert bits == pytest.approx((-np.log2(3 / 4) - np.log2(1 / 4)) / 2)
    assert popularity == pytest.approx(2.0)

"""The one cosine: item x item (purchases and text), user x user, and among a list's items."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics.pairwise import cosine_similarity

from shopai_lab.recommend import ItemVectors, cosine_item_similarity, cosine_rows, knn_prune


@pytest.fixture(scope="module")
def X():
    rng = np.random.default_rng(3)
    dense = (rng.random((80, 30)) < 0.2) * rng.integers(1, 5, (80, 30))
    dense[:, 7] = 0  # an item nobody bought
    return sp.csr_matrix(dense.astype(float))


def test_cosine_rows_matches_sklearn_and_excludes_self(X):
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    sims = cosine_rows(X, X.T.tocsr(), norms, norms, self_rows=np.arange(X.shape[0])).toarray()
    exact = cosine_similarity(X)
    np.fill_diagonal(exact, 0.0)
    np.testing.assert_allclose(sims, exact, atol=1e-12)


def test_item_vectors_match_sklearn_on_any_subset(X):
    items = np.array([3, 7, 0, 12, 29])
    exact = cosine_similarity(X.T.tocsr()[items])
    np.testing.assert_allclose(ItemVectors(X).similarity(items), exact, atol=1e-12)
    assert (ItemVectors(X).similarity(items)[1] == 0).all()  # an unbought item is like nothing


def test_item_similarity_in_float64_for_text_features(X):
    sims = cosine_item_similarity(X, n_neighbors=30, dtype=np.float64)
    assert sims.dtype == np.float64
    exact = cosine_similarity(X.T)
    np.fill_diagonal(exact, 0.0)
    np.testing.assert_allclose(sims.toarray(), exact, atol=1e-12)


def test_knn_prune_keeps_the_largest_and_leaves_its_input_alone():
    S = sp.csr_matrix(np.array([[0.1, 0.5, 0.3, 0.0], [0.0, 0.0, 0.2, 0.0]]))
    before = S.toarray().copy()
    np.testing.assert_array_equal(knn_prune(S, 1).toarray(), [[0.0, 0.5, 0.0, 0.0], [0.0, 0.0, 0.2, 0.0]])
    np.testing.assert_array_equal(S.toarray(), before)
    with pytest.raises(ValueError, match="n_neighbors must be >= 1"):
        knn_prune(S, 0)

"""Bad hyper-parameters and arguments to shopai_lab.recommend: errors name the parameter."""

import numpy as np
import pytest
import scipy.sparse as sp

from shopai_lab import recommend as rec
from tests._bad_input import check_row

X = sp.csr_matrix(np.array([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0]], dtype=np.float32))
FITTED = rec.Popularity().fit(X)
ITEMS, SCORES = FITTED.recommend([0, 1], k=2)

ROWS = [
    (rec.ALS(factors=2.7, progress=False).fit, {"X": X}, TypeError, r"factors must be an integer, got 2\.7"),
    (rec.ALS(iterations="5", progress=False).fit, {"X": X}, TypeError, "iterations"),
    (rec.ALS(cg_steps=0, progress=False).fit, {"X": X}, ValueError, "cg_steps"),
    (rec.ALS(regularization=-1, progress=False).fit, {"X": X}, ValueError, "regularization"),
    (rec.ALS(alpha=0, progress=False).fit, {"X": X}, ValueError, "alpha"),
    (rec.ALS(alpha="big", progress=False).fit, {"X": X}, TypeError, "alpha"),
    (rec.ALS(random_state=1.5, progress=False).fit, {"X": X}, TypeError, "random_state"),
    (rec.ALS(progress="no").fit, {"X": X}, TypeError, "progress"),
    (rec.ItemKNN(n_neighbors="ten").fit, {"X": X}, TypeError, r"n_neighbors must be an integer, got 'ten'"),
    (rec.ItemKNN(n_neighbors=5.5).fit, {"X": X}, TypeError, "n_neighbors"),
    (rec.ItemKNN(shrinkage=-1).fit, {"X": X}, ValueError, "shrinkage"),
    (rec.ItemKNN(shrinkage="0").fit, {"X": X}, TypeError, "shrinkage"),
    (rec.UserKNN(n_neighbors=0).fit, {"X": X}, ValueError, "n_neighbors"),
    (rec.EASE(l2="500").fit, {"X": X}, TypeError, "l2"),
    (rec.EASE(max_memory_gb=0).fit, {"X": X}, ValueError, "max_memory_gb"),
    (rec.Popularity(weighted="yes").fit, {"X": X}, TypeError, "weighted"),
    (rec.ContentKNN().fit, {"X": X, "descriptions": "one text"}, TypeError, "descriptions"),
    (rec.ContentKNN(ngram_range=(2, 1)).fit, {"X": X, "descriptions": list("abcd")}, ValueError, "ngram_range"),
    (rec.ContentKNN(min_df=0).fit, {"X": X, "descriptions": list("abcd")}, ValueError, "min_df"),
    (rec.ContentKNN(n_neighbors=1.5).fit, {"X": X, "descriptions": list("abcd")}, TypeError, "n_neighbors"),
    (rec.Blend(components=[]).fit, {"X": X}, ValueError, "at least one"),
    (rec.Blend(components=[FITTED]).fit, {"X": X}, TypeError, r"components\[0\]"),
    (rec.Blend(components=[(FITTED, "1")]).fit, {"X": X}, TypeError, r"components\[0\] weight"),
    (rec.Blend(components=[("model", 1.0)]).fit, {"X": X}, TypeError, r"components\[0\] model"),
    (
        rec.Blend(components=[(FITTED, 1.0)]).fit,
        {"X": X, "component_X": [X.toarray()]},
        TypeError,
        r"component_X\[0\] must be a scipy.sparse",
    ),
    (rec.Blend(components=[(FITTED, 1.0)]).fit, {"X": X, "component_X": "X"}, TypeError, "component_X must be"),
    (FITTED.recommend, {"user_indices": [0], "k": 2.0}, TypeError, "k must be an integer"),
    (FITTED.recommend, {"user_indices": [0.0], "k": 2}, TypeError, "user_indices"),
    (FITTED.recommend, {"user_indices": [0], "k": 2, "exclude_seen": "no"}, TypeError, "exclude_seen"),
    (FITTED.recommend, {"user_indices": [0], "k": 2, "return_fallback": 1}, TypeError, "return_fallback"),
    (rec.Popularity().scores, {"user_indices": [0]}, ValueError, "not fitted"),
    (rec.cosine_item_similarity, {"X": X, "n_neighbors": 1.5}, TypeError, "n_neighbors"),
    (rec.cosine_item_similarity, {"X": X, "block_size": 0}, ValueError, "block_size"),
    (rec.mmr_rerank, {"items": ITEMS, "scores": SCORES, "X": X, "k": 1.5}, TypeError, "k must be"),
    (rec.mmr_rerank, {"items": ITEMS + 10, "scores": SCORES, "X": X}, ValueError, "items has position"),
    (rec.mmr_rerank, {"items": ITEMS, "scores": SCORES[:1], "X": X, "k": 2}, ValueError, "scores must have"),
    (
        rec.mmr_rerank,
        {"items": ITEMS, "scores": SCORES, "X": X, "k": 2, "relevance_weight": "0.5"},
        TypeError,
        "relevance_weight",
    ),
    (rec.check_interactions, {"X": X.toarray()}, TypeError, "X must be a scipy.sparse"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


@pytest.mark.parametrize(
    "model",
    [rec.ALS(factors=2, iterations=1, progress=False), rec.ItemKNN(), rec.EASE()],
    ids=lambda m: type(m).__name__,
)
def test_fit_does_not_modify_or_share_X(model):
    unsorted = sp.csr_matrix(
        (np.array([1.0, 2.0], dtype=np.float32), np.array([2, 0]), np.array([0, 2, 2, 2])), shape=(3, 4)
    )
    before = (unsorted.data.copy(), unsorted.indices.copy())
    model.fit(unsorted)
    np.testing.assert_array_equal(unsorted.indices, before[1])  # not sorted in place
    unsorted.data[:] = 99.0
    assert model.X_.max() == 2.0  # the model keeps its own copy

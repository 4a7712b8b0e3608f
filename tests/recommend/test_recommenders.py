import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics.pairwise import cosine_similarity

from shopai_lab.recommend import (
    ALS,
    EASE,
    Blend,
    ContentKNN,
    ItemKNN,
    Popularity,
    UserKNN,
    cosine_item_similarity,
)


@pytest.fixture(scope="module")
def X():
    rng = np.random.default_rng(0)
    dense = (rng.random((120, 40)) < 0.12).astype(float)
    dense[:, 0] = 1.0  # one item everybody has
    return sp.csr_matrix(dense)


ALL_MODELS = [
    Popularity(),
    ItemKNN(n_neighbors=20),
    UserKNN(n_neighbors=10),
    ALS(factors=8, iterations=5, progress=False),
    EASE(l2=10.0),
]


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: type(m).__name__)
def test_api_shapes_exclusion_and_order(model, X):
    model.fit(X)
    users = np.arange(0, 120, 7)
    items, scores = model.recommend(users, k=5)
    assert items.shape == scores.shape == (len(users), 5)
    assert np.all(np.diff(scores, axis=1) <= 1e-12)  # best first
    seen = X[users].toarray() > 0
    assert not seen[np.arange(len(users))[:, None], items].any()  # nothing already bought
    unfiltered, _ = model.recommend(users, k=5, exclude_seen=False)
    assert unfiltered.shape == (len(users), 5)


def test_batches_do_not_change_the_result(X):
    model = ItemKNN(n_neighbors=20).fit(X)
    full = model.recommend(np.arange(120), k=5)[0]
    model.batch_size = 7
    np.testing.assert_array_equal(model.recommend(np.arange(120), k=5)[0], full)


def test_item_similarity_matches_dense_cosine(X):
    exact = cosine_similarity(X.T.toarray())
    np.fill_diagonal(exact, 0.0)
    sim = cosine_item_similarity(X, n_neighbors=40, block_size=7).toarray()
    np.testing.assert_allclose(sim, exact, atol=1e-6)
    pruned = cosine_item_similarity(X, n_neighbors=3).toarray()
    assert ((pruned > 0).sum(axis=1) <= 3).all()
    row = exact[5]
    np.testing.assert_allclose(np.sort(pruned[5][pruned[5] > 0]), np.sort(row)[-3:], atol=1e-6)


def test_shrinkage_discounts_similarities_on_few_co_buyers(X):
    plain = cosine_item_similarity(X, n_neighbors=40).toarray()
    shrunk = cosine_item_similarity(X, n_neighbors=40, shrinkage=5.0).toarray()
    norms = np.sqrt(X.multiply(X).sum(axis=0).A1)
    i, j = 3, 7
    dot = (X[:, i].T @ X[:, j]).toarray()[0, 0]
    assert shrunk[i, j] == pytest.approx(dot / (norms[i] * norms[j] + 5.0), abs=1e-6)
    assert (shrunk <= plain + 1e-7).all()


def test_user_knn_matches_brute_force(X):
    model = UserKNN(n_neighbors=5).fit(X)
    dense = X.toarray()
    sims = cosine_similarity(dense)
    np.fill_diagonal(sims, 0.0)
    u = 11
    top = np.argsort(-sims[u])[:5]
    expected = sims[u, top] @ dense[top]
    np.testing.assert_allclose(model.scores([u])[0], expected, atol=1e-6)


def test_ease_matches_the_closed_form(X):
    model = EASE(l2=10.0).fit(X)
    G = X.T.toarray() @ X.toarray() + 10.0 * np.eye(40)
    P = np.linalg.inv(G)
    B = np.eye(40) - P / np.diag(P)
    np.testing.assert_allclose(model.B_, B, atol=1e-5)
    assert np.allclose(np.diag(model.B_), 0.0)


def test_ease_refuses_a_catalogue_too_large_for_memory():
    X = sp.csr_matrix(([1.0], ([0], [0])), shape=(2, 30_000))
    with pytest.raises(ValueError, match=r"dense 30,000 x 30,000 inverse.*use ItemKNN"):
        EASE(max_memory_gb=4.0).fit(X)


def test_als_conjugate_gradient_lowers_the_loss_and_approaches_the_exact_solve(X):
    losses = [
        ALS(factors=8, iterations=n, regularization=0.1, alpha=2.0, progress=False).fit(X).loss() for n in (1, 3, 10)
    ]
    assert losses[0] > losses[1] > losses[2]
    # With fixed item factors, many CG steps reach the exact weighted least-squares user solution.
    model = ALS(factors=6, iterations=4, cg_steps=25, regularization=0.1, alpha=2.0, progress=False).fit(X)
    Y = model.item_factors_.astype(np.float64)
    u = 4
    c = 1.0 + 2.0 * X[u].toarray().ravel()
    p = (X[u].toarray().ravel() > 0).astype(float)
    exact = np.linalg.solve(Y.T @ (c[:, None] * Y) + 0.1 * np.eye(6), Y.T @ (c * p))
    from shopai_lab.recommend.factorization import _conjugate_gradient

    Cm1 = X.copy()
    Cm1.data = 2.0 * Cm1.data
    solved, _ = _conjugate_gradient(Cm1, Y, Y.T @ Y, np.zeros((120, 6)), 0.1, steps=25)
    np.testing.assert_allclose(solved[u], exact, atol=1e-6)


def test_als_is_deterministic_under_its_seed(X):
    a = ALS(factors=8, iterations=3, random_state=1, progress=False).fit(X)
    b = ALS(factors=8, iterations=3, random_state=1, progress=False).fit(X)
    np.testing.assert_array_equal(a.user_factors_, b.user_factors_)


def test_users_that_cannot_be_scored_fall_back_to_popularity_and_are_counted():
    dense = np.array([[1, 0, 0, 0], [1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 1.0]])
    model = UserKNN(n_neighbors=2).fit(sp.csr_matrix(dense))
    items, _, fallback = model.recommend(np.array([0, 3]), k=2, return_fallback=True)
    assert fallback.tolist() == [False, True]  # user 3 shares no item with anyone
    assert not hasattr(model, "n_fallback_")  # recommend does not change the model
    assert items[1].tolist() == [0, 1]  # the most popular items user 3 does not have (ties by index)


def test_content_knn_finds_similar_descriptions():
    descriptions = [
        "RED HEART T-LIGHT HOLDER",
        "WHITE HEART T-LIGHT HOLDER",
        "PAPER CHAIN KIT CHRISTMAS",
        "PAPER CHAIN KIT VINTAGE",
        None,
    ]
    X = sp.csr_matrix(np.array([[1, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 1.0]]))
    model = ContentKNN(n_neighbors=2).fit(X, descriptions)
    items, _ = model.recommend(np.array([0, 1]), k=1)
    assert items.ravel().tolist() == [1, 3]
    with pytest.raises(ValueError, match="one text per item"):
        ContentKNN().fit(X, descriptions[:3])


def test_blend_of_one_component_ranks_like_it(X):
    ease = EASE(l2=10.0).fit(X)
    blend = Blend(components=[(EASE(l2=10.0), 1.0)]).fit(X)
    np.testing.assert_array_equal(blend.recommend(np.arange(20), k=5)[0], ease.recommend(np.arange(20), k=5)[0])
    with pytest.raises(ValueError, match=r"component_X\[0\] has shape"):
        Blend(components=[(EASE(l2=10.0), 1.0)]).fit(X, component_X=[X[:, :30]])


def test_blend_fits_clones_and_each_component_on_its_own_matrix(X):
    template = Popularity(weighted=True)
    recent = X.multiply(np.linspace(0.1, 1.0, X.shape[1])).tocsr()  # another weighting, same shape
    blend = Blend(components=[(EASE(l2=10.0), 1.0), (template, 0.5)]).fit(X, component_X=[None, recent])
    assert not hasattr(template, "popularity_")  # the given model is cloned, not fitted in place
    trend = blend.components_[1][0]
    np.testing.assert_allclose(trend.popularity_, np.asarray(recent.sum(axis=0)).ravel(), rtol=1e-6)
    with pytest.raises(ValueError, match="one entry per component"):
        Blend(components=[(EASE(l2=10.0), 1.0)]).fit(X, component_X=[None, None])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda X: Popularity().fit(sp.csr_matrix((3, 4))), ValueError, "X is empty"),
        (lambda X: Popularity().fit(X.toarray()), TypeError, "must be a scipy.sparse matrix"),
        (lambda X: Popularity().fit(X * -1), ValueError, "negative weights"),
        (lambda X: Popularity().fit(sp.csr_matrix(np.full((2, 2), np.nan))), ValueError, "NaN"),
        (lambda X: Popularity().fit(X).recommend([0], k=0), ValueError, r"k must be >= 1"),
        (lambda X: Popularity().fit(X).recommend([0], k=41), ValueError, "larger than the catalogue"),
        (lambda X: Popularity().fit(X).recommend([0, 500], k=3), ValueError, r"unknown user index\(es\) \[500\]"),
        (lambda X: Popularity().recommend([0], k=3), ValueError, "not fitted"),
        (lambda X: ItemKNN(n_neighbors=0).fit(X), ValueError, "n_neighbors must be >= 1"),
        (lambda X: EASE(l2=0).fit(X), ValueError, "l2 must be > 0"),
        (lambda X: ALS(factors=0).fit(X), ValueError, "factors must be >= 1"),
    ],
)
def test_bad_inputs(X, call, error, message):
    with pytest.raises(error, match=message):
        call(X)


def test_evaluation_on_online_retail(cleaned_retail):
    from shopai_lab.recommend import evaluate, temporal_split

    split = temporal_split(cleaned_retail.purchases, test_days=60)
    ease = evaluate(EASE(l2=300.0), split, fit=True)
    pop = evaluate(Popularity(), split, fit=True)
    assert ease.loc["EASE", "users"] == pop.loc["Popularity", "users"] == 1_683
    assert ease.loc["EASE", "ndcg"] == pytest.approx(0.1073, abs=0.002)
    assert pop.loc["Popularity", "ndcg"] == pytest.approx(0.0410, abs=0.002)


def test_mmr_rerank_trades_relevance_for_diversity(X):
    from shopai_lab.recommend import intra_list_diversity, mmr_rerank

    model = EASE(l2=10.0).fit(X)
    items, scores = model.recommend(np.arange(120), k=20)
    same = mmr_rerank(items, scores, X, k=10, relevance_weight=1.0)
    np.testing.assert_array_equal(same, items[:, :10])
    diverse = mmr_rerank(items, scores, X, k=10, relevance_weight=0.3)
    assert intra_list_diversity(diverse, X) > intra_list_diversity(same, X)
    assert all(set(d) <= set(c) for d, c in zip(diverse, items))
    with pytest.raises(ValueError, match="relevance_weight"):
        mmr_rerank(items, scores, X, relevance_weight=1.5)


def test_random_split_leaks_and_sampled_metrics_inflate(cleaned_retail):
    from shopai_lab.recommend import build_interactions, evaluate, random_split, sampled_hit_rate, temporal_split

    temporal = temporal_split(cleaned_retail.purchases, test_days=60)
    leaky = random_split(build_interactions(cleaned_retail.purchases), test_share=0.2, random_state=0)
    model = EASE(l2=300.0).fit(temporal.train.matrix)  # one fit serves the honest figure and the sampled one
    honest = evaluate(model, temporal)["hit_rate"].iloc[0]
    assert evaluate(EASE(l2=300.0), leaky, fit=True)["hit_rate"].iloc[0] > honest + 0.1
    # The full-ranking counterpart of a per-item sampled hit rate: share of truth items in the top 10.
    from shopai_lab.recommend import ranking_metrics

    items, _ = model.recommend(temporal.eval_users, k=10)
    per_user = ranking_metrics(items, temporal.truth[temporal.eval_users], 10)
    full = per_user["hits"].sum() / temporal.truth.nnz
    assert sampled_hit_rate(model, temporal, n_negatives=100) > 5 * full

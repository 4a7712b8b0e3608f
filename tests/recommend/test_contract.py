"""The recommender contract, run over every recommender of the package.

fit records the matrix's shape; scores needs a fitted model; batch results equal one-user-at-a-time results;
exclude_seen; bounds on k; set_params changes the fit; recommend and fit leave their inputs and (for
recommend) the model unchanged. The scikit-learn conventions every estimator shares (keyword-only
hyper-parameters, clone, get_params/set_params, NotFittedError from recommend, fit returns self,
determinism under random_state, pickle) are checked in tests/test_estimators.py.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from shopai_lab import recommend as rec
from tests.recommend.conftest import N_ITEMS, N_USERS  # the X fixture lives there too

TEXTS = [
    f"{colour} {thing}"
    for colour, thing in zip(
        ["red", "white", "blue", "green", "pink"] * 5,
        ["heart candle"] * 5 + ["cake cases"] * 5 + ["tea cup"] * 5 + ["paper chain kit"] * 5 + ["alarm clock"] * 5,
    )
]

FACTORIES = {
    "Popularity": lambda: rec.Popularity(),
    "Popularity(weighted)": lambda: rec.Popularity(weighted=True),
    "ItemKNN": lambda: rec.ItemKNN(n_neighbors=10, shrinkage=2.0),
    "UserKNN": lambda: rec.UserKNN(n_neighbors=8),
    "ALS": lambda: rec.ALS(factors=4, iterations=3, random_state=3, progress=False),
    "EASE": lambda: rec.EASE(l2=5.0),
    "ContentKNN": lambda: rec.ContentKNN(n_neighbors=5),
    "Blend": lambda: rec.Blend(
        components=[
            (rec.EASE(l2=5.0), 1.0),
            (rec.ALS(factors=4, iterations=2, random_state=1, progress=False), 0.5),
            (rec.Popularity(), 0.2),
        ]
    ),
    "SASRec": lambda: rec.SASRec(
        factors=8, n_blocks=1, max_length=6, epochs=3, train_batch=16, random_state=3, progress=False
    ),
}


def fit(model, X):
    if isinstance(model, rec.ContentKNN):
        return model.fit(X, TEXTS)
    if isinstance(model, rec.SASRec):
        pytest.importorskip("jax", reason='SASRec needs the [deep] extra: pip install "shopai-lab[deep]"')
        from tests.recommend.test_sequential import sequences_of

        return model.fit(X, sequences_of(X))
    return model.fit(X)


@pytest.fixture(params=list(FACTORIES), scope="module")
def name(request):
    return request.param


@pytest.fixture(scope="module")
def fitted(name, X):
    return fit(FACTORIES[name](), X)


USERS = np.array([0, 5, 17, 42, 59, 3])


def test_fit_records_the_shape_of_the_matrix(fitted):
    assert fitted.n_users_ == N_USERS and fitted.n_items_ == N_ITEMS


def test_not_fitted_error_names_the_model(name):
    model = FACTORIES[name]()
    with pytest.raises(NotFittedError, match=f"this {type(model).__name__} is not fitted yet"):
        model.recommend([0], k=3)
    with pytest.raises(NotFittedError):
        model.scores([0])


def test_batch_equals_one_user_at_a_time(fitted):
    items, scores = fitted.recommend(USERS, k=6)
    for row, user in enumerate(USERS):
        one_items, one_scores = fitted.recommend([user], k=6)
        np.testing.assert_array_equal(one_items[0], items[row])
        np.testing.assert_allclose(one_scores[0], scores[row], rtol=1e-6)
    small = clone(fitted)
    small.batch_size = 2
    small = fit(small, fitted.X_)
    np.testing.assert_array_equal(small.recommend(USERS, k=6)[0], items)


def test_exclude_seen(fitted, X):
    items, _ = fitted.recommend(np.arange(N_USERS), k=8)
    seen = X.toarray() > 0
    rows = np.arange(N_USERS)[:, None]
    assert not seen[rows, np.where(items >= 0, items, 0)][items >= 0].any()
    everything, _ = fitted.recommend(np.arange(N_USERS), k=N_ITEMS, exclude_seen=False)
    assert (everything >= 0).all()  # nothing removed: every row is the whole catalogue
    assert all(set(row) == set(range(N_ITEMS)) for row in everything)


def test_bounds_on_k(fitted):
    with pytest.raises(ValueError, match="k must be >= 1"):
        fitted.recommend([0], k=0)
    with pytest.raises(ValueError, match="larger than the catalogue"):
        fitted.recommend([0], k=N_ITEMS + 1)
    items, scores = fitted.recommend([5], k=N_ITEMS)  # user 5 has one item: one slot is padding
    assert (items[0] == -1).sum() == 1 and items[0, -1] == -1 and np.isneginf(scores[0, -1])


def test_recommend_does_not_change_the_model(fitted):
    before = {key: (value.copy() if hasattr(value, "copy") else value) for key, value in vars(fitted).items()}
    fitted.recommend(USERS, k=4)
    fitted.scores(USERS)
    assert vars(fitted).keys() == before.keys()
    for key, value in vars(fitted).items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, before[key])
        elif sp.issparse(value):
            assert (value != before[key]).nnz == 0


def test_fit_leaves_X_unchanged(name, X):
    before = X.copy()
    fit(FACTORIES[name](), X)
    assert (X != before).nnz == 0 and X.dtype == before.dtype


def test_set_params_changes_the_fit(X):
    model = rec.ALS(factors=4, iterations=3, random_state=0, progress=False)
    a = fit(clone(model), X).user_factors_
    b = fit(clone(model).set_params(random_state=1), X).user_factors_
    assert not np.array_equal(a, b)

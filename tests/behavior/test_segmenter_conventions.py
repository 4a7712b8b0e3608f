"""CustomerSegmenter follows scikit-learn's conventions; simulator events use customer_id."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from shopai_lab.behavior import CustomerSegmenter, session_features
from shopai_lab.data import simulate_shop

FEATURES = pd.DataFrame(
    {"a": np.r_[np.zeros(10), np.ones(10) * 5] + np.arange(20) * 0.01, "b": np.r_[np.ones(10), np.zeros(10)]}
)


def test_keyword_only_params_stored_unchanged_and_cloned():
    with pytest.raises(TypeError):
        CustomerSegmenter((2, 4))
    seg = CustomerSegmenter(k_range=[2, 9.5], n_init="x")  # validated in fit, not here
    assert seg.k_range == [2, 9.5] and seg.n_init == "x"
    params = CustomerSegmenter(k_range=(2, 3), random_state=5).get_params()
    assert params == {
        "k_range": (2, 3),
        "log_columns": "auto",
        "n_init": 10,
        "silhouette_sample_size": 10_000,
        "random_state": 5,
    }
    assert clone(CustomerSegmenter(random_state=5)).random_state == 5


def test_fit_returns_self_is_deterministic_and_pickles():
    seg = CustomerSegmenter(k_range=(2, 3), random_state=1)
    assert seg.fit(FEATURES) is seg
    again = clone(seg).fit(FEATURES)
    pd.testing.assert_series_equal(seg.labels_, again.labels_)
    copy = pickle.loads(pickle.dumps(seg))
    pd.testing.assert_series_equal(copy.predict(FEATURES), seg.labels_)
    assert repr(seg) == f"CustomerSegmenter(k_range=(2, 3), n_clusters_={seg.n_clusters_})"


def test_predict_before_fit_is_sklearns_not_fitted_error():
    with pytest.raises(NotFittedError, match="not fitted"):
        CustomerSegmenter().predict(FEATURES)


def test_session_features_are_indexed_by_customer_id():
    shop = simulate_shop(n_customers=80, n_items=20, days=20, random_state=2)
    features = session_features(shop.events)
    assert features.index.name == "customer_id"
    assert set(features.index) <= set(shop.customers["customer_id"])

"""CustomerSegmenter's repr and validation in fit; simulator events use customer_id.

The scikit-learn conventions (keyword-only parameters, clone, NotFittedError, fit returns self, determinism,
pickle) are checked for every estimator in tests/test_estimators.py.
"""

import numpy as np
import pandas as pd
import pytest

from shopai_lab.behavior import CustomerSegmenter, session_features
from shopai_lab.data import simulate_shop

FEATURES = pd.DataFrame(
    {"a": np.r_[np.zeros(10), np.ones(10) * 5] + np.arange(20) * 0.01, "b": np.r_[np.ones(10), np.zeros(10)]}
)


def test_bad_settings_are_refused_in_fit_and_the_repr_shows_k():
    seg = CustomerSegmenter(k_range=[2, 9.5], n_init="x")  # stored as given: validated in fit
    with pytest.raises((TypeError, ValueError), match="k_range|n_init"):
        seg.fit(FEATURES)
    seg = CustomerSegmenter(k_range=(2, 3), random_state=1).fit(FEATURES)
    pd.testing.assert_series_equal(seg.predict(FEATURES), seg.labels_)
    assert repr(seg) == f"CustomerSegmenter(k_range=(2, 3), n_clusters_={seg.n_clusters_})"


def test_session_features_are_indexed_by_customer_id():
    shop = simulate_shop(n_customers=80, n_items=20, days=20, random_state=2)
    features = session_features(shop.events)
    assert features.index.name == "customer_id"
    assert set(features.index) <= set(shop.customers["customer_id"])

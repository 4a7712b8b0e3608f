"""Bad input to shopai_lab.behavior: clear errors naming the column or parameter; inputs unchanged."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import behavior
from tests._bad_input import check_row, pounds, text_dates, tiny_transactions

TX = tiny_transactions()
TABLE = behavior.rfm(TX)
SCORED = behavior.rfm_scores(TABLE, n_bins=2)
EVENTS = pd.DataFrame(
    {
        "customer_id": ["u", "u", "v"],
        "session_id": [1, 1, 2],
        "event": ["view", "cart", "view"],
        "price": [1.0, 1.0, 2.0],
        "quantity": [1, 1, 1],
    }
)
FEATURES = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [0.0, 1.0, 0.0, 1.0]})

ROWS = [
    (behavior.rfm, {"purchases": pounds(TX)}, TypeError, r"purchases\['unit_price'\].*'£2.50'"),
    (behavior.rfm, {"purchases": text_dates(TX)}, TypeError, r"'timestamp'.*datetime"),
    (behavior.rfm, {"purchases": TX.iloc[:0]}, ValueError, "purchases is empty"),
    (
        behavior.rfm,
        {"purchases": TX.assign(customer_id=[None, "a", "b", "b", "c", "a"])},
        ValueError,
        r"'customer_id'.*missing",
    ),
    (behavior.rfm, {"purchases": TX.assign(quantity=[1, np.nan, 3, 1, 4, 2])}, ValueError, r"'quantity'"),
    (behavior.rfm, {"purchases": TX, "reference_date": "someday"}, ValueError, "reference_date"),
    (behavior.rfm, {"purchases": TX, "reference_date": "2020-01-01"}, ValueError, "reference_date"),
    (behavior.rfm, {"purchases": TX, "returns": pounds(TX)}, TypeError, r"returns\['unit_price'\]"),
    (behavior.quantile_scores, {"values": pd.Series(["a", "b"], name="m")}, TypeError, r"'m'.*numeric"),
    (behavior.quantile_scores, {"values": [1, 2, 3]}, TypeError, "values must be a Series"),
    (behavior.quantile_scores, {"values": pd.Series([1.0, np.nan], name="m")}, ValueError, "'m'.*missing"),
    (behavior.quantile_scores, {"values": pd.Series([1, 2]), "n_bins": 2.5}, TypeError, "n_bins"),
    (behavior.quantile_scores, {"values": pd.Series([1, 2]), "n_bins": 1}, ValueError, "n_bins"),
    (behavior.quantile_scores, {"values": pd.Series([1, 2]), "higher_is_better": "yes"}, TypeError, "higher_is_better"),
    (
        behavior.rfm_scores,
        {"table": TABLE.assign(net_revenue=TABLE["net_revenue"].astype(str))},
        TypeError,
        r"table\['net_revenue'\]",
    ),
    (behavior.assign_segments, {"scored": SCORED.assign(r_score=np.nan)}, ValueError, r"'r_score'"),
    (behavior.assign_segments, {"scored": SCORED.assign(r_score=9)}, ValueError, r"'r_score'.*outside"),
    (
        behavior.segment_summary,
        {"segmented": behavior.assign_segments(SCORED).iloc[:0]},
        ValueError,
        "segmented is empty",
    ),
    (behavior.cohort_retention, {"purchases": text_dates(TX)}, TypeError, r"'timestamp'"),
    (behavior.cohort_retention, {"purchases": TX, "as_counts": "yes"}, TypeError, "as_counts"),
    (behavior.cohort_retention, {"purchases": TX.assign(customer_id=None)}, ValueError, "'customer_id'"),
    (behavior.funnel, {"events": EVENTS, "stages": "view"}, TypeError, "stages"),
    (behavior.funnel, {"events": EVENTS, "by": ["customer_id", 3]}, TypeError, "by"),
    (behavior.funnel, {"events": EVENTS, "stages": ("view", "view")}, ValueError, "stages"),
    (behavior.funnel, {"events": EVENTS.iloc[:0]}, ValueError, "events is empty"),
    (behavior.customer_features, {"purchases": pounds(TX)}, TypeError, r"'unit_price'"),
    (behavior.session_features, {"events": EVENTS.assign(price="£1")}, TypeError, r"events\['price'\]"),
    (behavior.CustomerSegmenter(k_range=(2, 2.5)).fit, {"features": FEATURES}, TypeError, r"k_range\[1\]"),
    (behavior.CustomerSegmenter(k_range=(2, 3), n_init=0).fit, {"features": FEATURES}, ValueError, "n_init"),
    (behavior.CustomerSegmenter(k_range=(2, 3), log_columns="a").fit, {"features": FEATURES}, TypeError, "log_columns"),
    (
        behavior.CustomerSegmenter(k_range=(2, 3), random_state="x").fit,
        {"features": FEATURES},
        TypeError,
        "random_state",
    ),
    (behavior.CustomerSegmenter(k_range=(2, 3)).fit, {"features": FEATURES.iloc[:0]}, ValueError, "empty"),
    (behavior.CustomerSegmenter().predict, {"features": FEATURES}, ValueError, "not fitted"),
    (
        behavior.segment_profile,
        {"features": FEATURES, "labels": [0, 1, 0, 1], "revenue_column": None},
        TypeError,
        "labels must be a Series",
    ),
    (
        behavior.segment_profile,
        {"features": FEATURES, "labels": pd.Series([0, 1]), "revenue_column": None},
        ValueError,
        "labels",
    ),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_segmenter_predict_refuses_text_features():
    seg = behavior.CustomerSegmenter(k_range=(2, 2)).fit(FEATURES)
    with pytest.raises(TypeError, match=r"features\['a'\]"):
        seg.predict(FEATURES.assign(a="1"))

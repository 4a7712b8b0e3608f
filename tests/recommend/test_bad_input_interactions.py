"""Bad input to shopai_lab.recommend.interactions: clear errors naming the column or parameter; inputs unchanged."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import recommend
from tests._bad_input import check_row, text_dates, tiny_transactions

TX = tiny_transactions()
MATRIX = recommend.build_interactions(TX)

ROWS = [
    (
        recommend.build_interactions,
        {"purchases": text_dates(TX), "weighting": "recency"},
        TypeError,
        r"purchases\['timestamp'\].*datetime",
    ),
    (recommend.build_interactions, {"purchases": TX.assign(quantity=["1"] * 6)}, TypeError, r"purchases\['quantity'\]"),
    (
        recommend.build_interactions,
        {"purchases": TX.assign(quantity=[1, 2, None, 1, 1, 1])},
        ValueError,
        r"'quantity'.*missing",
    ),
    (recommend.build_interactions, {"purchases": TX.iloc[:0]}, ValueError, "purchases is empty"),
    (recommend.build_interactions, {"purchases": TX, "weighting": "tfidf"}, ValueError, "weighting"),
    (recommend.build_interactions, {"purchases": TX, "half_life_days": "90"}, TypeError, "half_life_days"),
    (recommend.build_interactions, {"purchases": TX, "users": ["a", "a"]}, ValueError, r"users.*duplicated"),
    (
        recommend.build_interactions,
        {"purchases": TX.assign(item_id=[None, "y", "x", "z", "y", "z"])},
        ValueError,
        r"'item_id'.*missing",
    ),
    (recommend.temporal_split, {"purchases": TX, "test_days": 2.5}, TypeError, "test_days"),
    (recommend.temporal_split, {"purchases": TX, "test_days": 0}, ValueError, "test_days"),
    (recommend.temporal_split, {"purchases": TX, "weighting": "nope"}, ValueError, "weighting"),
    (recommend.temporal_split, {"purchases": text_dates(TX)}, TypeError, r"'timestamp'"),
    (recommend.random_split, {"interactions": MATRIX.matrix}, TypeError, "interactions must be"),
    (recommend.random_split, {"interactions": MATRIX, "test_share": 1.5}, ValueError, "test_share"),
    (recommend.random_split, {"interactions": MATRIX, "random_state": "x"}, TypeError, "random_state"),
    (MATRIX.user_index, {"ids": ["zz"]}, ValueError, r"unknown customer id\(s\) \['zz'\]"),
    (recommend.recency_interactions, {"purchases": TX, "half_life_days": 0}, ValueError, "half_life_days"),
    (recommend.recency_interactions, {"purchases": TX, "half_life_days": "30"}, TypeError, "half_life_days"),
    (recommend.recency_interactions, {"purchases": TX, "half_life_days": -np.inf}, ValueError, "half_life_days"),
    (
        recommend.recency_interactions,
        {"purchases": TX, "half_life_days": 30, "reference": pd.Timestamp("2024-01-01")},
        ValueError,
        "reference",
    ),
    (recommend.recency_interactions, {"purchases": text_dates(TX), "half_life_days": 30}, TypeError, "timestamp"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_valid_input_is_not_modified():
    lines = TX.copy()
    recommend.build_interactions(lines, "recency")
    assert lines.equals(TX)
    assert isinstance(pd.Index(MATRIX.users), pd.Index)

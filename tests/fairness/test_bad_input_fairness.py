"""Bad input to the fairness functions gets a ValueError or TypeError naming the parameter."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import fairness
from tests._bad_input import row_ids

LINEAR = [lambda p: np.maximum(10 - p, 0.0)]

ROWS = [
    (fairness.position_weights, {"k": 0}, ValueError, "k"),
    (fairness.item_exposure, {"lists": [[0, 5]], "n_items": 3}, ValueError, "lists has position"),
    (fairness.item_exposure, {"lists": [0, 1], "n_items": 3}, ValueError, "lists must be 2-dimensional"),
    (fairness.item_exposure, {"lists": [[0.5, 1.0]], "n_items": 3}, TypeError, "lists must hold integer"),
    (fairness.gini, {"values": []}, ValueError, "values is empty"),
    (fairness.gini, {"values": [1.0, -1.0]}, ValueError, "values must be >= 0"),
    (fairness.gini, {"values": [1.0, np.nan]}, ValueError, "values has 1 missing"),
    (fairness.exposure_table, {"exposure": [1.0], "merit": [1.0, 2.0], "groups": ["a"]}, ValueError, "length"),
    (fairness.exposure_table, {"exposure": [0.0, 0.0], "merit": [1.0, 2.0], "groups": ["a", "b"]}, ValueError, "zero"),
    (
        fairness.exposure_constrained_top_k,
        {"scores": [[0.1, np.nan]], "protected": [True, False], "k": 1, "min_share": 0.5},
        ValueError,
        "NaN",
    ),
    (
        fairness.exposure_constrained_top_k,
        {"scores": [0.1, 0.2], "protected": [True, False], "k": 1, "min_share": 0.5},
        ValueError,
        "2-D",
    ),
    (
        fairness.exposure_constrained_top_k,
        {"scores": [[0.1, 0.2]], "protected": [True], "k": 1, "min_share": 0.5},
        ValueError,
        "protected must hold one flag",
    ),
    (
        fairness.exposure_constrained_top_k,
        {"scores": [[0.1, 0.2]], "protected": [0.3, 0.7], "k": 1, "min_share": 0.5},
        ValueError,
        "protected must be binary",
    ),
    (
        fairness.exposure_constrained_top_k,
        {"scores": [[0.1, 0.2]], "protected": [True, False], "k": 3, "min_share": 0.5},
        ValueError,
        "k \\(3\\) must not exceed",
    ),
    (
        fairness.exposure_constrained_top_k,
        {"scores": [[0.1, 0.2]], "protected": [True, False], "k": 1, "min_share": 1.5},
        ValueError,
        "min_share",
    ),
    (fairness.group_optimal_prices, {"demand": [], "bounds": (1, 2)}, TypeError, "demand must be a non-empty list"),
    (fairness.group_optimal_prices, {"demand": [3.0], "bounds": (1, 2)}, TypeError, "demand\\[0\\]"),
    (fairness.group_optimal_prices, {"demand": LINEAR, "bounds": 5}, TypeError, "bounds must be a"),
    (fairness.group_optimal_prices, {"demand": LINEAR, "bounds": (3, 2)}, ValueError, "bounds\\[1\\]"),
    (fairness.group_optimal_prices, {"demand": LINEAR, "bounds": (0, 2)}, ValueError, "bounds\\[0\\]"),
    (
        fairness.group_optimal_prices,
        {"demand": [lambda p: p - 20], "bounds": (1, 2)},
        ValueError,
        "non-negative quantity",
    ),
    (fairness.capped_group_prices, {"demand": LINEAR, "bounds": (1, 2), "max_ratio": 0.5}, ValueError, "max_ratio"),
    (fairness.price_frontier, {"demand": LINEAR, "bounds": (1, 2), "ratios": []}, ValueError, "ratios is empty"),
    (fairness.group_metric_table, {"values": [1.0, 2.0, 3.0], "groups": ["a", "a", "b"]}, ValueError, "group 'b'"),
    (fairness.model_card, {"name": "m", "purpose": "p", "data": "d", "metrics": {}}, TypeError, "metrics"),
    (fairness.model_card, {"name": "", "purpose": "p", "data": "d", "metrics": {"a": "1"}}, ValueError, "name"),
    (
        fairness.model_card,
        {"name": "m", "purpose": "p", "data": "d", "metrics": {"a": "1"}, "limits": "x"},
        TypeError,
        "limits",
    ),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        call(**kwargs)


TARGETING_ROWS = [
    (
        fairness.targeting_table,
        {"y_true": [1, 0], "selected": [1], "probability": [0.5, 0.5], "groups": ["a", "a"]},
        ValueError,
        "length",
    ),
    (
        fairness.targeting_table,
        {"y_true": [1, 0], "selected": [0.2, 0.9], "probability": [0.5, 0.5], "groups": ["a", "a"]},
        ValueError,
        "selected must be binary",
    ),
    (
        fairness.targeting_table,
        {"y_true": [1, 0], "selected": [1, 0], "probability": [1.5, 0.5], "groups": ["a", "a"]},
        ValueError,
        "probability",
    ),
    (
        fairness.targeting_table,
        {"y_true": [1, 0], "selected": [1, 0], "probability": [0.5, 0.5], "groups": ["a", None]},
        ValueError,
        "groups has 1 missing",
    ),
    (
        fairness.equal_opportunity_thresholds,
        {"y_true": [0, 0], "probability": [0.5, 0.5], "groups": ["a", "a"], "target_rate": 0.5},
        ValueError,
        "group 'a' has no buyers",
    ),
    (
        fairness.equal_opportunity_thresholds,
        {"y_true": [1, 0], "probability": [0.5, 0.5], "groups": ["a", "a"], "target_rate": 0},
        ValueError,
        "target_rate",
    ),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), TARGETING_ROWS, ids=row_ids(TARGETING_ROWS))
def test_bad_targeting_input(call, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        call(**kwargs)


_LINES = pd.DataFrame(
    {
        "customer_id": ["a", "b"],
        "timestamp": pd.to_datetime(["2011-01-01", "2011-02-01"]),
        "quantity": [1, 2],
        "unit_price": [1.0, 2.0],
        "item_id": ["A", "A"],
        "group": ["x", "y"],
    }
)

SEGMENT_ROWS = [
    (
        fairness.customer_groups,
        {"purchases": _LINES.drop(columns="timestamp"), "cutoff": "2011-03-01"},
        ValueError,
        "timestamp",
    ),
    (fairness.customer_groups, {"purchases": _LINES, "cutoff": "not a date"}, ValueError, "cutoff must be a date"),
    (
        fairness.customer_groups,
        {"purchases": _LINES, "cutoff": "2010-01-01"},
        ValueError,
        "no purchases before the cut-off",
    ),
    (fairness.customer_groups, {"purchases": _LINES, "cutoff": "2011-03-01", "new_days": 0}, ValueError, "new_days"),
    (fairness.long_tail, {"purchase_counts": [1, -2]}, ValueError, "purchase_counts"),
    (fairness.long_tail, {"purchase_counts": [1, 2], "head_share": 1.0}, ValueError, "head_share"),
    (
        fairness.price_gap_by_group,
        {"lines": _LINES, "group_column": "group", "group": "z", "reference": "x"},
        ValueError,
        "group 'z' is not a value",
    ),
    (
        fairness.price_gap_by_group,
        {"lines": _LINES, "group_column": "group", "group": "y", "reference": "x"},
        ValueError,
        "only 0 product x tier",
    ),
    (
        fairness.price_gap_by_group,
        {"lines": _LINES.assign(unit_price=[0.0, 1.0]), "group_column": "group", "group": "y", "reference": "x"},
        ValueError,
        "unit_price > 0",
    ),
    (
        fairness.price_gap_by_group,
        {"lines": _LINES, "group_column": "group", "group": "y", "reference": "x", "tiers": (2, 6)},
        ValueError,
        "tiers must be",
    ),
    (
        fairness.price_gap_by_group,
        {"lines": _LINES, "group_column": "tier", "group": "y", "reference": "x"},
        ValueError,
        "tier",
    ),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), SEGMENT_ROWS, ids=row_ids(SEGMENT_ROWS))
def test_bad_segment_input(call, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        call(**kwargs)

"""Bad input to the filter-bubble loop (shopai_lab.recommend.feedback, its sentences and plot): clear errors
naming the parameter; inputs unchanged."""

import pandas as pd
import pytest

from shopai_lab import recommend
from shopai_lab.recommend import FilterBubbleLoop, ShopWorld
from tests._bad_input import check_row, row_ids
from tests.recommend.test_feedback import word_lines

LINES = word_lines(3_000, n_customers=60, n_items=30)
WORLD = recommend.fit_shop_world(LINES, n_customers=20, n_products=20, n_groups=3)
HISTORY = pd.DataFrame({"seed": [0, 1], "round": [0, 0], "utility": [0.5, 0.6]})
SENSE = {"sensitivity": pd.DataFrame({"utility_change": []}), "policy": "mmr", "baseline": "plain"}

ROWS = [
    (recommend.fit_shop_world, {"purchases": LINES.drop(columns="description")}, ValueError, "description"),
    (recommend.fit_shop_world, {"purchases": LINES.iloc[:0]}, ValueError, "purchases"),
    (recommend.fit_shop_world, {"purchases": LINES, "n_products": 1}, ValueError, "n_products"),
    (recommend.fit_shop_world, {"purchases": LINES, "n_groups": 2.5}, TypeError, "n_groups"),
    (recommend.fit_shop_world, {"purchases": LINES, "min_products": 10_000}, ValueError, "min_products"),
    (recommend.fit_shop_world, {"purchases": "lines.csv"}, TypeError, "purchases"),
    (FilterBubbleLoop, {"world": "world"}, TypeError, "world"),
    (FilterBubbleLoop, {"world": WORLD, "policy": "greedy"}, ValueError, "policy"),
    (FilterBubbleLoop, {"world": WORLD, "k": 20}, ValueError, "k=20"),
    (FilterBubbleLoop, {"world": WORLD, "feedback_strength": 1.5}, ValueError, "feedback_strength"),
    (FilterBubbleLoop, {"world": WORLD, "taste_prior": 0}, ValueError, "taste_prior"),
    (FilterBubbleLoop, {"world": WORLD, "epsilon": -0.1}, ValueError, "epsilon"),
    (FilterBubbleLoop, {"world": WORLD, "calibration_weight": "high"}, TypeError, "calibration_weight"),
    (FilterBubbleLoop, {"world": WORLD, "mmr_weight": 2}, ValueError, "mmr_weight"),
    (FilterBubbleLoop, {"world": WORLD, "n_candidates": 0}, ValueError, "n_candidates"),
    (recommend.bubble_study, {"world": WORLD, "policies": "plain"}, TypeError, "policies"),
    (recommend.bubble_study, {"world": WORLD, "policies": ["plain", "plain"]}, ValueError, "policies"),
    (recommend.bubble_study, {"world": WORLD, "policies": ["best"]}, ValueError, "policies"),
    (recommend.policy_table, {"histories": [HISTORY]}, TypeError, "histories"),
    (recommend.policy_table, {"histories": {"plain": HISTORY}}, ValueError, "offline_ndcg"),
    (recommend.policy_table, {"histories": {"plain": HISTORY}, "baseline": "mmr"}, ValueError, "baseline"),
    (recommend.describe_bubble, {"table": HISTORY, "baseline": "plain", "n_rounds": 2, "k": 10}, ValueError, "breadth"),
    (recommend.describe_bubble, {"table": None, "baseline": "plain", "n_rounds": 2, "k": 10}, TypeError, "table"),
    (
        recommend.describe_no_feedback,
        {"no_feedback": HISTORY, "with_feedback": HISTORY, "feedback_strength": 0.5},
        ValueError,
        "breadth",
    ),
    (recommend.plot_rounds, {"histories": {}, "metric": "utility"}, TypeError, "histories"),
    (recommend.policy_table_text, {"table": [HISTORY]}, TypeError, "table"),
    (recommend.policy_table_text, {"table": HISTORY, "digits": 0}, ValueError, "digits"),
    (recommend.strength_sensitivity, {"world": WORLD, "policy": "mmr", "strengths": 0.5}, TypeError, "strengths"),
    (recommend.strength_sensitivity, {"world": WORLD, "policy": "mmr", "strengths": [1.5]}, ValueError, "strengths"),
    (recommend.strength_sensitivity, {"world": WORLD, "policy": "best", "strengths": [0.0]}, ValueError, "policy"),
    (
        recommend.describe_sensitivity,
        {"sensitivity": HISTORY, "policy": "mmr", "baseline": "plain"},
        ValueError,
        "utility_change",
    ),
    (
        recommend.describe_sensitivity,
        {"sensitivity": None, "policy": "mmr", "baseline": "plain"},
        TypeError,
        "sensitivity",
    ),
    (
        recommend.describe_sensitivity,
        {"sensitivity": pd.DataFrame({"utility_change": []}), "policy": "mmr", "baseline": "plain", "change": 1},
        TypeError,
        "strength",
    ),
    (recommend.group_table, {"world": LINES}, TypeError, "world"),
    (recommend.bubble_records, {"histories": {}, "table": HISTORY}, TypeError, "histories"),
    (recommend.bubble_records, {"histories": {"plain": HISTORY}, "table": HISTORY}, ValueError, "utility_change"),
    (recommend.describe_world, {"world": None, "purchases": LINES, "currency": "EUR"}, TypeError, "world"),
    (recommend.describe_world, {"world": WORLD, "purchases": LINES, "currency": ""}, ValueError, "currency"),
    (
        recommend.describe_world,
        {"world": WORLD, "purchases": LINES.drop(columns="unit_price"), "currency": "EUR"},
        ValueError,
        "unit_price",
    ),
    (recommend.plot_rounds, {"histories": {"plain": HISTORY}, "metric": "breadth"}, ValueError, "breadth"),
]


@pytest.mark.parametrize("call, kwargs, error, pattern", ROWS, ids=row_ids(ROWS))
def test_bad_input_feedback(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_world_repr():
    assert isinstance(WORLD, ShopWorld) and repr(WORLD) == "ShopWorld(20 customers, 20 products, 3 groups)"

"""Bad input to shopai_lab.recommend.pipeline and its sentences: errors name the parameter; inputs unchanged."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import recommend
from shopai_lab.data import random_transactions
from tests._bad_input import check_row

SPLIT = recommend.temporal_split(random_transactions(3_000, n_customers=120, n_items=40, random_state=1), 30)
LISTS = {"a": np.array([[0, 1], [2, -1]]), "b": np.array([[3, 0], [2, 1]])}
SCORES = pd.Series({30.0: 0.1, np.inf: 0.09})

ROWS = [
    (recommend.recency_matrix, {"split": "split", "half_life_days": 30}, TypeError, "split"),
    (recommend.tune_recency, {"validation": SPLIT, "l2": 10.0, "half_lives": []}, ValueError, "half_lives"),
    (recommend.tune_recency, {"validation": SPLIT, "l2": 10.0, "half_lives": [0]}, ValueError, "half_lives"),
    (recommend.tune_recency, {"validation": SPLIT, "l2": 10.0, "k": 0}, ValueError, "k"),
    (recommend.source_scores, {"split": SPLIT, "sources": ["EASE"]}, ValueError, "sources"),
    (recommend.source_scores, {"split": SPLIT, "sources": "trending"}, TypeError, "sources"),
    (recommend.source_scores, {"split": SPLIT, "random_state": 1.5}, TypeError, "random_state"),
    (recommend.source_lists, {"scores": {}, "depth": 0}, ValueError, "depth"),
    (recommend.union_lists, {"lists": LISTS, "sources": ["c"], "depth": 2}, ValueError, "sources"),
    (recommend.union_lists, {"lists": LISTS, "sources": [], "depth": 2}, ValueError, "sources"),
    (recommend.union_lists, {"lists": LISTS, "sources": ["a"], "depth": 2.5}, TypeError, "depth"),
    (recommend.candidate_recall, {"lists": LISTS, "split": "s", "union": ["a"]}, TypeError, "split"),
    (recommend.select_sources, {"lists": LISTS, "split": SPLIT, "depth": 2, "min_gain": -1}, ValueError, "min_gain"),
    (recommend.ranker_model, {"name": "forest"}, ValueError, "name"),
    (recommend.ranker_model, {"name": "boosting", "random_state": "0"}, TypeError, "random_state"),
    (recommend.two_stage_experiment, {"validation": SPLIT, "split": SPLIT, "k": 20, "depth": 10}, ValueError, "k=20"),
    (recommend.two_stage_experiment, {"validation": SPLIT, "split": None}, TypeError, "split"),
    (recommend.describe_recency, {"scores": SCORES.drop(index=np.inf)}, ValueError, "scores"),
    (recommend.describe_recency, {"scores": [0.1]}, TypeError, "scores"),
    (recommend.describe_candidate_recall, {"table": pd.DataFrame({"recall": [0.1]}), "depth": 10}, ValueError, "table"),
    (recommend.describe_two_stage, {"result": None, "comparison": pd.DataFrame()}, TypeError, "result"),
    (recommend.describe_pool, {"result": None}, TypeError, "result"),
    (recommend.training_windows, {"validation": None, "n_windows": 2}, TypeError, "validation"),
    (recommend.training_windows, {"validation": SPLIT, "n_windows": 0}, ValueError, "n_windows"),
    (recommend.training_windows, {"validation": SPLIT, "n_windows": 1, "test_days": 0}, ValueError, "test_days"),
    (recommend.choose_pool, {"lists": LISTS, "split": "s", "union": ["a"], "depth": 2}, TypeError, "split"),
    (recommend.choose_pool, {"lists": LISTS, "split": SPLIT, "union": ["a"], "depth": 0}, ValueError, "depth"),
    (recommend.choose_pool, {"lists": LISTS, "split": SPLIT, "union": ["c"], "depth": 2}, ValueError, "sources"),
    (recommend.copurchase_counts, {"split": None}, TypeError, "split"),
    (recommend.copurchase_scores, {"split": None, "half_life_days": 30.0}, TypeError, "split"),
    (recommend.copurchase_scores, {"split": SPLIT, "half_life_days": 0}, ValueError, "half_life"),
    (recommend.basket_context, {"split": None}, TypeError, "split"),
    (recommend.basket_context, {"split": SPLIT, "recent_days": 0}, ValueError, "recent_days"),
    (recommend.two_stage_experiment, {"validation": SPLIT, "split": SPLIT, "windows": [0]}, ValueError, "windows"),
    (recommend.two_stage_experiment, {"validation": SPLIT, "split": SPLIT, "ease": "EASE"}, TypeError, "ease"),
    (recommend.two_stage_experiment, {"validation": SPLIT, "split": SPLIT, "rankers": ["svm"]}, ValueError, "rankers"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)

"""Bad input to shopai_lab.recommend.rerank: errors name the parameter before any model is fitted."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import recommend
from tests._bad_input import check_row

CANDIDATES = recommend.Candidates(
    users=np.array([0]),
    items=np.array([[0, 1, 2]]),
    features=pd.DataFrame({f: [0.0] * 3 for f in recommend.PAIR_FEATURES}),
    labels=np.array([0, 1, 0]),
)


class Scorer:
    def predict_proba(self, features):
        return np.column_stack([1 - np.linspace(0, 1, len(features)), np.linspace(0, 1, len(features))])


ROWS = [
    (recommend.build_candidates, {"split": "split"}, TypeError, "split must be a Split"),
    (recommend.rerank, {"candidates": CANDIDATES, "scorer": Scorer(), "k": 5}, ValueError, "k=5 is more than"),
    (recommend.rerank, {"candidates": CANDIDATES, "scorer": Scorer(), "k": 1.5}, TypeError, "k must be"),
    (recommend.rerank, {"candidates": CANDIDATES, "scorer": object(), "k": 2}, TypeError, "scorer"),
    (recommend.rerank, {"candidates": {}, "scorer": Scorer()}, TypeError, "candidates must be"),
    (recommend.reranker_models, {"hidden_layers": (8, "x")}, TypeError, "hidden_layers"),
    (recommend.rerank_experiment, {"validation": None, "test": None}, TypeError, "validation must be a Split"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_rerank_orders_by_probability():
    assert recommend.rerank(CANDIDATES, Scorer(), k=2).tolist() == [[2, 1]]


@pytest.fixture(scope="module")
def small_split():
    from shopai_lab.data import random_transactions

    lines = random_transactions(3_000, n_customers=200, n_items=60, days=120, random_state=0)
    return recommend.temporal_split(lines, 30)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"params": {"ALS": 3}}, TypeError, r"params\['ALS'\] must be a dict"),
        ({"params": [("EASE", {})]}, TypeError, "params must be a dict"),
        ({"random_state": -1}, ValueError, "random_state"),
        ({"params": {"EASE": {"l2": -1.0}}}, ValueError, "l2 must be > 0"),
        ({"source": "ItemKNN"}, ValueError, "source"),
        ({"trend_weight": -0.5}, ValueError, "trend_weight"),
    ],
)
def test_candidate_settings_are_checked(small_split, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        recommend.build_candidates(small_split, n_candidates=10, **kwargs)


def test_rerank_experiment_checks_its_settings_before_fitting(small_split):
    with pytest.raises(TypeError, match="random_state"):
        recommend.rerank_experiment(small_split, small_split, random_state="zero")
    with pytest.raises(TypeError, match=r"params\['EASE'\]"):
        recommend.rerank_experiment(small_split, small_split, params={"EASE": 300.0})
    with pytest.raises(ValueError, match="source"):
        recommend.rerank_experiment(small_split, small_split, source="Popularity")
    with pytest.raises(TypeError, match="ablation"):
        recommend.rerank_experiment(small_split, small_split, ablation="yes")

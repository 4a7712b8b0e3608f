"""Bad input to shopai_lab.recommend.evaluation: clear errors naming the parameter; inputs unchanged."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from shopai_lab import recommend
from shopai_lab.recommend import Popularity
from shopai_lab.stats import Interval

X = sp.csr_matrix(np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]], dtype=np.float32))
LISTS = np.array([[0, 1], [2, -1]])
INTERVAL = Interval(-0.001, -0.003, 0.001, level=0.95, n=99, se=0.001)

ROWS = [
    (recommend.coverage, {"recommended": np.array([[0, 1]]), "n_items": 0}, ValueError, "n_items"),
    (recommend.coverage, {"recommended": np.array([[0, 5]]), "n_items": 3}, ValueError, r"recommended.*e\.g\. 5"),
    (recommend.coverage, {"recommended": np.array([[0.5, 1.0]]), "n_items": 3}, TypeError, "recommended"),
    (recommend.coverage, {"recommended": LISTS, "n_items": 2.5}, TypeError, "n_items"),
    (recommend.novelty, {"recommended": np.array([[0, 7]]), "X": X}, ValueError, r"recommended.*e\.g\. 7"),
    (recommend.novelty, {"recommended": LISTS, "X": X.toarray()}, TypeError, "X must be a scipy.sparse"),
    (recommend.novelty, {"recommended": np.array([[-1, -1]]), "X": X}, ValueError, "recommended holds no item"),
    (recommend.intra_list_diversity, {"recommended": np.array([[0, 9]]), "X": X}, ValueError, "recommended"),
    (recommend.ranking_metrics, {"recommended": LISTS, "truth": [[0], [1]], "k": 1.5}, TypeError, "k must be"),
    (recommend.ranking_metrics, {"recommended": LISTS * 1.0, "truth": [[0], [1]]}, TypeError, "recommended"),
    (recommend.ranking_metrics, {"recommended": LISTS, "truth": [[0]]}, ValueError, "truth has 1 users"),
    (recommend.ranking_metrics, {"recommended": LISTS, "truth": [[0], []]}, ValueError, "relevant item"),
    (recommend.evaluate, {"model": Popularity(), "split": "split"}, TypeError, "split must be a Split"),
    (recommend.evaluate_lists, {"items": LISTS, "split": None}, TypeError, "split must be a Split"),
    (recommend.grid_search, {"model_class": Popularity, "param_grid": {}, "split": None}, ValueError, "param_grid"),
    (recommend.sampled_hit_rate, {"model": Popularity(), "split": None}, TypeError, "split"),
    (recommend.margin_reading, {"change": (0.0, -1.0, 1.0), "margin": 0.1}, TypeError, "change"),
    (recommend.margin_reading, {"change": INTERVAL, "margin": -0.1}, ValueError, "margin"),
    (recommend.choose_relevance_weight, {"table": pd.DataFrame({"ndcg": [0.1]})}, ValueError, "reading"),
    (recommend.plot_tradeoff, {"table": pd.DataFrame({"ndcg": [0.1]})}, ValueError, "ndcg_change"),
    (
        recommend.diversity_tradeoff,
        {"items": LISTS, "scores": LISTS, "split": None, "weights": [0.5]},
        TypeError,
        "split",
    ),
    (recommend.pitfall_table, {"model": Popularity(), "split": None, "matrix": X}, TypeError, "split"),
    (
        recommend.metric_records,
        {"results": pd.DataFrame({"ndcg": [0.1]}), "per_user": {}, "k": 10},
        ValueError,
        "precision",
    ),
    (recommend.validation_scores, {"tuning": None, "validation": None}, TypeError, "tuning"),
    (recommend.describe_choice, {"scores": pd.Series(dtype=float), "metric_label": "nDCG"}, ValueError, "scores"),
    (recommend.describe_choice, {"scores": [0.1], "metric_label": "nDCG"}, TypeError, "scores"),
    (recommend.describe_pitfalls, {"table": pd.DataFrame({"nDCG@k": [0.1]})}, ValueError, "share of bought"),
    (recommend.describe_cold_start, {"cold": {"hit_rate": 0.5}, "k": 10}, TypeError, "cold"),
    (
        recommend.describe_example,
        {"split": None, "customer": 1, "hits": 0, "model": "EASE", "k": 10, "random_state": 0, "currency": "EUR"},
        TypeError,
        "split",
    ),
    (
        recommend.describe_summary,
        {
            "difference": INTERVAL,
            "model": "EASE",
            "baseline": "Popularity",
            "results": pd.DataFrame(),
            "split": None,
            "k": 10,
            "cold": None,
        },
        TypeError,
        "cold",
    ),
    (
        recommend.describe_tradeoff,
        {"table": pd.DataFrame({"ndcg": [0.1]}), "loss_margin_share": 0.02},
        ValueError,
        "ndcg_change",
    ),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    from tests._bad_input import check_row

    check_row(call, kwargs, error, pattern)


@pytest.fixture(scope="module")
def split():
    from shopai_lab.data import random_transactions
    from shopai_lab.recommend import temporal_split

    return temporal_split(random_transactions(3_000, n_customers=200, n_items=60, days=120, random_state=0), 30)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"param_grid": {"weighted": [False]}, "metric": "auc"}, ValueError, "metric must be one of"),
        ({"param_grid": {"weighted": []}}, ValueError, r"param_grid\['weighted'\]"),
        ({"param_grid": {"weighted": "no"}}, ValueError, r"param_grid\['weighted'\]"),
    ],
)
def test_grid_search_checks_before_fitting(split, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        recommend.grid_search(Popularity, split=split, **kwargs)


def test_evaluate_checks_k_and_lists(split):
    model = Popularity().fit(split.train.matrix)
    with pytest.raises(TypeError, match="k must be an integer"):
        recommend.evaluate(model, split, k=2.5)
    with pytest.raises(ValueError, match="items has position"):
        recommend.evaluate_lists(np.full((len(split.eval_users), 10), 10_000), split)
    with pytest.raises(ValueError, match="n_negatives"):
        recommend.sampled_hit_rate(model, split, n_negatives=0)
